"""Weighted quantiles under named rules, and weighted n-tile groups.

Notation: rows sorted by welfare ``x_(1) <= ... <= x_(n)`` (rows with zero weight
removed), ``C_i = w_(1) + ... + w_(i)`` the cumulative weight, ``W = C_n`` and
``F(x) = W(y <= x) / W`` the weighted step CDF. Every rule depends only on
``F`` (not on the order of tied rows), so integer weights give the same answer
as duplicating rows. Rules (see ``docs/conventions.md``):

``math``
    ``Q(p) = min{x : F(x) >= p}``, the inverse of the step CDF. R survey 4.x
    ``svyquantile(qrule="math")`` (``survey:::qrule_math``), which is
    Hyndman & Fan (1996) type 1 with weights. (survey returns the second row for
    ``p < F(x_(1))``; we return ``x_(1)``, the value the definition gives.)
``school``
    As ``math``, but when ``F(x) = p`` exactly for some ``x``, the average of ``x``
    and the next larger value. R survey ``qrule="school"``; also the documented
    weighted formula of Stata's ``_pctile``/``xtile`` ([D] pctile, Methods and
    formulas; Stata's own rounding can differ at near-exact hits, see Statalist
    thread 1454409 "Weights in pctile").
``laeken``
    ``Q(p) = min{x : F(x) > p}`` for ``0 < p < 1``; ``Q(0) = x_(1)``,
    ``Q(1) = x_(n)``. R laeken 0.5 ``weightedQuantile`` (its averaging branch
    ``rw[select] == p`` can never be taken after ``select <- min(which(rw > p))``),
    used by ``incMedian``, ``incQuintile``, ``arpt``, ``qsr`` (Alfons & Templ 2013,
    J. Stat. Softw. 54(15)).
``interpolated``
    Linear interpolation of the CDF taken at the midpoint of each distinct
    value's weight: the points ``(m_j, v_j)`` with ``m_j = (C_{j-1} + C_j) / (2W)``
    over distinct values ``v_j``, constant beyond the first and last point. For
    unit weights and distinct values ``m_i = (i - 1/2)/n``: Hyndman & Fan type 5
    (``numpy.quantile(method="hazen")``). Not type 7: type 7 depends on the
    number of rows, so it is neither invariant to scaling weights nor equal to
    row duplication.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from sp2lnob.errors import InputError, did_you_mean
from sp2lnob.measures._sorting import sort_pairs
from sp2lnob.measures._validate import as_arrays, check_probability
from sp2lnob.measures._windows import WINDOW_MIN_ROWS, quantile_window

QuantileRule = Callable[[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray], np.ndarray]
"""``rule(xs, ws, cw, total, p)``: sorted values, their weights, cumulative weights
(``cw[i]`` = weight of every row up to and including ``i``, even rows not passed in),
the total weight ``W`` and the probabilities."""


def sort_by_value(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted values, their weights and cumulative weights, zero-weight rows removed.

    One O(n log n) sort; every quantile rule then works by binary search.
    """
    if not np.all(w > 0):
        keep = w > 0
        x, w = x[keep], w[keep]
    xs, ws = sort_pairs(x, w)
    return xs, ws, np.cumsum(ws)


def _math(xs: np.ndarray, ws: np.ndarray, cw: np.ndarray, total: float, p: np.ndarray) -> np.ndarray:
    low, high, exact = _survey_positions(cw, total, p)
    return np.where(exact, xs[low], xs[high])


def _school(xs: np.ndarray, ws: np.ndarray, cw: np.ndarray, total: float, p: np.ndarray) -> np.ndarray:
    low, high, exact = _survey_positions(cw, total, p)
    return np.where(exact, (xs[low] + xs[high]) / 2.0, xs[high])


