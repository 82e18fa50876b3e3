"""Numerical edge cases: results are defined (a value or a structured error) and match docs/conventions.md.

Everyone poor, nobody poor, one household, all transfers zero, weights
spanning nine orders of magnitude, welfare tied at the line; for the measures,
the variance, the indicators, the simulator and LNOB. Expected values are
worked by hand from the definitions (comments give the arithmetic).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sp2lnob import measures as M
from sp2lnob.errors import DataError

from ._data import PERSONS, SPEC, spec_with

Y = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
W = np.ones(5)


# --- poverty lines at the edges --------------------------------------------------------------------
def test_everyone_poor():
    z = 10.0
    assert M.fgt(Y, W, line=z, alpha=0) == 1.0
    # mean of (1 - y/z) = 1 - 3/10
    assert M.fgt(Y, W, line=z, alpha=1) == pytest.approx(0.7)
    # mean of (1 - y/z)^2 = mean(0.81, 0.64, 0.49, 0.36, 0.25) = 0.51
    assert M.fgt(Y, W, line=z, alpha=2) == pytest.approx(0.51)


def test_nobody_poor():
    for alpha in (0, 1, 2):
        assert M.fgt(Y, W, line=0.5, alpha=alpha) == 0.0
    assert M.sen(Y, W, line=0.5) == 0.0


def test_welfare_tied_at_the_line_is_not_poor():
    """Poor means y < z strictly: the two rows at y = z = 2 are not poor."""
    y = np.array([1.0, 2.0, 2.0, 3.0])
    assert M.fgt(y, np.ones(4), line=2.0, alpha=0) == 0.25
    assert M.fgt(y, np.ones(4), line=2.0 + 1e-9, alpha=0) == 0.75


# --- one observation, all equal, zeros -------------------------------------------------------------
def test_one_observation():
    assert M.gini([5.0], [1.0]) == 0.0
    assert M.theil([5.0], [1.0]) == 0.0
    assert M.atkinson([5.0], [1.0]) == pytest.approx(0.0, abs=1e-12)
    assert M.quantile([5.0], [1.0], 0.5) == 5.0
    assert list(M.ntile([5.0], [1.0], 5)) == [1]


def test_all_welfare_equal_keeps_ties_together():
    """Ties stay together: with everyone equal the top group (y > Q(0.9)) is empty, so Palma = S80/S20 = 0
    (as R laeken's qsr(); docs/conventions.md 'Edge cases')."""
    eq = np.full(5, 3.0)
    assert M.gini(eq, W) == 0.0
    assert M.palma(eq, W) == 0.0
    assert M.s80_s20(eq, W) == 0.0


def test_all_welfare_zero_is_a_structured_error():
    with pytest.raises(DataError) as err:
        M.gini(np.zeros(5), W)
    assert err.value.what == "Gini needs a positive weighted total of welfare"


# --- weights over nine orders of magnitude ---------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(1.0, 1e4), min_size=3, max_size=40),
       st.lists(st.integers(-4, 5), min_size=3, max_size=40))
def test_weights_spanning_nine_orders_of_magnitude_equal_replication(values, exponents):
    """A weight of 10^k is the same as 10^k copies: scaling all weights by 10^9 changes nothing, and
    measures stay finite and in range whatever the spread (1e-4 .. 1e5)."""
    n = min(len(values), len(exponents))
    y = np.array(values[:n])
    w = 10.0 ** np.array(exponents[:n], dtype=float)
    g = M.gini(y, w)
    assert -1e-12 <= g < 1.0  # equal values give 0 up to rounding (e.g. -1.1e-16)
    assert M.gini(y, w * 1e9) == pytest.approx(g, rel=1e-9, abs=1e-12)
    h = M.fgt(y, w, line=float(np.median(y)), alpha=0)
    assert 0.0 <= h <= 1.0
    assert M.fgt(y, w * 1e-9, line=float(np.median(y)), alpha=0) == pytest.approx(h, rel=1e-9, abs=1e-12)


def test_a_tiny_weight_counts_for_almost_nothing():
    y = np.array([1.0, 100.0])
    assert M.fgt(y, np.array([1e-4, 1e5]), line=50.0) == pytest.approx(1e-4 / (1e5 + 1e-4))


# --- survey level: variance, indicators ------------------------------------------------------------
def _survey(spec=None, data=None):
    from sp2lnob.survey import read_survey

    return read_survey(spec or SPEC, data=PERSONS if data is None else data)


def test_variance_of_a_headcount_of_zero_or_one_is_zero():
    from sp2lnob.variance import estimate

    s = _survey()
    for line, value in ((1e9, 1.0), (1.0, 0.0)):
        est = estimate("fgt", s.welfare, s.design, line=line)
        assert est.estimate == value
        assert est.se == 0.0


