"""Weighted poverty measures: FGT family, Watts, Sen, money gap; EU relative-poverty indicators.

A row is poor when ``y < z`` (strictly below the line ``z``), as in Foster,
Greer & Thorbecke (1984) and R laeken (``x < threshold``). ``z`` is a positive
scalar or one value per row (for per-row lines: regional lines, household-size lines).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sp2lnob.errors import DataError, InputError, did_you_mean
from sp2lnob.measures._validate import as_arrays, as_line, require_positive
from sp2lnob.measures.inequality import gini_arrays
from sp2lnob.measures.quantiles import weighted_quantiles


def fgt(values: Any, weights: Any = None, line: Any = None, alpha: float = 0.0) -> float:
    """Foster–Greer–Thorbecke index FGT(alpha) (Econometrica 52(3), 1984).

    ``FGT(a) = sum w (1 - y/z)^a 1[y < z] / sum w``; ``a = 0`` headcount ratio,
    ``a = 1`` poverty gap index, ``a = 2`` squared gap (severity). ``a >= 0``, any
    real. Negative welfare gives a normalised gap above 1 (kept, not clipped; FGT is
    then not monotone in the line, see docs/conventions.md).
    """
    a = _alpha(alpha)
    x, w = as_arrays(values, weights, name="fgt")
    z = as_line(line, x.size, where="fgt()")
    return float(np.dot(w, fgt_terms(x, z, a)) / w.sum())


def fgt_terms(x: np.ndarray, z: np.ndarray | float, a: float) -> np.ndarray:
    """Per-row FGT contribution ``(1 - y/z)^a 1[y < z]`` (also used by decompositions)."""
    poor = x < z
    if a == 0.0:
        return poor.astype(np.float64)
    gap = np.where(poor, 1.0 - x / z, 0.0)
    return gap**a


def headcount(values: Any, weights: Any = None, line: Any = None) -> float:
    """Poverty headcount ratio, FGT(0): weighted share of rows with ``y < z``."""
    return fgt(values, weights, line, 0.0)


def poverty_gap_index(values: Any, weights: Any = None, line: Any = None) -> float:
    """Poverty gap index, FGT(1): mean normalised shortfall ``(1 - y/z)`` over everyone."""
    return fgt(values, weights, line, 1.0)


def poverty_severity(values: Any, weights: Any = None, line: Any = None) -> float:
    """Squared poverty gap (severity), FGT(2)."""
    return fgt(values, weights, line, 2.0)


def watts(values: Any, weights: Any = None, line: Any = None) -> float:
    """Watts index ``sum w ln(z/y) 1[y < z] / sum w`` (Watts 1968; Zheng 1993).

    Needs ``y > 0`` for every row below the line.
    """
    x, w = as_arrays(values, weights, name="watts")
    z = as_line(line, x.size, where="watts()")
    poor = x < z
    require_positive(x[poor], w[poor], where="watts()", why="Watts takes ln(z/y) of poor rows.")
    ratio = np.where(poor, np.divide(z, x, out=np.ones_like(x), where=poor), 1.0)
    return float(np.dot(w, np.log(ratio)) / w.sum())


def sen(values: Any, weights: Any = None, line: Any = None) -> float:
    """Sen poverty index ``S = H (I + (1 - I) G_p)`` (Sen 1976, Econometrica 44(2)).

    ``H`` headcount ratio, ``I = (z - mu_p)/z`` the income-gap ratio of the poor
    (``mu_p`` their weighted mean), ``G_p`` the weighted Gini among the poor
    (:func:`~sp2lnob.measures.inequality.gini`). This is the large-population
    form of Sen's index (Sen's ``q/(q+1)`` factor dropped), as in Haughton &
    Khandker (2009), *Handbook on Poverty and Inequality*, World Bank, §4.
    Needs a scalar line and ``y >= 0`` below it (all-zero poor incomes give ``S = H``).
    """
    x, w = as_arrays(values, weights, name="sen")
    if np.ndim(line) != 0 or hasattr(line, "to_numpy"):
        raise InputError("Sen's index needs a single poverty line", where="sen()",
                         expected="a positive scalar line", got="an array of lines",
                         hint="compute it within groups sharing one line (by_group)")
    z = float(as_line(line, x.size, where="sen()"))
    poor = (x < z) & (w > 0)
    if not poor.any():
        return 0.0
    xp, wp = x[poor], w[poor]
    require_positive(xp, wp, where="sen()", strict=False,
                     why="Sen's index uses the Gini of the poor, which is not meaningful for negative welfare.")
    h = wp.sum() / w.sum()
    gap_ratio = (z - np.dot(wp, xp) / wp.sum()) / z
    g_p = 0.0 if gap_ratio >= 1.0 else gini_arrays(xp, wp)
    return float(h * (gap_ratio + (1.0 - gap_ratio) * g_p))


def poverty_gap_money(values: Any, weights: Any = None, line: Any = None) -> float:
    """Total money poverty gap ``sum w (z - y) 1[y < z]``, in welfare units × weight units.

    A **total**, not a ratio: the transfer that would lift every poor row exactly
    to the line with perfect targeting (population total when weights expand to
    the population).
    """
    x, w = as_arrays(values, weights, name="poverty_gap_money")
    z = as_line(line, x.size, where="poverty_gap_money()")
    return float(np.dot(w, np.where(x < z, z - x, 0.0)))


_THRESHOLD_BASES = ("median", "mean")


def arpt(values: Any, weights: Any = None, share: float = 0.6, of: str = "median") -> float:
    """At-risk-of-poverty threshold: ``share`` × weighted median (or mean) welfare.

    The median uses the ``laeken`` rule: R laeken 0.5 ``arpt()`` = ``p * incMedian()``.
    """
    x, w = as_arrays(values, weights, name="arpt")
    return _threshold(x, w, share, of, "arpt()")


def arpr(values: Any, weights: Any = None, share: float = 0.6, of: str = "median") -> float:
    """At-risk-of-poverty rate (share 0..1): weighted share with ``y < arpt``.

    R laeken 0.5 ``arpr()`` (``laeken:::weightedRate``, divided by 100); EU-SILC
    definition (Eurostat doc. EU-SILC 131/04) with ``share = 0.6``, ``of = "median"``.
    """
    x, w = as_arrays(values, weights, name="arpr")
    t = _threshold(x, w, share, of, "arpr()")
    return float(w[x < t].sum() / w.sum())


def rmpg(values: Any, weights: Any = None, share: float = 0.6) -> float:
    """Relative median at-risk-of-poverty gap (share 0..1), R laeken 0.5 ``rmpg()`` / 100.

    ``(t - m_p) / t`` with ``t`` the :func:`arpt` threshold and ``m_p`` the
    weighted median (``laeken`` rule) of welfare among rows with ``y < t``.
    """
    x, w = as_arrays(values, weights, name="rmpg")
    t = _threshold(x, w, share, "median", "rmpg()")
    poor = (x < t) & (w > 0)
    if not poor.any():
        raise DataError("no one is below the at-risk-of-poverty threshold", where="rmpg()",
                        expected="at least one row with y < threshold", got=f"threshold {t}",
                        hint="the gap among the poor is undefined when nobody is poor")
    m_p = weighted_quantiles(x[poor], w[poor], np.array([0.5]), "laeken")[0]
    return float((t - m_p) / t)


def _threshold(x: np.ndarray, w: np.ndarray, share: float, of: str, where: str) -> float:
    if of not in _THRESHOLD_BASES:
        raise InputError(f"unknown threshold base {of!r}", where=where, expected=list(_THRESHOLD_BASES),
                         got=of, hint=did_you_mean(str(of), _THRESHOLD_BASES))
    s = float(share)
    if not (np.isfinite(s) and s > 0):
        raise InputError("share must be a positive number", where=where, expected="share > 0, e.g. 0.6",
                         got=share)
    if of == "mean":
        return s * float(np.dot(w, x) / w.sum())
    return s * float(weighted_quantiles(x, w, np.array([0.5]), "laeken")[0])


def _alpha(alpha: Any) -> float:
    try:
        a = float(alpha)
    except (TypeError, ValueError):
        raise InputError("alpha must be a number", where="fgt()", expected="alpha >= 0",
                         got=alpha) from None
    if not (np.isfinite(a) and a >= 0):
        raise InputError("alpha must be a finite number >= 0", where="fgt()", expected="alpha >= 0",
                         got=alpha, hint="0 = headcount, 1 = poverty gap, 2 = severity")
    return a
