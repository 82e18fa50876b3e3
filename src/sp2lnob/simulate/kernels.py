"""Fast weighted summaries for the simulator: one sort per distribution.

Definitions are those of :mod:`sp2lnob.measures` (tests check equality):
Gini as ``measures.gini`` (laeken ``gini``), Theil T as ``generalized_entropy(alpha=1)``,
Atkinson as ``measures.atkinson``, Palma as ``measures.palma`` (school rule),
S80/S20 as ``measures.s80_s20`` (laeken rule). The simulator sorts the
post-transfer distribution once and reuses the order for every sort-based
index and for the group Gini coefficients.
"""

from __future__ import annotations

import numpy as np

from sp2lnob.measures import quantile


def wdot(a: np.ndarray, b: np.ndarray) -> float:
    """``sum a_i b_i`` without BLAS: a vector dot gains nothing from BLAS threads, and on a
    busy machine their start-up costs more than the sum itself."""
    return float(np.einsum("i,i->", a, b))


def theil_atkinson(x: np.ndarray, w: np.ndarray, epsilons: list[float]) -> dict[str, float]:
    """Theil T ``sum w r ln r / W`` (``r = y / mu``, ``0 ln 0 = 0``) and Atkinson
    ``1 - [sum w r^(1-eps) / W]^(1/(1-eps))`` (``eps = 1``: ``1 - exp(sum w ln y / W) / mu``),
    as ``measures.generalized_entropy(alpha=1)`` and ``measures.atkinson``. An index undefined for
    the distribution (zero or negative welfare where logs or negative powers are needed) is NaN.
    """
    sw = w.sum()
    mu = wdot(w, x) / sw
    out: dict[str, float] = {}
    if not mu > 0 or np.any(x < 0):
        return {"theil": np.nan, **{f"atkinson_{e:g}": np.nan for e in epsilons}}
    r = x / mu
    positive = bool(np.all(x > 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        logr = np.log(np.where(r > 0, r, 1.0))
    out["theil"] = float(wdot(w, r * logr) / sw)
    for e in epsilons:
        if e >= 1 and not positive:
            out[f"atkinson_{e:g}"] = np.nan
        elif e == 1.0:
            out[f"atkinson_{e:g}"] = float(1.0 - np.exp(wdot(w, logr) / sw))
        else:
            p = 1.0 - e
            powered = np.sqrt(r) if p == 0.5 else (1.0 / r if p == -1.0 else r**p)
            out[f"atkinson_{e:g}"] = float(1.0 - (wdot(w, powered) / sw) ** (1.0 / p))
    return out


def inequality(x: np.ndarray, w: np.ndarray, epsilons: list[float]
               ) -> tuple[dict[str, float], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Gini, Theil T, Atkinson(eps), Palma, S80/S20 of ``x``; also returns (order, sorted x, sorted w)
    with zero-weight rows left out, for :func:`group_gini`."""
    order = np.argsort(x, kind="stable")
    keep = w[order] > 0
    o = order[keep] if not keep.all() else order
    xs, ws = x[o], w[o]
    cw = np.cumsum(ws)
    wx = ws * xs
    total = wx.sum()
    out: dict[str, float] = {}
    out["gini"] = float((2.0 * wdot(wx, cw) - wdot(ws, wx)) / (cw[-1] * total) - 1.0) if total > 0 else np.nan
    out.update(theil_atkinson(x, w, epsilons))
    q40, q90 = np.asarray(quantile(xs, ws, np.array([0.4, 0.9]), rule="school"))
    bottom = wx[xs <= q40].sum()
    out["palma"] = float(wx[xs > q90].sum() / bottom) if bottom > 0 else np.nan
    q20, q80 = np.asarray(quantile(xs, ws, np.array([0.2, 0.8]), rule="laeken"))
    bottom = wx[xs <= q20].sum()
    out["s80_s20"] = float(wx[xs > q80].sum() / bottom) if bottom > 0 else np.nan
    return out, (o, xs, ws)


def group_gini(xs: np.ndarray, ws: np.ndarray, cs: np.ndarray, k: int) -> np.ndarray:
    """Gini within each group (laeken formula) from data already sorted by value.

    ``xs``, ``ws``, ``cs``: values, weights and group codes in ascending order of value. A group's
    rows are then sorted too, and its within-group cumulative weight ``C`` is a running sum of its
    weights (sequential passes; no re-sort): ``G_k = (2 sum w y C - sum w^2 y) / (W_k sum w y) - 1``.
    """
    wx = ws * xs
    out = np.full(k, np.nan)
    for j in range(k):
        m = cs == j
        wj = np.where(m, ws, 0.0)
        wxj = np.where(m, wx, 0.0)
        cw = np.cumsum(wj)
        total_w, total_wx = (cw[-1] if cw.size else 0.0), wxj.sum()
        if total_w > 0 and total_wx > 0:
            out[j] = (2.0 * np.einsum("i,i->", wxj, cw) - np.einsum("i,i->", wj, wxj)) / (total_w * total_wx) - 1.0
    return out


def fgt_terms(x: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-row FGT terms: poor ``1[x < z]``, gap ``max(0, 1 - x/z)``, squared gap (Foster-Greer-Thorbecke 1984)."""
    g = np.maximum(1.0 - x / z, 0.0)
    return (x < z).astype(float), g, g * g
