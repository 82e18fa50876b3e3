"""The immutable result of one simulation (:class:`SimulationResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import InputError, Warning_, did_you_mean
from sp2lnob.simulate.macro import Macro
from sp2lnob.simulate.scheme import Package

COLUMNS = ("section", "measure", "scheme", "line", "by", "group", "stage", "value")
SCHEMA = {"section": pl.Utf8, "measure": pl.Utf8, "scheme": pl.Utf8, "line": pl.Utf8, "by": pl.Utf8,
          "group": pl.Utf8, "stage": pl.Utf8, "value": pl.Float64}
ALL = "package"


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Impacts and costs of a package on one survey.

    ``welfare_pre`` / ``welfare_post``: welfare per unit of every person (post = pre +
    T_h / household size or adult equivalents); ``transfers_hh``: T_h per household (welfare
    period) with ``hh_index`` mapping persons to households; ``transfers_by_scheme``: the same
    per scheme; ``eligible_by_scheme`` (person masks) and ``reached_by_scheme`` (household masks).
    ``seed`` and ``scheme_seeds`` record every random draw's seed.
    """

    package: Package
    seed: int
    scheme_seeds: dict[str, Any]
    rows: tuple[tuple, ...]
    welfare_pre: np.ndarray
    welfare_post: np.ndarray
    weights: np.ndarray
    hh_index: np.ndarray
    transfers_hh: np.ndarray
    transfers_by_scheme: dict[str, np.ndarray]
    lines: tuple[str, ...]
    macro: Macro
    currency: str = "LCU"
    period: str = "yearly"
    survey_name: str = ""
    warnings: tuple[Warning_, ...] = ()
    se: dict[tuple, float] = field(default_factory=dict)
    bootstrap: dict[str, Any] | None = None
    eligible_by_scheme: dict[str, np.ndarray] = field(default_factory=dict)
    reached_by_scheme: dict[str, np.ndarray] = field(default_factory=dict)

    # --- lookup -------------------------------------------------------------------
    @cached_property
    def _index(self) -> dict[tuple, float]:
        return {(r[1], r[6], r[2], r[3], r[4], r[5]): r[7] for r in self.rows}

    def value(self, measure: str, stage: str = "post", *, scheme: str | None = None, line: str | None = None,
              by: str | None = None, group: str | None = None) -> float:
        """One number, e.g. ``value("fgt0", "post", line="national")``, ``value("cost_pct_gdp", "value")``.

        ``scheme`` defaults to the whole package for costs and targeting; ``line`` to the first line.
        """
        tries = [(scheme, line)]
        if scheme is None:
            tries.append((ALL, line))
        if line is None and self.lines:
            tries += [(s, self.lines[0]) for s, _ in list(tries)]
        for s, ln in tries:
            key = (measure, stage, s, ln, by, group)
            if key in self._index:
                return self._index[key]
        measures = sorted({r[1] for r in self.rows})
        raise InputError(f"no result {measure!r} (stage {stage!r}) with these keys", where="SimulationResult.value",
                         got=f"scheme={scheme}, line={line}, by={by}, group={group}",
                         hint=did_you_mean(measure, measures) or "measures: " + ", ".join(measures[:30]))

    # --- tables -------------------------------------------------------------------
    def to_frame(self, *, groups: bool = True) -> pl.DataFrame:
        """Tidy table: section, measure, scheme, line, by, group, stage (pre/post/change/value/
        budget_neutral), value, and ``se`` (bootstrap standard error, null when not requested)."""
        rows = self.rows if groups else tuple(r for r in self.rows if r[0] != "group")
        df = pl.DataFrame(list(rows), schema=SCHEMA, orient="row")
        se = [self.se.get(r[:7]) for r in rows] if self.se else [None] * len(rows)
        return df.with_columns(pl.Series("se", se, dtype=pl.Float64))

    def costs(self) -> pl.DataFrame:
        """Costs per scheme and for the package, one row per scheme."""
        df = self.to_frame(groups=False).filter(pl.col("section") == "cost")
        return df.pivot(on="measure", index="scheme", values="value")

    # --- text ---------------------------------------------------------------------
    def summary(self) -> str:
        cur = self.currency
        out = [f"Simulation of {', '.join(self.package.names)}"
               + (f" (replacing {', '.join(self.package.replaces)})" if self.package.replaces else "")
               + (f" on {self.survey_name}" if self.survey_name else ""),
               f"seed {self.seed}" + (f"; bootstrap {self.bootstrap['replicates']} replicates, seed "
                                      f"{self.bootstrap['seed']}" if self.bootstrap else ""), "",
               f"{'scheme':<28}{'cost (' + cur + ' m)':>16}{'% GDP':>8}{'% revenue':>11}{'beneficiaries':>15}"]
        for name in (*self.package.names, ALL):
            out.append(f"{name:<28}{self.value('cost_lcu', 'value', scheme=name) / 1e6:>16,.1f}"
                       f"{self.value('cost_pct_gdp', 'value', scheme=name):>8.2f}"
                       f"{self.value('cost_pct_revenue', 'value', scheme=name):>11.2f}"
                       f"{self.value('beneficiaries', 'value', scheme=name):>15,.0f}")
        out += ["", f"{'indicator':<28}{'line':<22}{'before':>10}{'after':>10}{'change':>10}"]
        for ln in self.lines:
            for m in ("fgt0", "fgt1", "fgt2"):
                out.append(self._line(m, ln, 100.0, "%"))
        for m in ("gini", "theil", "palma", "s80_s20"):
            out.append(self._line(m, None, 1.0, ""))
        out.append(self._line("mean_welfare", None, 1.0, ""))
        if self.lines:
            ln = self.lines[0]
            out += ["", f"targeting at line {ln!r}: coverage of the poor "
                    f"{self.value('coverage_of_poor', 'value', line=ln):.1%}, inclusion error "
                    f"{self.value('inclusion_error', 'value', line=ln):.1%}; persons lifted out of poverty "
                    f"{self.value('persons_lifted', 'value', line=ln):,.0f}",
                    f"same money as a universal transfer ({self.value('amount_per_person', 'budget_neutral'):,.0f} "
                    f"{cur} per person): headcount {self.value('fgt0', 'budget_neutral', line=ln):.1%}, "
                    f"Gini {self.value('gini', 'budget_neutral'):.4f}"]
        if self.warnings:
            out += ["", "warnings:"] + [f"  - {w.what}" + (f" ({w.count})" if w.count else "") for w in self.warnings]
        return "\n".join(out)

    def _line(self, measure: str, line: str | None, scale: float, unit: str) -> str:
        pre = self.value(measure, "pre", line=line) * scale
        post = self.value(measure, "post", line=line) * scale
        fmt = ".2f" if unit else ".4f"
        if measure == "mean_welfare":
            fmt = ",.0f"
        return f"{measure:<28}{line or '':<22}{pre:>10{fmt}}{post:>10{fmt}}{post - pre:>+10{fmt}}"

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self, *, groups: bool = False) -> dict[str, Any]:
        return {
            "survey": self.survey_name,
            "package": {"schemes": list(self.package.names), "replaces": list(self.package.replaces)},
            "seed": self.seed,
            "scheme_seeds": self.scheme_seeds,
            "bootstrap": self.bootstrap,
            "currency": self.currency,
            "macro": self.macro.to_dict(),
            "warnings": [w.to_dict() for w in self.warnings],
            "results": self.to_frame(groups=groups).to_dicts(),
        }
