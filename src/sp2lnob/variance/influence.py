"""Influence functions (linearised variables) of weighted estimators.

Each function returns ``z`` with one value per row such that the estimator
``theta_hat`` satisfies ``theta_hat - theta ~ sum_i w_i z_i`` to first order;
its design variance is then that of a weighted total
(:func:`sp2lnob.variance.design_variance.linearization_variance`). They are the
derivatives of the estimator with respect to each row's weight (Deville 1999,
Survey Methodology 25(2); Osier 2009, Survey Research Methods 3(3)), written
with ``W = sum w`` (estimated population) and ``T = sum w y`` (total). For
every function here ``sum_i w_i z_i = 0`` (exactly, or to first order where noted),
except for the total.

Functions take the rows of the domain only (the caller sets ``z = 0`` elsewhere).

Smoothness: FGT(0) with a fixed line, quantiles and everything built on a
quantile are non-differentiable in the weights; their influence functions
hold asymptotically and, where a density is needed (quantile, at-risk-of-poverty
rate, FGT with a median-relative line), use the Gaussian-kernel density
estimate of :func:`kernel_density`. Shares, Palma and S80/S20 do not need a
density: the density terms cancel (Osier 2009, §3.5).
"""

from __future__ import annotations

import numpy as np


def kernel_density(y: np.ndarray, w: np.ndarray, at: float) -> float:
    """Weighted Gaussian-kernel density of ``y`` at ``at``.

    ``f(t) = sum_i w_i K((t - y_i)/h) / (W h)``, ``K`` standard normal, bandwidth
    ``h = 0.79 * IQR * W^(-1/5)`` (Silverman 1986, eq. 3.29; the rule of Osier
    2009 §3.3 and of R convey's ``densfun``), IQR the weighted inter-quartile range.
    """
    order = np.argsort(y)
    ys, ws = y[order], w[order]
    cw = np.cumsum(ws)
    big_w = cw[-1]
    q1, q3 = ys[np.searchsorted(cw, [0.25 * big_w, 0.75 * big_w])].tolist()
    iqr = q3 - q1
    if not iqr > 0:
        iqr = float(np.sqrt(np.dot(w, (y - np.dot(w, y) / big_w) ** 2) / big_w)) * 1.349
    h = 0.79 * iqr * big_w ** (-0.2)
    u = (at - y) / h
    return float(np.dot(w, np.exp(-0.5 * u * u)) / (big_w * h * np.sqrt(2.0 * np.pi)))


