"""Smooth mode (extension): the spline logit against R, elasticities, bootstrap."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from sp2lnob.errors import InputError
from sp2lnob.impact.prepare import fit_indicator
from sp2lnob.impact.smooth import fit_smooth, rcs_basis, smooth_indicator_impact
from sp2lnob.impact.spec import MoneyCircumstance
from sp2lnob.opportunity.analysis import CircumstanceData
from sp2lnob.opportunity.dindex import design_matrix, logistic, weighted_logit

GOLDEN = Path(__file__).parent / "golden"


def test_spline_logit_matches_r_glm_with_natural_splines():
    """Golden: ``smooth_glm_ns.R`` (R glm, quasibinomial, weights, ``splines::ns`` with the same knots).
    Same function space, so fitted probabilities and d eta/dx agree."""
    df = pl.read_csv(GOLDEN / "smooth_glm_ns.csv")
    knots = pl.read_csv(GOLDEN / "smooth_glm_ns_knots.csv")["knot"].to_numpy()
    z = np.unique(df["z"].to_numpy(), return_inverse=True)[1]
    other = design_matrix([z], [None])
    basis, deriv = rcs_basis(df["x"].to_numpy(), knots)
    X = np.column_stack([other, basis])
    beta, converged, _ = weighted_logit(X, df["y"].to_numpy().astype(float), df["w"].to_numpy())
    assert converged
    np.testing.assert_allclose(logistic(X @ beta), df["p"].to_numpy(), rtol=1e-7, atol=1e-9)
    slope = deriv @ beta[other.shape[1]:]
    np.testing.assert_allclose(slope, df["slope"].to_numpy(), rtol=1e-5, atol=1e-6)


def test_basis_is_linear_beyond_the_outer_knots():
    knots = np.array([0.0, 1.0, 2.0, 4.0])
    x = np.array([5.0, 6.0, 7.0, -3.0, -2.0, -1.0])
    b, d = rcs_basis(x, knots)
    np.testing.assert_allclose(np.diff(b[:3], axis=0, n=2), 0.0, atol=1e-12)
    np.testing.assert_allclose(b[3:, 1:], 0.0)
    np.testing.assert_allclose(d[0], d[1])


def _fitted(seed=3, n=800):
    rng = np.random.default_rng(seed)
    c = np.exp(rng.normal(10, 0.5, n))
    z = rng.integers(0, 3, n)
    y = (rng.random(n) < logistic(-1 + 1.5 * (np.log(c) - 10) + 0.5 * (z == 1))).astype(float)
    w = rng.uniform(1, 3, n)
    circs = [CircumstanceData("consumption", c, kind="continuous"), CircumstanceData("z", z, kind="unordered")]
    fi = fit_indicator("x", y, w, circs, [MoneyCircumstance("consumption", "continuous")],
                       tree_params={"min_bucket": 20, "min_share": None})
    return fi, c, rng


def test_elasticity_is_the_derivative_of_group_access():
    """E_g ≈ (access_g(c · 1.001) − access_g(c)) / (model access_g · log 1.001)."""
    fi, c, _ = _fitted()
    fit = fit_smooth(fi, c)
    h = 1e-4
    res = smooth_indicator_impact(fi, fit, c, c * np.exp(h))
    approx = (res.groups["change"] / res.groups["model_pre"] / h).to_numpy()
    np.testing.assert_allclose(res.groups["elasticity"].to_numpy(), approx, rtol=2e-3)


def test_bootstrap_is_seeded_and_recorded():
    from sp2lnob.survey.design import Design

    fi, c, _ = _fitted()
    n = c.shape[0]
    design = Design(weights=np.ones(n), strata=np.repeat(np.arange(4), n // 4), psu=np.arange(n) // 10)
    fit = fit_smooth(fi, c)
    post = c * 1.2
    a = smooth_indicator_impact(fi, fit, c, post, design=design, replicates=20, seed=7)
    b = smooth_indicator_impact(fi, fit, c, post, design=design, replicates=20, seed=7)
    d = smooth_indicator_impact(fi, fit, c, post, design=design, replicates=20, seed=8)
    assert a.details["bootstrap"] == {"replicates": 20, "seed": 7, "source": a.details["bootstrap"]["source"]}
    np.testing.assert_array_equal(a.groups["se_change"].to_numpy(), b.groups["se_change"].to_numpy())
    assert not np.array_equal(a.groups["se_change"].to_numpy(), d.groups["se_change"].to_numpy())
    assert (a.groups["se_change"] > 0).all() and a.national_se > 0
    assert "se_change" in a.to_frame().columns


def test_bootstrap_needs_a_design():
    fi, c, _ = _fitted()
    with pytest.raises(InputError):
        smooth_indicator_impact(fi, fit_smooth(fi, c), c, c, replicates=5)


def test_knots_are_checked():
    fi, c, _ = _fitted()
    with pytest.raises(InputError):
        fit_smooth(fi, c, knots=7)


def test_monotone_check_agrees_with_a_dense_grid():
    """The exact piecewise-quadratic check against s' evaluated on 200,001 points, for random splines."""
    from sp2lnob.impact.smooth import SmoothFit

    rng = np.random.default_rng(11)
    knots = np.array([0.0, 0.7, 1.5, 3.0])
    grid = np.linspace(-0.5, 3.5, 200_001)
    d = rcs_basis(grid, knots)[1]
    seen = set()
    for _ in range(300):
        beta = np.concatenate([[0.0], rng.normal(0, 1, 3)])
        fit = SmoothFit(knots=knots, floor=1.0, beta=beta, other=np.ones((1, 1)), x_pre=np.zeros(1),
                        converged=True)
        slope = d @ beta[1:]
        if abs(slope.min()) < 1e-6:      # a tie at zero: either answer is right
            continue
        dense = bool(slope.min() >= 0)
        assert fit.is_monotone(-0.5, 3.5) == dense
        seen.add(dense)
    assert seen == {True, False}
