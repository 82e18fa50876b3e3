"""The dissimilarity index (D-index) and the Human Opportunity Index (HOI).

For groups i with population shares β_i (Σβ = 1) and access rates p_i, and
p̄ = Σ β_i p_i (Paes de Barros et al. 2009, *Measuring Inequality of
Opportunities in Latin America and the Caribbean*, World Bank, ch. 2):

    D = (1 / (2 p̄)) Σ_i β_i |p_i − p̄|,      HOI = p̄ (1 − D).

Three definitions of the groups are used in the field; every result names its
``method``:

* ``leaves`` — the leaves of the LNOB tree (ESCAP's platform);
* ``cells``  — the full cross-classification of the circumstances;
* ``logit``  — p_i is each person's probability from a weighted logit on the
  circumstances (World Bank / Stata ``hoi``), D = (1/(2p̄)) Σ w_i |p̂_i − p̄| / Σ w_i
  with p̄ the weighted mean of the p̂_i (equal to the observed rate at the MLE
  with an intercept).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from sp2lnob.errors import DataError, InputError

GroupMethod = Literal["leaves", "cells", "logit"]
GROUP_METHODS: tuple[str, ...] = ("leaves", "cells", "logit")


def _rates_shares(rates, shares) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(rates, dtype=float).reshape(-1)
    b = np.asarray(shares, dtype=float).reshape(-1)
    if p.shape != b.shape:
        raise InputError("rates and shares must have the same length", expected=p.shape[0], got=b.shape[0])
    if p.shape[0] == 0:
        raise InputError("no groups given")
    if not (np.all(np.isfinite(p)) and np.all(np.isfinite(b))):
        raise DataError("rates and shares must be finite numbers")
    if np.any(b < 0) or not b.sum() > 0:
        raise DataError("shares must be non-negative with a positive total", got=b.tolist())
    if np.any((p < 0) | (p > 1)):
        raise DataError("access rates must lie in [0, 1]", got=p.tolist())
    return p, b / b.sum()


def mean_rate(rates, shares) -> float:
    """p̄ = Σ β_i p_i (shares normalised to sum to one)."""
    p, b = _rates_shares(rates, shares)
    return float(b @ p)


def d_index(rates, shares) -> float:
    """D = (1/(2p̄)) Σ β_i |p_i − p̄| for groups with access ``rates`` and population ``shares``.

    Shares are normalised to sum to one. D is in [0, 1 − min β] and is 0 when every group
    has the average rate. Undefined when p̄ = 0 (no one has access): raises ``DataError``.
    """
    p, b = _rates_shares(rates, shares)
    pbar = float(b @ p)
    if not pbar > 0:
        raise DataError("the D-index is undefined when no one has access (mean rate 0)",
                        hint="check the outcome coding (1 = has the opportunity)")
    return float(b @ np.abs(p - pbar) / (2 * pbar))


def hoi(rates, shares) -> float:
    """Human Opportunity Index HOI = p̄ (1 − D)."""
    p, b = _rates_shares(rates, shares)
    pbar = float(b @ p)
    return 0.0 if pbar == 0 else pbar * (1 - d_index(p, b))


def group_rates(y: np.ndarray, w: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per group (codes 0..G−1 from ``np.unique``): unique labels, weighted rate, weight, row count."""
    labels, codes = np.unique(groups, return_inverse=True)
    codes = codes.reshape(-1)
    weight = np.bincount(codes, weights=w, minlength=labels.shape[0])
    n = np.bincount(codes, minlength=labels.shape[0])
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.bincount(codes, weights=w * y, minlength=labels.shape[0]) / weight
    return labels, rate, weight, n


def d_index_of_groups(y: np.ndarray, w: np.ndarray, groups: np.ndarray) -> float:
    """D of the partition given by ``groups`` (one code per row); groups with zero weight are ignored."""
    _, rate, weight, _ = group_rates(y, w, groups)
    keep = weight > 0
    return d_index(rate[keep], weight[keep])


