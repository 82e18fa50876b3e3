"""The indicator result: one tidy long table, presentation tables and a text summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from sp2lnob.errors import InputError, Warning_, did_you_mean

COLUMNS = ("indicator", "programme", "set_type", "group_var", "group", "basis", "line",
           "value", "se", "n", "weighted_n")


@dataclass(frozen=True, eq=False)
class IndicatorResult:
    """Every performance indicator of a survey (immutable).

    ``frame`` columns: indicator, programme (programme or set name), set_type
    (programme | category | family | private | all_spl | overlap), group_var,
    group, basis (pre | post | none: which welfare ranks the n-tiles, or which
    distribution a poverty / Gini value is measured on), line (poverty line or
    null), value, se (design-based, linearisation; NaN where not estimated),
    n (unweighted persons behind the figure) and weighted_n.
    """

    frame: pl.DataFrame
    sets: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(
        schema={"programme": pl.String, "set_type": pl.String, "label": pl.String}))
    warnings: tuple[Warning_, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pl.DataFrame:
        return self.frame

    def indicators(self) -> list[str]:
        return self.frame.get_column("indicator").unique(maintain_order=True).to_list()

    def value(self, indicator: str, programme: str, group_var: str = "all", group: str = "all",
              basis: str = "none", line: str | None = None, column: str = "value") -> float:
        """One figure (structured error if the combination does not exist)."""
        f = self.frame.filter(
            (pl.col("indicator") == indicator) & (pl.col("programme") == programme)
            & (pl.col("group_var") == group_var) & (pl.col("group") == group)
            & (pl.col("basis") == basis)
            & (pl.col("line").is_null() if line is None else pl.col("line") == line))
        if f.height != 1:
            raise InputError("no single indicator row matches", where="IndicatorResult.value()",
                             got=f"{f.height} rows for {indicator}/{programme}/{group_var}={group}/"
                                 f"{basis}/{line}",
                             hint=did_you_mean(indicator, self.indicators()))
        return float(f.get_column(column)[0])

    def table(self, indicator: str, group_var: str = "quintile", basis: str | None = None,
              line: str | None = None, column: str = "value") -> pl.DataFrame:
        """Presentation table: programmes (rows) × groups (columns), like ADePT SP's standard tables.

        ``basis`` defaults to ``post`` for n-tile groupings and ``none`` otherwise.
        """
        if indicator not in self.indicators():
            raise InputError(f"unknown indicator {indicator!r}", where="IndicatorResult.table()",
                             expected=", ".join(self.indicators()), got=indicator,
                             hint=did_you_mean(indicator, self.indicators()))
        f = self.frame.filter((pl.col("indicator") == indicator) & (pl.col("group_var") == group_var))
        if basis is None:
            bases = f.get_column("basis").unique().to_list()
            basis = "post" if "post" in bases else (bases[0] if bases else "none")
        f = f.filter(pl.col("basis") == basis)
        if line is not None:
            f = f.filter(pl.col("line") == line)
        if f.is_empty():
            groups = self.frame.filter(pl.col("indicator") == indicator).get_column("group_var").unique()
            raise InputError(f"no {indicator!r} rows for group_var {group_var!r}, basis {basis!r}",
                             where="IndicatorResult.table()", expected=", ".join(groups.to_list()),
                             got=group_var, hint=did_you_mean(group_var, groups.to_list()))
        wide = f.select("programme", "set_type", "group", column).pivot(
            on="group", index=["programme", "set_type"], values=column, aggregate_function="first")
        labels = self.sets.select("programme", "set_type", "label")
        return labels.join(wide, on=["programme", "set_type"], how="right").select(
            "programme", "label", "set_type", *[c for c in wide.columns if c not in ("programme", "set_type")])

    def summary(self) -> str:
        info = self.meta.get("survey") or {}
        title = info.get("name") or "survey"
        lines = [f"Performance indicators: {title}",
                 f"  {self.frame.height} figures; {self.sets.height} programme sets; "
                 f"groupings: {', '.join(self.meta.get('groupings', []))}; "
                 f"lines: {', '.join(self.meta.get('lines', [])) or '(none)'}"]
        cov = self.frame.filter((pl.col("indicator") == "coverage") & (pl.col("group_var") == "all"))
        if cov.height:
            lines.append("  coverage (whole population, ± SE):")
            labels = {(r["programme"], r["set_type"]): r["label"] for r in self.sets.iter_rows(named=True)}
            for row in cov.iter_rows(named=True):
                label = labels.get((row["programme"], row["set_type"]), row["programme"])
                lines.append(f"    {label:<45} {100 * row['value']:6.1f} % ± {100 * row['se']:.1f}")
        for w in self.warnings:
            lines.append(f"  note: {w.what}" + (f" ({w.count})" if w.count is not None else ""))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        return {"meta": self.meta, "warnings": [w.to_dict() for w in self.warnings],
                "sets": self.sets.to_dicts(), "rows": self.frame.to_dicts()}
