"""The best binary split of one node on one feature, as rpart's ANOVA method finds it.

Follows rpart 4.1 ``src/anova.c`` (function ``anova``) and ``src/graycode.c``
(``graycode_init2``), vectorised: the per-row loop of the C code becomes
per-value weighted sums (``np.bincount``) and cumulative sums over the sorted
distinct values.

For a node with weights w, outcome y and weighted mean ȳ, a candidate split
into left L and right R has the between-group sum of squares

    B = S_L² / W_L + S_R² / W_R,   S = Σ w (y − ȳ),  W = Σ w,

(the node deviance minus the children's deviances). rpart reports
``improve = B / dev(node)`` and keeps the split with the largest B (the first
one in scan order on ties, since it replaces only on a strictly larger value).

* Continuous / ordered features: candidates lie between adjacent distinct
  values present in the node; the threshold is their midpoint; rows with
  ``x < threshold`` go to the side whose mean is lower (rpart's ``direction``).
* Unordered features: present categories are ordered by their weighted mean
  (a stable insertion sort in rpart, so equal means keep level order) and the
  L − 1 cuts of that ordering are scanned (exact for the ANOVA criterion,
  Breiman et al. 1984, §9.4); the lower-mean subset goes left.
* Size rules: both children need at least ``min_bucket`` rows with positive
  weight (rpart's ``edge``, an unweighted count) and, when ``min_weight`` is
  given (ESCAP's extra rule, a share of the analysis population turned into a
  weight), at least that weighted size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Candidate:
    """The best split of one feature in one node."""

    feature: int
    between_ss: float           # B above (rpart's ``best``)
    count: int                  # rows with positive weight used (rpart's ``count``)
    left_count: int             # of which in the left child
    threshold: float | None     # continuous: the midpoint
    less_goes_left: bool        # continuous: rows with x < threshold go left
    left_codes: np.ndarray | None  # unordered: codes (into the feature's levels) sent left
    right_codes: np.ndarray | None  # unordered: codes sent right


def _best_cut(
    cn: np.ndarray,
    cw: np.ndarray,
    cs: np.ndarray,
    n_total: int,
    w_total: float,
    min_bucket: int,
    min_weight: float,
) -> tuple[int, float, np.ndarray] | None:
    """The cut (index into the cumulative sums) with the largest between-group sum of squares.

    ``cn``, ``cw``, ``cs``: cumulative counts, weights and centred weighted sums of
    the left side at each candidate cut. Both sides must hold ``min_bucket`` rows
    (rpart's unweighted rule) and ``min_weight`` weight (ESCAP's share rule).
    Between SS = cs²/cw + cs²/rw (the sums are centred, so the right side's is −cs).
    Returns ``(k, best, rw)`` or ``None`` when no cut is allowed or none improves;
    ``np.argmax`` keeps the first of equal cuts, as rpart does.
    """
    rw = w_total - cw
    ok = (cn >= min_bucket) & (n_total - cn >= min_bucket)
    if min_weight > 0:
        ok &= (cw >= min_weight) & (rw >= min_weight)
    if not ok.any():
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        between = cs * cs / cw + cs * cs / rw
    between = np.where(ok, between, 0.0)
    k = int(np.argmax(between))
    best = float(between[k])
    if not best > 0:
        return None
    return k, best, rw


def best_split_continuous(
    feature: int,
    counts: np.ndarray,
    wts: np.ndarray,
    sums: np.ndarray,
    values: np.ndarray,
    min_bucket: int,
    min_weight: float,
) -> Candidate | None:
    """Best threshold split from per-value sums over the sorted distinct ``values``."""
    present = np.flatnonzero(counts)
    if present.shape[0] < 2:
        return None  # rpart: "no place to split"
    n_total = int(counts.sum())
    w_total = float(wts.sum())
    cn = np.cumsum(counts[present])[:-1]
    cw = np.cumsum(wts[present])[:-1]
    cs = np.cumsum(sums[present])[:-1]
    found = _best_cut(cn, cw, cs, n_total, w_total, min_bucket, min_weight)
    if found is None:
        return None
    k, best, rw = found
    lo, hi = values[present[k]], values[present[k + 1]]
    return Candidate(
        feature=feature,
        between_ss=best,
        count=n_total,
        left_count=int(cn[k]) if cs[k] < -cs[k] else n_total - int(cn[k]),
        threshold=float((lo + hi) / 2),
        less_goes_left=bool(cs[k] < -cs[k]),
        left_codes=None,
        right_codes=None,
    )


def best_split_unordered(
    feature: int,
    counts: np.ndarray,
    wts: np.ndarray,
    sums: np.ndarray,
    min_bucket: int,
    min_weight: float,
) -> Candidate | None:
    """Best subset split of an unordered categorical feature by the mean-ordering shortcut."""
    present = np.flatnonzero(counts)
    if present.shape[0] < 2:
        return None
    means = sums[present] / wts[present]
    order = present[np.argsort(means, kind="stable")]  # rpart: insertion sort, ties keep level order
    n_total = int(counts.sum())
    w_total = float(wts.sum())
    cn = np.cumsum(counts[order])
    cw = np.cumsum(wts[order])
    cs = np.cumsum(sums[order])
    found = _best_cut(cn, cw, cs, n_total, w_total, min_bucket, min_weight)
    if found is None:
        return None
    k, best, rw = found
    lower, upper = order[: k + 1], order[k + 1 :]
    left_count = int(cn[k])
    # rpart sends the lower-mean subset left, flipping if rounding made it the higher one
    if cs[k] / cw[k] > -cs[k] / rw[k]:
        lower, upper = upper, lower
        left_count = n_total - left_count
    return Candidate(
        feature=feature,
        between_ss=best,
        count=n_total,
        left_count=left_count,
        threshold=None,
        less_goes_left=True,
        left_codes=np.sort(lower),
        right_codes=np.sort(upper),
    )
