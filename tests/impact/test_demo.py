"""The issue's demonstration on the demo survey: a universal child benefit of 4 % of GDP per capita.

Faithful mode: the furthest-behind group's access rises for every indicator whose furthest-behind
group is defined with consumption; it is unchanged where the group is set by other circumstances,
and nobody's access moves where the tree does not split on consumption at all.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from sp2lnob.impact import impact, with_consumption


@pytest.fixture(scope="module")
def faithful(demo_base, child_benefit):
    return impact(demo_base, child_benefit, mode="tree")


def test_the_benefit_is_four_percent_of_gdp_per_capita(child_benefit):
    (scheme,) = child_benefit.schemes
    assert scheme.benefit.basis == "gdp_per_capita"
    assert scheme.benefit.share == pytest.approx(0.04)
    assert scheme.coverage.rate == 1.0


def test_spec_carries_consumption_instead_of_wealth(demo_base):
    kinds = {c.name: (c.builtin, c.from_, c.type) for c in demo_base.spec.circumstances}
    assert "wealth" not in kinds
    assert kinds["consumption"] == (None, "welfare", "continuous")
    assert all("consumption" in (i.circumstances or []) for i in demo_base.spec.indicators)


def test_groups_are_the_lnob_layers(demo_base, demo_survey):
    """The pre-identified groups are exactly the LNOB layer's leaves (same spec, same tree)."""
    from sp2lnob.demo import demo_lnob_spec_path
    from sp2lnob.opportunity import load_lnob_spec, run_lnob

    spec = with_consumption(load_lnob_spec(demo_lnob_spec_path()))
    run = run_lnob(demo_survey, spec, indicators=["clean_fuel"], shapley=None)
    fi = demo_base.indicator("clean_fuel")
    assert fi.groups[0] == run.results[0].furthest_behind.node_id
    assert fi.rate_of_node[fi.groups[0]] == pytest.approx(run.results[0].furthest_behind.rate)


def test_furthest_behind_rises_only_where_consumption_defines_it(demo_base, faithful):
    kinds = {"rises": 0, "fixed_group": 0, "no_split": 0}
    for res in faithful.indicators:
        fi = demo_base.indicator(res.indicator)
        fb = res.furthest_behind
        if not fi.splits_on_money:
            kinds["no_split"] += 1
            assert res.groups["change"].abs().max() == 0.0
            assert res.national_post == res.national_pre
            assert res.d_post == res.d_pre
            assert "does not split on consumption" in res.note
        elif "consumption" in res.deciding:
            kinds["rises"] += 1
            assert fb["change"] > 0, res.indicator
            assert res.national_post > res.national_pre
        else:
            kinds["fixed_group"] += 1
            assert fb["change"] == 0.0, res.indicator
            assert "not consumption" in res.note
        assert res.share_falling == 0.0      # on the demo, consumption rising never lowers anyone's access
    # the demo exercises every case (not a vacuous loop)
    assert kinds["rises"] >= 3 and kinds["no_split"] >= 1


def test_clean_fuel_and_the_headline(faithful):
    fuel = faithful.indicator("clean_fuel")
    assert "consumption" in fuel.deciding
    assert fuel.furthest_behind["access_post"] > fuel.furthest_behind["access_pre"]
    text = faithful.headline("clean_fuel")
    assert text.startswith(f"cost {faithful.cost_pct_gdp:.2f} % of GDP → poverty −")
    assert "Clean cooking fuel: furthest-behind group +" in text
    assert faithful.poverty_post < faithful.poverty_pre


def test_result_tables(faithful):
    df = faithful.to_frame()
    assert set(df["indicator"].unique()) == {r.indicator for r in faithful.indicators}
    national = df.filter(df["rank"] == 0)
    assert national.height == len(faithful.indicators)
    # group shares of each indicator sum to one
    sums = df.filter(pl.col("rank") > 0).group_by("indicator").agg(pl.col("share").sum())
    assert np.allclose(sums["share"].to_numpy(), 1.0)
    d = faithful.to_dict()
    assert d["headline"] == faithful.headline()
    assert len(d["indicators"]) == len(faithful.indicators)
    assert "faithful mode" in faithful.summary() and str(faithful) == faithful.summary()


def test_zero_benefit_changes_nothing(demo_base, child_benefit):
    from dataclasses import replace

    zero = replace(child_benefit, schemes=(child_benefit.schemes[0].with_values({"benefit.share": 0.0}),))
    res = impact(demo_base, zero)
    assert res.cost_pct_gdp == 0.0
    for r in res.indicators:
        assert r.groups["change"].abs().max() == 0.0
        assert r.national_post == r.national_pre and r.d_post == r.d_pre


def test_smooth_mode_on_the_demo(demo_base, child_benefit):
    res = impact(demo_base, child_benefit, mode="smooth", indicators=["clean_fuel", "basic_water"])
    fuel = res.indicator("clean_fuel")
    assert fuel.mode == "smooth" and fuel.details["converged"]
    assert fuel.details["monotone_in_consumption"]
    assert fuel.groups["change"].min() > 0           # a monotone model: every group gains
    assert (fuel.groups["elasticity"] > 0).all()
    assert fuel.share_falling == 0.0
    assert "Extension (smooth model)" in fuel.note
    assert "smooth mode (extension" in res.summary()


def test_rerouting_unchanged_rows_agrees_with_the_fitted_tree(demo_base):
    """Re-routing skips rows whose consumption did not change: valid because routing the
    pre-transfer circumstances through the tree gives back the fitted leaves."""
    for fi in demo_base.indicators:
        np.testing.assert_array_equal(fi.tree.apply(fi.features), fi.leaf_pre)
