"""Weighted totals, means and income shares (decile shares, top/bottom shares, Palma, S80/S20)."""

from __future__ import annotations

from typing import Any

import numpy as np

from sp2lnob.errors import DataError, InputError
from sp2lnob.measures._validate import as_arrays, check_probability
from sp2lnob.measures.quantiles import get_rule, ntile_cutoffs, weighted_quantiles


def total(values: Any, weights: Any = None) -> float:
    """Weighted total ``sum w y`` (a population total when weights are expansion factors)."""
    x, w = as_arrays(values, weights, name="total")
    return float(np.dot(w, x))


def mean(values: Any, weights: Any = None) -> float:
    """Weighted mean ``sum w y / sum w`` (R ``weighted.mean``; survey ``svymean``)."""
    x, w = as_arrays(values, weights, name="mean")
    return float(np.dot(w, x) / w.sum())


def shares(values: Any, weights: Any = None, n: int = 10, *, rule: str = "school") -> np.ndarray:
    """Share of total welfare held by each weighted n-tile group (array of n, sums to 1).

    Groups are those of :func:`~sp2lnob.measures.quantiles.ntile` (ties kept
    together): ``share_g = sum_{row in g} w y / sum w y``.
    """
    if not isinstance(n, int | np.integer) or n < 1:
        raise InputError("n must be a positive integer", where="shares()", expected="n >= 1", got=n)
    get_rule(rule, where="shares()")
    x, w = as_arrays(values, weights, name="shares")
    wx = w * x
    denom = _positive_total(wx, "shares()")
    group = np.searchsorted(ntile_cutoffs(x, w, int(n), rule), x, side="left")
    return np.bincount(group, weights=wx, minlength=int(n)) / denom


def top_share(values: Any, weights: Any = None, p: float = 0.1, *, rule: str = "school") -> float:
    """Share of total welfare held by rows above the ``1 - p`` quantile: ``sum_{y > Q(1-p)} w y / sum w y``.

    Consistent with :func:`shares`: ``top_share(p=0.1)`` is the top decile's share.
    """
    check_probability(p, where="top_share()", open_interval=True)
    get_rule(rule, where="top_share()")
    x, w = as_arrays(values, weights, name="top_share")
    wx = w * x
    cut = weighted_quantiles(x, w, np.array([1.0 - p]), rule)[0]
    return float(wx[x > cut].sum() / _positive_total(wx, "top_share()"))


def bottom_share(values: Any, weights: Any = None, p: float = 0.4, *, rule: str = "school") -> float:
    """Share of total welfare held by rows at or below the ``p`` quantile: ``sum_{y <= Q(p)} w y / sum w y``."""
    check_probability(p, where="bottom_share()", open_interval=True)
    get_rule(rule, where="bottom_share()")
    x, w = as_arrays(values, weights, name="bottom_share")
    wx = w * x
    cut = weighted_quantiles(x, w, np.array([p]), rule)[0]
    return float(wx[x <= cut].sum() / _positive_total(wx, "bottom_share()"))


def palma(values: Any, weights: Any = None, *, rule: str = "school") -> float:
    """Palma ratio: top 10 % share / bottom 40 % share (Cobham & Sumner 2013, CGD WP 343).

    ``sum_{y > Q(0.9)} w y / sum_{y <= Q(0.4)} w y``, groups as in :func:`shares`.
    """
    get_rule(rule, where="palma()")
    x, w = as_arrays(values, weights, name="palma")
    wx = w * x
    q40, q90 = weighted_quantiles(x, w, np.array([0.4, 0.9]), rule)
    return _ratio(wx[x > q90].sum(), wx[x <= q40].sum(), "palma()")


def s80_s20(values: Any, weights: Any = None) -> float:
    """Income quintile share ratio S80/S20, as R laeken 0.5 ``qsr()`` (EU-SILC definition).

    ``sum_{y > Q(0.8)} w y / sum_{y <= Q(0.2)} w y`` with ``Q`` the ``laeken``
    quantile rule (``laeken:::quintileRatio`` and ``incQuintile``).
    """
    x, w = as_arrays(values, weights, name="s80_s20")
    wx = w * x
    q20, q80 = weighted_quantiles(x, w, np.array([0.2, 0.8]), "laeken")
    return _ratio(wx[x > q80].sum(), wx[x <= q20].sum(), "s80_s20()")


def _positive_total(wx: np.ndarray, where: str) -> float:
    denom = float(wx.sum())
    if not denom > 0:
        raise DataError("income shares need a positive weighted total", where=where,
                        expected="sum(w * y) > 0", got=f"sum(w * y) = {denom}")
    return denom


def _ratio(top: float, bottom: float, where: str) -> float:
    if not bottom > 0:
        raise DataError("the bottom group holds no positive welfare, so the ratio is undefined",
                        where=where, expected="bottom group total > 0", got=f"{bottom}",
                        hint="many zero or negative incomes at the bottom; report shares instead")
    return float(top / bottom)
