"""Households, programme-set transfers, pre-transfer welfare and n-tiles (aspire.md §2).

Everything the indicators need is constant within a household (receipt,
per-capita transfer, welfare), so it is computed once per household, with the
household's person weight ``W_h = sum of its members' weights``: a weighted
statistic over households with ``W_h`` equals the same statistic over persons.

Pre-transfer welfare of a set S: ``y_pre = max(y - sum_{j in S} a_j, 0)`` with
``a_j`` the household's per-capita transfer of programme j (first-order, no
behavioural response: the ASPIRE / ADePT SP simulation). Rows floored at 0 are
counted and reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sp2lnob.errors import DataError
from sp2lnob.performance.inputs import PerformanceInput
from sp2lnob.performance.programme_sets import ProgrammeSet
from sp2lnob.survey.design import Design
from sp2lnob.variance.design_variance import PsuStructure, psu_structure


@dataclass(frozen=True, eq=False)
class Households:
    """One row per household: first person row, person weight, persons, welfare, PSU."""

    first: np.ndarray       # (H,) index of the household's first person row
    weight: np.ndarray      # (H,) W_h, sum of person weights
    persons: np.ndarray     # (H,) N_h, person rows
    welfare: np.ndarray     # (H,) post-transfer welfare per capita
    psu: np.ndarray         # (H,) PSU index (PsuStructure numbering)
    structure: PsuStructure
    psu_is_household: bool  # the design had no PSU: households are the clusters

    @property
    def n(self) -> int:
        return int(self.first.size)


def households(inp: PerformanceInput) -> Households:
    """Collapse person rows to households (the PSU must be constant within a household)."""
    hh = inp.household
    first = inp.first_row
    n_hh = int(first.size)
    weight = np.bincount(hh, weights=inp.weight, minlength=n_hh)
    persons = np.rint(np.bincount(hh, weights=inp.row_persons, minlength=n_hh)).astype(np.int64)
    welfare = inp.welfare[first]
    if not np.array_equal(welfare[hh], inp.welfare):
        bad = int(np.count_nonzero(welfare[hh] != inp.welfare))
        raise DataError("welfare varies within a household", where="welfare",
                        expected="one per-capita welfare value per household", got=f"{bad} person rows differ",
                        hint="per-capita welfare is a household quantity; check the welfare role")
    design = inp.design
    psu_is_household = design.psu is None
    if psu_is_household:
        # Persons of a household are not independent draws: the household is the cluster.
        design = Design(weights=design.weights, strata=design.strata, psu=hh, fpc=design.fpc)
    structure = psu_structure(design)
    psu_hh = structure.row_psu[first]
    if not np.array_equal(psu_hh[hh], structure.row_psu):
        raise DataError("a household spans several PSUs or strata", where="design",
                        expected="households nested in PSUs", hint="check the psu and strata roles")
    return Households(first, weight, persons, welfare, psu_hh, structure, psu_is_household)


def set_transfers(inp: PerformanceInput, hh: Households,
                  sets: Sequence[ProgrammeSet]) -> tuple[np.ndarray, np.ndarray]:
    """Household receipt (H, K) bool and per-capita transfer (H, K) of every set.

    Receipt of a set = receipt of any member; transfer = sum of members' transfers.
    """
    names = [p.name for p in inp.programmes]
    rec_p = inp.receipt[hh.first]
    amt_p = inp.amount_pc[hh.first]
    receipt = np.empty((hh.n, len(sets)), dtype=bool, order="F")  # one contiguous column per set
    amount = np.empty((hh.n, len(sets)), order="F")
    for k, s in enumerate(sets):  # a loop over sets
        idx = [names.index(m) for m in s.members]
        receipt[:, k] = rec_p[:, idx].any(axis=1)
        amount[:, k] = amt_p[:, idx].sum(axis=1)
    return receipt, amount


def pretransfer_welfare(welfare: np.ndarray, transfer: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``max(y - transfer, 0)`` and the mask of rows floored at 0 (works on (H,) or (H, K))."""
    y = welfare if transfer.ndim == 1 else welfare[:, None]
    raw = y - transfer
    floored = raw < 0
    return np.where(floored, 0.0, raw), floored


@dataclass(frozen=True, eq=False)
class Distribution:
    """N-tile group (1..n) of each household, the Gini, and the sorted (positive-weight) rows."""

    ntile: np.ndarray
    gini: float
    order: np.ndarray | None   # households with positive weight by increasing welfare
    sorted_values: np.ndarray
    sorted_weights: np.ndarray


