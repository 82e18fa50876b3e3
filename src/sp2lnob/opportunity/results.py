"""Immutable results of an LNOB analysis: a tidy table (``to_frame``) and a text summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from sp2lnob.errors import Warning_
from sp2lnob.opportunity.shapley import ShapleyResult
from sp2lnob.opportunity.tree import OpportunityTree


@dataclass(frozen=True)
class Group:
    """A group of people sharing circumstances (a tree leaf)."""

    node_id: int
    rule: str
    rate: float
    share: float
    n: int
    weight: float


@dataclass(frozen=True)
class Inequality:
    """D-index and HOI for one definition of the groups (``method``: leaves, cells or logit)."""

    method: str
    d_index: float
    hoi: float
    mean_rate: float
    n_groups: int | None            # None for logit (one probability per person)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "d_index": self.d_index, "hoi": self.hoi,
                "mean_rate": self.mean_rate, "n_groups": self.n_groups, "note": self.note}


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its bootstrap standard error."""

    name: str
    value: float
    se: float
    mode: str          # "refit" (tree re-grown per replicate) or "fixed" (groups held fixed)


@dataclass(frozen=True, eq=False)
class Uncertainty:
    """Bootstrap standard errors (design-based replicate weights), labelled by mode."""

    replicates: int
    seed: int | None
    source: str                       # "rao-wu bootstrap" or the design's replicate method
    estimates: tuple[Estimate, ...]
    small_leaves: tuple[int, ...]     # leaves whose unweighted n is below the flag threshold
    small_leaf_threshold: int

    def to_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {"estimate": [e.name for e in self.estimates], "value": [e.value for e in self.estimates],
             "se": [e.se for e in self.estimates], "mode": [e.mode for e in self.estimates]},
            schema={"estimate": pl.String, "value": pl.Float64, "se": pl.Float64, "mode": pl.String},
        )


@dataclass(frozen=True, eq=False)
class LnobResult:
    """Who is furthest behind for one indicator (one survey, one region)."""

    indicator: str
    label: str
    unit: str
    barrier: bool
    group_method: str
    inequality: Inequality                  # for ``group_method``
    other_methods: tuple[Inequality, ...]
    tree: OpportunityTree
    nodes: pl.DataFrame                      # the node table
    furthest_behind: Group
    furthest_ahead: Group
    importance: dict[str, float]
    circumstances: tuple[str, ...]
    n: int
    weight_total: float
    shapley: ShapleyResult | None = None
    uncertainty: Uncertainty | None = None
    warnings: tuple[Warning_, ...] = ()
    context: dict[str, str | None] = field(default_factory=dict)   # e.g. country, region
    feature_texts: dict[str, Any] = field(default_factory=dict)  # name → describe.FeatureText

    @property
    def d_index(self) -> float:
        return self.inequality.d_index

    @property
    def hoi(self) -> float:
        return self.inequality.hoi

    @property
    def mean_rate(self) -> float:
        return self.inequality.mean_rate

    def to_frame(self) -> pl.DataFrame:
        """One tidy row: context, indicator, method, D, HOI, p̄, furthest behind/ahead, n."""
        row: dict[str, Any] = {
            "country": self.context.get("country"),
            "region": self.context.get("region"),
            "indicator": self.indicator,
            "label": self.label,
            "unit": self.unit,
            "group_method": self.group_method,
            "d_index": self.inequality.d_index,
            "hoi": self.inequality.hoi,
            "mean_rate": self.inequality.mean_rate,
            "n_groups": self.inequality.n_groups,
            "furthest_behind": self.furthest_behind.rule,
            "furthest_behind_rate": self.furthest_behind.rate,
            "furthest_behind_share": self.furthest_behind.share,
            "furthest_ahead": self.furthest_ahead.rule,
            "furthest_ahead_rate": self.furthest_ahead.rate,
            "furthest_ahead_share": self.furthest_ahead.share,
            "n": self.n,
            "weight_total": self.weight_total,
            "excluded_rows": sum(w.count or 0 for w in self.warnings),
        }
        if self.uncertainty is not None:
            for e in self.uncertainty.estimates:
                if e.name in ("d_index", "hoi", "mean_rate"):
                    row[f"{e.name}_se_{e.mode}"] = e.se
        return pl.DataFrame([row]).with_columns(pl.col("country", "region").cast(pl.String))

    def importance_frame(self) -> pl.DataFrame:
        total = sum(self.importance.values())
        return pl.DataFrame({
            "circumstance": list(self.importance),
            "importance": list(self.importance.values()),
            "scaled": [100 * v / total if total else 0.0 for v in self.importance.values()],
        }, schema={"circumstance": pl.String, "importance": pl.Float64, "scaled": pl.Float64})

    def summary(self) -> str:
        ctx = ", ".join(f"{k} {v}" for k, v in self.context.items() if v)
        lines = [
            f"{self.label} ({self.indicator}{', complement of a barrier' if self.barrier else ''}; "
            f"unit: {self.unit}{'; ' + ctx if ctx else ''})",
            f"  rows {self.n:,}, weighted population {self.weight_total:,.0f}",
            f"  average access {100 * self.mean_rate:.1f} %",
        ]
        for ineq in (self.inequality, *self.other_methods):
            lines.append(f"  D-index ({ineq.method}) {ineq.d_index:.4f}, HOI {100 * ineq.hoi:.1f} %"
                         + (f" [{ineq.note}]" if ineq.note else ""))
        fb, fa = self.furthest_behind, self.furthest_ahead
        lines.append(f"  furthest behind: {fb.rule} — {100 * fb.rate:.1f} % ({100 * fb.share:.1f} % of population)")
        lines.append(f"  furthest ahead:  {fa.rule} — {100 * fa.rate:.1f} % ({100 * fa.share:.1f} % of population)")
        if self.importance:
            top = ", ".join(f"{k} {v:.3g}" for k, v in list(self.importance.items())[:5])
            lines.append(f"  variable importance (rpart): {top}")
        if self.shapley is not None:
            lines.extend("  " + line for line in self.shapley.summary().splitlines())
        if self.uncertainty is not None:
            u = self.uncertainty
            lines.append(f"  bootstrap: {u.replicates} replicates ({u.source}, seed {u.seed})")
            for e in u.estimates:
                if e.name in ("d_index", "hoi", "mean_rate"):
                    lines.append(f"    {e.name} ({e.mode}): {e.value:.4f} ± {e.se:.4f}")
            if u.small_leaves:
                lines.append(f"    leaves with fewer than {u.small_leaf_threshold} rows: {list(u.small_leaves)}")
        for w in self.warnings:
            lines.append(f"  note: {w.what}" + (f" ({w.count:,} rows)" if w.count is not None else ""))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        out = self.to_frame().to_dicts()[0]
        out["other_methods"] = [m.to_dict() for m in self.other_methods]
        out["importance"] = self.importance
        out["nodes"] = self.nodes.to_dicts()
        if self.shapley is not None:
            out["shapley"] = self.shapley.to_frame().to_dicts()
        if self.uncertainty is not None:
            out["uncertainty"] = self.uncertainty.to_frame().to_dicts()
            out["small_leaves"] = list(self.uncertainty.small_leaves)
        out["warnings"] = [w.to_dict() for w in self.warnings]
        return out
