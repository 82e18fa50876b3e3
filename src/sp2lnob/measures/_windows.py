"""Weighted quantiles in linear time: sort only the rows near each quantile.

A quantile rule only looks at the rows whose cumulative weight is near ``pW``
and at their neighbours. So instead of sorting all ``n`` rows:

1. cut the welfare range into ``B`` equal-width buckets; the bucket index
   ``floor((x - min) * B / (max - min))`` is non-decreasing in ``x`` (IEEE
   subtraction and multiplication by a positive constant are monotone), so
   buckets are ordered value ranges and tied rows share a bucket;
2. sum the weight of each bucket (``bincount``) and find, for each ``p``, the
   bucket(s) where the cumulative weight crosses ``pW``;
3. keep those buckets plus the nearest non-empty bucket on each side (the
   neighbours that the ``math``/``school`` "next row" and the ``interpolated``
   rule may need), sort only these rows, and give each kept row its true
   cumulative weight = weight of all earlier buckets + cumulative weight within
   its bucket.

The rules then run unchanged on this short sorted window. Cost: two passes over
the data plus a sort of the window (typically well under 1 % of the rows).
Cumulative weights are summed in a different order than a full ``cumsum``, so
they can differ in the last bits for non-integer weights; with integer weights
(exact sums) the results are identical. ``tests/measures/test_windows.py``
checks agreement with the full sort.
"""

from __future__ import annotations

import numpy as np

from sp2lnob.measures._sorting import sort_pairs

WINDOW_MIN_ROWS = 100_000   # below this a full sort is as fast
BUCKETS = 8192
_SLACK = 1e-9               # relative margin around pW: rounding in bucket vs row sums


def quantile_window(
    x: np.ndarray, w: np.ndarray, p: np.ndarray, buckets: int = BUCKETS
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float] | None:
    """``(xs, ws, cw, W)`` for the rows needed to evaluate quantiles at ``p``, or ``None``.

    ``None`` means "sort everything instead" (constant data, or a range too wide
    for the bucket arithmetic).
    """
    lo, hi = float(x.min()), float(x.max())
    scale = buckets / (hi - lo) if hi > lo else np.inf
    if not np.isfinite(scale) or not np.isfinite(hi - lo):
        return None
    idx = bucket_index(x, lo, scale, buckets)
    bucket_w = np.bincount(idx, weights=w, minlength=buckets)
    keep = window_buckets(bucket_w, p)
    rows = keep[idx] & (w > 0)
    xs, ws = sort_pairs(x[rows], w[rows])
    b_sorted = bucket_index(xs, lo, scale, buckets)
    return xs, ws, window_cumulative(ws, b_sorted, bucket_w), float(np.cumsum(bucket_w)[-1])


def window_buckets(bucket_w: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The buckets (bool mask) whose rows a quantile at each ``p`` can need: where the
    cumulative weight crosses ``pW`` and the nearest non-empty bucket on each side."""
    buckets = bucket_w.size
    cum = np.cumsum(bucket_w)
    total = float(cum[-1])
    nonempty = np.flatnonzero(bucket_w > 0)
    target = p * total
    first = np.searchsorted(cum, target * (1 - _SLACK), side="left")
    last = np.minimum(np.searchsorted(cum, target * (1 + _SLACK), side="left"), buckets - 1)
    i_first = np.maximum(np.searchsorted(nonempty, first, side="left") - 1, 0)
    i_last = np.minimum(np.searchsorted(nonempty, last, side="right"), nonempty.size - 1)
    keep = np.zeros(buckets, dtype=bool)
    for a, b in zip(i_first.tolist(), i_last.tolist(), strict=True):  # one range per p
        keep[nonempty[a]: nonempty[b] + 1] = True
    return keep


def window_cumulative(ws: np.ndarray, b_sorted: np.ndarray, bucket_w: np.ndarray) -> np.ndarray:
    """True cumulative weight of sorted window rows (``b_sorted`` their buckets): the
    weight of all earlier buckets + the running sum inside the row's bucket."""
    running = np.cumsum(ws)
    new_bucket = np.empty(ws.size, dtype=bool)
    new_bucket[0] = True
    np.not_equal(b_sorted[1:], b_sorted[:-1], out=new_bucket[1:])
    starts = np.flatnonzero(new_bucket)
    before_start = np.concatenate(([0.0], running[starts[1:] - 1]))
    lengths = np.diff(np.concatenate((starts, [ws.size])))
    within = running - np.repeat(before_start, lengths)
    return (np.cumsum(bucket_w) - bucket_w)[b_sorted] + within


def bucket_index(x: np.ndarray, lo: float, scale: float, buckets: int) -> np.ndarray:
    """Equal-width bucket of each value, non-decreasing in ``x``."""
    idx = ((x - lo) * scale).astype(np.int64)
    np.minimum(idx, buckets - 1, out=idx)
    return idx
