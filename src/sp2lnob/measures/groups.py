"""Measures by group, and additive decompositions (FGT by subgroup, Theil within/between).

Grouping is done once with Polars (row indices per group); the loop then runs
over groups, never over rows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, InputError, Sp2lnobError, did_you_mean
from sp2lnob.measures._validate import as_arrays, as_line, require_positive
from sp2lnob.measures.poverty import _alpha, fgt_terms


def group_frame(groups: Any, n: int, *, where: str) -> pl.DataFrame:
    """Grouping variable(s) as a DataFrame: one column ``group``, or one per dict key."""
    if isinstance(groups, Mapping):
        if not groups:
            raise InputError("no grouping variable given", where=where, expected="at least one group column",
                             got="{}")
        cols = {str(k): _as_series(v, str(k)) for k, v in groups.items()}
    else:
        cols = {"group": _as_series(groups, "group")}
    for name, s in cols.items():
        if s.len() != n:
            raise DataError(f"grouping variable {name!r} has the wrong length", where=where,
                            expected=f"{n} values (one per row)", got=f"{s.len()} values")
        if s.null_count():
            raise DataError(f"grouping variable {name!r} has {s.null_count()} missing value(s)",
                            where=where, expected="a group for every row", got=f"{s.null_count()} nulls",
                            hint="fill missing groups with an explicit label such as 'unknown'")
    return pl.DataFrame(list(cols.values()))


def _as_series(v: Any, name: str) -> pl.Series:
    if isinstance(v, pl.Series):
        return v.alias(name)
    return pl.Series(name, np.asarray(v) if not hasattr(v, "to_numpy") else v.to_numpy())


def group_rows(keys: pl.DataFrame) -> tuple[pl.DataFrame, np.ndarray, np.ndarray]:
    """Distinct groups (sorted by the keys), the row numbers grouped by group, and each group's start.

    Rows of group ``g`` are ``order[starts[g]:starts[g + 1]]`` (one Polars
    hash aggregation; no sort of the rows).
    """
    names = keys.columns
    agg = keys.with_row_index("_row").group_by(names).agg(pl.col("_row")).sort(names)
    order = agg["_row"].explode().to_numpy().astype(np.int64, copy=False)
    lengths = agg["_row"].list.len().to_numpy().astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)))
    return agg.drop("_row"), order, starts


def by_group(measure: str | Callable[..., float], values: Any, weights: Any, groups: Any,
             **params: Any) -> pl.DataFrame:
    """Any scalar measure computed within each group: columns ``<group keys>, value, n, weighted_n``.

    ``measure`` is a function (e.g. :func:`gini`) or a name in ``MEASURES`` (whose
    default ``params`` apply unless overridden).
    ``groups`` is one array-like (column ``group``) or a dict ``name → array``
    (crossed groups, one column per name). Parameters that are per-row arrays
    (e.g. ``line``) are split by group with the data. ``n`` counts rows,
    ``weighted_n`` sums weights.
    """
    fn, defaults = _resolve(measure)
    params = {**defaults, **params}
    x, w = as_arrays(values, weights, name="by_group")
    table, order, starts = group_rows(group_frame(groups, x.size, where="by_group()"))
    per_row = {k: np.asarray(v) for k, v in params.items()
               if np.ndim(v) == 1 and len(v) == x.size}
    results, counts, wsum = [], [], []
    for g in range(table.height):   # loop over groups; each group's rows are one slice
        r = order[starts[g]: starts[g + 1]]
        kw = {k: (per_row[k][r] if k in per_row else v) for k, v in params.items()}
        try:
            results.append(float(fn(x[r], w[r], **kw)))
        except Sp2lnobError as err:   # say which group failed
            label = ", ".join(f"{k}={v!r}" for k, v in table.row(g, named=True).items())
            raise type(err)(f"{err.what} (in group {label})", where=err.where, expected=err.expected,
                            got=err.got, hint=err.hint) from err
        counts.append(r.size)
        wsum.append(float(w[r].sum()))
    return table.with_columns(
        pl.Series("value", results, dtype=pl.Float64),
        pl.Series("n", counts, dtype=pl.Int64),
        pl.Series("weighted_n", wsum, dtype=pl.Float64),
    )


def _resolve(measure: str | Callable[..., float]) -> tuple[Callable[..., float], dict[str, Any]]:
    """The function and its default parameters (registry defaults when given by name)."""
    if callable(measure):
        return measure, {}
    from sp2lnob.measures.registry import MEASURES  # registry imports this module's siblings

    if measure not in MEASURES:
        raise InputError(f"unknown measure {measure!r}", where="by_group()", expected=sorted(MEASURES),
                         got=measure, hint=did_you_mean(str(measure), MEASURES))
    info = MEASURES[measure]
    if info.returns != "scalar":
        raise InputError(f"measure {measure!r} returns an array, not one value per group",
                         where="by_group()", expected="a scalar measure", got=measure,
                         hint="call it on each group's rows, or use top_share/bottom_share")
    return info.function, dict(info.params)


def fgt_decomposition(values: Any, weights: Any, groups: Any, line: Any, alpha: float = 0.0) -> pl.DataFrame:
    """Additive subgroup decomposition of FGT(alpha) (Foster, Greer & Thorbecke 1984, §3).

    ``FGT = sum_g (W_g / W) FGT_g``. Columns: group key(s), ``n``, ``weighted_n``,
    ``population_share = W_g/W``, ``fgt = FGT_g``, ``contribution = population_share · fgt``
    (these add up to the national FGT) and ``contribution_share = contribution / FGT``
    (null when national FGT is 0).
    """
    a = _alpha(alpha)
    x, w = as_arrays(values, weights, name="fgt_decomposition")
    z = as_line(line, x.size, where="fgt_decomposition()")
    keys = group_frame(groups, x.size, where="fgt_decomposition()")
    names = keys.columns
    wt = w * fgt_terms(x, z, a)
    big_w = float(w.sum())
    national = float(wt.sum()) / big_w
    frame = (keys.with_columns(pl.Series("_w", w), pl.Series("_wt", wt))
             .group_by(names)
             .agg(pl.len().cast(pl.Int64).alias("n"), pl.col("_w").sum().alias("weighted_n"),
                  pl.col("_wt").sum().alias("_wt"))
             .sort(names))
    return frame.with_columns(
        (pl.col("weighted_n") / big_w).alias("population_share"),
        pl.when(pl.col("weighted_n") > 0).then(pl.col("_wt") / pl.col("weighted_n")).alias("fgt"),
        (pl.col("_wt") / big_w).alias("contribution"),
        (pl.col("_wt") / big_w / national if national > 0 else pl.lit(None, dtype=pl.Float64))
        .alias("contribution_share"),
    ).drop("_wt")


@dataclass(frozen=True)
class TheilDecomposition:
    """Within/between decomposition of GE(alpha) for alpha in {0, 1}: ``total = within + between``."""

    alpha: float
    total: float
    within: float
    between: float
    table: pl.DataFrame  # per group: keys, n, weighted_n, population_share, income_share, mean, index

    def to_frame(self) -> pl.DataFrame:
        """Tidy table: one row per component (``within``, ``between``, ``total``)."""
        return pl.DataFrame({"component": ["within", "between", "total"],
                             "value": [self.within, self.between, self.total],
                             "share_of_total": [self.within / self.total if self.total else None,
                                                self.between / self.total if self.total else None, 1.0]})

    def summary(self) -> str:
        name = "Theil T (GE(1))" if self.alpha == 1 else "Mean log deviation (GE(0))"
        pct = (lambda v: f"{100 * v / self.total:5.1f} %") if self.total else (lambda v: "   n/a")
        return "\n".join([f"{name} decomposition over {self.table.height} groups",
                          f"  total    {self.total:.6f}",
                          f"  within   {self.within:.6f}  {pct(self.within)}",
                          f"  between  {self.between:.6f}  {pct(self.between)}"])

    def __str__(self) -> str:
        return self.summary()


def theil_decomposition(values: Any, weights: Any, groups: Any, alpha: float = 1.0) -> TheilDecomposition:
    """Decompose Theil T (``alpha=1``) or the MLD (``alpha=0``) into within and between groups.

    Shorrocks (1980): with population shares ``p_g = W_g/W``, group means ``mu_g``
    and income shares ``s_g = p_g mu_g / mu``,
    GE(1): within ``= sum s_g T_g``, between ``= sum s_g ln(mu_g/mu)``;
    GE(0): within ``= sum p_g L_g``, between ``= sum p_g ln(mu/mu_g)``.
    Needs ``y > 0``.
    """
    if alpha not in (0, 1):
        raise InputError("theil_decomposition supports alpha 0 (MLD) or 1 (Theil T)",
                         where="theil_decomposition()", expected="0 or 1", got=alpha)
    x, w = as_arrays(values, weights, name="theil_decomposition")
    require_positive(x, w, where="theil_decomposition()", why="Theil indices take logs of welfare.")
    keys = group_frame(groups, x.size, where="theil_decomposition()")
    names = keys.columns
    big_w = float(w.sum())
    mu = float(np.dot(w, x)) / big_w
    r = x / mu
    # Per-row pieces so that every group sum is one Polars aggregation.
    piece = r * np.log(r) if alpha == 1 else -np.log(r)
    g = (keys.with_columns(pl.Series("_w", w), pl.Series("_wx", w * x), pl.Series("_wlx", w * np.log(x)),
                          pl.Series("_wylny", w * x * np.log(x)))
         .group_by(names)
         .agg(pl.len().cast(pl.Int64).alias("n"), pl.col("_w").sum().alias("weighted_n"),
              pl.col("_wx").sum(), pl.col("_wlx").sum(), pl.col("_wylny").sum())
         .sort(names)
         .filter(pl.col("weighted_n") > 0))
    wg = g["weighted_n"].to_numpy()
    mu_g = g["_wx"].to_numpy() / wg
    p_g = wg / big_w
    s_g = p_g * mu_g / mu
    mean_log_g = g["_wlx"].to_numpy() / wg
    if alpha == 1:
        # T_g = sum_{i in g} w y ln(y/mu_g) / (W_g mu_g), from group sums of w y ln y.
        index_g = g["_wylny"].to_numpy() / (wg * mu_g) - np.log(mu_g)
        within, between = float(np.dot(s_g, index_g)), float(np.dot(s_g, np.log(mu_g / mu)))
    else:
        index_g = np.log(mu_g) - mean_log_g
        within, between = float(np.dot(p_g, index_g)), float(np.dot(p_g, np.log(mu / mu_g)))
    total_index = float(np.dot(w, piece) / big_w)
    table = g.drop("_wx", "_wlx", "_wylny").with_columns(
        pl.Series("population_share", p_g), pl.Series("income_share", s_g),
        pl.Series("mean", mu_g), pl.Series("index", index_g))
    if not math.isclose(within + between, total_index, rel_tol=1e-9, abs_tol=1e-12):
        raise DataError("Theil decomposition does not add up (numerical problem)",
                        where="theil_decomposition()", expected=total_index, got=within + between)
    return TheilDecomposition(float(alpha), total_index, within, between, table)

