"""Overlap of programmes and families (aspire.md §3).

* ``overlap_families``: share of people living in households that receive none,
  exactly one, two, or three or more of the SPL families present (social
  assistance, social insurance, labour market);
* ``overlap_programmes``: the same counts over the survey's programmes;
* ``overlap_pairwise``: share of people whose household receives both programme
  A (``programme``) and programme B (``group``, with ``group_var =
  "with_programme"``); the diagonal is each programme's coverage.

Each is a coverage-type ratio ``sum w 1[condition] / sum w`` with its
linearisation SE (:mod:`sp2lnob.performance.se`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import polars as pl

from sp2lnob.performance.indicators import Sums, distribution_indicators, long_rows
from sp2lnob.performance.pretransfer import Households
from sp2lnob.performance.se import group_table, ratio, sum_rows

COUNT_LABELS = ("none", "one", "two", "three_or_more")


def count_flags(receipt: np.ndarray) -> np.ndarray:
    """(H, 4) flags of receiving 0, 1, 2, 3+ of the columns of ``receipt``."""
    count = receipt.sum(axis=1)
    return np.column_stack([count == 0, count == 1, count == 2, count >= 3])


def overlap_count_rows(sums: Sums, blocks: Sequence[str], group_var: str, labels: Sequence[str],
                       *, basis: str = "none", lonely_psu: str | None = None) -> pl.DataFrame:
    """Rows of the count shares; ``sums.flags`` holds 4 count flags per entry of ``blocks``."""
    frames = []
    for b, indicator in enumerate(blocks):
        part = replace(sums, flags={k: v[:, 4 * b:4 * b + 4] for k, v in sums.flags.items()})
        frame = distribution_indicators(part, group_var, labels, COUNT_LABELS, ["overlap"] * 4,
                                        np.zeros(4, bool), basis=basis, lonely_psu=lonely_psu,
                                        indicators=("coverage",), block="flags")
        frames.append(frame.with_columns(pl.lit(indicator).alias("indicator")))
    return pl.concat(frames, how="vertical")


def overlap_pairwise(hh: Households, receipt: np.ndarray, names: Sequence[str],
                     *, lonely_psu: str | None = None) -> pl.DataFrame:
    """Share of the population receiving both A and B, for every pair of programmes."""
    table, inverse = group_table(hh.psu, np.zeros(hh.n, dtype=np.int64), 1, hh.structure)
    rows = table.psu.size
    P = receipt.shape[1]
    pairs = [(a, b) for a in range(P) for b in range(a, P)]
    num = np.empty((rows, len(pairs)))
    for j, (a, b) in enumerate(pairs):  # a loop over programme pairs
        both = receipt[:, a] & receipt[:, b]
        num[:, j] = np.bincount(inverse, weights=np.where(both, hh.weight, 0.0), minlength=rows)
    est = ratio(table, num, sum_rows(inverse, rows, hh.weight), lonely_psu=lonely_psu)
    value = np.empty((P, P))
    se = np.empty((P, P))
    for j, (a, b) in enumerate(pairs):
        value[a, b] = value[b, a] = est.value[0, j]
        se[a, b] = se[b, a] = est.se[0, j]
    n = np.full((P, P), float(hh.persons.sum()))
    wn = np.full((P, P), float(hh.weight.sum()))
    return long_rows("overlap_pairwise", value, se, n, wn, names, ["programme"] * P,
                     "with_programme", tuple(names), "none")
