"""Independent re-computation: every indicator and SE of one random survey, person by person.

The reference builds the linearised variable z of each ratio explicitly on
person rows and calls :func:`sp2lnob.variance.linearization_variance` (the
variance engine), and ranks with :func:`sp2lnob.measures.ntile` /
:func:`sp2lnob.measures.gini`; the engine under test aggregates PSU totals
instead. They must agree to rounding.
"""

from __future__ import annotations

import numpy as np
import pytest

from sp2lnob.measures import gini, ntile
from sp2lnob.performance.compute import compute_indicators
from sp2lnob.performance.inputs import Grouping, PerformanceInput
from sp2lnob.performance.pretransfer import distribution
from sp2lnob.performance.programme_sets import ProgrammeInfo
from sp2lnob.survey.design import Design
from sp2lnob.variance.design_variance import linearization_variance


def make_input(seed: int = 7, n_hh: int = 300) -> PerformanceInput:
    rng = np.random.default_rng(seed)
    size = rng.integers(1, 6, n_hh)
    hh = np.repeat(np.arange(n_hh), size)
    n = hh.size
    psu_hh = rng.integers(0, 30, n_hh)
    stratum_hh = psu_hh % 4
    y_hh = np.round(rng.lognormal(7, 0.5, n_hh), 2)
    w_hh = rng.uniform(10, 50, n_hh)
    a1 = np.where(rng.uniform(size=n_hh) < 0.3, rng.uniform(10, 200, n_hh), 0.0)
    a2 = np.where(rng.uniform(size=n_hh) < 0.2, rng.uniform(50, 300, n_hh), 0.0)
    flag = rng.uniform(size=n_hh) < 0.15
    return PerformanceInput(
        household=hh, weight=w_hh[hh], welfare=y_hh[hh],
        design=Design(weights=w_hh[hh], strata=stratum_hh[hh], psu=psu_hh[hh]),
        programmes=(ProgrammeInfo("p1", "P1", "unconditional_cash_transfers"),
                    ProgrammeInfo("p2", "P2", "contributory_pensions"),
                    ProgrammeInfo("f", "F", "fee_waivers", has_amount=False)),
        amount_pc=np.column_stack([a1[hh] / size[hh], a2[hh] / size[hh], np.zeros(n)]),
        receipt=np.column_stack([a1[hh] > 0, a2[hh] > 0, flag[hh]]),
        groupings={"sex": Grouping("sex", rng.integers(0, 2, n), ("Male", "Female")),
                   "region": Grouping("region", rng.integers(0, 3, n_hh)[hh], ("A", "B", "C"))},
        lines={"z": np.full(n, float(np.exp(6.8)))},
    )


@pytest.fixture(scope="module")
def case():
    inp = make_input()
    return inp, compute_indicators(inp)


def ratio_ref(y, x, w, design, dom_y, dom_x):
    """R = sum w y 1[dom_y] / sum w x 1[dom_x] and its SE from the explicit linearised variable."""
    X = np.sum(w * x * dom_x)
    R = np.sum(w * y * dom_y) / X
    z = (y * dom_y - R * x * dom_x) / X
    return R, np.sqrt(linearization_variance(z, design))


def set_columns(inp, members):
    idx = [inp.programme_index(m) for m in members]
    r = inp.receipt[:, idx].any(axis=1).astype(float)
    a = inp.amount_pc[:, idx].sum(axis=1)
    return r, a


@pytest.mark.parametrize("members,name", [(["p1"], "p1"), (["p1", "f"], "social_assistance"),
                                          (["p1", "p2", "f"], "all_spl")])
def test_distribution_indicators_match_reference(case, members, name):
    inp, res = case
    w, y, d = inp.weight, inp.welfare, inp.design
    r, a = set_columns(inp, members)
    q_post = ntile(y, w, 5)
    set_type = "programme" if name == "p1" else ("family" if name == "social_assistance" else "all_spl")
    everyone = np.ones_like(w, dtype=bool)
    groupings = [("quintile", "post", q_post, [f"Q{i}" for i in range(1, 6)], range(1, 6)),
                 ("sex", "none", inp.groupings["sex"].codes, ["Male", "Female"], range(2)),
                 ("region", "none", inp.groupings["region"].codes, ["A", "B", "C"], range(3))]
    pre = np.maximum(y - a, 0)
    groupings.append(("quintile", "pre", ntile(pre, w, 5), [f"Q{i}" for i in range(1, 6)], range(1, 6)))
    for group_var, basis, codes, labels, values in groupings:
        for label, code in zip(labels, values, strict=True):
            g = codes == code
            checks = {
                "coverage": ratio_ref(r, np.ones_like(w), w, d, g, g),
                "beneficiary_incidence": ratio_ref(r, r, w, d, g, everyone),
                "benefit_incidence": ratio_ref(a, a, w, d, g, everyone),
                "adequacy": ratio_ref(a * r, y * r, w, d, g, g),
                "average_transfer": ratio_ref(a * r, r, w, d, g, g),
            }
            for indicator, (value, se) in checks.items():
                got = res.to_frame().filter(
                    (res.to_frame()["indicator"] == indicator) & (res.to_frame()["programme"] == name)
                    & (res.to_frame()["set_type"] == set_type) & (res.to_frame()["group_var"] == group_var)
                    & (res.to_frame()["group"] == label) & (res.to_frame()["basis"] == basis))
                assert got.height == 1, (indicator, group_var, label)
                assert got["value"][0] == pytest.approx(value, rel=1e-9, abs=1e-12), (indicator, label)
                assert got["se"][0] == pytest.approx(se, rel=1e-7, abs=1e-12), (indicator, label)
            n_expected = int(g.sum())
            cov = res.value("coverage", name, group_var, label, basis, None, "n")
            assert cov == n_expected


