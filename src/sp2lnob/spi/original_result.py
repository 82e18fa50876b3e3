"""Result record of the original (2005) SPI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from sp2lnob.errors import Warning_


@dataclass(frozen=True)
class OriginalSPI:
    """The original SPI: four components scaled by a comparison set, then weighted.

    ``components`` has one row per component (SPEXP, SPCOV, PTR, SPIMP) with
    value, comparison maximum, scaled value, weight and weighted contribution.
    ``target_groups`` holds the SPCOV computation, ``ptr_programmes`` the
    per-programme poor beneficiaries and overlaps, ``expenditure_by_category``
    the SPEXP table.
    """

    country: str
    year: int
    period: str
    expenditure: float
    gdp: float
    spexp: float
    spcov: float
    ptr: float
    ptr_upper: float
    ptr_lower: float
    spimp: float
    spi: float
    spi_equal_weights: float
    target_group_weighting: str
    comparison: str
    components: pl.DataFrame
    target_groups: pl.DataFrame
    ptr_programmes: pl.DataFrame
    expenditure_by_category: pl.DataFrame
    warnings: tuple[Warning_, ...] = ()
    method: str = "2005"

    def headline(self) -> dict[str, float]:
        out = {
            "spi": self.spi, "spi_equal_weights": self.spi_equal_weights, "spexp": self.spexp,
            "spcov": self.spcov, "ptr": self.ptr, "ptr_upper": self.ptr_upper, "ptr_lower": self.ptr_lower,
            "spimp": self.spimp, "expenditure": self.expenditure,
        }
        for row in self.components.iter_rows(named=True):
            out[f"scaled_{row['component']}"] = row["scaled"]
        for row in self.target_groups.iter_rows(named=True):
            out[f"coverage_{row['target_group']}"] = row["coverage"]
        return out

    def top_programmes(self, n: int = 5) -> pl.DataFrame:
        """The ``n`` largest programmes per component: expenditure (SPEXP, SPIMP) and poor beneficiaries (PTR)."""
        p = self.ptr_programmes
        spend = p.sort(["expenditure", "name"], descending=[True, False]).head(n).with_columns(
            pl.lit("SPEXP").alias("component"), pl.col("expenditure").alias("value"))
        imp = p.sort(["expenditure_poor", "name"], descending=[True, False]).head(n).with_columns(
            pl.lit("SPIMP").alias("component"), pl.col("expenditure_poor").alias("value"))
        reach = p.sort(["poor_beneficiaries", "name"], descending=[True, False]).head(n).with_columns(
            pl.lit("PTR").alias("component"), pl.col("poor_beneficiaries").alias("value"))
        cols = ["component", "rank", "id", "name", "category_2005", "value"]
        return pl.concat([
            f.with_columns(pl.int_range(1, pl.len() + 1).alias("rank")).select(cols) for f in (spend, reach, imp)
        ])

    def to_frame(self) -> pl.DataFrame:
        """Tidy: one row per component and measure (value, maximum, scaled, weight, weighted)."""
        long = self.components.unpivot(index="component", on=["value", "maximum", "scaled", "weight", "weighted"],
                                       variable_name="measure", value_name="amount").rename({"amount": "value"})
        extra = pl.DataFrame({
            "component": ["SPI", "SPI", "PTR", "PTR"],
            "measure": ["weighted_sum", "equal_weights", "upper_bound", "lower_bound"],
            "value": [self.spi, self.spi_equal_weights, self.ptr_upper, self.ptr_lower],
        })
        return pl.concat([long.select("component", "measure", "value"), extra]).with_columns(
            pl.lit(self.country).alias("country"), pl.lit(self.year).alias("year"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "original_2005", "country": self.country, "year": self.year, "period": self.period,
            "target_group_weighting": self.target_group_weighting, "comparison": self.comparison,
            "headline": self.headline(), "components": self.components.to_dicts(),
            "target_groups": self.target_groups.to_dicts(),
            "top_programmes": self.top_programmes().to_dicts(),
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def summary(self) -> str:
        lines = [
            f"Original SPI (ADB 2005): {self.country}, {self.year} (period {self.period})",
            f"  SPI {self.spi:.3f} (equal weights {self.spi_equal_weights:.3f}); comparison set: {self.comparison}",
        ]
        for row in self.components.iter_rows(named=True):
            lines.append(f"  {row['component']:<6} {row['value']:.4f}  / max {row['maximum']:.3f} = scaled "
                         f"{row['scaled']:.3f}  x weight {row['weight']:.2f}")
        lines.append(f"  PTR bounds: lower {self.ptr_lower:.4f}, best {self.ptr:.4f}, upper {self.ptr_upper:.4f}")
        lines.append(f"  SPCOV weighting: {self.target_group_weighting}")
        for row in self.target_groups.iter_rows(named=True):
            lines.append(f"    {row['target_group']:<4} coverage {row['coverage']:.4f} (weight {row['weight']:.3f})")
        lines += [f"  warning: {w.what}" for w in self.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
