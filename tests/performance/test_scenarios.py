"""Hand-worked household scenarios (tests/performance/scenarios/*.yaml).

Every expected value below is computed by hand from the YAML, the arithmetic
written next to it; none is copied from sp2lnob's output.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from tests.performance._scenarios import scenario_input

from sp2lnob.performance.compute import compute_indicators

# five_households.yaml: person weights W_h = weight x size = 2 for every household (total 10);
# post welfare 100..500, each household alone in its quintile Q1..Q5 (cuts 150, 250, 350, 450).
# per-capita transfers: cash H1 40/2 = 20, H2 20/1 = 20; pension H2 30, H3 100/2 = 50; remit H5 150/2 = 75.


@pytest.fixture(scope="module")
def five_result():
    return compute_indicators(scenario_input("five_households.yaml"))


def v(result, indicator, programme, group_var="all", group="all", basis="none", line=None, column="value"):
    return result.value(indicator, programme, group_var, group, basis, line, column)


def test_coverage_whole_population(five_result):
    r = five_result
    assert v(r, "coverage", "cash") == pytest.approx(4 / 10)           # H1 (2) + H2 (2)
    assert v(r, "coverage", "pension") == pytest.approx(4 / 10)        # H2 + H3
    assert v(r, "coverage", "waiver") == pytest.approx(2 / 10)         # H4, flag only
    assert v(r, "coverage", "social_assistance") == pytest.approx(6 / 10)  # cash or waiver: H1 H2 H4
    assert v(r, "coverage", "all_spl") == pytest.approx(8 / 10)        # H1..H4
    assert v(r, "coverage", "private") == pytest.approx(2 / 10)        # H5
    assert v(r, "coverage", "cash", column="n") == 8                   # persons in the group
    assert v(r, "coverage", "cash", column="weighted_n") == pytest.approx(10)


def test_coverage_by_quintile_and_sex(five_result):
    r = five_result
    expected = {"Q1": 1, "Q2": 1, "Q3": 0, "Q4": 0, "Q5": 0}
    for q, e in expected.items():
        assert v(r, "coverage", "cash", "quintile", q, "post") == pytest.approx(e)
    # females: H1 p2 (w 1), H2 (2), H4 (2), H5 p2 (1) = 6; cash: H1 p2 + H2 = 3
    assert v(r, "coverage", "cash", "sex", "Female") == pytest.approx(3 / 6)
    # males: H1 p1 (1), H3 (1 + 1), H5 p1 (1) = 4; cash: H1 p1 = 1
    assert v(r, "coverage", "cash", "sex", "Male") == pytest.approx(1 / 4)


def test_incidence(five_result):
    r = five_result
    # pension: beneficiaries H2 (2), H3 (2); transfers sum w a: H2 2 x 30 = 60, H3 2 x 50 = 100
    assert v(r, "beneficiary_incidence", "pension", "quintile", "Q2", "post") == pytest.approx(0.5)
    assert v(r, "beneficiary_incidence", "pension", "quintile", "Q3", "post") == pytest.approx(0.5)
    assert v(r, "benefit_incidence", "pension", "quintile", "Q2", "post") == pytest.approx(60 / 160)
    assert v(r, "benefit_incidence", "pension", "quintile", "Q3", "post") == pytest.approx(100 / 160)
    assert v(r, "benefit_incidence", "pension", "quintile", "Q1", "post") == pytest.approx(0)
    assert v(r, "beneficiary_incidence", "pension", "quintile", "Q2", "post", column="n") == 1  # H2: 1 person


def test_adequacy_and_average_transfer(five_result):
    r = five_result
    # cash: transfers 2 x 20 + 2 x 20 = 80; beneficiaries' welfare 2 x 100 + 2 x 200 = 600
    assert v(r, "adequacy", "cash") == pytest.approx(80 / 600)
    assert v(r, "average_transfer", "cash") == pytest.approx(80 / 4)
    # pension: 160 / (2 x 200 + 2 x 300)
    assert v(r, "adequacy", "pension") == pytest.approx(160 / 1000)
    assert v(r, "average_transfer", "pension") == pytest.approx(40)
    # social assistance = cash + waiver (no amount): 80 / (200 + 400 + 800)
    assert v(r, "adequacy", "social_assistance") == pytest.approx(80 / 1400)
    # receipt-only programme: no amount-based rows at all
    f = r.to_frame().filter((pl.col("programme") == "waiver") & (pl.col("indicator") == "adequacy"))
    assert f.is_empty()


def test_poverty_and_gini_impact(five_result):
    r = five_result
    # all SPL pre welfare: 100-20 = 80, 200-50 = 150, 300-50 = 250, 400, 500; z = 220
    assert v(r, "poverty_headcount", "all_spl", basis="post", line="z220") == pytest.approx(4 / 10)
    assert v(r, "poverty_headcount", "all_spl", basis="pre", line="z220") == pytest.approx(4 / 10)
    assert v(r, "poverty_headcount_reduction", "all_spl", line="z220") == pytest.approx(0)
    # FGT1 post: (2 x 120/220 + 2 x 20/220) / 10; pre: (2 x 140/220 + 2 x 70/220) / 10
    assert v(r, "poverty_gap", "all_spl", basis="post", line="z220") == pytest.approx(280 / 2200)
    assert v(r, "poverty_gap", "all_spl", basis="pre", line="z220") == pytest.approx(420 / 2200)
    assert v(r, "poverty_gap_reduction", "all_spl", line="z220") == pytest.approx(1 - 280 / 420)
    # benefit-cost: money gap closed (420 - 280) / transfers (2x20 + 2x50 + 2x50) = 140 / 240
    assert v(r, "benefit_cost_ratio", "all_spl", line="z220") == pytest.approx(140 / 240)
    # Gini, equal weights: G = (2 sum i y_(i) - sum y) / (n sum y) - 1
    g_post = (2 * (100 + 400 + 900 + 1600 + 2500) - 1500) / (5 * 1500) - 1
    g_pre = (2 * (80 + 300 + 750 + 1600 + 2500) - 1380) / (5 * 1380) - 1
    assert v(r, "gini", "all_spl", basis="post") == pytest.approx(g_post)
    assert v(r, "gini", "all_spl", basis="pre") == pytest.approx(g_pre)
    assert v(r, "gini_reduction", "all_spl") == pytest.approx((g_pre - g_post) / g_pre)


def test_pre_transfer_quintiles(five_result):
    # social assistance pre welfare 80, 180, 300, 400, 500: same order, so same quintiles
    r = five_result
    assert v(r, "coverage", "social_assistance", "quintile", "Q1", "pre") == pytest.approx(1)
    assert v(r, "coverage", "social_assistance", "quintile", "Q4", "pre") == pytest.approx(1)  # waiver H4
    assert v(r, "coverage", "social_assistance", "quintile", "Q3", "pre") == pytest.approx(0)


def test_overlap(five_result):
    r = five_result
    # families present: SA (cash, waiver), SI (pension). H1 SA; H2 SA+SI; H3 SI; H4 SA; H5 none
    assert v(r, "overlap_families", "none") == pytest.approx(0.2)
    assert v(r, "overlap_families", "one") == pytest.approx(0.6)
    assert v(r, "overlap_families", "two") == pytest.approx(0.2)
    assert v(r, "overlap_families", "three_or_more") == pytest.approx(0)
    assert v(r, "overlap_pairwise", "cash", "with_programme", "pension") == pytest.approx(0.2)  # H2
    assert v(r, "overlap_pairwise", "pension", "with_programme", "cash") == pytest.approx(0.2)
    assert v(r, "overlap_pairwise", "cash", "with_programme", "cash") == pytest.approx(0.4)   # coverage


def test_floor_and_zero_programme():
    inp = scenario_input("floor_and_ties.yaml")
    r = compute_indicators(inp)
    floored = [w for w in r.warnings if "floored" in w.what]
    assert floored and floored[0].count == 2   # household 1: 2 persons, 50 - 160/2 < 0
    # post cuts 50, 90, 150, 210 (weights 2,1,1,1,1,1): H3 (120) and H4 (150) share Q3
    assert r.value("coverage", "grant", "quintile", "Q1", "post", None) == pytest.approx(1)
    assert r.value("coverage", "grant", "quintile", "Q3", "post", None) == pytest.approx(0)
    assert r.value("coverage", "grant", "quintile", "Q3", "post", None, "n") == 2
    # z = 100. gap pre: H1 2 x 1 + H2 (1 - 60/100); post: 2 x 0.5 + 0.1
    assert r.value("poverty_gap_reduction", "grant", line="z100") == pytest.approx(1 - 1.1 / 2.4)
    # money: pre 2 x 100 + 40 = 240, post 2 x 50 + 10 = 110; transfers 2 x 80 + 30 = 190
    assert r.value("benefit_cost_ratio", "grant", line="z100") == pytest.approx(130 / 190)
    # the empty programme: coverage 0, and all SPL (grant + empty) equals the grant on every row
    assert r.value("coverage", "empty") == 0
    f = r.to_frame().filter(pl.col("indicator") != "overlap_pairwise")  # pairs exist for programmes only
    grant = f.filter((pl.col("programme") == "grant") & (pl.col("set_type") == "programme")).drop("programme", "set_type")
    spl = f.filter(pl.col("programme") == "all_spl").drop("programme", "set_type")
    assert grant.height == spl.height > 0
    assert np.allclose(grant["value"].to_numpy(), spl["value"].to_numpy(), equal_nan=True)