def test_one_household_has_no_design_variance():
    """A single PSU gives no within-stratum variance: a structured error naming R's lonely-PSU options."""
    from sp2lnob.variance import estimate

    one = _survey(data=PERSONS.filter(pl.col("hh") == 1))
    with pytest.raises(DataError) as err:
        estimate("fgt", one.welfare, one.design, line=1000.0)
    assert err.value.what == "1 stratum/strata with a single PSU: no within-stratum variance"
    # point estimates stay defined: the three members (welfare 900) are all below 1000
    assert M.fgt(one.welfare, one.weights, line=1000.0) == 1.0


def test_one_household_indicators_are_a_structured_error():
    """Quintiles of one household are undefined: the indicator set refuses with a clear message."""
    from sp2lnob.performance import indicators_from_survey

    with pytest.raises(DataError) as err:
        indicators_from_survey(_survey(data=PERSONS.filter(pl.col("hh") == 1)), context=False)
    assert err.value.what == "the post-transfer welfare has fewer distinct values than groups"


def _overall(result, indicator: str) -> list[float]:
    frame = result.to_frame()
    return frame.filter((pl.col("indicator") == indicator) & (pl.col("group_var") == "all"))["value"].to_list()


def test_indicators_when_nobody_is_poor():
    """Headcounts 0; their reduction 0/0 is undefined and reported as NaN (not 0, not an error)."""
    from sp2lnob.performance import indicators_from_survey

    res = indicators_from_survey(_survey(spec_with((("poverty_lines", 0, "value"), 1.0))), context=False)
    assert set(_overall(res, "poverty_headcount")) == {0.0}
    assert all(np.isnan(v) for v in _overall(res, "poverty_headcount_reduction"))


def test_indicators_when_everyone_is_poor():
    from sp2lnob.performance import indicators_from_survey

    res = indicators_from_survey(_survey(spec_with((("poverty_lines", 0, "value"), 1e9))), context=False)
    assert set(_overall(res, "poverty_headcount")) == {1.0}
    assert set(_overall(res, "poverty_headcount_reduction")) == {0.0}


def test_indicators_when_all_transfers_are_zero():
    """Coverage 0; incidences and adequacy are shares of nothing: NaN, never a division error."""
    from sp2lnob.performance import indicators_from_survey

    res = indicators_from_survey(_survey(data=PERSONS.with_columns(amt=pl.lit(0.0))), context=False)
    assert set(_overall(res, "coverage")) == {0.0}
    for name in ("benefit_incidence", "adequacy", "average_transfer"):
        assert all(np.isnan(v) for v in _overall(res, name)), name


# --- simulator ------------------------------------------------------------------------------------
def test_a_zero_benefit_changes_nothing():
    from sp2lnob.simulate import load_scheme, prepare, simulate

    base = prepare(_survey())
    for updates in ({"benefit.share": 0.0}, {"eligibility.when": "age > 200"}):
        r = simulate(base, load_scheme("universal_child_benefit").with_values(updates), seed=3)
        assert r.transfers_hh.sum() == 0.0
        assert np.array_equal(r.welfare_post, r.welfare_pre)
        change = r.to_frame().filter((pl.col("section") == "poverty") & (pl.col("stage") == "change"))
        assert change.height and set(change["value"].to_list()) == {0.0}


# --- LNOB -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo():
    from sp2lnob.demo import demo_spec_path
    from sp2lnob.survey import read_survey

    return read_survey(demo_spec_path())


def _lnob(outcome: str):
    from sp2lnob.opportunity.spec import parse_lnob_spec

    return parse_lnob_spec({"spec_version": 1, "name": "edge",
                            "circumstances": [{"name": "urban", "builtin": "urban"}],
                            "indicators": [{"name": "x", "outcome": outcome, "circumstances": ["urban"]}]})


def test_lnob_when_everyone_has_access(demo):
    """No inequality of opportunity: D = 0, HOI = coverage = 1, one group 'Everyone'."""
    from sp2lnob.opportunity import run_lnob

    row = run_lnob(demo, _lnob("age >= 0")).to_frame().row(0, named=True)
    assert row["d_index"] == 0.0
    assert row["hoi"] == pytest.approx(1.0)
    assert row["furthest_behind"] == "Everyone"


def test_lnob_when_nobody_has_access_is_a_reported_error(demo):
    """D = 0/0: the run continues and records a structured error for that indicator."""
    from sp2lnob.opportunity import run_lnob

    run = run_lnob(demo, _lnob("age < 0"))
    assert run.to_frame().is_empty()
    (failure,) = run.errors
    assert failure["error"]["type"] == "DataError"
    assert failure["error"]["what"] == "the D-index is undefined when no one has access (mean rate 0)"
