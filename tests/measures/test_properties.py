"""Invariants of the weighted measures (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import sp2lnob.measures as m
from sp2lnob.errors import Sp2lnobError

SETTINGS = settings(max_examples=60, deadline=None)

# Welfare on a coarse grid (ties are common) and weights that are not all equal.
welfare = st.lists(st.integers(1, 40).map(lambda v: v * 2.5), min_size=2, max_size=40)
int_weights = st.integers(1, 5)


@st.composite
def sample(draw, positive=True):
    x = draw(welfare)
    if not positive:
        x = [v - 10.0 * draw(st.booleans()) * (i % 3 == 0) for i, v in enumerate(x)]
    w = draw(st.lists(st.floats(0.1, 50.0, allow_nan=False), min_size=len(x), max_size=len(x)))
    return np.array(x), np.array(w)


@st.composite
def int_weighted(draw):
    x = draw(welfare)
    w = draw(st.lists(int_weights, min_size=len(x), max_size=len(x)))
    return np.array(x), np.array(w, dtype=float)


# --- Gini ------------------------------------------------------------------------------

@SETTINGS
@given(sample(), st.floats(0.01, 1000.0), st.floats(0.01, 1000.0))
def test_gini_bounds_and_scale_invariance(data, c, k):
    x, w = data
    g = m.gini(x, w)
    assert -1e-12 <= g < 1.0
    np.testing.assert_allclose(m.gini(c * x, w), g, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(m.gini(x, k * w), g, rtol=1e-9, atol=1e-12)


@SETTINGS
@given(sample(), st.sampled_from([1e-280, 1e-120, 1e120, 1e280]), st.sampled_from([1e-250, 1e250]))
def test_gini_defined_for_extreme_scales_of_weights_and_welfare(data, k, c):
    # Totals multiply in the formula: extreme scales must not underflow or overflow to NaN.
    x, w = data
    g = m.gini(x, w)
    np.testing.assert_allclose(m.gini(x, k * w), g, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(m.gini(c * x, w), g, rtol=1e-9, atol=1e-12)


@SETTINGS
@given(welfare)
def test_gini_unit_weights_textbook_formula(xs):
    x = np.sort(np.array(xs))
    n = x.size
    textbook = 2.0 * np.sum(np.arange(1, n + 1) * x) / (n * x.sum()) - (n + 1) / n
    np.testing.assert_allclose(m.gini(np.random.default_rng(0).permutation(x)), textbook,
                               rtol=1e-12, atol=1e-12)


# --- unit weights reproduce unweighted NumPy ---------------------------------------------

NUMPY_METHOD = {"math": "inverted_cdf", "school": "averaged_inverted_cdf"}


@SETTINGS
@given(welfare, st.floats(0.0, 1.0))
def test_unit_weights_match_numpy_quantiles(xs, p):
    x = np.array(xs)
    n = x.size
    # Away from exact hits, floating-point rounding of n*p could legitimately differ.
    assume(abs(n * p - round(n * p)) > 1e-9 or n * p == round(n * p))
    for rule, method in NUMPY_METHOD.items():
        assert m.quantile(x, None, p, rule=rule) == np.quantile(x, p, method=method)
    # laeken with unit weights: x_(floor(n p) + 1) for 0 < p < 1.
    if 0 < p < 1:
        assert m.quantile(x, None, p, rule="laeken") == np.sort(x)[min(int(np.floor(n * p)), n - 1)]


@SETTINGS
@given(st.lists(st.integers(0, 10**6), min_size=2, max_size=40, unique=True), st.floats(0.0, 1.0))
def test_interpolated_unit_weights_distinct_is_hazen(xs, p):
    x = np.array(xs, dtype=float)
    np.testing.assert_allclose(m.quantile(x, None, p, rule="interpolated"),
                               np.quantile(x, p, method="hazen"), rtol=1e-12, atol=1e-9)


@SETTINGS
@given(welfare)
def test_unit_weights_match_plain_formulas(xs):
    x = np.array(xs)
    mu = x.mean()
    np.testing.assert_allclose(m.mean(x), mu, rtol=1e-13)
    np.testing.assert_allclose(m.theil(x), np.mean(x / mu * np.log(x / mu)), rtol=1e-9, atol=1e-13)
    np.testing.assert_allclose(m.mld(x), -np.mean(np.log(x / mu)), rtol=1e-9, atol=1e-13)
    np.testing.assert_allclose(m.atkinson(x, epsilon=2), 1 - (1 / np.mean(1 / x)) / mu, rtol=1e-9, atol=1e-13)
    z = float(np.median(x))
    np.testing.assert_allclose(m.fgt(x, line=z, alpha=2), np.mean(np.where(x < z, 1 - x / z, 0) ** 2),
                               rtol=1e-12, atol=1e-15)


# --- integer weights equal row duplication ----------------------------------------------

LINE_MEASURES = ["fgt", "watts", "sen", "poverty_gap_money", "headcount", "poverty_gap", "poverty_severity"]


@SETTINGS
@given(int_weighted())
def test_integer_weights_equal_row_duplication(data):
    x, w = data
    xd = np.repeat(x, w.astype(int))
    line = float(np.median(x)) + 0.5
    for name, info in m.MEASURES.items():
        params = dict(info.params)
        if info.needs_line:
            params["line"] = line
        a, b = _outcome(info.function, x, w, params), _outcome(info.function, xd, None, params)
        if isinstance(a, str) or isinstance(b, str):   # undefined on both sides, for the same reason
            assert a == b, name
        else:
            np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-12, err_msg=name)
    for rule in m.QUANTILE_RULES:
        for p in (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0):
            assert m.quantile(x, w, p, rule=rule) == m.quantile(xd, None, p, rule=rule), (rule, p)
    groups_w = m.ntile(x, w, 5)
    groups_d = m.ntile(xd, None, 5)
    # Same value -> same group on both sides.
    lookup = dict(zip(xd.tolist(), groups_d.tolist(), strict=True))
    assert all(lookup[v] == g for v, g in zip(x.tolist(), groups_w.tolist(), strict=True))


def _outcome(fn, x, w, params):
    try:
        return fn(x, w, **params)
    except Sp2lnobError as err:
        return f"{type(err).__name__}: {err.what}"


# --- poverty ------------------------------------------------------------------------------

@SETTINGS
@given(sample(), st.floats(1.0, 120.0), st.floats(0.0, 60.0), st.floats(0.0, 4.0))
def test_fgt_monotone_in_line(data, z, dz, alpha):
    x, w = data
    x = np.where(np.arange(x.size) % 4 == 0, 0.0, x)   # zeros included
    assert m.fgt(x, w, line=z, alpha=alpha) <= m.fgt(x, w, line=z + dz, alpha=alpha) + 1e-12


def test_fgt_with_negative_welfare_is_not_monotone_in_line():
    # Documented caveat (docs/conventions.md): for y < 0 the normalised gap 1 - y/z = 1 + |y|/z
    # falls as z rises. x = -7.5, 2.5: FGT1(z=1) = (1 + 7.5)/2 = 4.25; FGT1(z=2) = (4.75 + 0)/2 = 2.375.
    assert m.fgt([-7.5, 2.5], line=1.0, alpha=1) == 4.25
    assert m.fgt([-7.5, 2.5], line=2.0, alpha=1) == 2.375


@SETTINGS
@given(sample(), st.lists(st.sampled_from("abc"), min_size=40, max_size=40), st.floats(1.0, 120.0),
       st.sampled_from([0.0, 1.0, 2.0, 0.5]))
def test_fgt_decomposition_adds_up(data, labels, z, alpha):
    x, w = data
    g = np.array(labels[: x.size])
    table = m.fgt_decomposition(x, w, g, z, alpha)
    national = m.fgt(x, w, line=z, alpha=alpha)
    np.testing.assert_allclose(table["contribution"].sum(), national, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(table["population_share"].sum(), 1.0, rtol=1e-12)
    by = m.by_group(m.fgt, x, w, g, line=z, alpha=alpha)
    np.testing.assert_allclose(table["fgt"].to_numpy(), by["value"].to_numpy(), rtol=1e-12)
    if national > 0:
        np.testing.assert_allclose(table["contribution_share"].sum(), 1.0, rtol=1e-12)


@SETTINGS
@given(sample(), st.lists(st.sampled_from("abcd"), min_size=40, max_size=40), st.sampled_from([0, 1]))
def test_theil_decomposition_adds_up(data, labels, alpha):
    x, w = data
    g = np.array(labels[: x.size])
    d = m.theil_decomposition(x, w, g, alpha=alpha)
    np.testing.assert_allclose(d.within + d.between, m.generalized_entropy(x, w, alpha), rtol=1e-9, atol=1e-13)
    assert d.between >= -1e-12 and d.within >= -1e-12
    by = m.by_group(m.generalized_entropy, x, w, g, alpha=float(alpha))
    np.testing.assert_allclose(d.table["index"].to_numpy(), by["value"].to_numpy(), rtol=1e-8, atol=1e-12)


# --- shares, Atkinson -------------------------------------------------------------------

@SETTINGS
@given(sample(), st.integers(1, 12))
def test_shares_sum_to_one(data, n):
    x, w = data
    s = m.shares(x, w, n)
    assert s.shape == (n,) and np.all(s >= 0)
    np.testing.assert_allclose(s.sum(), 1.0, rtol=1e-12)


@SETTINGS
@given(sample(), st.floats(0.0, 5.0))
def test_atkinson_in_unit_interval(data, eps):
    x, w = data
    a = m.atkinson(x, w, eps)
    assert -1e-12 <= a <= 1.0


@SETTINGS
@given(sample())
def test_ntile_ties_together_and_ordered(data):
    x, w = data
    g = m.ntile(x, w, 4)
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(g[order]) >= 0)           # groups follow welfare
    for v in np.unique(x):
        assert np.unique(g[x == v]).size == 1        # ties in one group
