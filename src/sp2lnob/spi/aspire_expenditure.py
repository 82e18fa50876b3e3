"""ASPIRE's administrative expenditure indicator from the SPI register.

A register row may carry its ASPIRE category (column ``aspire``); the same
register then yields spending as % of GDP by ASPIRE category and family
(World Bank ASPIRE administrative indicators; shared/spec/spi.md section 1.2).
"""

from __future__ import annotations

import polars as pl

from sp2lnob.errors import DataError, Warning_, did_you_mean
from sp2lnob.parameters import load
from sp2lnob.spi.basic_stats import BasicStatistics
from sp2lnob.spi.register import Register


def aspire_expenditure(stats: BasicStatistics, register: Register, year: int | None = None
                       ) -> tuple[pl.DataFrame, tuple[Warning_, ...]]:
    """Expenditure (LCU) and share of GDP by ASPIRE category, family and in total.

    Programmes without an ASPIRE category are left out and reported.
    """
    year = stats.year if year is None else year
    stats.require(("gdp",), "ASPIRE expenditure indicator")
    if "aspire" not in register.programmes.columns:
        raise DataError("the register has no `aspire` column", where=register.source or "register",
                        hint="add the ASPIRE category of each programme (parameters/aspire_categories.yaml)")
    spec = load("aspire_categories.yaml")
    cats = spec["categories"]
    frame, period, warns = register.for_year(year, stats.fiscal_year_start_month)
    frame = frame.with_columns(pl.col("aspire").str.strip_chars().str.to_lowercase())
    missing = frame.filter(pl.col("aspire").is_null() | (pl.col("aspire") == ""))
    known = frame.filter(~(pl.col("aspire").is_null() | (pl.col("aspire") == "")))
    bad = known.filter(~pl.col("aspire").is_in(list(cats)))
    if bad.height:
        first = bad.row(0, named=True)
        raise DataError(f"unknown ASPIRE category {first['aspire']!r}", where=f"programme {first['name']!r}",
                        expected=", ".join(cats), got=first["aspire"], hint=did_you_mean(first["aspire"], cats))
    warnings = list(warns)
    if missing.height:
        warnings.append(Warning_(f"{missing.height} programme(s) without an ASPIRE category left out",
                                 count=missing.height, extra={"programmes": missing["name"].to_list()}))
    gdp = float(stats.values["gdp"])
    families = {code: v["family"] for code, v in cats.items()}
    by_cat = (known.group_by("aspire").agg(pl.col("expenditure").sum(), pl.len().alias("programmes"))
              .with_columns(pl.col("aspire").replace_strict(families, return_dtype=pl.String).alias("family"))
              .select(pl.lit("category").alias("level"), pl.col("aspire").alias("code"), "family", "programmes",
                      "expenditure"))
    by_fam = by_cat.group_by("family").agg(pl.col("programmes").sum(), pl.col("expenditure").sum()).select(
        pl.lit("family").alias("level"), pl.col("family").alias("code"), "family", "programmes", "expenditure")
    total = pl.DataFrame({"level": ["total"], "code": ["TOTAL"], "family": [None], "programmes": [known.height],
                          "expenditure": [float(known["expenditure"].sum())]},
                         schema_overrides={"family": pl.String})
    out = pl.concat([by_cat.sort("code"), by_fam.sort("code"), total], how="vertical_relaxed").with_columns(
        (pl.col("expenditure") / gdp).alias("share_of_gdp"), pl.lit(period).alias("period"))
    return out, tuple(warnings)
