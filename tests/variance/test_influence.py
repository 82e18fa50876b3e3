"""Influence functions are the derivatives of the measures in sp2lnob.measures.

For measures that are smooth in the weights (for a fixed ordering of rows), the
influence value of row i must equal the numerical derivative of the point
estimate from ``sp2lnob.measures`` with respect to w_i; this ties each IF to the
exact definition the measures module uses. All IFs must satisfy sum w z = 0.
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.variance.variance_samples import cluster_sample

from sp2lnob.variance import ESTIMATORS
from sp2lnob.variance.influence import kernel_density

Y, DESIGN = cluster_sample(4, 5, 12, seed=11)  # 240 rows
W = DESIGN.weights

SMOOTH = {
    "mean": {}, "total": {}, "gini": {}, "theil": {}, "mld": {},
    "generalized_entropy": {"alpha": 2.0}, "atkinson": {"epsilon": 0.5},
    "fgt": {"line": 3000.0, "alpha": 2.0}, "watts": {"line": 3000.0},
    "ratio": {"denominator": Y**0.9 + 100.0},
}


def _numeric_derivative(name, params, rows):
    est = ESTIMATORS[name]
    p = est.resolve(params)
    out = []
    for i in rows:
        h = 1e-4 * W[i]
        up, down = W.copy(), W.copy()
        up[i] += h
        down[i] -= h
        out.append((est.point(Y, up, p) - est.point(Y, down, p)) / (2 * h))
    return np.array(out)


@pytest.mark.parametrize("name", sorted(SMOOTH))
def test_influence_is_the_derivative_of_the_measure(name):
    est = ESTIMATORS[name]
    p = est.resolve(SMOOTH[name])
    theta = est.point(Y, W, p)
    z = est.influence(Y, W, theta, p)
    rows = np.arange(0, Y.size, 17)
    num = _numeric_derivative(name, SMOOTH[name], rows)
    np.testing.assert_allclose(z[rows], num, rtol=1e-5, atol=1e-9 * np.abs(num).max())


PARAMS = {
    **SMOOTH, "quantile": {"p": 0.3}, "median": {}, "fgt": {"line": 3000.0},
    "fgt_relative": {"alpha": 1.0}, "arpr": {}, "palma": {}, "s80_s20": {},
}


@pytest.mark.parametrize(
    "name", sorted(n for n, e in ESTIMATORS.items() if e.influence is not None and n != "total"))
def test_weighted_influence_sums_to_zero(name):
    est = ESTIMATORS[name]
    p = est.resolve(PARAMS.get(name, {}))
    theta = est.point(Y, W, p)
    z = est.influence(Y, W, theta, p)
    scale = np.sqrt(np.dot(W, z * z) / W.sum())
    # exact (centred at the sample CDF for quantile-based measures), up to rounding
    tol = 1e-9
    assert abs(np.dot(W, z)) / (W.sum() * scale) < tol


def test_every_estimator_documents_its_formula():
    for name, est in ESTIMATORS.items():
        assert est.formula, name
        assert est.name == name


def test_gini_influence_does_not_depend_on_order_of_ties():
    y = np.array([1.0, 2.0, 2.0, 2.0, 5.0, 9.0])
    w = np.array([1.0, 2.0, 3.0, 1.0, 1.0, 2.0])
    est = ESTIMATORS["gini"]
    g = est.point(y, w, {})
    z = est.influence(y, w, g, {})
    perm = np.array([0, 3, 1, 2, 5, 4])
    z2 = est.influence(y[perm], w[perm], g, {})
    np.testing.assert_allclose(z2, z[perm], rtol=1e-12)
    assert abs(np.dot(w, z)) < 1e-12


def test_kernel_density_of_a_normal_sample():
    rng = np.random.default_rng(3)
    y = rng.normal(0.0, 1.0, 200_000)
    f0 = kernel_density(y, np.ones_like(y), 0.0)
    # N(0,1) density at 0 is 0.39894; kernel bias ~ h^2/2 f''(0), h ~ 0.09 here
    assert f0 == pytest.approx(1 / np.sqrt(2 * np.pi), rel=0.01)
