"""The packed (welfare, weight) sort: exact order, pairs kept together."""

from __future__ import annotations

import numpy as np
import pytest

from sp2lnob.measures import _sorting


def test_sort_matches_numpy_and_keeps_pairs():
    rng = np.random.default_rng(11)
    x = np.round(rng.normal(100, 40, 30_001))   # ties and negatives
    w = rng.uniform(0.1, 9.0, x.size)
    xs, ws = _sorting.sort_pairs(x, w)
    np.testing.assert_array_equal(xs, np.sort(x))
    # Each weight travelled with its value: compare sorted (value, weight) pairs.
    np.testing.assert_array_equal(np.sort(xs + 1j * ws), np.sort(x + 1j * w))
    assert xs.flags["C_CONTIGUOUS"] and ws.flags["C_CONTIGUOUS"]
    # Keys are unique (row number in the low bits): the same call gives the same order.
    again = _sorting.sort_pairs(x, w)
    np.testing.assert_array_equal(again[1], ws)


def test_near_ties_and_signs_sorted_exactly(monkeypatch):
    # Values that differ only in their lowest mantissa bits share a truncated key
    # and must be put in exact order by the repair step.
    rng = np.random.default_rng(5)
    base = rng.choice([-3.5, -0.0, 0.0, 1e-300, 7.25, 1e6, -1e6], 50_000)
    ulps = rng.integers(0, 2**20, base.size)
    x = np.where(base == 0, base, base + np.sign(base) * ulps * np.spacing(np.abs(base)))
    w = rng.uniform(0.1, 9.0, x.size)
    repaired = []
    original = _sorting._resort_near_ties
    monkeypatch.setattr(_sorting, "_resort_near_ties",
                        lambda *a: (repaired.append(a[3].size), original(*a))[1])
    xs, ws = _sorting.sort_pairs(x, w)
    assert repaired and repaired[0] > 100      # the repair step did run
    np.testing.assert_array_equal(xs, np.sort(x))
    # Each weight travelled with its value: compare sorted (value, weight) pairs.
    pairs_in = np.sort(x + 1j * w)
    pairs_out = np.sort(xs + 1j * ws)
    np.testing.assert_array_equal(pairs_out, pairs_in)


def test_single_row_and_all_ties():
    assert _sorting.sort_pairs(np.array([2.0]), np.array([3.0]))[1].tolist() == [3.0]
    xs, ws = _sorting.sort_pairs(np.full(5, 4.0), np.arange(5.0))
    assert xs.tolist() == [4.0] * 5 and sorted(ws.tolist()) == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_whole_numbers_sort_exactly_without_repair(monkeypatch):
    # Whole-number welfare keeps few significant bits: the compact key and the row
    # number fit in 63 bits, so the sort is exact and the repair step never runs.
    monkeypatch.setattr(_sorting, "_resort_near_ties", lambda *a: pytest.fail("repair ran"))
    rng = np.random.default_rng(8)
    for x in (np.round(rng.lognormal(9, 0.8, 20_000)),
              rng.integers(0, 300, 20_000).astype(float),
              -np.round(rng.lognormal(5, 1, 20_000))):         # all negative
        w = rng.uniform(0.1, 9.0, x.size)
        key, nbits = _sorting.compact_key(x)
        assert nbits + (x.size - 1).bit_length() <= 63
        xs, ws = _sorting.sort_pairs(x, w, (key, nbits))
        np.testing.assert_array_equal(xs, np.sort(x))
        np.testing.assert_array_equal(np.sort(xs + 1j * ws), np.sort(x + 1j * w))
    # Continuous welfare keeps about 56 bits: some key bits are dropped.
    assert _sorting.compact_key(rng.lognormal(9, 0.8, 1000))[1] > 50


def test_binned_gini_equals_sorted_gini(monkeypatch):
    from sp2lnob.measures import gini, inequality

    rng = np.random.default_rng(21)
    for x in (np.round(rng.lognormal(7, 1.2, 60_000)), rng.integers(-50, 400, 60_000).astype(float)):
        w = rng.uniform(0, 9.0, x.size)
        w[:100] = 0.0
        binned = gini(x, w)
        monkeypatch.setattr(inequality, "DENSE_MIN_ROWS", 10**12)
        sorted_ = gini(x, w)
        monkeypatch.undo()
        np.testing.assert_allclose(binned, sorted_, rtol=1e-12)
    # Continuous data has no small dense key: the sort is used.
    assert _sorting.dense_key(rng.lognormal(7, 1.2, 1000), 1 << 16) is None
