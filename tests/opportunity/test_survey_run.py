"""LNOB on the demo survey: the spec layer, units, barriers, exclusions, regions, invariants."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from sp2lnob.errors import DataError
from sp2lnob.opportunity import d_index
from sp2lnob.opportunity.analysis import CircumstanceData, analyse
from sp2lnob.opportunity.prepare import analysis_input, prepare_frame
from sp2lnob.opportunity.run import run_lnob
from sp2lnob.opportunity.spec import parse_lnob_spec


@pytest.fixture(scope="module")
def prepared(demo_survey, demo_lnob_spec):
    return prepare_frame(demo_survey, demo_lnob_spec)


def test_household_unit_has_one_row_per_household(demo_survey, demo_lnob_spec, prepared):
    frame, metas = prepared
    ai = analysis_input(frame, metas, demo_lnob_spec, demo_lnob_spec.indicator("electricity"))
    assert ai.y.shape[0] == demo_survey.n_households
    # household weights: the weighted count is the number of households in the population
    hh = demo_survey.data.unique(subset="hhid")
    assert ai.weights.sum() == pytest.approx(float(hh["hhweight"].sum()), rel=1e-12)
    assert ai.y.mean() == pytest.approx(float(hh["electricity"].mean()), rel=1e-12)


def test_barrier_is_complemented_and_missing_outcome_reported(demo_survey, demo_lnob_spec, prepared):
    frame, metas = prepared
    ai = analysis_input(frame, metas, demo_lnob_spec, demo_lnob_spec.indicator("non_stunting"))
    d = demo_survey.data
    kids = d.filter((pl.col("age") < 5) & pl.col("stunted").is_not_null())
    w = kids["hhweight"].to_numpy()
    assert np.average(ai.y, weights=ai.weights) == pytest.approx(1 - np.average(kids["stunted"].to_numpy(), weights=w))
    n_unmeasured = d.filter((pl.col("age") < 5) & pl.col("stunted").is_null()).height
    assert n_unmeasured > 0
    note = [x for x in ai.warnings if "missing outcome" in x.what]
    assert note and note[0].count == n_unmeasured


def test_population_filter(demo_survey, demo_lnob_spec, prepared):
    frame, metas = prepared
    ai = analysis_input(frame, metas, demo_lnob_spec, demo_lnob_spec.indicator("secondary_complete"))
    ages = demo_survey.data["age"].to_numpy()[ai.survey_rows]
    assert ages.min() >= 20 and ages.max() <= 35


def test_wealth_b40_is_the_bottom_40_percent(prepared):
    frame, _ = prepared
    b40 = frame["c__wealth"].to_numpy()
    share = np.average(b40, weights=frame["weight"].to_numpy())
    assert 0.38 < share <= 0.42  # households share one welfare value, so the cut is not exactly 40 %
    assert frame.filter(pl.col("c__wealth") == 1)["welfare"].max() <= frame.filter(pl.col("c__wealth") == 0)["welfare"].min()


def test_run_invariants(demo_survey, demo_lnob_spec):
    run = run_lnob(demo_survey, demo_lnob_spec, indicators=["internet_use", "electricity"], shapley=None,
                   also=("cells", "logit"))
    assert not run.errors and len(run.results) == 2
    table = run.to_frame()
    assert table.height == 2 and set(table["group_method"]) == {"leaves"}
    for res in run.results:
        leaves = res.nodes.filter(pl.col("is_leaf"))
        assert leaves["share"].sum() == pytest.approx(1.0)
        # the D-index of the result is the D-index of its leaves
        assert res.d_index == pytest.approx(d_index(leaves["rate"].to_numpy(), leaves["share"].to_numpy()))
        assert res.furthest_behind.rate == pytest.approx(leaves["rate"].min())
        assert res.furthest_ahead.rate == pytest.approx(leaves["rate"].max())
        assert {m.method for m in res.other_methods} == {"cells", "logit"}
        assert 0 <= res.d_index <= 1 and res.hoi == pytest.approx(res.mean_rate * (1 - res.d_index))
        assert res.furthest_behind.rule and "%" in res.summary()
        for leaf in leaves.iter_rows(named=True):
            assert leaf["share"] >= 0.09 - 1e-12 and leaf["n"] >= 49


def test_by_region_and_errors_are_reported(demo_survey):
    spec = parse_lnob_spec({
        "circumstances": [{"name": "wealth", "builtin": "wealth_b40"}, {"name": "area", "builtin": "urban"}],
        "indicators": [
            {"name": "water", "outcome": "basic_water == 1", "unit": "household"},
            {"name": "nobody", "outcome": "internet_use == 1", "population": "age > 200"},
        ],
    })
    run = run_lnob(demo_survey, spec, by_region=True, shapley=None)
    regions = {r.context["region"] for r in run.results}
    assert None in regions and len(regions) == 7  # national + six regions
    assert {e["indicator"] for e in run.errors} == {"nobody"}
    assert all("empty" in e["error"]["what"] for e in run.errors)
    nodes = run.node_tables()
    assert {"country", "region", "indicator", "path", "rate"} <= set(nodes.columns)


def test_outcome_not_binary_and_single_level_circumstance():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 2, 400)
    with pytest.raises(DataError, match="not binary"):
        analyse(rng.integers(0, 3, 400), np.ones(400), [CircumstanceData("a", a)], shapley=None)
    with pytest.raises(DataError, match="empty"):
        analyse(np.array([]), np.array([]), [CircumstanceData("a", np.array([]))], shapley=None)
    y = (rng.random(400) < 0.3 + 0.4 * a).astype(float)
    res = analyse(y, np.ones(400), [CircumstanceData("a", a), CircumstanceData("const", np.zeros(400))],
                  tree_params={"min_bucket": 20}, shapley=None)
    assert res.circumstances == ("a",)
    assert any("one level" in w.what for w in res.warnings)
    with pytest.raises(DataError, match="two or more levels"):
        analyse(y, np.ones(400), [CircumstanceData("const", np.zeros(400))], shapley=None)


def test_logit_method_with_fix_shapley(demo_survey, demo_lnob_spec):
    run = run_lnob(demo_survey, demo_lnob_spec, indicators=["bank_account"], group_method="logit", shapley="fix")
    res = run.results[0]
    assert res.inequality.method == "logit" and run.to_frame()["group_method"].to_list() == ["logit"]
    assert res.shapley is not None and res.shapley.variant == "fix"
    assert sum(res.shapley.shares) == pytest.approx(1.0, rel=1e-9)
    assert "logit" in res.summary()
