"""Sorting welfare together with its weights, fast.

Every rank-based measure needs the rows in welfare order with their weights.
``argsort`` of float64 is slow on large arrays. Two faster exact routes:

**Few significant bits (e.g. whole-number incomes): radix sort.** The float64
welfare is mapped to an order-preserving uint64; subtracting the minimum and
dropping the trailing zero bits common to all values leaves, for whole-number
or coarsely rounded data, at most 32 significant bits. Then two stable 16-bit
passes (NumPy's ``argsort(kind="stable")`` is a linear-time radix sort for
16-bit keys), least significant digit first, give the order: the same idea as
R's radix ``order()`` skipping constant bits.

**Otherwise: one SIMD int64 sort.** NumPy's plain ``sort`` of 64-bit
integers is vectorised, so each row gets one int64 key:

* the float64 welfare mapped to an int64 with the same order (flip the
  magnitude bits of negative numbers), its lowest ``s`` bits then replaced by
* the row number (``s = bit length of n - 1``).

Sorting the keys orders rows by welfare up to its lowest ``s`` bits (a
relative precision of about ``2^(s - 52)``); the row numbers in the low bits
then fetch the exact values and weights. Rows whose welfare differs only in
those dropped bits can come out of order: they are found (any descent in the
fetched values) and re-sorted exactly, group by group. Tied rows may come out
in any order: no measure here depends on the order of tied rows.

Large inputs are sorted in chunks on a few threads (NumPy releases the GIL
while sorting) and the sorted runs merged by one stable pass. The result does
not depend on the number of threads.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np

PARALLEL_MIN_ROWS = 200_000   # below this, thread hand-off costs more than it saves
MAX_THREADS = 8
RADIX_MAX_BITS = 32           # two 16-bit passes
_MAGNITUDE = np.int64(0x7FFF_FFFF_FFFF_FFFF)


@cache
def _pool(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sp2lnob-sort")


def _threads() -> int:
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        available = os.cpu_count() or 1
    return max(1, min(MAX_THREADS, available))


def sort_pairs(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(x, w)`` reordered by increasing ``x`` (new contiguous float64 arrays)."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    if x.size > 1:
        digits = _radix_digits(x)
        if digits is not None:
            perm = np.argsort(digits[0], kind="stable")
            if len(digits) > 1:
                perm = perm[np.argsort(digits[1][perm], kind="stable")]
            return x[perm], w[perm]
    return _sort_by_keys(x, w)


def compact_key(x: np.ndarray) -> tuple[np.ndarray, int]:
    """An order-preserving uint64 key of float64 ``x``, shifted to start at 0 and stripped
    of the trailing zero bits all values share, and the key's bit length.

    Equal keys <=> equal values (-0.0 and +0.0 aside, which differ by one and
    compare equal as floats). For whole-number data the key is small.
    """
    bits = x.view(np.uint64)
    negative = (bits >> np.uint64(63)).astype(bool)
    # Flip all bits of negatives, only the sign bit of the rest: uint64 order == float order.
    key = bits ^ np.where(negative, np.uint64(0xFFFF_FFFF_FFFF_FFFF), np.uint64(1 << 63))
    key -= key.min()
    spread = int(np.bitwise_or.reduce(key))
    if spread == 0:
        return key, 0
    trailing = (spread & -spread).bit_length() - 1
    key >>= np.uint64(trailing)
    return key, (spread >> trailing).bit_length()


def dense_key(x: np.ndarray, max_bins: int) -> tuple[np.ndarray, int] | None:
    """``(key, n_bins)`` with ``key`` in ``0..n_bins-1`` (one bin per distinct value and
    possibly empty bins between), when the key range fits in ``max_bins``; else None."""
    key, _ = compact_key(x)
    top = int(key.max())
    if top >= max_bins:
        return None
    return key.astype(np.intp), top + 1


def _radix_digits(x: np.ndarray) -> list[np.ndarray] | None:
    """The 16-bit digits (least significant first) of :func:`compact_key`, or None if > 32 bits."""
    key, nbits = compact_key(x)
    if nbits > RADIX_MAX_BITS:
        return None
    low = (key & np.uint64(0xFFFF)).astype(np.uint16)
    if nbits <= 16:
        return [low]
    return [low, (key >> np.uint64(16)).astype(np.uint16)]


def _sort_by_keys(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = x.size
    shift = max(1, (n - 1).bit_length())
    bits = x.view(np.int64)
    key = bits ^ ((bits >> 63) & _MAGNITUDE)     # int64 order == float order
    key >>= shift
    key <<= shift
    key |= np.arange(n, dtype=np.int64)
    _sort_inplace(key)
    row = key & np.int64((1 << shift) - 1)
    xs = x[row]
    ws = w[row]
    descents = np.flatnonzero(xs[1:] < xs[:-1])
    if descents.size:
        _resort_near_ties(xs, ws, key >> shift, descents)
    return xs, ws


def _sort_inplace(key: np.ndarray) -> None:
    k = _threads()
    if key.size >= PARALLEL_MIN_ROWS and k > 1:
        bounds = np.linspace(0, key.size, k + 1).astype(np.int64)
        chunks = [key[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        list(_pool(k).map(np.ndarray.sort, chunks))
        key.sort(kind="stable")   # merges the k sorted runs
    else:
        key.sort()


def _resort_near_ties(xs: np.ndarray, ws: np.ndarray, prefix: np.ndarray, descents: np.ndarray) -> None:
    """Sort exactly, in place, each run of equal key prefix that contains a descent."""
    groups = np.unique(prefix[descents])
    starts = np.searchsorted(prefix, groups, side="left")
    ends = np.searchsorted(prefix, groups, side="right")
    lengths = ends - starts
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    rows = np.arange(lengths.sum()) + np.repeat(starts - offsets, lengths)
    order = np.lexsort((xs[rows], np.repeat(np.arange(groups.size), lengths)))
    xs[rows] = xs[rows][order]
    ws[rows] = ws[rows][order]
