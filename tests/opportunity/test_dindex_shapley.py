"""D-index, HOI and Shapley: the worked checks of lnob.md §3–4 and invariants.

Worked values: /work/shared/spec/lnob.md §3 (β = (0.3, 0.2, 0.4, 0.1), p = (0.2, 0.5, 0.8, 0.9):
p̄ = 0.57, D = 0.2192982, HOI = 0.4450) and §4 (two circumstances W, R, cell grouping:
D(W) = 0.2086957, D(R) = 0.1847826, D(W,R) = 0.2086957, φ_W = 0.1163043 (55.73 %),
φ_R = 0.0923913 (44.27 %)). Values are given to 7 decimals, hence the 5e-8 tolerance.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sp2lnob.errors import DataError, InputError
from sp2lnob.opportunity import d_index, hoi, mean_rate
from sp2lnob.opportunity.analysis import CircumstanceData, shapley_d
from sp2lnob.opportunity.dindex import d_index_of_groups
from sp2lnob.opportunity.shapley import shapley_values


def test_worked_d_index():
    beta, p = [0.3, 0.2, 0.4, 0.1], [0.2, 0.5, 0.8, 0.9]
    assert mean_rate(p, beta) == pytest.approx(0.57, abs=1e-12)
    assert d_index(p, beta) == pytest.approx(0.2192982, abs=5e-8)
    assert hoi(p, beta) == pytest.approx(0.4450, abs=5e-5)


def _two_circumstance_cells():
    # rows standing for the four cells: (W, R, weight, rate) — y as fractional "rate rows" is not
    # allowed, so each cell is two rows (y=1 with weight w·p, y=0 with weight w·(1−p)).
    cells = [("B40", "rural", 0.30, 0.20), ("B40", "urban", 0.10, 0.50),
             ("T60", "rural", 0.25, 0.60), ("T60", "urban", 0.35, 0.90)]
    W, R, w, y = [], [], [], []
    for wi, ri, share, rate in cells:
        W += [wi, wi]
        R += [ri, ri]
        w += [share * rate, share * (1 - rate)]
        y += [1.0, 0.0]
    return np.array(W), np.array(R), np.array(w), np.array(y)


def test_worked_shapley_cells():
    W, R, w, y = _two_circumstance_cells()
    circs = [CircumstanceData("W", W), CircumstanceData("R", R)]
    res = shapley_d(circs, y, w, group_method="cells", variant="eliminate", tree_params={})
    vals = res.subset_values
    assert vals[frozenset({"W"})] == pytest.approx(0.2086957, abs=5e-8)
    assert vals[frozenset({"R"})] == pytest.approx(0.1847826, abs=5e-8)
    assert vals[frozenset({"W", "R"})] == pytest.approx(0.2086957, abs=5e-8)
    phi = dict(zip(res.names, res.contributions, strict=True))
    share = dict(zip(res.names, res.shares, strict=True))
    assert phi["W"] == pytest.approx(0.1163043, abs=5e-8)
    assert phi["R"] == pytest.approx(0.0923913, abs=5e-8)
    assert 100 * share["W"] == pytest.approx(55.73, abs=5e-3)
    assert 100 * share["R"] == pytest.approx(44.27, abs=5e-3)


groups_strategy = st.integers(min_value=1, max_value=8).flatmap(
    lambda k: st.tuples(
        st.lists(st.floats(0, 1, allow_subnormal=False), min_size=k, max_size=k),  # rates, not underflow
        st.lists(st.floats(0.01, 10), min_size=k, max_size=k),
    )
)


@settings(max_examples=100, deadline=None)
@given(groups_strategy)
def test_d_in_unit_interval(data):
    p, b = data
    if np.dot(p, b) == 0:
        with pytest.raises(DataError):
            d_index(p, b)
        return
    d = d_index(p, b)
    assert 0 <= d <= 1 + 1e-12
    assert hoi(p, b) == pytest.approx(mean_rate(p, b) * (1 - d))


@settings(max_examples=50, deadline=None)
@given(st.floats(0.01, 1), st.lists(st.floats(0.01, 10), min_size=1, max_size=8))
def test_d_zero_when_all_groups_share_the_mean(rate, shares):
    assert d_index([rate] * len(shares), shares) == pytest.approx(0, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(groups_strategy, st.integers(0, 7), st.floats(0.05, 0.95), st.floats(0, 1))
def test_d_unchanged_by_splitting_a_group_on_one_side(data, which, frac, spread):
    p, b = (np.array(v) for v in data)
    pbar = float(np.dot(p, b) / b.sum())
    if pbar <= 1e-6:
        return
    i = which % p.shape[0]
    # split group i into two subgroups whose rates stay on the same side of p̄ and average to p_i
    lo, hi = (pbar, 1.0) if p[i] >= pbar else (0.0, pbar)
    room = min(p[i] - lo, hi - p[i])
    a = p[i] + spread * room * (1 - frac) / max(frac, 1 - frac)
    c = (p[i] - frac * a) / (1 - frac)
    if not (lo - 1e-12 <= a <= hi + 1e-12 and lo - 1e-12 <= c <= hi + 1e-12):
        return
    p2 = np.concatenate([np.delete(p, i), [a, c]])
    b2 = np.concatenate([np.delete(b, i), [b[i] * frac, b[i] * (1 - frac)]])
    assert d_index(p2, b2) == pytest.approx(d_index(p, b), abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 6), st.integers(0, 2**31 - 1))
def test_shapley_shares_sum_to_one(k, seed):
    rng = np.random.default_rng(seed)
    names = [f"c{j}" for j in range(k)]
    table = {frozenset(s): rng.uniform(0.01, 1) for s in _powerset(names) if s}

    res = shapley_values(names, lambda s: table[s])
    assert sum(res.contributions) == pytest.approx(table[frozenset(names)], rel=1e-10)
    assert sum(res.shares) == pytest.approx(1.0, rel=1e-10)


def _powerset(names):
    from itertools import combinations

    for r in range(len(names) + 1):
        yield from combinations(names, r)


def test_shapley_on_data_all_variants_sum_to_100():
    rng = np.random.default_rng(7)
    n = 3000
    a = rng.integers(0, 3, n)
    b = rng.integers(0, 2, n)
    c = rng.integers(1, 5, n)
    y = (rng.random(n) < 0.2 + 0.2 * (a == 2) + 0.3 * b + 0.05 * c).astype(float)
    w = rng.uniform(0.5, 2, n)
    circs = [CircumstanceData("a", a), CircumstanceData("b", b), CircumstanceData("c", c, kind="ordered")]
    for method, variant in [("cells", "eliminate"), ("logit", "eliminate"), ("logit", "fix"),
                            ("leaves", "eliminate")]:
        res = shapley_d(circs, y, w, group_method=method, variant=variant,
                        tree_params={"min_bucket": 30, "min_share": None, "cp": 0.001})
        assert sum(res.shares) == pytest.approx(1.0, rel=1e-9), (method, variant)
        assert res.total > 0


def test_fix_variant_needs_logit():
    circs = [CircumstanceData("a", np.array([0, 1, 0, 1]))]
    with pytest.raises(InputError):
        shapley_d(circs, np.array([0.0, 1, 1, 0]), np.ones(4), group_method="cells", variant="fix",
                  tree_params={})


def test_d_of_groups_matches_plain_function():
    rng = np.random.default_rng(3)
    g = rng.integers(0, 5, 1000)
    y = (rng.random(1000) < 0.1 + 0.15 * g).astype(float)
    w = rng.uniform(1, 3, 1000)
    rates = [np.average(y[g == k], weights=w[g == k]) for k in range(5)]
    shares = [w[g == k].sum() for k in range(5)]
    assert d_index_of_groups(y, w, g) == pytest.approx(d_index(rates, shares), rel=1e-12)