def school_quantiles(xs: np.ndarray, cw: np.ndarray, p: np.ndarray) -> np.ndarray:
    """R survey ``qrule="school"`` quantiles of sorted data (as :mod:`sp2lnob.measures.quantiles`):
    ``Q(p) = x_(h)`` with ``h`` the first row whose cumulative weight exceeds ``pW``, or
    the average of ``x_(l)`` and ``x_(l+1)`` when ``C_l = pW`` exactly.
    """
    total = cw[-1]
    count = np.searchsorted(cw, p * total, side="right")
    low = np.maximum(count - 1, 0)
    high = np.minimum(count, cw.size - 1)
    exact = (count > 0) & (p - cw[low] / total == 0)
    return np.where(exact, (xs[low] + xs[high]) / 2.0, xs[high])


def _from_sorted(values: np.ndarray, xs: np.ndarray, ws: np.ndarray, n: int, where: str,
                 order: np.ndarray | None = None) -> Distribution:
    distinct = 1 + int(np.count_nonzero(xs[1:] != xs[:-1])) if xs.size else 0
    if distinct < n:
        raise DataError(f"the {where} has fewer distinct values than groups", where=where,
                        expected=f"at least {n} distinct welfare values for {n} groups",
                        got=f"{distinct} distinct value(s)",
                        hint="use fewer groups (--ntiles) or check the welfare variable and transfers")
    cw = np.cumsum(ws)
    cuts = school_quantiles(xs, cw, np.arange(1, n) / n)
    groups = (np.searchsorted(cuts, values, side="left") + 1).astype(np.int64)
    # Gini with each row ranked at the middle of its weight (laeken / sp2lnob.measures.gini):
    # G = (2 sum w y C - sum w^2 y) / (W sum w y) - 1
    wx = ws * xs
    total_wx = float(wx.sum())
    gini = (2.0 * float(np.dot(wx, cw)) - float(np.dot(ws, wx))) / (cw[-1] * total_wx) - 1.0 \
        if total_wx > 0 else float("nan")
    return Distribution(groups, gini, order, xs, ws)


def distribution(values: np.ndarray, weight: np.ndarray, n: int, *, where: str) -> Distribution:
    """Weighted n-tiles (the :func:`sp2lnob.measures.ntile` rule, Stata ``xtile`` with
    weights: ``g = 1 + #{k : Q(k/n) < y}``, school quantiles; ties kept together)
    and the Gini, from one sort. Fewer than ``n`` distinct values is an error.
    """
    positive = np.flatnonzero(weight > 0)
    order = positive[np.argsort(values[positive], kind="stable")]
    return _from_sorted(values, values[order], weight[order], n, where, order)


def changed_distribution(post: Distribution, values: np.ndarray, changed: np.ndarray,
                         weight: np.ndarray, n: int, *, where: str) -> Distribution:
    """:func:`distribution` of ``values`` that differ from the post-transfer welfare only on
    ``changed`` rows: the unchanged rows keep their sorted order, only the changed
    ones are sorted and merged in (O(n + c log c) instead of a full sort).
    """
    assert post.order is not None   # built by distribution(), which keeps the order
    changed_sorted = changed[post.order]
    xs_kept = post.sorted_values[~changed_sorted]
    ws_kept = post.sorted_weights[~changed_sorted]
    moved = np.flatnonzero(changed & (weight > 0))
    xs_moved = values[moved]
    o = np.argsort(xs_moved, kind="stable")
    xs_moved, ws_moved = xs_moved[o], weight[moved][o]
    slot = np.searchsorted(xs_kept, xs_moved, side="right") + np.arange(moved.size)
    size = xs_kept.size + moved.size
    is_moved = np.zeros(size, dtype=bool)
    is_moved[slot] = True
    xs = np.empty(size)
    ws = np.empty(size)
    xs[is_moved], xs[~is_moved] = xs_moved, xs_kept
    ws[is_moved], ws[~is_moved] = ws_moved, ws_kept
    order = np.empty(size, dtype=np.int64)   # households in that order (for influence values)
    order[is_moved], order[~is_moved] = moved[o], post.order[~changed_sorted]
    return _from_sorted(values, xs, ws, n, where, order)
