"""Distributional performance indicators by group (aspire.md §3), every set at once.

For a grouping with groups g, and a set with household receipt ``r`` (0/1),
per-capita transfer ``a`` and post-transfer welfare ``y`` (persons i, weights w):

* coverage            ``sum_{i in g} w r / sum_{i in g} w``
* beneficiary incidence ``sum_{i in g} w r / sum_i w r``
* benefit incidence   ``sum_{i in g} w a / sum_i w a``
* adequacy            ``sum_{i in g} w a r / sum_{i in g} w y r`` (transfers over the
  post-transfer welfare of the same beneficiaries, as ASPIRE)
* average per-capita transfer ``sum_{i in g} w a r / sum_{i in g} w r``

A beneficiary is anyone living in a receiving household (direct and indirect),
so ``r`` and ``a`` are household quantities. Persons are aggregated to cells
(household × group; households themselves for household-level groupings),
cells to (PSU × group) rows, and every ratio and SE is computed from those sums
(:mod:`sp2lnob.performance.se`): no loop over persons or households. Several
groupings share one pass over the cells: the sums are taken once by (PSU ×
joint group) and each grouping's table is re-aggregated from that small table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from sp2lnob.performance.pretransfer import Households
from sp2lnob.performance.se import GroupTable, group_table, ratio, sum_rows

DISTRIBUTION_INDICATORS = (
    "coverage", "beneficiary_incidence", "benefit_incidence", "adequacy", "average_transfer",
)
AMOUNT_INDICATORS = ("benefit_incidence", "adequacy", "average_transfer")
SET_STATS = ("wr", "nr", "wa", "wyr")
FLAG_STATS = ("wr", "nr")


@dataclass(frozen=True, eq=False)
class Cells:
    """Person weight and count of each (household, group) cell present."""

    household: np.ndarray   # (C,) household index
    group: np.ndarray       # (C,) group code
    weight: np.ndarray      # (C,) sum of person weights
    persons: np.ndarray     # (C,) person rows
    n_groups: int
    household_level: bool = True  # cells are whole households (weight = W_h, persons = N_h)
    excluded_persons: int = 0


@dataclass(frozen=True, eq=False)
class HouseholdStats:
    """Per-household receipt and transfer of every set, and 0/1 flags (overlap counts).

    Weighted columns are built per cell as ``W r``, ``N r``, ``W a``, ``W y r``
    (``W`` the cell's person weight, ``N`` its persons).
    """

    receipt: np.ndarray   # (H, K) bool
    amount: np.ndarray    # (H, K) per-capita transfer
    welfare: np.ndarray   # (H,)
    flags: np.ndarray     # (H, F) bool

    @cached_property
    def receipt_f(self) -> np.ndarray:
        """Receipt as 0/1 floats, one contiguous column per set."""
        return np.asfortranarray(self.receipt, dtype=np.float64)

    @cached_property
    def flags_f(self) -> np.ndarray:
        return np.asfortranarray(self.flags, dtype=np.float64)


def household_cells(hh: Households, codes: np.ndarray, n_groups: int) -> Cells:
    """Cells of a household-level grouping (codes per household, -1 = missing)."""
    keep = codes >= 0
    if keep.all():
        return Cells(np.arange(hh.n), codes, hh.weight, hh.persons, n_groups)
    idx = np.flatnonzero(keep)
    return Cells(idx, codes[idx], hh.weight[idx], hh.persons[idx], n_groups,
                 excluded_persons=int(hh.persons[~keep].sum()))


def person_cells(household: np.ndarray, weight: np.ndarray, codes: np.ndarray, n_households: int,
                 n_groups: int) -> Cells:
    """Cells (household × group) of a person-level grouping (codes per person, -1 = missing)."""
    keep = codes >= 0
    key = household[keep] * n_groups + codes[keep]
    size = n_households * n_groups
    if size <= 4 * key.size + 1024:  # dense bins, no sort
        persons = np.bincount(key, minlength=size)
        uniq = np.flatnonzero(persons)
        cell_weight = np.bincount(key, weights=weight[keep], minlength=size)[uniq]
        persons = persons[uniq]
    else:
        uniq, inverse = np.unique(key, return_inverse=True)
        cell_weight = np.bincount(inverse, weights=weight[keep], minlength=uniq.size)
        persons = np.bincount(inverse, minlength=uniq.size)
    return Cells((uniq // n_groups).astype(np.int64), (uniq % n_groups).astype(np.int64), cell_weight,
                 persons, n_groups, household_level=False, excluded_persons=int((~keep).sum()))


@dataclass(frozen=True, eq=False)
class Sums:
    """Weighted sums by (PSU, group) row: person weight, persons, and per-set / per-flag stats."""

    table: GroupTable
    weight: np.ndarray                 # (J,)
    persons: np.ndarray                # (J,)
    sets: dict[str, np.ndarray]        # stat -> (J, K)
    flags: dict[str, np.ndarray]       # stat -> (J, F)


def cell_sums(cells: Cells, hh: Households, stats: HouseholdStats, cols: Sequence[int] | None = None,
              with_flags: bool = True) -> Sums:
    """One pass over the cells: (PSU, group) sums of every stat of the sets ``cols`` (and flags).

    Cell columns are ``W r``, ``N r``, ``W a``, ``W y r``, written as products into
    reused buffers (``where`` and fresh temporaries are several times slower).
    """
    table, inverse = group_table(hh.psu[cells.household], cells.group, max(cells.n_groups, 1),
                                 hh.structure)
    rows = table.psu.size
    cols = range(stats.receipt.shape[1]) if cols is None else cols
    whole = cells.household_level and cells.household.size == hh.n
    weight = cells.weight
    persons = cells.persons.astype(np.float64)
    wy = weight * (stats.welfare if whole else stats.welfare[cells.household])
    r_buf = np.empty(weight.size)
    a_buf = np.empty(weight.size)
    col = np.empty(weight.size)

    def column(source: np.ndarray, out: np.ndarray) -> np.ndarray:
        if whole:
            return source
        return np.take(source, cells.household, out=out)

    def add(target: np.ndarray, j: int, factor: np.ndarray, values: np.ndarray) -> None:
        np.multiply(factor, values, out=col)
        target[:, j] = np.bincount(inverse, weights=col, minlength=rows)

    sets = {s: np.empty((rows, len(cols)), order="F") for s in SET_STATS}
    for j, k in enumerate(cols):  # a loop over sets
        r = column(stats.receipt_f[:, k], r_buf)
        a = column(stats.amount[:, k], a_buf)
        add(sets["wr"], j, weight, r)
        add(sets["nr"], j, persons, r)
        add(sets["wa"], j, weight, a)
        add(sets["wyr"], j, wy, r)
    n_flags = stats.flags.shape[1] if with_flags else 0
    flags = {s: np.empty((rows, n_flags), order="F") for s in FLAG_STATS}
    for f in range(n_flags):  # a loop over overlap flags
        r = column(stats.flags_f[:, f], r_buf)
        add(flags["wr"], f, weight, r)
        add(flags["nr"], f, persons, r)
    return Sums(table, sum_rows(inverse, rows, weight), sum_rows(inverse, rows, persons), sets, flags)


def marginal(sums: Sums, group_of: np.ndarray, n_groups: int) -> Sums:
    """Re-aggregate sums by joint group to one grouping (``group_of[joint]``, -1 = missing)."""
    g = group_of[sums.table.group]
    keep = g >= 0
    every = bool(keep.all())
    table, inverse = group_table(sums.table.psu if every else sums.table.psu[keep], g if every else g[keep],
                                 max(n_groups, 1), sums.table.structure)
    rows = table.psu.size

    def agg(m: np.ndarray) -> np.ndarray:
        return sum_rows(inverse, rows, m if every else m[keep])

    return Sums(table, agg(sums.weight), agg(sums.persons),
                {k: agg(v) for k, v in sums.sets.items()}, {k: agg(v) for k, v in sums.flags.items()})


def distribution_indicators(
    sums: Sums, group_var: str, labels: Sequence[str], set_names: Sequence[str],
    set_types: Sequence[str], has_amount: np.ndarray, *, basis: str = "none",
    lonely_psu: str | None = None, indicators: Sequence[str] = DISTRIBUTION_INDICATORS,
    block: str = "sets",
) -> pl.DataFrame:
    """Tidy rows of every indicator × set × group from (PSU, group) sums."""
    table = sums.table
    stat = getattr(sums, block)
    W = sums.weight
    n_g, w_g = table.totals(sums.persons), table.totals(W)
    Wr, Wa, Wyr = stat["wr"], stat.get("wa"), stat.get("wyr")
    nr_g, wr_g = table.totals(stat["nr"]), table.totals(Wr)
    K = Wr.shape[1]
    frames = []
    for name in indicators:
        if name == "coverage":
            est, n, wn = ratio(table, Wr, W, lonely_psu=lonely_psu), np.repeat(n_g[:, None], K, 1), \
                np.repeat(w_g[:, None], K, 1)
        elif name == "beneficiary_incidence":
            est, n, wn = ratio(table, Wr, Wr, den_all=True, lonely_psu=lonely_psu), nr_g, wr_g
        elif name == "benefit_incidence":
            est, n, wn = ratio(table, Wa, Wa, den_all=True, lonely_psu=lonely_psu), nr_g, wr_g
        elif name == "adequacy":
            est, n, wn = ratio(table, Wa, Wyr, lonely_psu=lonely_psu), nr_g, wr_g
        elif name == "average_transfer":
            est, n, wn = ratio(table, Wa, Wr, lonely_psu=lonely_psu), nr_g, wr_g
        else:  # pragma: no cover - names come from DISTRIBUTION_INDICATORS
            raise AssertionError(name)
        keep = np.ones(K, dtype=bool) if name not in AMOUNT_INDICATORS else np.asarray(has_amount)
        frames.append(long_rows(name, est.value, est.se, n, wn, set_names, set_types,
                                group_var, labels, basis, keep))
    return pl.concat(frames, how="vertical")


SCHEMA = {"indicator": pl.String, "programme": pl.String, "set_type": pl.String, "group_var": pl.String,
          "group": pl.String, "basis": pl.String, "line": pl.String, "value": pl.Float64, "se": pl.Float64,
          "n": pl.Int64, "weighted_n": pl.Float64}


def long_rows(indicator: str, value: np.ndarray, se: np.ndarray, n: np.ndarray, wn: np.ndarray,
              set_names: Sequence[str], set_types: Sequence[str], group_var: str,
              labels: Sequence[str], basis: str, keep: np.ndarray | None = None,
              line: str | None = None) -> pl.DataFrame:
    """(G, K) arrays → tidy rows, groups varying fastest within each set."""
    G, K = value.shape
    keep = np.ones(K, dtype=bool) if keep is None else np.asarray(keep, dtype=bool)
    ks = np.flatnonzero(keep)
    rows = G * ks.size

    def take(m: np.ndarray) -> np.ndarray:
        return np.broadcast_to(np.asarray(m, dtype=np.float64), (G, K))[:, ks].T.reshape(-1)

    set_index = pl.Series(np.repeat(ks, G), dtype=pl.UInt32)
    group_index = pl.Series(np.tile(np.arange(G), ks.size), dtype=pl.UInt32)
    return pl.DataFrame({
        "indicator": pl.repeat(indicator, rows, eager=True, dtype=pl.String),
        "programme": pl.Series(list(set_names), dtype=pl.String).gather(set_index),
        "set_type": pl.Series(list(set_types), dtype=pl.String).gather(set_index),
        "group_var": pl.repeat(group_var, rows, eager=True, dtype=pl.String),
        "group": pl.Series(list(labels), dtype=pl.String).gather(group_index),
        "basis": pl.repeat(basis, rows, eager=True, dtype=pl.String),
        "line": pl.repeat(line, rows, eager=True, dtype=pl.String),
        "value": take(value),
        "se": take(se),
        "n": take(n).astype(np.int64),
        "weighted_n": take(wn),
    }, schema=SCHEMA)
