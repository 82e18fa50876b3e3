"""The simulator's one-sort summaries equal sp2lnob.measures (the reference definitions)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sp2lnob import measures
from sp2lnob.simulate.kernels import fgt_terms, group_gini, inequality

EPS = [0.5, 1.0, 2.0]


def _check(x, w):
    got, order = inequality(x, w, EPS)
    assert got["gini"] == pytest.approx(measures.gini(x, w), rel=1e-10, abs=1e-12)
    assert got["theil"] == pytest.approx(measures.theil(x, w), rel=1e-10, abs=1e-12)
    for e in EPS:
        assert got[f"atkinson_{e:g}"] == pytest.approx(measures.atkinson(x, w, e), rel=1e-10, abs=1e-12)
    assert got["palma"] == pytest.approx(measures.palma(x, w), rel=1e-10)
    assert got["s80_s20"] == pytest.approx(measures.s80_s20(x, w), rel=1e-10)
    return order


@settings(max_examples=60, deadline=None)
@given(n=st.integers(5, 300), seed=st.integers(0, 10**6), ties=st.booleans())
def test_inequality_matches_measures(n, seed, ties):
    rng = np.random.default_rng(seed)
    x = np.exp(rng.normal(10, 0.7, n))
    if ties:
        x = np.round(x, -3) + 1.0
    w = rng.uniform(0.5, 200, n)
    _check(x, w)


def test_group_gini_and_fgt_match_measures(demo_base):
    x, w = demo_base.welfare, demo_base.weight
    order, xs, ws = _check(x, w)
    for by, (codes, names) in demo_base.groups.items():
        got = group_gini(xs, ws, codes[order], len(names))
        for k in range(len(names)):
            m = codes == k
            assert got[k] == pytest.approx(measures.gini(x[m], w[m]), rel=1e-9), (by, names[k])
    z = demo_base.lines["national"]
    for a, t in enumerate(fgt_terms(x, z)):
        assert np.dot(w, t) / w.sum() == pytest.approx(measures.fgt(x, w, line=z, alpha=a), rel=1e-12)


def test_result_values_match_measures_on_demo(demo_base):
    from sp2lnob.simulate import make_package, simulate

    r = simulate(demo_base, make_package(["universal_child_benefit", "disability_benefit"]))
    y, w = r.welfare_post, r.weights
    assert r.value("gini", "post") == pytest.approx(measures.gini(y, w), rel=1e-10)
    assert r.value("palma", "post") == pytest.approx(measures.palma(y, w), rel=1e-10)
    for line in demo_base.lines:
        z = demo_base.lines[line]
        assert r.value("fgt1", "post", line=line) == pytest.approx(measures.fgt(y, w, line=z, alpha=1), rel=1e-10)
    # group table: headcount by region after transfers
    codes, names = demo_base.groups["region"]
    for k, name in enumerate(names):
        m = codes == k
        want = measures.fgt(y[m], w[m], line=demo_base.lines["national"][m], alpha=0)
        assert r.value("fgt0", "post", by="region", group=name, line="national") == pytest.approx(want, rel=1e-10)
    # group Gini after transfers: household-level groupings (region) and person-level ones (age group)
    for by in ("region", "age_group", "head_sex"):
        codes, names = demo_base.groups[by]
        for k, name in enumerate(names):
            m = codes == k
            assert r.value("gini", "post", by=by, group=name) == pytest.approx(measures.gini(y[m], w[m]), rel=1e-9)
    # budget-neutral Gini shortcut G mu / (mu + a) equals the Gini of pre + a
    a = r.value("amount_per_person", "budget_neutral")
    assert r.value("gini", "budget_neutral") == pytest.approx(measures.gini(r.welfare_pre + a, w), rel=1e-10)


def test_person_level_welfare_takes_the_person_path():
    """Welfare that differs within a household (e.g. individual income) is summarised person by person."""
    import polars as pl

    from sp2lnob.simulate import make_package, simulate

    from .synth import MACRO, synthetic_frame

    df = synthetic_frame(300, seed=5)
    rng = np.random.default_rng(0)
    df = df.with_columns((pl.col("welfare") * rng.uniform(0.5, 1.5, df.height)).alias("welfare"))
    from sp2lnob.simulate import SimulationBase

    base = SimulationBase.from_frame(df, macro=MACRO, lines={"national": 25000.0})
    r = simulate(base, make_package(["universal_child_benefit"]))
    y, w = r.welfare_post, r.weights
    assert r.value("gini", "post") == pytest.approx(measures.gini(y, w), rel=1e-10)
    codes, names = base.groups["urban"]
    for k, name in enumerate(names):
        m = codes == k
        assert r.value("gini", "post", by="urban", group=name) == pytest.approx(measures.gini(y[m], w[m]), rel=1e-9)