def cell_codes(codes: list[np.ndarray]) -> np.ndarray:
    """One integer per distinct combination of the given integer-coded circumstances."""
    if not codes:
        raise InputError("no circumstances given for the cells")
    key = np.zeros(codes[0].shape[0], dtype=np.int64)
    for c in codes:
        _, inv = np.unique(c, return_inverse=True)
        key = key * (int(inv.max()) + 1) + inv.reshape(-1)
        _, key = np.unique(key, return_inverse=True)  # keep the key small
        key = key.reshape(-1).astype(np.int64)
    return key


def d_index_of_probabilities(p_hat: np.ndarray, w: np.ndarray) -> float:
    """D = (1/(2p̄)) Σ w_i |p̂_i − p̄| / Σ w_i with p̄ = Σ w p̂ / Σ w (the ``logit`` definition)."""
    p_hat = np.asarray(p_hat, dtype=float)
    w = np.asarray(w, dtype=float)
    return d_index(p_hat, w)


def design_matrix(codes: list[np.ndarray], numeric: list[np.ndarray | None]) -> np.ndarray:
    """Intercept + for each circumstance either its numeric value (ordered/continuous: ``numeric``
    given) or dummies for its levels except the first (unordered: ``numeric[k] is None``)."""
    cols = [np.ones(codes[0].shape[0])] if codes else []
    for c, x in zip(codes, numeric, strict=True):
        if x is not None:
            cols.append(np.asarray(x, dtype=float))
            continue
        levels = np.unique(c)
        for lev in levels[1:]:
            cols.append((c == lev).astype(float))
    return np.column_stack(cols)


def weighted_logit(X: np.ndarray, y: np.ndarray, w: np.ndarray, *, max_iter: int = 100,
                   tol: float = 1e-10) -> tuple[np.ndarray, bool, int]:
    """Weighted logistic regression by iteratively re-weighted least squares (Newton).

    Maximises Σ w_i [y_i log p_i + (1 − y_i) log(1 − p_i)], p = 1/(1+e^{−Xβ}); the same
    point estimates as R's ``glm(family = quasibinomial, weights = w)``. Weights are
    rescaled to mean 1 (does not change β). Returns (β, converged, iterations).
    """
    w = np.asarray(w, dtype=float)
    w = w / w.mean()
    beta = np.zeros(X.shape[1])
    pbar = float(np.clip((w @ y) / w.sum(), 1e-6, 1 - 1e-6))
    beta[0] = np.log(pbar / (1 - pbar))
    dev_old = np.inf
    for it in range(1, max_iter + 1):
        eta = X @ beta
        p = 1.0 / (1.0 + np.exp(-eta))
        p = np.clip(p, 1e-15, 1 - 1e-15)
        v = w * p * (1 - p)
        grad = X.T @ (w * (y - p))
        hess = (X * v[:, None]).T @ X
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        beta = beta + step
        p = np.clip(1.0 / (1.0 + np.exp(-(X @ beta))), 1e-15, 1 - 1e-15)
        dev = -2 * float(w @ (y * np.log(p) + (1 - y) * np.log(1 - p)))
        if abs(dev - dev_old) <= tol * (abs(dev) + 0.1):
            return beta, True, it
        dev_old = dev
    return beta, False, max_iter


def logistic(eta: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-eta))


def recalibrate_intercept(eta: np.ndarray, w: np.ndarray, target: float, *, max_iter: int = 100) -> np.ndarray:
    """Shift ``eta`` by a constant so the weighted mean of logistic(eta) equals ``target`` (Newton)."""
    shift = 0.0
    ws = w / w.sum()
    for _ in range(max_iter):
        p = logistic(eta + shift)
        f = float(ws @ p) - target
        g = float(ws @ (p * (1 - p)))
        if abs(f) < 1e-13 or g <= 0:
            break
        shift -= f / g
    return eta + shift
