"""Invariants of design-based standard errors (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sp2lnob.survey.design import Design
from sp2lnob.variance import estimate


@st.composite
def samples(draw):
    n_strata = draw(st.integers(1, 4))
    psu_per = draw(st.integers(2, 5))
    rows = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    psu = np.repeat(np.arange(n_strata * psu_per), rows)
    y = np.exp(rng.normal(8, 1, psu.size))
    w = rng.uniform(0.5, 5.0, psu.size)
    return y, Design(weights=w, strata=psu // psu_per, psu=psu)


MEASURES = [("mean", {}), ("fgt", {"alpha": 0.0}), ("fgt", {"alpha": 1.0}), ("gini", {}),
            ("atkinson", {"epsilon": 0.5}), ("palma", {})]


@settings(max_examples=60, deadline=None)
@given(samples(), st.sampled_from(MEASURES))
def test_se_is_non_negative_and_finite(sample, case):
    y, d = sample
    name, params = case
    if name == "fgt":
        params = {**params, "line": float(np.median(y))}
    e = estimate(name, y, d, **params)
    assert e.se >= 0 and np.isfinite(e.se)
    assert e.ci_low <= e.estimate <= e.ci_high


@settings(max_examples=50, deadline=None)
@given(samples(), st.floats(0.01, 1000.0), st.sampled_from(["mean", "fgt", "gini"]))
def test_scaling_weights_leaves_se_unchanged(sample, c, name):
    y, d = sample
    params = {"line": float(np.median(y)), "alpha": 1.0} if name == "fgt" else {}
    scaled = Design(weights=d.weights * c, strata=d.strata, psu=d.psu)
    for method in ("linearization", "bootstrap"):
        a = estimate(name, y, d, method=method, replicates=20, seed=1, **params)
        b = estimate(name, y, scaled, method=method, replicates=20, seed=1, **params)
        assert b.se == pytest.approx(a.se, rel=1e-9, abs=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=60))
def test_srs_unit_weights_gives_textbook_se(values):
    """R svymean on svydesign(ids=~1, weights=1): V = n/(n-1) sum ((y - ybar)/n)^2 = s^2/n."""
    y = np.asarray(values)
    e = estimate("mean", y, Design(weights=np.ones(y.size)))
    assert e.se == pytest.approx(y.std(ddof=1) / np.sqrt(y.size), rel=1e-9, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(samples())
def test_domain_of_everything_equals_no_domain(sample):
    y, d = sample
    a = estimate("gini", y, d)
    b = estimate("gini", y, d, domain=np.ones(y.size, dtype=bool))
    assert a.se == pytest.approx(b.se, rel=1e-12)


def test_woodruff_interval_outside_unit_interval_gives_nan_like_r():
    """R survey returns NaN for a Woodruff bound whose probability leaves [0, 1] (tiny samples)."""
    y = np.array([4211.5, 6779.2, 4148.2, 809.8])
    d = Design(weights=np.array([1.9, 2.4, 4.2, 2.3]), strata=np.zeros(4), psu=np.array([0, 0, 1, 1]))
    e = estimate("median", y, d)
    assert np.isnan(e.se) and e.df == 1
    assert np.isfinite(e.estimate)
