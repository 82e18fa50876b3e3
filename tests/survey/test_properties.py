"""Invariants on random surveys (hypothesis): person vs household files, periods, PPP, scales."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from sp2lnob.survey import read_survey
from sp2lnob.survey.welfare import (
    adult_equivalents,
    get_scale,
    lcu_to_ppp_daily,
    period_factor,
    ppp_daily_to_lcu,
)

PROFILE = settings(max_examples=60, deadline=None)


@st.composite
def households(draw):
    n = draw(st.integers(1, 25))
    sizes = draw(st.lists(st.integers(1, 8), min_size=n, max_size=n))
    weights = draw(st.lists(st.floats(0.5, 500), min_size=n, max_size=n))
    totals = draw(st.lists(st.floats(1, 1e6), min_size=n, max_size=n))
    seed = draw(st.integers(0, 2**32 - 1))
    return np.array(sizes), np.array(weights), np.array(totals), seed


def _files(sizes, weights, totals, seed):
    rng = np.random.default_rng(seed)
    hhid = np.arange(1, sizes.size + 1)
    hh = pl.DataFrame({"hhid": hhid, "w": weights, "total": totals, "size": sizes})
    persons = pl.DataFrame({"hhid": np.repeat(hhid, sizes), "age": rng.integers(0, 90, sizes.sum())})
    persons = persons.with_columns(pid=pl.int_range(pl.len()).over("hhid"))
    return hh, persons


def _spec(person_level: bool, **welfare):
    roles = {"household_id": "hhid", "weight": "w"}
    roles.update({"person_id": "pid", "age": "age"} if person_level else {"household_size": "size"})
    return {
        "roles": roles,
        "welfare": {"variable": "total", "basis": "household_total", **welfare},
        "poverty_lines": [{"name": "median60", "type": "relative", "share": 0.6},
                          {"name": "ppp", "type": "ppp", "value": 2.15}],
        "ppp": {"cpi": 1.3, "factor": 15.0},
    }


@PROFILE
@given(households())
def test_person_and_household_files_agree(data):
    sizes, weights, totals, seed = data
    hh, persons = _files(sizes, weights, totals, seed)
    by_person = read_survey(_spec(True), data={"persons": persons, "households": hh})
    by_household = read_survey(_spec(False), data=hh)
    # population and total welfare are the same whichever row level is used
    assert_allclose(by_person.weights.sum(), (weights * sizes).sum())
    assert_allclose(by_household.weights.sum(), (weights * sizes).sum())
    assert_allclose(np.sum(by_person.weights * by_person.welfare), np.sum(weights * totals), rtol=1e-9)
    assert_allclose(np.sum(by_household.weights * by_household.welfare), np.sum(weights * totals), rtol=1e-9)
    # same weighted distribution -> same median-based line
    assert_allclose(by_person.line_values("median60")[0], by_household.line_values("median60")[0])
    # per-capita welfare x size = the household total on every row
    assert_allclose(by_person.welfare * by_person.hh_size, np.repeat(totals, sizes), rtol=1e-12)


@PROFILE
@given(households(), st.sampled_from(["daily", "monthly", "yearly"]), st.sampled_from(["daily", "monthly", "yearly"]))
def test_period_conversion_is_consistent(data, stored, output):
    sizes, weights, totals, seed = data
    hh, _ = _files(sizes, weights, totals, seed)
    base = read_survey(_spec(False, period=stored, output_period="yearly"), data=hh)
    converted = read_survey(_spec(False, period=stored, output_period=output), data=hh)
    assert_allclose(converted.welfare, base.welfare * period_factor("yearly", output))
    # PPP welfare and PPP lines do not depend on the output period
    assert_allclose(converted.welfare_ppp, base.welfare_ppp)
    assert_allclose(converted.line_values("ppp") / converted.welfare, base.line_values("ppp") / base.welfare)


@PROFILE
@given(st.floats(0.01, 1e4), st.sampled_from(["daily", "monthly", "yearly"]), st.floats(0.1, 10), st.floats(0.01, 1e4))
def test_ppp_conversions_are_inverse(value, period, cpi, factor):
    lcu = ppp_daily_to_lcu(value, period, cpi, factor)
    assert_allclose(lcu_to_ppp_daily(np.array([lcu]), period, cpi, factor), [value])


@PROFILE
@given(st.lists(st.integers(1, 7), min_size=1, max_size=20), st.integers(0, 2**32 - 1),
       st.sampled_from(["oecd", "modified_oecd", "square_root", "per_capita"]))
def test_equivalence_scale_bounds(sizes, seed, name):
    rng = np.random.default_rng(seed)
    sizes = np.array(sizes)
    hh = np.repeat(np.arange(sizes.size), sizes)
    age = rng.integers(0, 80, hh.size).astype(float)
    ae = adult_equivalents(get_scale(name), sizes[hh].astype(float), hh, age)
    size = sizes[hh]
    assert np.all(ae >= 1 - 1e-12) and np.all(ae <= size + 1e-12)
    # constant within each household
    assert np.all(ae == ae[np.searchsorted(hh, hh)])
    if name == "per_capita":
        assert_allclose(ae, size)


@PROFILE
@given(
    st.one_of(
        st.lists(st.integers(-5, 30), min_size=1, max_size=60),
        st.lists(st.integers(-(2**60), 2**60), min_size=1, max_size=30),
        st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=30),
        st.lists(st.sampled_from(["a", "b", "H10", "H2"]), min_size=1, max_size=30),
    ),
    st.booleans(),
)
def test_codes_match_numpy_unique(values, presort):
    from sp2lnob.survey.groups import dense_codes, first_rows, household_codes

    values = sorted(values) if presort else values
    column = pl.Series(values)
    expected = np.unique(np.array(values), return_inverse=True)[1].ravel()
    assert dense_codes(column).tolist() == expected.tolist()
    assert household_codes(column).tolist() == expected.tolist()
    first = first_rows(expected)
    assert first.tolist() == [values.index(v) for v in sorted(set(values))]
