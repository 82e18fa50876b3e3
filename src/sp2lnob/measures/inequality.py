"""Weighted inequality indices: Gini, generalised entropy (Theil T, MLD, GE(2)), Atkinson.

``mu = sum(w y) / sum(w)`` throughout. Zero-weight rows count for nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sp2lnob.errors import DataError, InputError
from sp2lnob.measures._sorting import compact_key, dense_key, sort_pairs
from sp2lnob.measures._validate import as_arrays, require_positive

DENSE_MIN_ROWS = 50_000   # below this the sort is cheap; fixtures compare the sorted formula with R


def gini(values: Any, weights: Any = None) -> float:
    """Weighted Gini coefficient (share, 0..1).

    With rows sorted by welfare and inclusive cumulative weights ``C_i``:
    ``G = (2 sum w_i y_i C_i - sum w_i^2 y_i) / (W sum w_i y_i) - 1``, i.e. each
    row ranked at the middle of its own weight, ``(C_{i-1} + C_i)/2``. This is
    R laeken 0.5 ``gini()`` (``laeken:::giniCoeff``, divided by 100; EU-SILC
    definition, Eurostat doc. EU-SILC 131/04). The value does not depend on the
    order of tied rows, and for unit weights it is the textbook
    ``G = 2 sum i y_(i) / (n sum y) - (n + 1)/n``.

    Negative welfare is accepted (the formula stays defined, but G can then
    exceed 1); the weighted total must be positive.
    """
    x, w = as_arrays(values, weights, name="gini")
    return gini_arrays(x, w)


def gini_arrays(x: np.ndarray, w: np.ndarray) -> float:
    """Gini of validated float arrays (shared with Sen's index and group tables)."""
    total_wx = np.dot(w, x)
    if total_wx > 0 and not 1e-100 < total_wx < 1e100:
        # The formula multiplies totals: bring extreme weights and values to a safe scale
        # first (the Gini does not change when weights or values are scaled).
        x, w = x / np.abs(x).max(), w / w.max()
        total_wx = np.dot(w, x)
    if not total_wx > 0:
        raise DataError("Gini needs a positive weighted total of welfare", where="gini()",
                        expected="sum(w * y) > 0", got=f"sum(w * y) = {total_wx}",
                        hint="check that welfare is not all zero or negative")
    # Tie blocks can be summed first: a block of value v, weight W_b ending at
    # cumulative weight C_b contributes v W_b (2 C_b - W_b). When the distinct
    # values fit in a few bins per row (whole-number welfare), bin them: no sort.
    compact = compact_key(x) if x.size >= DENSE_MIN_ROWS else None
    dense = None if compact is None else dense_key(x, max(1 << 16, 4 * x.size), compact)
    if dense is not None:
        key, n_bins = dense
        ws = np.bincount(key, weights=w, minlength=n_bins)
        wx = np.bincount(key, weights=w * x, minlength=n_bins)
    else:
        xs, ws = sort_pairs(x, w, compact)
        wx = ws * xs
    cw = np.cumsum(ws)
    return float((2.0 * np.dot(wx, cw) - np.dot(ws, wx)) / (cw[-1] * total_wx) - 1.0)


def generalized_entropy(values: Any, weights: Any = None, alpha: float = 1.0) -> float:
    """Generalised entropy index GE(alpha) (Shorrocks 1980, Econometrica 48(3)).

    ``GE(a) = [sum w (y/mu)^a / W - 1] / (a (a - 1))`` for ``a`` not 0 or 1;
    ``GE(1) = sum w (y/mu) ln(y/mu) / W`` (Theil T); ``GE(0) = -sum w ln(y/mu) / W``
    (mean log deviation, Theil L). Needs ``y > 0`` for ``a <= 0``; ``y >= 0`` for
    ``a > 0`` (with ``0 ln 0 = 0``). Negative welfare is always refused.
    """
    a = _finite_param(alpha, "alpha", "generalized_entropy()")
    x, w = as_arrays(values, weights, name="generalized_entropy")
    return ge_arrays(x, w, a)


def ge_arrays(x: np.ndarray, w: np.ndarray, a: float) -> float:
    """GE(a) of validated float arrays."""
    require_positive(x, w, where="generalized_entropy()", strict=a <= 0,
                     why=f"GE({a:g}) takes logs or negative powers of welfare." if a <= 0
                     else f"GE({a:g}) is not defined for negative welfare.")
    sw = w.sum()
    mu = np.dot(w, x) / sw
    if not mu > 0:
        raise DataError("mean welfare is zero", where="generalized_entropy()", expected="mean > 0",
                        got=mu)
    r = x / mu
    if a == 1.0:
        # 0 * ln 0 = 0: take the log only where r > 0.
        terms = np.where(r > 0, r * np.log(np.where(r > 0, r, 1.0)), 0.0)
        return float(np.dot(w, terms) / sw)
    if a == 0.0:
        return float(-np.dot(w, np.log(r)) / sw)
    return float((np.dot(w, r**a) / sw - 1.0) / (a * (a - 1.0)))


def theil(values: Any, weights: Any = None) -> float:
    """Theil T index, GE(1) = ``sum w (y/mu) ln(y/mu) / W`` (Theil 1967)."""
    return generalized_entropy(values, weights, 1.0)


def mld(values: Any, weights: Any = None) -> float:
    """Mean log deviation (Theil L), GE(0) = ``-sum w ln(y/mu) / W``; needs ``y > 0``."""
    return generalized_entropy(values, weights, 0.0)


def ge2(values: Any, weights: Any = None) -> float:
    """GE(2) = half the squared coefficient of variation, ``[sum w (y/mu)^2 / W - 1] / 2``."""
    return generalized_entropy(values, weights, 2.0)


def atkinson(values: Any, weights: Any = None, epsilon: float = 1.0) -> float:
    """Atkinson index A(eps) (Atkinson 1970, J. Econ. Theory 2(3)), in [0, 1].

    ``A = 1 - [sum w (y/mu)^(1-eps) / W]^(1/(1-eps))`` for ``eps != 1``;
    ``A = 1 - exp(sum w ln y / W) / mu`` for ``eps = 1`` (1 - geometric/arithmetic
    mean). ``eps >= 0``. Needs ``y > 0`` for ``eps >= 1``; ``y >= 0`` otherwise.
    """
    eps = _finite_param(epsilon, "epsilon", "atkinson()")
    if eps < 0:
        raise InputError("epsilon must be >= 0", where="atkinson()", expected="epsilon >= 0", got=epsilon,
                         hint="inequality aversion is 0 (none) or positive, e.g. 0.5, 1, 2")
    x, w = as_arrays(values, weights, name="atkinson")
    require_positive(x, w, where="atkinson()", strict=eps >= 1,
                     why=f"Atkinson(eps={eps:g}) takes logs or negative powers of welfare."
                     if eps >= 1 else "")
    sw = w.sum()
    mu = np.dot(w, x) / sw
    if not mu > 0:
        raise DataError("mean welfare is zero", where="atkinson()", expected="mean > 0", got=mu)
    if eps == 1.0:
        return float(1.0 - np.exp(np.dot(w, np.log(x)) / sw) / mu)
    ede = (np.dot(w, (x / mu) ** (1.0 - eps)) / sw) ** (1.0 / (1.0 - eps))
    return float(1.0 - ede)


def _finite_param(value: Any, name: str, where: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number", where=where, expected="a finite number",
                         got=value) from None
    if not np.isfinite(v):
        raise InputError(f"{name} must be finite", where=where, expected="a finite number", got=value)
    return v
