"""Replicate-weight variance: Rao–Wu rescaled bootstrap and user-supplied replicates.

Rao & Wu (1988, JASA 83(401)) rescaled bootstrap with ``m_h = n_h - 1``: in
each stratum draw ``n_h - 1`` of its ``n_h`` PSUs with replacement; a PSU drawn
``r_hj`` times gets the weight multiplier ``n_h / (n_h - 1) * r_hj``, so each
replicate's expected stratum weight total equals the full-sample total. This
is R survey's ``as.svrepdesign(type="subbootstrap")`` (``survey:::subbootweights``).
Strata with a single PSU cannot be resampled and keep multiplier 1.

The variance of replicate estimates (R ``survey:::svrVar``):

    V = scale * sum_r rscale_r (theta_r - centre)^2

with ``centre`` the mean of the replicates (``mse=False``, R's default) or the
full-sample estimate (``mse=True``). Default ``scale`` by method (R
``as.svrepdesign``/``svrepdesign``): bootstrap ``1/(R-1)``; jackknife/JK1
``(R-1)/R``; JKn ``1`` with ``rscale_r = (n_h - 1)/n_h`` of the stratum whose
PSU replicate ``r`` deletes; BRR ``1/R``; Fay ``1/(R (1 - rho)^2)``; SDR ``4/R``.
"""

from __future__ import annotations

import numpy as np

from sp2lnob.errors import DataError, InputError, did_you_mean
from sp2lnob.survey.design import Design
from sp2lnob.variance.design_variance import PsuStructure, psu_structure

REPLICATE_METHODS = ("bootstrap", "jackknife", "jk1", "jkn", "brr", "fay", "sdr")


def rao_wu_psu_multipliers(structure: PsuStructure, replicates: int,
                           rng: np.random.Generator) -> np.ndarray:
    """(P, R) Rao–Wu weight multipliers of each PSU (``m_h = n_h - 1``; module docstring).

    Vectorised over strata and replicates: one draw matrix of shape
    ``(sum_h m_h, R)``, then one ``bincount`` of (PSU, replicate) pairs.
    """
    if not isinstance(replicates, int | np.integer) or replicates < 2:
        raise InputError("replicates must be an integer >= 2", where="bootstrap",
                         expected="e.g. replicates=200", got=replicates)
    n_h = structure.psu_per_stratum
    m_h = np.maximum(n_h - 1, 0)
    # PSUs listed stratum by stratum; a draw picks position first_h + floor(U n_h)
    by_stratum = np.argsort(structure.psu_stratum, kind="stable")
    first_psu = np.concatenate(([0], np.cumsum(n_h)[:-1]))
    draw_stratum = np.repeat(np.arange(n_h.size), m_h)
    u = rng.random((draw_stratum.size, replicates))
    position = first_psu[draw_stratum][:, None] + np.floor(u * n_h[draw_stratum][:, None]).astype(np.int64)
    picked = by_stratum[position]
    flat = picked + structure.n_psu * np.arange(replicates)[None, :]
    counts = np.bincount(flat.ravel(), minlength=structure.n_psu * replicates)
    counts = counts.reshape(replicates, structure.n_psu).T.astype(float)
    scale = np.where(n_h > 1, n_h / np.maximum(m_h, 1), 1.0)[structure.psu_stratum]
    mult = counts * scale[:, None]
    lonely = (n_h == 1)[structure.psu_stratum]
    mult[lonely, :] = 1.0
    return mult


def rao_wu_bootstrap_weights(design: Design, replicates: int = 200, seed: int | None = None,
                             ) -> np.ndarray:
    """(n, R) Rao–Wu rescaled bootstrap replicate weights (``m_h = n_h - 1``).

    Memory is ``n * R`` floats; :func:`sp2lnob.variance.estimate` works from the
    (PSUs x R) multipliers instead and never builds this matrix.
    """
    s = psu_structure(design)
    mult = rao_wu_psu_multipliers(s, replicates, np.random.default_rng(seed))
    return design.weights[:, None] * mult[s.row_psu, :]


def default_scale(method: str, replicates: int, fay_rho: float = 0.0) -> float:
    """Variance multiplier of ``method`` for ``replicates`` replicates (module docstring)."""
    method = check_replicate_method(method)
    r = replicates
    if method == "bootstrap":
        return 1.0 / (r - 1)
    if method in ("jackknife", "jk1"):
        return (r - 1) / r
    if method == "jkn":
        return 1.0
    if method == "brr":
        return 1.0 / r
    if method == "fay":
        return 1.0 / (r * (1.0 - fay_rho) ** 2)
    return 4.0 / r  # sdr


def check_replicate_method(method: str) -> str:
    if method not in REPLICATE_METHODS:
        raise InputError(f"unknown replicate method {method!r}", where="replicate weights",
                         expected=list(REPLICATE_METHODS), got=method,
                         hint=did_you_mean(str(method), REPLICATE_METHODS))
    return method


def jkn_rscales(design: Design, structure: PsuStructure | None = None) -> np.ndarray:
    """``(n_h - 1)/n_h`` for each JKn replicate, ``h`` the stratum of the rows it zeroes."""
    if design.replicate_weights is None:
        raise DataError("the design has no replicate weights", where="jkn_rscales()")
    s = structure if structure is not None else psu_structure(design)
    zeroed = (design.replicate_weights == 0) & (design.weights[:, None] > 0)
    has_zero = zeroed.any(axis=0)
    if not has_zero.all():
        raise DataError("JKn replicates must each delete one PSU", where="Design.replicate_weights",
                        got=f"{int((~has_zero).sum())} replicate(s) with no zeroed row",
                        hint="pass replicate_scale explicitly, or use method 'jk1'")
    first_row = np.argmax(zeroed, axis=0)
    n_h = s.psu_per_stratum[s.psu_stratum[s.row_psu[first_row]]]
    return (n_h - 1) / n_h


def replicate_variance(theta_full: float, theta_reps: np.ndarray, method: str,
                       scale: float | None = None, *, rscales: np.ndarray | None = None,
                       fay_rho: float = 0.0, mse: bool = False) -> float:
    """``scale * sum_r rscale_r (theta_r - centre)^2`` (module docstring; R ``svrVar``)."""
    reps = np.asarray(theta_reps, dtype=float)
    if reps.ndim != 1 or reps.size < 2:
        raise DataError("need at least two replicate estimates", where="replicate_variance()",
                        got=f"shape {reps.shape}")
    bad = ~np.isfinite(reps)
    if bad.any():
        raise DataError(f"{int(bad.sum())} replicate estimate(s) are not finite",
                        where="replicate_variance()", got=f"{int(bad.sum())} of {reps.size}",
                        hint="a replicate may leave a domain empty; use a larger domain or linearisation")
    sc = default_scale(method, reps.size, fay_rho) if scale is None else float(scale)
    rs = np.ones_like(reps) if rscales is None else np.asarray(rscales, dtype=float)
    centre = float(theta_full) if mse else float(reps[rs > 0].mean())
    return float(sc * np.sum(rs * (reps - centre) ** 2))
