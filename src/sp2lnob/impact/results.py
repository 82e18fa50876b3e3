"""Immutable results: one indicator's opportunity impact, and the whole scenario (:class:`ImpactResult`).

:class:`ImpactResult` joins the simulation (cost, poverty) with the opportunity
impact of every indicator, so a report can say in one line
"cost X % of GDP → poverty −Y pp → <indicator> access of the furthest-behind group +Z pp".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from sp2lnob.errors import InputError, Warning_, did_you_mean

if TYPE_CHECKING:
    from sp2lnob.impact.prepare import FittedIndicator
    from sp2lnob.simulate.results import SimulationResult

def _pp(share_change: float) -> str:
    """A change of a share in percentage points with a true minus sign: "+2.5", "−3.1"."""
    text = f"{100 * share_change:+.1f}"
    return text.replace("-", "−")


GROUP_COLUMNS = ("rank", "node", "rule", "share", "n", "access_pre", "access_post", "change")


def group_table(fi: FittedIndicator, per_row: dict[str, np.ndarray]) -> pl.DataFrame:
    """Weighted mean of each per-row array within each pre-identified group (furthest behind first),
    with the group's rank, leaf id, rule, population share and unweighted n."""
    pos = np.full(fi.rate_of_node.shape[0], -1, dtype=np.int64)
    pos[np.asarray(fi.groups)] = np.arange(len(fi.groups))
    g = pos[fi.leaf_pre]
    k = len(fi.groups)
    w = fi.weights
    wg = np.bincount(g, weights=w, minlength=k)
    cols: dict[str, Any] = {
        "rank": np.arange(1, k + 1), "node": np.asarray(fi.groups), "rule": [fi.rule_of(leaf) for leaf in fi.groups],
        "share": wg / w.sum(), "n": np.bincount(g, minlength=k),
    }
    with np.errstate(invalid="ignore", divide="ignore"):
        for name, values in per_row.items():
            cols[name] = np.bincount(g, weights=w * values, minlength=k) / wg
    df = pl.DataFrame(cols)
    if "access_post" not in df.columns:
        return df
    return df.with_columns((pl.col("access_post") - pl.col("access_pre")).alias("change"))


@dataclass(frozen=True, eq=False)
class IndicatorImpact:
    """How one opportunity indicator responds to a scenario.

    ``groups``: one row per pre-identified group (tree leaf), furthest behind first (rank 1):
    rule, population share, unweighted n, access before/after and the change (shares 0–1),
    plus mode-specific columns (tree: ``moved_share``; smooth: ``model_pre``, ``elasticity``,
    and ``se_change`` / ``se_elasticity`` with a bootstrap). ``d_pre``/``d_post``: D-index
    (``d_method`` says which groups). ``note``: what can move access, in words.
    """

    indicator: str
    label: str
    unit: str
    mode: str                          # "tree" (faithful) or "smooth" (extension)
    groups: pl.DataFrame
    national_pre: float
    national_post: float
    d_pre: float
    d_post: float
    d_method: str
    splits_on_consumption: bool
    deciding: tuple[str, ...]          # circumstances on the furthest-behind group's path
    note: str
    share_falling: float               # weighted share of people whose predicted access falls
    national_se: float | None = None
    details: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[Warning_, ...] = ()

    @property
    def furthest_behind(self) -> dict[str, Any]:
        return self.groups.row(0, named=True)

    @property
    def national_change(self) -> float:
        return self.national_post - self.national_pre

    def to_frame(self) -> pl.DataFrame:
        """The group table with a first ``national`` row (rank 0), keyed by indicator and mode."""
        nat = pl.DataFrame({"rank": [0], "node": [None], "rule": ["national"], "share": [1.0],
                            "n": [int(self.groups["n"].sum())], "access_pre": [self.national_pre],
                            "access_post": [self.national_post], "change": [self.national_change]},
                           schema_overrides={"node": pl.Int64})
        if "se_change" in self.groups.columns:
            nat = nat.with_columns(pl.lit(self.national_se, dtype=pl.Float64).alias("se_change"))
        df = pl.concat([nat, self.groups.cast({"node": pl.Int64, "n": pl.Int64, "rank": pl.Int64})],
                       how="diagonal_relaxed")
        return df.select(pl.lit(self.indicator).alias("indicator"), pl.lit(self.mode).alias("mode"), pl.all())

    def summary(self) -> str:
        fb = self.furthest_behind
        out = [f"{self.label} [{self.mode}]: national {self.national_pre:.1%} → {self.national_post:.1%} "
               f"({100 * self.national_change:+.1f} pp); D {self.d_pre:.3f} → {self.d_post:.3f}",
               f"  furthest behind: {fb['rule']} ({fb['share']:.0%} of the population): "
               f"{fb['access_pre']:.1%} → {fb['access_post']:.1%} ({100 * fb['change']:+.1f} pp)",
               f"  {self.note}"]
        return "\n".join(out)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "label": self.label, "unit": self.unit, "mode": self.mode,
                "national_pre": self.national_pre, "national_post": self.national_post,
                "national_se": self.national_se, "d_pre": self.d_pre, "d_post": self.d_post,
                "d_method": self.d_method, "splits_on_consumption": self.splits_on_consumption,
                "deciding": list(self.deciding), "note": self.note, "share_falling": self.share_falling,
                "details": self.details, "groups": self.groups.to_dicts(),
                "warnings": [w.to_dict() for w in self.warnings]}


