"""Exact Shapley decomposition of an inequality index over circumstances.

For K circumstances and a value function D(S) on subsets (D(∅) = 0), the
contribution of circumstance k is (Shapley 1953; Shorrocks 2013, *J Econ
Inequal* 11:99–126):

    φ_k = Σ_{S ⊆ K∖{k}} |S|! (K − |S| − 1)! / K! · (D(S ∪ {k}) − D(S)),

and Σ φ_k = D(K), so the shares φ_k / D(K) sum to 100 %. All 2^K subsets are
evaluated (exact, not sampled): K ≤ 16 is accepted.

Variants (lnob.md §4): ``eliminate`` — D(S) from groups re-formed on S only
(tree refitted, cells of S, logit refitted on S); ``fix`` — logit only, the
circumstances outside S held at their weighted mean and the intercept
recalibrated so the mean rate is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from math import factorial

import numpy as np
import polars as pl

from sp2lnob.errors import InputError

MAX_CIRCUMSTANCES = 16


@dataclass(frozen=True)
class ShapleyResult:
    """Contributions of each circumstance to an index value (``total`` = D with all of them)."""

    names: tuple[str, ...]
    contributions: tuple[float, ...]
    total: float
    variant: str                # "eliminate" or "fix"
    group_method: str           # "leaves", "cells" or "logit"
    subset_values: dict[frozenset, float]

    @property
    def shares(self) -> tuple[float, ...]:
        """φ_k / D(K); sums to 1 (NaN when D(K) = 0)."""
        if self.total == 0:
            return tuple(float("nan") for _ in self.names)
        return tuple(c / self.total for c in self.contributions)

    def to_frame(self) -> pl.DataFrame:
        return pl.DataFrame({
            "circumstance": list(self.names),
            "contribution": list(self.contributions),
            "share": list(self.shares),
            "variant": [self.variant] * len(self.names),
            "group_method": [self.group_method] * len(self.names),
        }).sort("contribution", descending=True)

    def summary(self) -> str:
        lines = [f"Shapley decomposition of D = {self.total:.4f} ({self.variant}, groups: {self.group_method})"]
        for row in self.to_frame().iter_rows(named=True):
            lines.append(f"  {row['circumstance']:<24} {row['contribution']:8.4f}  {100 * row['share']:6.2f} %")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def shapley_values(
    names: Sequence[str],
    value: Callable[[frozenset], float],
    *,
    variant: str = "eliminate",
    group_method: str = "cells",
) -> ShapleyResult:
    """Exact Shapley values of ``value`` (a function of a frozenset of names, value(∅) taken as 0)."""
    names = tuple(names)
    k = len(names)
    if k == 0:
        raise InputError("no circumstances to decompose over")
    if k > MAX_CIRCUMSTANCES:
        raise InputError("too many circumstances for an exact Shapley decomposition",
                         expected=f"at most {MAX_CIRCUMSTANCES}", got=k,
                         hint="group related circumstances or decompose a subset")
    if len(set(names)) != k:
        raise InputError("circumstance names must be distinct", got=list(names))
    values: dict[frozenset, float] = {frozenset(): 0.0}
    for size in range(1, k + 1):
        for subset in combinations(names, size):
            s = frozenset(subset)
            values[s] = float(value(s))
    weight = [factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)]
    contrib = np.zeros(k)
    for i, name in enumerate(names):
        for s, v in values.items():
            if name in s:
                continue
            contrib[i] += weight[len(s)] * (values[s | {name}] - v)
    return ShapleyResult(
        names=names,
        contributions=tuple(float(c) for c in contrib),
        total=values[frozenset(names)],
        variant=variant,
        group_method=group_method,
        subset_values=values,
    )