def influence_total(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Total ``T = sum w y``: ``z_i = y_i`` (linear, exact)."""
    return np.asarray(y, dtype=float)


def influence_mean(y: np.ndarray, w: np.ndarray, mean: float) -> np.ndarray:
    """Mean ``T / W``: ``z_i = (y_i - mean) / W`` (ratio linearisation; R ``svymean``)."""
    return (y - mean) / w.sum()


def influence_ratio(y: np.ndarray, x: np.ndarray, w: np.ndarray, ratio: float) -> np.ndarray:
    """Ratio ``R = sum w y / sum w x``: ``z_i = (y_i - R x_i) / sum w x`` (R ``svyratio``)."""
    return (y - ratio * x) / np.dot(w, x)


def fgt_terms(y: np.ndarray, line: np.ndarray | float, alpha: float) -> np.ndarray:
    """Per-row FGT contribution ``g_i = (1 - y_i/z)^alpha 1[y_i < z]`` (``alpha = 0``: ``1[y_i < z]``)."""
    poor = y < line
    if alpha == 0:
        return poor.astype(float)
    gap = np.where(poor, 1.0 - y / line, 0.0)
    return gap**alpha


def influence_fgt(y: np.ndarray, w: np.ndarray, fgt: float, line: np.ndarray | float,
                  alpha: float) -> np.ndarray:
    """FGT(alpha) with a fixed line, a mean of ``g_i``: ``z_i = (g_i - FGT) / W``.

    Exact for a fixed line (Foster, Greer & Thorbecke 1984; R ``svymean`` of ``g``).
    """
    return (fgt_terms(y, line, alpha) - fgt) / w.sum()


def influence_quantile(y: np.ndarray, w: np.ndarray, q: float) -> np.ndarray:
    """Quantile ``q_p``: ``z_i = -(1[y_i <= q_p] - F(q_p)) / (W f(q_p))`` (Francisco & Fuller
    1991; Osier 2009 eq. 7), ``f`` from :func:`kernel_density`. Asymptotic.

    ``F(q_p) = sum w 1[y <= q_p] / W`` is the sample CDF at the estimate; it
    differs from ``p`` by at most one tie block's weight share, so using it keeps
    the first-order result and makes ``sum w z = 0`` exact.
    """
    below = (y <= q).astype(float)
    big_w = w.sum()
    f = kernel_density(y, w, q)
    return -(below - np.dot(w, below) / big_w) / (big_w * f)


def influence_fgt_relative(y: np.ndarray, w: np.ndarray, fgt: float, line: float, median: float,
                           share: float, alpha: float) -> np.ndarray:
    """FGT(alpha) with the line ``z = share * median`` estimated from the same sample.

    ``z_i = (g_i - FGT)/W + dFGT/dz * share * IF(median)_i`` (Osier 2009 §3.4 for
    ``alpha = 0``, the at-risk-of-poverty rate). ``dFGT/dz`` is ``f(z)`` (kernel
    density) for ``alpha = 0`` and ``sum w alpha (1 - y/z)^(alpha-1) y/z^2 1[y<z] / W``
    for ``alpha >= 1``. Asymptotic.
    """
    big_w = w.sum()
    base = (fgt_terms(y, line, alpha) - fgt) / big_w
    if alpha == 0:
        slope = kernel_density(y, w, line)
    else:
        poor = y < line
        gap = np.where(poor, 1.0 - y / line, 0.0)
        slope = float(np.dot(w, np.where(poor, alpha * gap ** (alpha - 1) * y / line**2, 0.0)) / big_w)
    return base + slope * share * influence_quantile(y, w, median)


def influence_watts(y: np.ndarray, w: np.ndarray, watts: float, line: np.ndarray | float,
                    ) -> np.ndarray:
    """Watts index ``sum w ln(z/y) 1[y<z] / W`` with a fixed line: ``z_i = (ln(z/y_i) 1[y_i<z] - Watts)/W``."""
    poor = y < line
    terms = np.where(poor, np.log(np.where(poor, line / np.where(poor, y, 1.0), 1.0)), 0.0)
    return (terms - watts) / w.sum()


def influence_gini(y: np.ndarray, w: np.ndarray, gini: float) -> np.ndarray:
    """Gini ``G = 2 sum_i w_i y_i F_i / (W T) - 1``, ``F_i`` the mid-rank cumulative weight.

    ``z_i = 2 [y_i F_i + (T - T_i)] / (W T) - (G + 1) (1/W + y_i/T)`` where
    ``F_i = C_{<i} + w_i/2`` and ``T_i = T_{<i} + w_i y_i/2`` are the cumulative
    weight and income below ``y_i`` counting half of its own tie block (Deville
    1999 derivative; Osier 2009 eq. 13; R convey ``svygini``). ``sum w z = 0`` exactly.
    """
    order = np.argsort(y)
    z = np.empty(y.size)
    z[order] = influence_gini_sorted(y[order], w[order], gini)
    return z


def influence_gini_sorted(ys: np.ndarray, ws: np.ndarray, gini: float) -> np.ndarray:
    """:func:`influence_gini` of rows already sorted by value (returned in that order)."""
    wys = ws * ys
    new_block = np.empty(ys.size, dtype=bool)
    new_block[0] = True
    np.not_equal(ys[1:], ys[:-1], out=new_block[1:])
    if new_block.all():  # no ties: each row is its own block
        block_w, block_t = ws, wys
        f_mid = np.cumsum(ws) - 0.5 * ws
        t_mid = np.cumsum(wys) - 0.5 * wys
    else:
        block = np.cumsum(new_block) - 1
        block_w = np.bincount(block, weights=ws)
        block_t = np.bincount(block, weights=wys)
        f_mid = (np.cumsum(block_w) - 0.5 * block_w)[block]
        t_mid = (np.cumsum(block_t) - 0.5 * block_t)[block]
    big_w, big_t = block_w.sum(), block_t.sum()
    return 2.0 * (ys * f_mid + big_t - t_mid) / (big_w * big_t) - (gini + 1.0) * (1.0 / big_w + ys / big_t)


def influence_generalized_entropy(y: np.ndarray, w: np.ndarray, alpha: float) -> np.ndarray:
    """GE(alpha) (Shorrocks 1980), derivative in each weight (Biewen & Jenkins 2006, Oxf. Bull. 68(3)).

    With ``mu = T/W``: for ``alpha`` not 0, 1, ``GE = (S W^(a-1) T^(-a) - 1)/(a(a-1))``,
    ``S = sum w y^a``, so ``z_i = [y_i^a W^(a-1) T^(-a) + (a-1) S W^(a-2) T^(-a)
    - a S W^(a-1) T^(-a-1) y_i] / (a(a-1))``; Theil T: ``z_i = [y_i ln y_i - y_i (U/T + 1)]/T
    + 1/W`` with ``U = sum w y ln y``; MLD: ``z_i = y_i/T - 1/W - (ln y_i - L/W)/W``,
    ``L = sum w ln y``. ``sum w z = 0`` exactly.
    """
    big_w, big_t = w.sum(), np.dot(w, y)
    a = float(alpha)
    if a == 1.0:
        ylog = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0)
        u = np.dot(w, ylog)
        return (ylog - y * (u / big_t + 1.0)) / big_t + 1.0 / big_w
    if a == 0.0:
        logy = np.log(y)
        return y / big_t - 1.0 / big_w - (logy - np.dot(w, logy) / big_w) / big_w
    ya = y**a
    s = np.dot(w, ya)
    k = big_w ** (a - 1.0) * big_t ** (-a)
    return (ya * k + (a - 1.0) * s * k / big_w - a * s * k * y / big_t) / (a * (a - 1.0))


def influence_atkinson(y: np.ndarray, w: np.ndarray, epsilon: float) -> np.ndarray:
    """Atkinson ``A = 1 - M/mu``, ``M`` the equally-distributed-equivalent (Atkinson 1970).

    ``dA = -(M/mu) (dM/M - dmu/mu)`` with ``dmu_i = (y_i - mu)/W`` and
    ``dM_i/M = (y_i^(1-e)/S - 1/W)/(1-e)``, ``S = sum w y^(1-e)`` (``e != 1``), or
    ``dM_i/M = (ln y_i - L/W)/W`` for ``e = 1`` (Biewen & Jenkins 2006). ``sum w z = 0``.
    """
    big_w = w.sum()
    mu = np.dot(w, y) / big_w
    e = float(epsilon)
    if e == 1.0:
        logy = np.log(y)
        m = np.exp(np.dot(w, logy) / big_w)
        dm_rel = (logy - np.dot(w, logy) / big_w) / big_w
    else:
        ye = y ** (1.0 - e)
        s = np.dot(w, ye)
        m = (s / big_w) ** (1.0 / (1.0 - e))
        dm_rel = (ye / s - 1.0 / big_w) / (1.0 - e)
    dmu_rel = (y - mu) / (big_w * mu)
    return -(m / mu) * (dm_rel - dmu_rel)


def influence_partial_total(y: np.ndarray, w: np.ndarray, q: float) -> np.ndarray:
    """Income held at or below the quantile ``q = q_p``, ``T(p) = sum w y 1[y <= q_p]``.

    ``z_i = y_i 1[y_i <= q] - q (1[y_i <= q] - F(q))``: the density of the
    quantile's influence cancels against the density at the boundary (Osier 2009
    §3.5; Langel & Tillé 2011, J. Off. Stat. 27(1)). ``F(q)`` is the sample CDF
    (asymptotically ``p``; see :func:`influence_quantile`). Asymptotic.
    """
    below = (y <= q).astype(float)
    return y * below - q * (below - np.dot(w, below) / w.sum())


def influence_top_bottom_ratio(y: np.ndarray, w: np.ndarray, ratio: float, q_top: float,
                               q_bottom: float) -> np.ndarray:
    """Ratio of the income above ``q_top = q_(p_top)`` to the income at or below ``q_bottom``.

    ``top = T - T(p_top)``, ``bottom = T(p_bottom)``; ``z = (z_top - ratio z_bottom)/bottom``
    with the partial-total influence of :func:`influence_partial_total`. This is
    S80/S20 (``p_top = 0.8, p_bottom = 0.2``; Eurostat QSR, convey ``svyqsr``) and
    Palma (``p_top = 0.9, p_bottom = 0.4``). Asymptotic.
    """
    bottom = np.dot(w, y * (y <= q_bottom))
    z_top = y - influence_partial_total(y, w, q_top)
    z_bottom = influence_partial_total(y, w, q_bottom)
    return (z_top - ratio * z_bottom) / bottom