@dataclass(frozen=True, eq=False)
class ImpactResult:
    """A scenario's cost, poverty impact and opportunity impact (SP2LNOB)."""

    simulation: SimulationResult
    indicators: tuple[IndicatorImpact, ...]
    mode: str
    line: str | None
    errors: tuple[dict[str, Any], ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)

    def indicator(self, name: str) -> IndicatorImpact:
        for i in self.indicators:
            if i.indicator == name:
                return i
        names = [i.indicator for i in self.indicators]
        raise InputError(f"no indicator {name!r} in this result", expected=names, got=name,
                         hint=did_you_mean(name, names))

    @property
    def cost_pct_gdp(self) -> float:
        return float(self.simulation.value("cost_pct_gdp", "value"))

    @property
    def poverty_pre(self) -> float:
        return float(self.simulation.value("fgt0", "pre", line=self.line))

    @property
    def poverty_post(self) -> float:
        return float(self.simulation.value("fgt0", "post", line=self.line))

    def headline(self, indicator: str | None = None) -> str:
        """"cost X % of GDP → poverty −Y pp → <indicator>: furthest-behind group +Z pp".

        ``indicator`` None: the indicator whose furthest-behind group gains most (said so in the text).
        """
        if indicator:
            ind, which = self.indicator(indicator), ""
        else:
            ind = max(self.indicators, key=lambda i: i.furthest_behind["change"])
            which = f" (largest gain of {len(self.indicators)} indicators)" if len(self.indicators) > 1 else ""
        fb = ind.furthest_behind
        return (f"cost {self.cost_pct_gdp:.2f} % of GDP → poverty {_pp(self.poverty_post - self.poverty_pre)} pp"
                f" ({self.line} line: {self.poverty_pre:.1%} → {self.poverty_post:.1%})"
                f" → {ind.label}: furthest-behind group {_pp(fb['change'])} pp"
                f" ({fb['access_pre']:.1%} → {fb['access_post']:.1%}){which}")

    def to_frame(self) -> pl.DataFrame:
        """Tidy: one row per indicator × group (rank 0 = national), access before/after and change."""
        return pl.concat([i.to_frame() for i in self.indicators], how="diagonal_relaxed")

    def indicators_frame(self) -> pl.DataFrame:
        """One row per indicator: national and furthest-behind access before/after, D before/after."""
        rows = []
        for i in self.indicators:
            fb = i.furthest_behind
            rows.append({"indicator": i.indicator, "label": i.label, "mode": i.mode,
                         "national_pre": i.national_pre, "national_post": i.national_post,
                         "furthest_behind": fb["rule"], "furthest_behind_share": fb["share"],
                         "furthest_behind_pre": fb["access_pre"], "furthest_behind_post": fb["access_post"],
                         "furthest_behind_change": fb["change"], "d_pre": i.d_pre, "d_post": i.d_post,
                         "splits_on_consumption": i.splits_on_consumption, "note": i.note})
        return pl.DataFrame(rows)

    def summary(self) -> str:
        label = {"tree": "faithful mode (ESCAP SP2LNOB: fixed tree, re-routed)",
                 "smooth": "smooth mode (extension: weighted spline logit)"}.get(self.mode, self.mode)
        out = [f"SP2LNOB impact of {', '.join(self.simulation.package.names)} — {label}",
               self.headline(), ""]
        out += [i.summary() for i in self.indicators]
        for e in self.errors:
            out.append(f"not analysed: {e['indicator']}: {e['error'].get('what')}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "line": self.line, "headline": self.headline(),
                "cost_pct_gdp": self.cost_pct_gdp, "poverty_pre": self.poverty_pre,
                "poverty_post": self.poverty_post, "settings": self.settings,
                "simulation": {"package": list(self.simulation.package.names), "seed": self.simulation.seed},
                "indicators": [i.to_dict() for i in self.indicators], "errors": list(self.errors)}