def test_impact_matches_reference(case):
    inp, res = case
    w, y, d = inp.weight, inp.welfare, inp.design
    r, a = set_columns(inp, ["p1", "p2", "f"])
    z = inp.lines["z"]
    pre = np.maximum(y - a, 0)
    poor_pre, poor_post = (pre < z).astype(float), (y < z).astype(float)
    gap_pre = np.where(pre < z, 1 - pre / z, 0)
    gap_post = np.where(y < z, 1 - y / z, 0)
    everyone = np.ones_like(w, dtype=bool)
    R, se = ratio_ref(poor_post, poor_pre, w, d, everyone, everyone)
    assert res.value("poverty_headcount_reduction", "all_spl", line="z") == pytest.approx(1 - R)
    assert res.value("poverty_headcount_reduction", "all_spl", line="z", column="se") == pytest.approx(se)
    R, se = ratio_ref(gap_post, gap_pre, w, d, everyone, everyone)
    assert res.value("poverty_gap_reduction", "all_spl", line="z") == pytest.approx(1 - R)
    assert res.value("poverty_gap_reduction", "all_spl", line="z", column="se") == pytest.approx(se)
    R, se = ratio_ref((gap_pre - gap_post) * z, a, w, d, everyone, everyone)
    assert res.value("benefit_cost_ratio", "all_spl", line="z") == pytest.approx(R)
    assert res.value("benefit_cost_ratio", "all_spl", line="z", column="se") == pytest.approx(se)
    g_pre, g_post = gini(pre, w), gini(y, w)
    assert res.value("gini", "all_spl", basis="pre") == pytest.approx(g_pre)
    assert res.value("gini_reduction", "all_spl") == pytest.approx((g_pre - g_post) / g_pre)
    # SEs: the person-level linearisation (Deville's Gini influence function, the variance
    # engine's, checked against R convey) gives what the household-level table reports.
    from sp2lnob.variance import estimate
    from sp2lnob.variance.influence import influence_gini

    assert res.value("gini", "all_spl", basis="post", column="se") == pytest.approx(estimate("gini", y, d).se,
                                                                                    rel=1e-9)
    z_pre, z_post = influence_gini(pre, w, g_pre), influence_gini(y, w, g_post)
    se_pre = np.sqrt(linearization_variance(z_pre, d))
    se_red = np.sqrt(linearization_variance((g_post * z_pre - g_pre * z_post) / g_pre**2, d))
    assert res.value("gini", "all_spl", basis="pre", column="se") == pytest.approx(se_pre, rel=1e-9)
    assert res.value("gini_reduction", "all_spl", column="se") == pytest.approx(se_red, rel=1e-9)
    assert 0 < se_red < 1
    # An independent check of the delta method: a Rao-Wu bootstrap of the reduction itself.
    from sp2lnob.variance import rao_wu_bootstrap_weights

    reps = rao_wu_bootstrap_weights(d, 400, seed=5)
    boot = [(gini(pre, reps[:, r]) - gini(y, reps[:, r])) / gini(pre, reps[:, r]) for r in range(reps.shape[1])]
    assert np.std(boot, ddof=1) == pytest.approx(se_red, rel=0.25)


def test_ntiles_and_gini_match_measures():
    rng = np.random.default_rng(3)
    for _ in range(5):
        x = np.round(rng.lognormal(5, 1, 2000), 0)  # rounded: many ties
        w = rng.uniform(0.5, 3, 2000)
        d = distribution(x, w, 5, where="test")
        assert np.array_equal(d.ntile, ntile(x, w, 5))
        assert d.gini == pytest.approx(gini(x, w), rel=1e-12)
        assert np.array_equal(distribution(x, w, 10, where="test").ntile, ntile(x, w, 10))


def test_pre_quintiles_from_merge_match_full_sort(case):
    inp, _ = case
    from sp2lnob.performance.pretransfer import changed_distribution

    y, w = inp.welfare, inp.weight
    r, a = set_columns(inp, ["p1", "p2"])
    post = distribution(y, w, 5, where="post")
    pre = np.maximum(y - a, 0)
    merged = changed_distribution(post, pre, a != 0, w, 5, where="pre")
    assert np.array_equal(merged.ntile, ntile(pre, w, 5))
    assert merged.gini == pytest.approx(gini(pre, w), rel=1e-12)
