"""Immutable results of :func:`sp2lnob.variance.estimate`: one estimate, or one per group."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from sp2lnob.errors import Warning_


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its design-based standard error and confidence interval.

    ``n`` counts sample rows (in the domain), ``weighted_n`` their summed weight.
    ``df`` is the degrees of freedom of the interval (``None``: normal quantile).
    ``replicates``/``seed`` are set for bootstrap (seed recorded for reproduction)
    and replicate-weight methods.
    """

    measure: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    level: float
    n: int
    weighted_n: float
    method: str
    rule: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    replicates: int | None = None
    seed: int | None = None
    df: int | None = None
    domain: str | None = None
    lonely_psu: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure, "estimate": self.estimate, "se": self.se,
            "ci_low": self.ci_low, "ci_high": self.ci_high, "level": self.level, "n": self.n,
            "weighted_n": self.weighted_n, "method": self.method, "rule": self.rule,
            "params": dict(self.params), "replicates": self.replicates, "seed": self.seed,
            "df": self.df, "domain": self.domain, "lonely_psu": self.lonely_psu,
        }

    def to_frame(self) -> pl.DataFrame:
        """One-row tidy table; ``params`` rendered as ``name=value`` text."""
        d = self.to_dict()
        d["params"] = _params_text(self.params)
        return pl.DataFrame([d], schema=_SCHEMA)

    def summary(self) -> str:
        rv = f", rule={self.rule}" if self.rule else ""
        extra = f", {self.replicates} replicates" if self.replicates else ""
        extra += f", seed={self.seed}" if self.seed is not None else ""
        where = f" [{self.domain}]" if self.domain else ""
        params = _params_text(self.params)
        return (
            f"{self.measure}{where}{f' ({params})' if params else ''}: {self.estimate:.6g} "
            f"(SE {self.se:.4g}; {self.level:.0%} CI {self.ci_low:.6g} to {self.ci_high:.6g})\n"
            f"  n = {self.n:,}, weighted n = {self.weighted_n:,.6g}; "
            f"method = {self.method}{rv}{extra}"
        )

    def __str__(self) -> str:
        return self.summary()


@dataclass(frozen=True)
class EstimateTable:
    """Estimates of one measure for each group of ``by`` (domain estimation on the full design)."""

    by: str
    groups: tuple[Any, ...]
    rows: tuple[Estimate, ...]
    warnings: tuple[Warning_, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, group: Any) -> Estimate:
        return self.rows[self.groups.index(group)]

    def to_frame(self) -> pl.DataFrame:
        """One row per group, the group column first."""
        body = pl.concat([r.to_frame() for r in self.rows], how="vertical")
        return body.select(pl.Series(self.by, [str(g) for g in self.groups]), pl.all())

    def summary(self) -> str:
        head = self.rows[0] if self.rows else None
        lines = [f"{head.measure if head else ''} by {self.by} (method = {head.method if head else ''})"]
        width = max([len(str(g)) for g in self.groups] + [5])
        lines.append(f"  {'group':<{width}}  {'estimate':>12}  {'se':>10}  {'ci':>25}  {'n':>8}")
        for g, r in zip(self.groups, self.rows, strict=True):
            ci = f"{r.ci_low:.5g} to {r.ci_high:.5g}"
            lines.append(f"  {str(g):<{width}}  {r.estimate:>12.6g}  {r.se:>10.4g}  {ci:>25}  {r.n:>8,}")
        for w in self.warnings:
            lines.append(f"  note: {w.what}" + (f" ({w.count} rows)" if w.count is not None else ""))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _params_text(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items())


_SCHEMA = {
    "measure": pl.String, "estimate": pl.Float64, "se": pl.Float64, "ci_low": pl.Float64,
    "ci_high": pl.Float64, "level": pl.Float64, "n": pl.Int64, "weighted_n": pl.Float64,
    "method": pl.String, "rule": pl.String, "params": pl.String, "replicates": pl.Int64,
    "seed": pl.Int64, "df": pl.Int64, "domain": pl.String,
    "lonely_psu": pl.String,
}
