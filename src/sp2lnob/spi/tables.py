"""The workbook's tables as tidy Polars frames.

Revised (2012) workbook: S3 expenditure by category with SPEXP, S4
beneficiaries by broad category, S5 poverty focus and S6 sex focus by
programme, S7 SPI by category, S8 depth and breadth, S9 poor / non-poor with
poverty focus, S10 women / men. Original (2005): S3 expenditure by 2005
category with SPEXP, S5 SPCOV by target group, S6 PTR by programme with its
bounds, S8 SPIMP, S10 scaled components, S11 the SPI. Table numbers follow
ADB (2012) and ADB (2005) handbooks' workbook sheets; money in LCU,
populations in persons.
"""

from __future__ import annotations

import polars as pl

from sp2lnob.errors import InputError
from sp2lnob.parameters import load
from sp2lnob.spi.original_result import OriginalSPI
from sp2lnob.spi.revised_result import RevisedSPI

TITLES_2012 = {
    "S3": "Social protection expenditure by category (SPEXP = share of GDP)",
    "S4": "Beneficiaries and reference populations by broad category",
    "S5": "Poverty focus: expenditure reaching the poor, by programme",
    "S6": "Sex focus: expenditure reaching women, by programme",
    "S7": "SPI by category",
    "S8": "Depth and breadth by broad category",
    "S9": "SPI for the poor and the non-poor, poverty focus",
    "S10": "SPI for women and men",
}
TITLES_2005 = {
    "S3": "Social protection expenditure by 2005 category (SPEXP)",
    "S5": "Coverage by target group (SPCOV)",
    "S6": "Poverty targeting: poor beneficiaries and overlaps (PTR)",
    "S8": "Impact on the poor (SPIMP)",
    "S10": "Components scaled by the comparison set",
    "S11": "Social Protection Index (weighted)",
}


def _s3_2012(r: RevisedSPI) -> pl.DataFrame:
    cats = load("spi_categories.yaml")["revised_2012"]["categories"]
    detail = (pl.DataFrame({"category": list(cats), "label": [v["label"] for v in cats.values()],
                            "broad": [v["broad"] for v in cats.values()]})
              .join(r.programmes.group_by("category").agg(pl.col("expenditure").sum(), pl.len().alias("programmes")),
                    on="category", how="left")
              .with_columns(pl.col("expenditure").fill_null(0.0), pl.col("programmes").fill_null(0),
                            pl.lit("category").alias("level")))
    broad = r.by_category.select(pl.col("broad").alias("category"), pl.col("broad"), "expenditure", "programmes") \
        .with_columns(pl.lit("broad").alias("level"), pl.col("category").alias("label"))
    total = pl.DataFrame({"category": ["TOTAL"], "label": ["Total"], "broad": [None], "expenditure": [r.expenditure],
                          "programmes": [r.programmes.height], "level": ["total"]},
                         schema_overrides={"broad": pl.String, "programmes": pl.UInt32})
    cols = ["level", "category", "label", "broad", "programmes", "expenditure"]
    out = pl.concat([detail.select(cols), broad.select(cols), total.select(cols)], how="vertical_relaxed")
    return out.with_columns((pl.col("expenditure") / r.expenditure).alias("share_of_expenditure"),
                            (pl.col("expenditure") / r.gdp).alias("share_of_gdp"))


def _by_broad_with_total(r: RevisedSPI, cols: list[str], total: dict) -> pl.DataFrame:
    body = r.by_category.select(["broad"] + cols)
    return pl.concat([body, pl.DataFrame({"broad": ["TOTAL"], **{c: [total[c]] for c in cols}})],
                     how="vertical_relaxed")


