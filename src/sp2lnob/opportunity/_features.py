"""Turning a feature matrix (NumPy, Polars or pandas) into per-feature integer codes.

Every feature is coded once, before the tree is grown, as indices into its
sorted distinct values (``np.unique``): continuous and ordered features keep
their numeric values for thresholds; unordered ones keep their levels in the
order R's ``factor()`` gives them (sorted), which is the order rpart uses to
break ties between categories with equal means.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, InputError, did_you_mean


@dataclass(frozen=True, eq=False)
class FeatureCoding:
    name: str
    unordered: bool
    values: np.ndarray      # sorted distinct values (levels for unordered features)


def columns_of(X: Any) -> tuple[list[str], list[pl.Series]]:
    """Names and columns (Polars Series) of ``X``: a Polars/pandas DataFrame or a 2-D array."""
    if isinstance(X, pl.DataFrame):
        return list(X.columns), X.get_columns()
    if hasattr(X, "columns") and hasattr(X, "iloc"):  # pandas
        return [str(c) for c in X.columns], [_series(str(c), X[c].to_numpy()) for c in X.columns]
    arr = np.asarray(X)
    if arr.ndim != 2:
        raise InputError("X must be two-dimensional (rows × features)", got=f"shape {arr.shape}")
    return [f"x{j}" for j in range(arr.shape[1])], [_series(f"x{j}", arr[:, j]) for j in range(arr.shape[1])]


def _series(name: str, a: np.ndarray) -> pl.Series:
    if a.dtype.kind == "O":  # e.g. a mixed NumPy matrix: numbers stay numbers, the rest text
        try:
            num = a.astype(np.float64)
        except (TypeError, ValueError):
            return pl.Series(name, a.astype(str))
        whole = np.isfinite(num) & (num == np.round(num))
        return pl.Series(name, num.astype(np.int64) if whole.all() else num)
    return pl.Series(name, a)


def _is_numeric(s: pl.Series) -> bool:
    return s.dtype.is_numeric() or s.dtype == pl.Boolean


def _n_missing(s: pl.Series) -> int:
    n = s.null_count()
    if s.dtype.is_float():
        n += int(s.is_nan().sum())
    return n


def resolve_unordered(
    names: list[str], columns: list[pl.Series], categorical_features: Sequence[Any] | str | None
) -> list[bool]:
    """Which features are unordered categorical: ``"auto"``/None = the non-numeric ones."""
    if categorical_features is None or (isinstance(categorical_features, str) and categorical_features == "auto"):
        return [not _is_numeric(s) for s in columns]
    if isinstance(categorical_features, str):
        categorical_features = [categorical_features]
    flags = [False] * len(names)
    for item in categorical_features:
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            if not 0 <= int(item) < len(names):
                raise InputError("categorical feature index out of range", expected=f"0..{len(names) - 1}", got=item)
            flags[int(item)] = True
        elif item in names:
            flags[names.index(item)] = True
        else:
            raise InputError(
                f"categorical feature {item!r} is not a column of X",
                where="categorical_features",
                got=item,
                hint=did_you_mean(str(item), names),
            )
    return flags


def _dense_codes(s: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values and the code (index into them) of every row, in O(n) where possible."""
    if s.dtype.is_integer():
        a = s.to_numpy()
        lo, hi = int(a.min()), int(a.max())
        if hi - lo < 1_000_000:  # small range: a lookup table instead of a sort
            shifted = (a - lo).astype(np.int64)
            present = np.bincount(shifted, minlength=hi - lo + 1) > 0
            lut = np.cumsum(present) - 1
            return np.flatnonzero(present) + lo, lut[shifted]
    values = s.unique().sort()
    if s.dtype == pl.String and values.len() <= 100_000:
        codes = s.cast(pl.Enum(values.to_list())).to_physical()   # the Enum's codes follow the sorted levels
    elif values.len() <= 10_000:
        codes = s.replace_strict(values, pl.int_range(values.len(), eager=True), return_dtype=pl.Int64)
    else:
        codes = s.rank("dense").cast(pl.Int64) - 1
    return values.to_numpy(), codes.to_numpy()


def code_features(
    names: list[str], columns: list[pl.Series], unordered: list[bool]
) -> tuple[list[FeatureCoding], list[np.ndarray]]:
    """Sorted distinct values and integer codes of every feature; missing values are an error."""
    codings: list[FeatureCoding] = []
    codes: list[np.ndarray] = []
    for name, s, is_cat in zip(names, columns, unordered, strict=True):
        n_missing = _n_missing(s)
        if n_missing:
            raise DataError(
                f"feature {name!r} has missing values",
                where=name,
                got=f"{n_missing} of {s.len()} rows",
                hint="drop or code missing circumstances before fitting (the spec layer reports them)",
            )
        if s.dtype == pl.Boolean:
            s = s.cast(pl.Int8)
        if not is_cat and not _is_numeric(s):
            raise DataError(
                f"feature {name!r} is not numeric but is not declared unordered",
                where=name,
                got=str(s.dtype),
                hint="declare it in categorical_features, or code an ordered feature as integers",
            )
        if not is_cat and s.dtype.is_float() and not bool(s.is_finite().all()):
            raise DataError(f"feature {name!r} has infinite values", where=name)
        if s.dtype in (pl.Categorical, pl.Enum):
            s = s.cast(pl.String)
        values, inverse = _dense_codes(s)
        if not is_cat:
            values = values.astype(float)
        codings.append(FeatureCoding(name=name, unordered=is_cat, values=values))
        codes.append(np.ascontiguousarray(inverse, dtype=np.int64))
    return codings, codes


def code_new(coding: FeatureCoding, s: pl.Series) -> np.ndarray:
    """Codes of new data for a fitted feature: continuous → the value itself (float);
    unordered → index into the training levels, −1 for a level never seen."""
    if s.dtype == pl.Boolean:
        s = s.cast(pl.Int8)
    if not coding.unordered:
        return s.cast(pl.Float64).to_numpy()
    if s.dtype in (pl.Categorical, pl.Enum):
        s = s.cast(pl.String)
    levels = pl.Series(coding.values)
    try:
        s = s.cast(levels.dtype)
    except pl.exceptions.PolarsError:
        return np.full(s.len(), -1, dtype=np.int64)
    codes = s.replace_strict(levels, pl.int_range(levels.len(), eager=True), default=-1, return_dtype=pl.Int64)
    return codes.fill_null(-1).to_numpy()
