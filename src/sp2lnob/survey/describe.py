"""``describe``: what a survey holds, and its headline poverty and inequality with SEs.

Poverty: FGT(0, 1, 2) at each line of the spec (lines at a share of the median
re-estimated with it: ``fgt_relative``); inequality: Gini, Theil T,
Palma; each estimated by ``Survey.estimate`` (design-based SE by
linearisation, or a seeded bootstrap). Weighted quantiles use the ``math``
rule of :mod:`sp2lnob.measures.quantiles` (inverse of the weighted CDF).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.survey.core import Survey

WELFARE_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
INEQUALITY = ("gini", "theil", "palma")


@dataclass(frozen=True)
class Row:
    """One described figure: ``section`` (weights, welfare, poverty, inequality), its name and value."""

    section: str
    name: str
    value: float | None
    se: float | None = None
    line: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class SurveyDescription:
    survey: dict[str, Any]
    roles: dict[str, str]
    counts: dict[str, float]
    rows: tuple[Row, ...]
    report: tuple[dict[str, Any], ...]
    method: str
    seed: int | None = None
    replicates: int | None = None
    missing_roles: tuple[str, ...] = field(default_factory=tuple)

    def section(self, name: str) -> list[Row]:
        return [r for r in self.rows if r.section == name]

    def to_frame(self) -> pl.DataFrame:
        """Tidy: section, name, line, value, se, note."""
        return pl.DataFrame(
            [{"section": r.section, "name": r.name, "line": r.line, "value": r.value, "se": r.se, "note": r.note} for r in self.rows],
            schema={"section": pl.String, "name": pl.String, "line": pl.String, "value": pl.Float64, "se": pl.Float64, "note": pl.String},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "survey": self.survey,
            "roles": self.roles,
            "missing_roles": list(self.missing_roles),
            "counts": self.counts,
            "method": self.method,
            "seed": self.seed,
            "replicates": self.replicates,
            "figures": self.to_frame().to_dicts(),
            "report": list(self.report),
        }

    def summary(self) -> str:
        out = [f"{self.survey.get('name', 'Survey')}: {self.counts['households']:,.0f} households, "
               f"{self.counts['persons']:,.0f} persons (population {self.counts['population']:,.0f})"]
        for sec in ("weights", "welfare", "poverty", "inequality"):
            rows = self.section(sec)
            if not rows:
                continue
            out.append(f"{sec}:")
            for r in rows:
                label = f"{r.name} @ {r.line}" if r.line else r.name
                val = "n/a" if r.value is None else f"{r.value:,.6g}"
                se = f" (SE {r.se:.4g})" if r.se is not None else ""
                note = f"  [{r.note}]" if r.note else ""
                out.append(f"  {label}: {val}{se}{note}")
        if self.report:
            out.append("report:")
            out.extend(f"  - {w['what']}" + (f" [{w['count']}]" if w.get("count") is not None else "") for w in self.report)
        return "\n".join(out)

    def __str__(self) -> str:
        return self.summary()


def describe(survey: Survey, method: str = "linearization", *, seed: int | None = 1, replicates: int = 200) -> SurveyDescription:
    """Counts, weights and welfare summaries, FGT(0,1,2) at every line, Gini/Theil/Palma, with SEs."""
    from sp2lnob.measures.quantiles import quantile
    from sp2lnob.survey.core import COLUMN_ROLES

    w = survey.weights
    y = survey.welfare
    hh_first = np.unique(survey.household_codes, return_index=True)[1]
    hh_w = survey.hh_weights[hh_first]
    counts = {
        "households": survey.n_households,
        "persons": survey.n_persons,
        "rows": survey.data.height,
        "population": float(w.sum()),
        "households_population": float(hh_w.sum()),
    }
    rows: list[Row] = [
        Row("weights", "sum", float(w.sum())),
        Row("weights", "min", float(w.min())),
        Row("weights", "max", float(w.max())),
        Row("weights", "cv", float(w.std() / w.mean()), note="standard deviation / mean of row weights"),
        Row("welfare", "mean", float(np.sum(w * y) / np.sum(w))),
    ]
    qs = np.atleast_1d(quantile(y, w, np.array(WELFARE_QUANTILES), rule="math"))
    rows += [Row("welfare", f"p{round(p * 100)}", float(q)) for p, q in zip(WELFARE_QUANTILES, qs, strict=True)]
    rows += [Row("welfare", "min", float(y.min())), Row("welfare", "max", float(y.max()))]
    # Poverty and inequality: the same table the app and reports show.
    from sp2lnob.headline import headline

    table = headline(survey, method=method, seed=seed, replicates=replicates, inequality=INEQUALITY)
    rows += [
        Row(r["section"], r["name"], r["estimate"], r["se"], line=r["line"], note=r["note"])
        for r in table.iter_rows(named=True)
    ]
    mapped = survey.roles
    return SurveyDescription(
        survey=survey.spec.survey.model_dump(exclude_none=True),
        roles=mapped,
        counts=counts,
        rows=tuple(rows),
        report=tuple(r.to_dict() for r in survey.report),
        method=method,
        seed=seed if method == "bootstrap" else None,
        replicates=replicates if method == "bootstrap" else None,
        missing_roles=tuple(r for r in COLUMN_ROLES if r not in mapped),
    )