def _survey_positions(cw: np.ndarray, total: float, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """R survey's ``qs()``: last row with ``C_i <= pW``, the next row, and whether ``C_i = pW``.

    The comparisons are written as in survey (``cumw <= p * sum(w)`` then
    ``p - cumw[pos]/sum(w) == 0``) so that floating-point ties resolve the same way.
    """
    n = cw.size
    count = np.searchsorted(cw, p * total, side="right")  # rows with C_i <= pW
    low = np.maximum(count - 1, 0)
    high = np.minimum(count, n - 1)
    exact = (count > 0) & (p - cw[low] / total == 0)
    return low, high, exact


def _laeken(xs: np.ndarray, ws: np.ndarray, cw: np.ndarray, total: float, p: np.ndarray) -> np.ndarray:
    n = xs.size
    rw = cw / total  # laeken: rw <- cumsum(weights)/sum(weights)
    select = np.minimum(np.searchsorted(rw, p, side="right"), n - 1)  # first rw > p
    out = xs[select]
    out = np.where(p == 0, xs[0], out)
    return np.where(p == 1, xs[-1], out)


def _interpolated(xs: np.ndarray, ws: np.ndarray, cw: np.ndarray, total: float, p: np.ndarray) -> np.ndarray:
    # Collapse ties: one point per distinct value, at the middle of its weight.
    first_of_block = np.empty(xs.size, dtype=bool)
    first_of_block[0] = True
    np.not_equal(xs[1:], xs[:-1], out=first_of_block[1:])
    starts = np.flatnonzero(first_of_block)
    ends = np.concatenate((starts[1:], [xs.size])) - 1
    c_end = cw[ends]
    c_start = c_end - np.add.reduceat(ws, starts)  # not cw[previous end]: rows may be windowed
    mid = (c_start + c_end) / (2.0 * total)
    return np.interp(p, mid, xs[starts])


QUANTILE_RULES: dict[str, QuantileRule] = {
    "math": _math,
    "school": _school,
    "laeken": _laeken,
    "interpolated": _interpolated,
}


def get_rule(rule: str, *, where: str) -> QuantileRule:
    """The quantile rule registered under ``rule`` (structured error if unknown)."""
    try:
        return QUANTILE_RULES[rule]
    except (KeyError, TypeError):
        raise InputError(f"unknown quantile rule {rule!r}", where=where, expected=sorted(QUANTILE_RULES),
                         got=rule, hint=did_you_mean(str(rule), QUANTILE_RULES)) from None


def weighted_quantiles(x: np.ndarray, w: np.ndarray, p: np.ndarray, rule: str = "math") -> np.ndarray:
    """Quantiles of validated (unsorted) float arrays at probabilities ``p`` (an array).

    Large inputs go through :func:`~sp2lnob.measures._windows.quantile_window`
    (linear time: only the rows near each quantile are sorted); small ones are
    sorted whole. Both give the same values.
    """
    fn = get_rule(rule, where="quantile()")
    window = quantile_window(x, w, p) if x.size >= WINDOW_MIN_ROWS else None
    if window is None:
        xs, ws, cw = sort_by_value(x, w)
        return fn(xs, ws, cw, float(cw[-1]), p)
    return fn(*window, p)


def quantile(values: Any, weights: Any = None, p: Any = 0.5, rule: str = "math") -> float | np.ndarray:
    """Weighted quantile(s) of ``values`` at probability ``p`` (scalar → float, array → array).

    ``rule`` is one of :data:`QUANTILE_RULES` (see the module docstring for each
    formula and its source).
    """
    get_rule(rule, where="quantile()")
    probs = check_probability(p, where="quantile()")
    x, w = as_arrays(values, weights, name="quantile")
    q = weighted_quantiles(x, w, probs, rule)
    return float(q[0]) if np.ndim(p) == 0 else q


def median(values: Any, weights: Any = None, rule: str = "math") -> float:
    """Weighted median: :func:`quantile` at ``p = 0.5`` under ``rule``."""
    return float(quantile(values, weights, 0.5, rule=rule))


def ntile_cutoffs(x: np.ndarray, w: np.ndarray, n: int, rule: str = "school") -> np.ndarray:
    """The ``n - 1`` cut-offs ``Q(k/n)``, ``k = 1..n-1``, of validated arrays."""
    return weighted_quantiles(x, w, np.arange(1, n) / n, rule)


def ntile(values: Any, weights: Any = None, n: int = 5, *, rule: str = "school") -> np.ndarray:
    """Weighted population n-tile group (1..n) of each row, ties kept together.

    Group ``g = 1 + #{k in 1..n-1 : Q(k/n) < x}``: a row is in group ``g`` when
    ``Q((g-1)/n) < x <= Q(g/n)``. With the default ``rule="school"`` this is
    Stata's ``xtile x [pw=w], nq(n)`` (used by ASPIRE). All rows with equal
    welfare fall in the same group, so groups hold only approximately ``1/n``
    of the weight (exactly so when no tie block straddles a cut-off) and can be
    empty when a tie block spans several cut-offs. Zero-weight rows are given
    the group their value falls in.
    """
    if not isinstance(n, int | np.integer) or n < 1:
        raise InputError("n must be a positive integer", where="ntile()", expected="n >= 1", got=n)
    get_rule(rule, where="ntile()")
    x, w = as_arrays(values, weights, name="ntile")
    cuts = ntile_cutoffs(x, w, int(n), rule)
    return (np.searchsorted(cuts, x, side="left") + 1).astype(np.int64)
