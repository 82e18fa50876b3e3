"""The linear-time quantile path (sort only the rows near each quantile) equals the full sort."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sp2lnob.measures as m
from sp2lnob.measures import _windows
from sp2lnob.measures.quantiles import QUANTILE_RULES, sort_by_value

PROBS = np.array([0.0, 0.01, 0.05, 0.1, 0.2, 0.25, 1 / 3, 0.4, 0.5, 0.6, 0.75, 0.8, 0.9, 0.99, 1.0])


def _both(x, w, p, buckets):
    xs, ws, cw = sort_by_value(x, w)
    window = _windows.quantile_window(x, w, p, buckets=buckets)
    assert window is not None
    for rule, fn in QUANTILE_RULES.items():
        yield rule, fn(xs, ws, cw, float(cw[-1]), p), fn(*window, p)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-5, 60), min_size=3, max_size=300),
       st.data(), st.sampled_from([2, 7, 16, 64, 1024]))
def test_integer_weights_identical(values, data, buckets):
    x = np.array(values, dtype=float) * 1.5
    w = np.array(data.draw(st.lists(st.integers(0, 9), min_size=len(values), max_size=len(values))),
                 dtype=float)
    if not np.any(w > 0) or x.min() == x.max():
        return
    for rule, full, windowed in _both(x, w, PROBS, buckets):
        np.testing.assert_array_equal(windowed, full, err_msg=rule)


@pytest.mark.parametrize("buckets", [16, 8192])
def test_continuous_weights_large_sample(buckets):
    rng = np.random.default_rng(7)
    n = 50_000
    x = np.round(rng.lognormal(8, 1.0, n), 0)          # ties
    w = rng.gamma(2.0, 100.0, n)
    w[rng.integers(0, n, 500)] = 0.0                  # some zero weights
    p = np.concatenate((PROBS, rng.uniform(0, 1, 50)))
    for rule, full, windowed in _both(x, w, p, buckets):
        np.testing.assert_allclose(windowed, full, rtol=1e-12, err_msg=rule)


def test_public_functions_use_the_window_above_threshold(monkeypatch):
    rng = np.random.default_rng(3)
    x = np.round(rng.lognormal(8, 1.0, 5_000), 0)
    w = rng.integers(1, 50, 5_000).astype(float)
    before = {rule: m.quantile(x, w, PROBS, rule=rule) for rule in QUANTILE_RULES}
    others = (m.arpr(x, w), m.rmpg(x, w), m.s80_s20(x, w), m.palma(x, w), m.ntile(x, w, 10).tolist())
    calls = []
    original = _windows.quantile_window

    def spy(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr("sp2lnob.measures.quantiles.WINDOW_MIN_ROWS", 10)
    monkeypatch.setattr("sp2lnob.measures.quantiles.quantile_window", spy)
    for rule in QUANTILE_RULES:
        np.testing.assert_array_equal(m.quantile(x, w, PROBS, rule=rule), before[rule])
    assert (m.arpr(x, w), m.rmpg(x, w), m.s80_s20(x, w), m.palma(x, w), m.ntile(x, w, 10).tolist()) == others
    assert calls


def test_constant_data_falls_back_to_full_sort():
    assert _windows.quantile_window(np.full(10, 3.0), np.ones(10), PROBS) is None
