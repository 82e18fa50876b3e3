"""Normal and Student-t quantiles for confidence intervals (no SciPy dependency).

The t quantile inverts the t CDF ``F(t) = 1 - I_x(df/2, 1/2)/2`` (``t > 0``,
``x = df/(df + t^2)``), with the regularised incomplete beta ``I_x`` evaluated by
its continued fraction (modified Lentz; Press et al., *Numerical Recipes*, 3rd
ed., §6.4), then bisection to machine precision. Used for R survey's
``qt(1 - alpha/2, degf(design))`` in Woodruff quantile intervals.
"""

from __future__ import annotations

import math
from statistics import NormalDist


def normal_quantile(prob: float) -> float:
    return NormalDist().inv_cdf(prob)


def _betacf(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    tail = 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(prob: float, df: float | None) -> float:
    """Quantile of Student's t with ``df`` degrees of freedom (``None`` or inf: normal)."""
    if df is None or math.isinf(df) or df > 1e7:
        return normal_quantile(prob)
    if prob == 0.5:
        return 0.0
    if prob < 0.5:
        return -t_quantile(1.0 - prob, df)
    lo, hi = 0.0, max(2.0 * normal_quantile(prob), 1.0)
    while t_cdf(hi, df) < prob:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf(mid, df) < prob:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-15 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)
