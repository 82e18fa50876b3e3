"""Invariants (hypothesis) on random data and random trees.

* zero transfer → zero change, in both modes;
* faithful mode: the furthest-behind group's access never falls when consumption only rises (its
  leaf has the lowest rate, so any move goes to a leaf with a rate at least as high);
* faithful mode: when access is a non-decreasing function of consumption and consumption is the
  only circumstance, no one's access falls (the leaves are intervals whose rates then increase);
* smooth mode: when the fitted effect of consumption is monotone, no one's access falls.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sp2lnob.impact.faithful import faithful_impact
from sp2lnob.impact.prepare import fit_indicator
from sp2lnob.impact.smooth import fit_smooth, smooth_indicator_impact
from sp2lnob.impact.spec import MoneyCircumstance
from sp2lnob.opportunity.analysis import CircumstanceData

PARAMS = {"min_bucket": 8, "min_share": None, "cp": 0.005, "max_depth": 4}
MONEY = [MoneyCircumstance("consumption", "continuous")]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _world(seed: int, n: int, with_others: bool = True):
    rng = np.random.default_rng(seed)
    c = np.exp(rng.normal(10, 0.6, n)).round(0)
    z = rng.integers(0, 3, n)
    u = rng.integers(0, 2, n)
    eta = -0.5 + 1.2 * (np.log(c) - 10) + (0.7 * (z == 2) - 0.5 * u if with_others else 0)
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    if y.min() == y.max():
        y[0] = 1 - y[0]
    w = rng.uniform(0.5, 2.0, n)
    circs = [CircumstanceData("consumption", c, kind="continuous")]
    if with_others:
        circs += [CircumstanceData("region", z, kind="unordered"), CircumstanceData("urban", u, kind="unordered")]
    return rng, c, y, w, circs


@given(seed=st.integers(0, 10**6), n=st.integers(120, 600))
@SETTINGS
def test_zero_transfer_zero_change(seed, n):
    _, c, y, w, circs = _world(seed, n)
    fi = fit_indicator("x", y, w, circs, MONEY, tree_params=PARAMS)
    np.testing.assert_array_equal(fi.tree.apply(fi.features), fi.leaf_pre)   # re-routing = fitted leaves
    res = faithful_impact(fi, c.copy(), None)
    assert res.groups["change"].abs().max() == 0.0
    assert res.national_post == res.national_pre and res.d_post == res.d_pre
    fit = fit_smooth(fi, c)
    sm = smooth_indicator_impact(fi, fit, c, c.copy())
    assert sm.groups["change"].abs().max() == 0.0
    assert sm.national_post == sm.national_pre


@given(seed=st.integers(0, 10**6), n=st.integers(120, 600), scale=st.floats(0.0, 2.0))
@SETTINGS
def test_furthest_behind_never_falls(seed, n, scale):
    rng, c, y, w, circs = _world(seed, n)
    fi = fit_indicator("x", y, w, circs, MONEY, tree_params=PARAMS)
    transfer = rng.exponential(scale * c.mean(), n) * (rng.random(n) < 0.5)
    res = faithful_impact(fi, c + transfer, None)
    assert res.groups["change"][0] >= 0.0


@given(seed=st.integers(0, 10**6), n=st.integers(120, 600), scale=st.floats(0.0, 2.0))
@SETTINGS
def test_monotone_access_never_falls_for_anyone(seed, n, scale):
    rng, c, _, w, circs = _world(seed, n, with_others=False)
    cut = np.quantile(c, rng.uniform(0.2, 0.8))
    y = (c >= cut).astype(float)       # access rises with consumption, deterministically
    fi = fit_indicator("x", y, w, circs, MONEY, tree_params=PARAMS)
    transfer = rng.exponential(scale * c.mean(), n) * (rng.random(n) < 0.5)
    res = faithful_impact(fi, c + transfer, None)
    assert res.share_falling == 0.0
    assert (res.groups["change"] >= 0).all()
    assert res.national_post >= res.national_pre


@given(seed=st.integers(0, 10**6), n=st.integers(200, 600), scale=st.floats(0.0, 2.0))
@SETTINGS
def test_smooth_monotone_fit_never_lowers_access(seed, n, scale):
    rng, c, y, w, circs = _world(seed, n)
    fi = fit_indicator("x", y, w, circs, MONEY, tree_params=PARAMS)
    fit = fit_smooth(fi, c)
    transfer = rng.exponential(scale * c.mean(), n) * (rng.random(n) < 0.5)
    post = c + transfer
    res = smooth_indicator_impact(fi, fit, c, post)
    if res.details["monotone_in_consumption"]:
        assert res.share_falling == 0.0
        assert (res.groups["change"] >= -1e-15).all()
