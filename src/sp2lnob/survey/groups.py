"""Household grouping on integer codes: NumPy column operations, no Python loop over rows.

Household codes are dense integers 0..H-1, in sorted household-id order.
Sums, "any" and first rows per household use ``np.bincount`` and ``ufunc.at``,
which are O(n) and single-threaded (predictable on shared machines, unlike
hash group-bys).
"""

from __future__ import annotations

import numpy as np
import polars as pl


def household_codes(ids: pl.Series) -> np.ndarray:
    """Dense codes 0..H-1 of household ids (sorted order). O(n) when the file is sorted by id."""
    if ids.dtype.is_numeric() and ids.null_count() == 0:
        values = ids.to_numpy()
        if values.size == 0 or bool(np.all(values[1:] >= values[:-1])):
            change = np.empty(values.size, dtype=bool)
            change[:1] = False
            np.not_equal(values[1:], values[:-1], out=change[1:])
            return np.cumsum(change, dtype=np.int64)
    return (ids.rank("dense").cast(pl.Int64) - 1).to_numpy()


def dense_codes(column: pl.Series) -> np.ndarray:
    """Dense codes 0..K-1 of any column's values (sorted order).

    Integer-valued numbers in a compact range use a lookup table (O(n + range));
    other columns a dense rank.
    """
    if column.dtype.is_integer() and column.null_count() == 0 and column.len() > 0:
        values = column.to_numpy().astype(np.int64)
        low = int(values.min())
        span = int(values.max()) - low + 1
        if span <= 4 * values.size + 1024:
            shifted = values - low
            present = np.bincount(shifted, minlength=span) > 0
            return (np.cumsum(present) - 1)[shifted]
    if column.len() > 0 and column.dtype.is_numeric() and column.null_count() == 0:
        sorted_check = column.to_numpy()
        if bool(np.all(sorted_check[1:] >= sorted_check[:-1])):
            return household_codes(column)
    return (column.rank("dense").cast(pl.Int64) - 1).to_numpy()


def first_rows(codes: np.ndarray) -> np.ndarray:
    """Index of each household's first row (length H)."""
    n_groups = int(codes.max()) + 1 if codes.size else 0
    first = np.full(n_groups, codes.size, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(codes.size, dtype=np.int64))
    return first


def group_sum(codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per row: the sum of ``values`` over the row's household."""
    return np.bincount(codes, weights=np.asarray(values, dtype=float))[codes]


def group_any(codes: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per row: is ``mask`` true for any member of the row's household?"""
    return np.bincount(codes, weights=np.asarray(mask, dtype=float))[codes] > 0


def varying_households(column: pl.Series, codes: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Codes of households whose members do not all share the first member's value
    (a missing value differs from a present one)."""
    reference = column.gather(first[codes])
    differs = column.ne_missing(reference).to_numpy()
    return np.unique(codes[differs]) if differs.any() else np.empty(0, dtype=np.int64)