def _revised(r: RevisedSPI) -> dict[str, pl.DataFrame]:
    p = r.programmes
    s4 = _by_broad_with_total(r, ["beneficiaries", "potential_beneficiaries", "category_coverage", "population_weight"],
                              {"beneficiaries": r.beneficiaries, "potential_beneficiaries": r.potential_beneficiaries,
                               "category_coverage": r.beneficiaries / r.potential_beneficiaries,
                               "population_weight": 1.0})
    s5 = p.select("id", "name", "category", "broad", "expenditure", "poor_share", "expenditure_poor").with_columns(
        (pl.col("expenditure") - pl.col("expenditure_poor")).alias("expenditure_nonpoor"))
    s5 = pl.concat([s5, pl.DataFrame({"id": ["TOTAL"], "name": ["Total"], "expenditure": [r.expenditure],
                                      "poor_share": [r.expenditure_poor / r.expenditure],
                                      "expenditure_poor": [r.expenditure_poor],
                                      "expenditure_nonpoor": [r.expenditure_nonpoor]})], how="diagonal_relaxed")
    s6 = p.select("id", "name", "category", "broad", "expenditure", "female_share", "expenditure_women").with_columns(
        (pl.col("expenditure") - pl.col("expenditure_women")).alias("expenditure_men"))
    s6 = pl.concat([s6, pl.DataFrame({"id": ["TOTAL"], "name": ["Total"], "expenditure": [r.expenditure],
                                      "female_share": [r.expenditure_women / r.expenditure],
                                      "expenditure_women": [r.expenditure_women],
                                      "expenditure_men": [r.expenditure_men]})], how="diagonal_relaxed")
    s3 = _s3_2012(r)
    s7 = s3.select("level", "category", "label", "broad", "expenditure").with_columns(
        (pl.col("expenditure") / r.potential_beneficiaries / r.z).alias("spi"))
    s8 = _by_broad_with_total(r, ["expenditure", "beneficiaries", "spi", "depth", "breadth", "category_coverage"],
                              {"expenditure": r.expenditure, "beneficiaries": r.beneficiaries, "spi": r.spi,
                               "depth": r.depth, "breadth": r.breadth,
                               "category_coverage": r.beneficiaries / r.potential_beneficiaries})
    s9 = _by_broad_with_total(r, ["spi", "spi_poor"], {"spi": r.spi, "spi_poor": r.spi_poor}).with_columns(
        (pl.col("spi") - pl.col("spi_poor")).alias("spi_nonpoor"),
        (pl.col("spi_poor") / pl.col("spi") / (r.poor / r.population)).alias("poverty_focus"))
    s10 = _by_broad_with_total(r, ["spi", "spi_women"], {"spi": r.spi, "spi_women": r.spi_women}).with_columns(
        (pl.col("spi") - pl.col("spi_women")).alias("spi_men"))
    return {"S3": s3, "S4": s4, "S5": s5, "S6": s6, "S7": s7, "S8": s8, "S9": s9, "S10": s10}


def _original(r: OriginalSPI) -> dict[str, pl.DataFrame]:
    s3 = pl.concat([r.expenditure_by_category, pl.DataFrame({
        "category_2005": ["TOTAL"], "expenditure": [r.expenditure], "programmes": [r.ptr_programmes.height],
        "share_of_gdp": [r.spexp], "share_of_expenditure": [1.0]})], how="vertical_relaxed")
    s6 = r.ptr_programmes.select("id", "name", "category_2005", "beneficiaries", "poor_share", "poor_beneficiaries",
                                 "poor_reached", "overlap_rule", "overlap", "poor_beneficiaries_net")
    bounds = pl.DataFrame({"id": ["UPPER", "LOWER", "BEST"],
                           "name": ["Upper bound (no overlap)", "Lower bound (largest programme alone)",
                                    "Best estimate"],
                           "poor_reached": [r.ptr_upper, r.ptr_lower, r.ptr]})
    s8 = r.ptr_programmes.select("id", "name", "category_2005", "expenditure", "poor_share", "expenditure_poor")
    s8 = pl.concat([s8, pl.DataFrame({"id": ["SPIMP"], "name": ["SPIMP = (E_p / poor) / poverty line"],
                                      "expenditure_poor": [float(r.ptr_programmes["expenditure_poor"].sum())],
                                      "spimp": [r.spimp]})], how="diagonal_relaxed")
    s11 = pl.concat([r.components.select("component", "scaled", "weight", "weighted"),
                     pl.DataFrame({"component": ["SPI"], "scaled": [None], "weight": [1.0], "weighted": [r.spi]})],
                    how="vertical_relaxed")
    return {"S3": s3, "S5": r.target_groups, "S6": pl.concat([s6, bounds], how="diagonal_relaxed"), "S8": s8,
            "S10": r.components, "S11": s11}


def workbook_tables(result: RevisedSPI | OriginalSPI) -> dict[str, pl.DataFrame]:
    """The workbook's tables of ``result`` by sheet number (S3, S4, ...)."""
    if isinstance(result, RevisedSPI):
        return _revised(result)
    if isinstance(result, OriginalSPI):
        return _original(result)
    raise InputError("workbook tables need an SPI result", expected="RevisedSPI or OriginalSPI",
                     got=type(result).__name__)


def table_titles(result: RevisedSPI | OriginalSPI) -> dict[str, str]:
    return TITLES_2012 if isinstance(result, RevisedSPI) else TITLES_2005
