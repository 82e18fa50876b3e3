"""Input checks shared by every measure: convert once to float64, refuse bad data.

Every public measure calls :func:`as_arrays` first, so NaN, negative weights,
length mismatches and non-numeric columns fail the same way everywhere, with a
structured :class:`~sp2lnob.errors.DataError` (count of offending rows and a hint).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sp2lnob.errors import DataError, InputError

_IS_TEXT = np.frompyfunc(lambda v: isinstance(v, (str, bytes)), 1, 1)


def to_float_array(obj: Any, *, name: str, where: str) -> np.ndarray:
    """A 1-D float64 NumPy array from a NumPy / list / Polars / pandas input."""
    if hasattr(obj, "to_numpy") and not isinstance(obj, np.ndarray):
        # Polars and pandas Series; Polars nulls become NaN for numeric dtypes.
        try:
            kind = getattr(getattr(obj, "dtype", None), "kind", None)
            if kind in ("b", "i", "u", "f") and hasattr(obj, "array"):
                # pandas, including nullable Int64/Float64/boolean: <NA> becomes NaN (reported below).
                arr = obj.to_numpy(dtype=np.float64, na_value=np.nan)
            else:
                arr = obj.to_numpy()
        except Exception as exc:  # pragma: no cover - library-specific failure
            raise DataError(f"{name} cannot be converted to an array", where=where, got=repr(exc)) from exc
    else:
        arr = np.asarray(obj)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise DataError(
            f"{name} must be one-dimensional",
            where=where,
            expected="a 1-D array-like (one value per row)",
            got=f"shape {arr.shape}",
        )
    if arr.dtype.kind in "biuf":
        # Contiguous: a column of a 2-D array is a strided view, and every pass over
        # a strided array (finite check, sums, the sort's key) runs slower.
        return np.ascontiguousarray(arr, dtype=np.float64)
    if arr.dtype.kind == "O":
        # Object arrays (pandas with None, mixed lists): None becomes NaN and is
        # reported below; text is refused even when it looks like a number.
        is_text = _IS_TEXT(arr).astype(bool) if arr.size else np.zeros(0, dtype=bool)
        if not is_text.any():
            try:
                return arr.astype(np.float64)
            except (TypeError, ValueError):
                pass
    raise DataError(
        f"{name} is not numeric",
        where=where,
        expected="numbers (int or float)",
        got=f"dtype {arr.dtype}" + (f", first value {arr[0]!r}" if arr.size else ""),
        hint=f"convert {name} to a numeric column first (e.g. strip currency symbols)",
    )


def as_arrays(values: Any, weights: Any = None, *, name: str = "measure") -> tuple[np.ndarray, np.ndarray]:
    """Validated ``(values, weights)`` as float64 arrays; ``weights=None`` gives unit weights.

    Raises :class:`DataError` for: no rows, NaN/None in values or weights, infinite
    values or weights, negative weights, all-zero weights, length mismatch,
    non-numeric input. Zero weights are allowed (the row counts for nothing).
    """
    where = f"{name}()"
    x = to_float_array(values, name="values", where=where)
    if x.size == 0:
        raise DataError("no rows to compute on", where=where, expected="at least one row", got="0 rows",
                        hint="check the filter or group that produced this input")
    _check_finite(x, "values", where)
    if weights is None:
        return x, np.ones_like(x)
    w = to_float_array(weights, name="weights", where=where)
    if w.size != x.size:
        raise DataError("values and weights have different lengths", where=where,
                        expected=f"{x.size} weights (one per value)", got=f"{w.size} weights")
    _check_finite(w, "weights", where)
    n_negative = int(np.count_nonzero(w < 0)) if w.min() < 0 else 0
    if n_negative:
        raise DataError(f"{n_negative} negative weight(s)", where=where, expected="weights >= 0",
                        got=f"minimum weight {w.min()}",
                        hint="survey weights cannot be negative; check the weight column")
    if not w.max() > 0:
        raise DataError("all weights are zero", where=where, expected="at least one positive weight",
                        got="sum of weights = 0", hint="check the weight column or the subgroup selected")
    return x, w


def _check_finite(a: np.ndarray, label: str, where: str) -> None:
    # Fast path: NaN or inf anywhere makes the sum non-finite; a finite sum means every
    # value is finite (a sum that overflows from finite values takes the slow path below).
    if np.isfinite(a.sum()):
        return
    bad = ~np.isfinite(a)
    if bad.any():
        n_nan = int(np.count_nonzero(np.isnan(a)))
        n_inf = int(np.count_nonzero(bad)) - n_nan
        parts = [f"{n_nan} missing (NaN/None)"] if n_nan else []
        parts += [f"{n_inf} infinite"] if n_inf else []
        raise DataError(f"{label} contain {' and '.join(parts)} entries", where=where,
                        expected=f"finite {label} in every row",
                        got=f"{int(np.count_nonzero(bad))} of {a.size} rows not finite",
                        hint=f"drop or impute the rows with missing {label} before computing "
                             "(and report how many were dropped)")


def require_positive(x: np.ndarray, w: np.ndarray, *, where: str, strict: bool = True,
                     why: str = "") -> None:
    """Refuse non-positive (``strict``) or negative welfare among rows with positive weight."""
    bad = (x <= 0) if strict else (x < 0)
    bad &= w > 0
    n_bad = int(np.count_nonzero(bad))
    if n_bad:
        expected = "welfare > 0" if strict else "welfare >= 0"
        raise DataError(f"{n_bad} row(s) with {'non-positive' if strict else 'negative'} welfare",
                        where=where, expected=expected, got=f"minimum welfare {x[bad].min()}",
                        hint=(why + " " if why else "")
                        + "exclude or bottom-code these rows explicitly (and report it), "
                          "or use a measure defined for them (Gini, FGT)")


def as_line(line: Any, n: int, *, where: str) -> np.ndarray | float:
    """A poverty line: a positive scalar, or one positive value per row."""
    if line is None:
        raise InputError("a poverty line is required", where=where, expected="line=<positive number or array>",
                         got="None")
    if np.ndim(line) == 0 and not hasattr(line, "to_numpy"):
        z = float(line)
        if not np.isfinite(z) or z <= 0:
            raise InputError("poverty line must be a positive finite number", where=where,
                             expected="line > 0", got=line)
        return z
    arr = to_float_array(line, name="line", where=where)
    if arr.size != n:
        raise DataError("per-row poverty line has the wrong length", where=where,
                        expected=f"{n} values (one per row) or a scalar", got=f"{arr.size} values")
    _check_finite(arr, "line", where)
    if np.any(arr <= 0):
        raise DataError(f"{int(np.count_nonzero(arr <= 0))} non-positive poverty line value(s)",
                        where=where, expected="line > 0 in every row", got=f"minimum {arr.min()}")
    return arr


def check_probability(p: Any, *, where: str, name: str = "p", open_interval: bool = False) -> np.ndarray:
    """Probabilities as a 1-D float array inside [0, 1] (or (0, 1) when ``open_interval``)."""
    arr = np.atleast_1d(np.asarray(p, dtype=np.float64))
    lo_ok = arr > 0 if open_interval else arr >= 0
    hi_ok = arr < 1 if open_interval else arr <= 1
    if arr.ndim != 1 or not np.all(np.isfinite(arr) & lo_ok & hi_ok):
        rng = "(0, 1)" if open_interval else "[0, 1]"
        raise InputError(f"{name} must be in {rng}", where=where, expected=f"{name} in {rng}", got=p)
    return arr
