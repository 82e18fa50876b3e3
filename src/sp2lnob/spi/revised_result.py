"""Result record of the revised (2012) SPI."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import polars as pl

from sp2lnob.errors import InputError, Warning_

TOP_BY = ("spi", "expenditure", "beneficiaries", "breadth", "depth", "spi_poor", "spi_women")


@dataclass(frozen=True)
class RevisedSPI:
    """The revised SPI with depth, breadth and its disaggregations.

    Money in LCU, populations in persons; ``z`` is the normaliser in LCU
    (0.25 x GDP per capita unless ``normaliser == "gdp_per_capita"``).
    ``by_category`` has one row per broad category with both breadth
    conventions: ``breadth`` = AB_c / PB (the workbook's, adds up) and
    ``category_coverage`` = AB_c / PB_c.
    """

    country: str
    year: int
    period: str
    normaliser: str
    z: float
    gdp: float
    gdp_per_capita: float
    population: float
    poor: float
    expenditure: float
    beneficiaries: float
    potential_beneficiaries: float
    spi: float
    depth: float
    breadth: float
    expenditure_poor: float
    expenditure_nonpoor: float
    spi_poor: float
    spi_nonpoor: float
    poverty_focus: float
    expenditure_women: float
    expenditure_men: float
    spi_women: float
    spi_men: float
    spexp: float
    by_category: pl.DataFrame
    programmes: pl.DataFrame
    reference_populations: pl.DataFrame
    excluded: pl.DataFrame
    warnings: tuple[Warning_, ...] = ()
    method: str = "2012"

    def category(self, broad: str, column: str) -> float:
        value = self.by_category.filter(pl.col("broad") == broad)[column]
        return float(value[0]) if value.len() and value[0] is not None else float("nan")

    def headline(self) -> dict[str, float]:
        """Every headline figure, flat (money in LCU, populations in persons)."""
        out: dict[str, float] = {
            "spi": self.spi, "depth": self.depth, "breadth": self.breadth,
            "expenditure": self.expenditure, "beneficiaries": self.beneficiaries,
            "potential_beneficiaries": self.potential_beneficiaries, "z": self.z,
            "spexp": self.spexp,
            "expenditure_poor": self.expenditure_poor, "expenditure_nonpoor": self.expenditure_nonpoor,
            "spi_poor": self.spi_poor, "spi_nonpoor": self.spi_nonpoor, "poverty_focus": self.poverty_focus,
            "expenditure_women": self.expenditure_women, "expenditure_men": self.expenditure_men,
            "spi_women": self.spi_women, "spi_men": self.spi_men,
        }
        for row in self.by_category.iter_rows(named=True):  # three broad categories
            c = row["broad"]
            for key in ("spi", "depth", "breadth", "category_coverage", "population_weight", "expenditure",
                        "beneficiaries", "potential_beneficiaries", "spi_poor", "spi_women"):
                out[f"{key}_{c}"] = row[key]
        return out

    def top_programmes(self, n: int = 5, by: str = "spi") -> pl.DataFrame:
        """The ``n`` largest programmes per broad category (and overall) by ``by``."""
        if by not in TOP_BY:
            raise InputError(f"cannot rank programmes by {by!r}", expected=", ".join(TOP_BY), got=by)
        cols = ["id", "name", "category", "broad", "expenditure", "beneficiaries", "spi", "depth", "breadth",
                "spi_poor", "spi_women"]
        ranked = self.programmes.select(cols).with_columns(pl.lit("all").alias("component"))
        per = self.programmes.select(cols).with_columns(pl.col("broad").alias("component"))
        both = pl.concat([ranked, per]).sort(["component", by, "name"], descending=[False, True, False],
                                              nulls_last=True)
        return (both.with_columns(pl.int_range(1, pl.len() + 1).over("component").alias("rank"))
                .filter(pl.col("rank") <= n).with_columns(pl.lit(by).alias("ranked_by"))
                .select(["component", "rank", "ranked_by"] + cols))

    def to_frame(self) -> pl.DataFrame:
        """Tidy: one row per (dimension, group, indicator)."""
        rows: list[tuple[str, str, str, float]] = [
            ("all", "all", k, v) for k, v in (
                ("spi", self.spi), ("depth", self.depth), ("breadth", self.breadth),
                ("expenditure", self.expenditure), ("beneficiaries", self.beneficiaries),
                ("potential_beneficiaries", self.potential_beneficiaries), ("spexp", self.spexp))
        ]
        for row in self.by_category.iter_rows(named=True):
            for key in ("spi", "depth", "breadth", "category_coverage", "population_weight", "expenditure",
                        "beneficiaries", "potential_beneficiaries"):
                rows.append(("broad_category", row["broad"], key, row[key]))
        rows += [
            ("poverty_status", "poor", "expenditure", self.expenditure_poor),
            ("poverty_status", "poor", "spi", self.spi_poor),
            ("poverty_status", "nonpoor", "expenditure", self.expenditure_nonpoor),
            ("poverty_status", "nonpoor", "spi", self.spi_nonpoor),
            ("poverty_status", "all", "poverty_focus", self.poverty_focus),
            ("sex", "women", "expenditure", self.expenditure_women),
            ("sex", "women", "spi", self.spi_women),
            ("sex", "men", "expenditure", self.expenditure_men),
            ("sex", "men", "spi", self.spi_men),
        ]
        return pl.DataFrame(
            {"dimension": [r[0] for r in rows], "group": [r[1] for r in rows], "indicator": [r[2] for r in rows],
             "value": [None if r[3] is None else float(r[3]) for r in rows]},
            schema={"dimension": pl.String, "group": pl.String, "indicator": pl.String, "value": pl.Float64},
        ).with_columns(pl.lit(self.country).alias("country"), pl.lit(self.year).alias("year"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "revised_2012", "country": self.country, "year": self.year, "period": self.period,
            "normaliser": self.normaliser, "headline": self.headline(),
            "by_category": self.by_category.to_dicts(),
            "top_programmes": self.top_programmes().to_dicts(),
            "excluded": self.excluded.to_dicts(),
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def summary(self) -> str:
        def f(x: float, d: int = 3) -> str:
            return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{d}f}"

        m = 1e6
        lines = [
            f"Revised SPI (ADB 2012): {self.country}, {self.year} (period {self.period})",
            f"  normaliser z = {self.z:,.0f} LCU ({self.normaliser})",
            f"  expenditure E = {self.expenditure / m:,.1f} m LCU ({self.spexp:.1%} of GDP); "
            f"beneficiaries AB = {self.beneficiaries / 1e3:,.0f} thousand; PB = {self.potential_beneficiaries / m:,.2f} m",
            f"  SPI {f(self.spi, 4)} = depth {f(self.depth)} x breadth {f(self.breadth)}",
        ]
        for row in self.by_category.iter_rows(named=True):
            lines.append(f"  {row['broad']:<4} SPI {f(row['spi'])}  depth {f(row['depth'])}  breadth "
                         f"{f(row['breadth'])}  coverage of own reference population {f(row['category_coverage'])}")
        lines += [
            f"  poor {f(self.spi_poor)} + non-poor {f(self.spi_nonpoor)} (E_p = {self.expenditure_poor / m:,.1f} m); "
            f"poverty focus {f(self.poverty_focus)}",
            f"  women {f(self.spi_women)} + men {f(self.spi_men)} (E_f = {self.expenditure_women / m:,.1f} m)",
        ]
        if self.excluded.height:
            lines.append(f"  excluded (micro-finance): {self.excluded.height} programme(s)")
        lines += [f"  warning: {w.what}" for w in self.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
