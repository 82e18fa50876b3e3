"""Result records of the survey-derived SPI inputs and of their merge with a register."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from sp2lnob.errors import Warning_
from sp2lnob.spi.register import Register


@dataclass(frozen=True)
class SurveyInputs:
    """Per-programme SPI inputs measured in a survey, each figure tagged ``survey``.

    ``programmes``: one row per programme (beneficiaries on the category's
    basis, poor_share, poor_reached, amount_poor_share, female_share, ...);
    ``overlaps``: one row per pair (A the larger), OV_AB and the same among the
    poor; ``combined_ptr``: share of the poor in households receiving any
    programme. Populations are weighted persons; money in LCU per year.
    """

    survey: str
    line: str
    population: float
    poor_population: float
    households: float
    combined_ptr: float
    combined_coverage: float
    programmes: pl.DataFrame
    overlaps: pl.DataFrame
    warnings: tuple[Warning_, ...] = ()
    year: int | None = None

    def with_warning(self, warning: Warning_) -> SurveyInputs:
        return replace(self, warnings=self.warnings + (warning,))

    def to_frame(self) -> pl.DataFrame:
        """Tidy: one row per programme and figure, with its source."""
        figures = ["beneficiaries", "beneficiary_households", "beneficiary_persons", "poor_share", "poor_reached",
                   "amount_total", "amount_poor_share", "female_share"]
        return (self.programmes.select(["programme", "category", "basis"] + figures)
                .unpivot(index=["programme", "category", "basis"], on=figures, variable_name="figure")
                .with_columns(pl.lit(f"survey: {self.survey}").alias("source")))

    def to_dict(self) -> dict[str, Any]:
        return {
            "survey": self.survey, "year": self.year, "line": self.line, "population": self.population,
            "poor_population": self.poor_population, "households": self.households,
            "combined_ptr": self.combined_ptr, "combined_coverage": self.combined_coverage,
            "programmes": self.programmes.to_dicts(), "overlaps": self.overlaps.to_dicts(),
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def summary(self) -> str:
        lines = [f"SPI inputs from the survey {self.survey!r} (poverty line {self.line!r})",
                 f"  population {self.population:,.0f}; poor {self.poor_population:,.0f}; combined PTR "
                 f"(poor in households receiving any programme) {self.combined_ptr:.3f}"]
        for r in self.programmes.iter_rows(named=True):  # a dozen programmes
            ben = "register" if r["beneficiaries"] is None else f"{r['beneficiaries']:,.0f} {r['basis']}"
            ps = "n/a" if r["poor_share"] is None else f"{r['poor_share']:.3f}"
            lines.append(f"  {r['programme']:<24} {r['category']:<4} beneficiaries {ben}; poor_share {ps}; "
                         f"poor_reached {r['poor_reached'] or 0:.3f}")
        lines += [f"  warning: {w.what}" for w in self.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


@dataclass(frozen=True)
class MergedInputs:
    """A register with survey figures merged in, and where every figure came from.

    ``sources``: one row per programme and figure (beneficiaries, poor_share,
    female_share, expenditure) with ``source`` = ``register`` or ``survey``
    (``survey (amounts)`` for the amount-based poor share).
    """

    register: Register
    inputs: SurveyInputs
    sources: pl.DataFrame
    warnings: tuple[Warning_, ...] = ()

    def to_frame(self) -> pl.DataFrame:
        return self.sources

    def to_dict(self) -> dict[str, Any]:
        return {"sources": self.sources.to_dicts(), "inputs": self.inputs.to_dict(),
                "warnings": [w.to_dict() for w in self.warnings]}

    def summary(self) -> str:
        counts = self.sources.group_by("source").len().sort("source")
        parts = ", ".join(f"{n} from {s}" for s, n in counts.iter_rows())
        lines = [f"Register merged with the survey {self.inputs.survey!r}: figures {parts}"]
        lines += [f"  warning: {w.what}" for w in self.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
