"""The revised Social Protection Index (ADB 2012).

With E total social protection expenditure, AB actual beneficiaries, PB the
potential beneficiaries (sum of six reference populations) and the
normaliser z = 0.25 x GDP per capita:

    SPI = (E / PB) / z,  depth D = (E / AB) / z,  breadth B = AB / PB,  SPI = D x B
    SPI_c = (E_c / PB) / z, depth_c = (E_c / AB_c) / z, breadth_c = AB_c / PB  (c in SI, SA, LMP)
    E_p = sum_i E_i x poor_share_i;  SPI_p = (E_p / PB) / z;  SPI_np = SPI - SPI_p
    poverty focus = (SPI_p / SPI) / (poor / population)
    E_f = sum_i E_i x female_share_i;  SPI_f, SPI_m likewise

Source: ADB (2012), The Revised Social Protection Index: Methodology and
Handbook, ch. 2 and the workbook sheets S7-S10; shared/spec/spi.md section 2.
"""

from __future__ import annotations

import polars as pl

from sp2lnob.errors import DataError, InputError, Warning_, did_you_mean
from sp2lnob.parameters import load
from sp2lnob.spi.basic_stats import REQUIRED, BasicStatistics
from sp2lnob.spi.plausibility import revised_spi_warning
from sp2lnob.spi.register import Register
from sp2lnob.spi.revised_result import RevisedSPI

BROAD = ("SI", "SA", "LMP")


def normalisers() -> dict[str, float]:
    """Registry of the normaliser conventions: name -> share of GDP per capita."""
    spec = load("spi_2012_reference_populations.yaml")["normalisers"]
    return {name: float(v["share_of_gdp_per_capita"]) for name, v in spec.items()}


def reference_populations(stats: BasicStatistics) -> pl.DataFrame:
    """The six reference populations (persons) and the broad category each counts under."""
    spec = load("spi_2012_reference_populations.yaml")["reference_populations"]
    return pl.DataFrame({
        "reference_population": list(spec),
        "label": [v["label"] for v in spec.values()],
        "broad": [v["broad"] for v in spec.values()],
        "persons": [float(stats.values[k]) for k in spec],
    })


def check_beneficiaries(frame: pl.DataFrame, population: float, where: str) -> None:
    """A programme cannot reach more people than live in the country."""
    over = frame.filter(pl.col("beneficiaries") > population)
    if over.height:
        raise DataError(
            "beneficiaries larger than the population",
            where=f"{where}, programmes {over['name'].to_list()[:10]}",
            expected=f"at most the population ({population:,.0f} persons)",
            got=[f"{v:,.0f}" for v in over["beneficiaries"].to_list()[:10]],
            hint="check the beneficiaries' magnitude (ben_unit): thousands entered as millions?",
        )


def _share_warnings(frame: pl.DataFrame) -> list[Warning_]:
    out = []
    for col, what in (("poor_share", "poor (E_p)"), ("female_share", "women (E_f)")):
        missing = frame.filter(pl.col(col).is_null() & (pl.col("expenditure") > 0))
        if missing.height:
            out.append(Warning_(
                f"{missing.height} programme(s) have no {col}: their spending is not counted as reaching the {what}",
                count=missing.height, where=col, extra={"programmes": missing["name"].to_list()},
            ))
    return out


def revised_spi(
    stats: BasicStatistics,
    register: Register,
    year: int | None = None,
    *,
    normaliser: str = "quarter_gdp_per_capita",
) -> RevisedSPI:
    """Compute the revised (2012) SPI of ``register`` against ``stats`` for ``year``.

    ``normaliser`` is ``"quarter_gdp_per_capita"`` (z = 0.25 x GDP per
    capita, the 2012 handbook) or ``"gdp_per_capita"`` (z = GDP per capita,
    the later ADB convention from the 2013 round on; values 4 times smaller).
    """
    conventions = normalisers()
    if normaliser not in conventions:
        raise InputError(f"unknown normaliser {normaliser!r}", expected=", ".join(conventions),
                         got=normaliser, hint=did_you_mean(normaliser, conventions))
    year = stats.year if year is None else year
    stats.require(REQUIRED["2012"], "revised (2012) SPI")
    frame, period, warns = register.for_year(year, stats.fiscal_year_start_month)
    warnings: list[Warning_] = list(stats.warnings) + list(warns)
    excluded = frame.filter(pl.col("broad").is_null())
    if excluded.height:
        warnings.append(Warning_(
            f"{excluded.height} micro-finance programme(s) excluded from the revised SPI (loans are not transfers)",
            count=excluded.height, where="category MAB",
            extra={"programmes": excluded["name"].to_list(),
                   "expenditure_excluded": float(excluded["expenditure"].sum())},
        ))
    frame = frame.filter(pl.col("broad").is_not_null())
    if frame.height == 0:
        raise DataError("no programme to compute the SPI from", where=register.source or "register")
    population = float(stats.values["population"])
    check_beneficiaries(frame, population, register.source or "register")
    warnings += _share_warnings(frame)

    refs = reference_populations(stats)
    pb = float(refs["persons"].sum())
    if pb <= 0:
        raise DataError("the reference populations sum to zero", where="basic statistics")
    z = conventions[normaliser] * float(stats.values["gdp_per_capita"])
    if z <= 0:
        raise DataError("GDP per capita must be positive", where="basic statistics", got=stats.values["gdp_per_capita"])

    frame = frame.with_columns(
        (pl.col("expenditure") * pl.col("poor_share").fill_null(0.0)).alias("expenditure_poor"),
        (pl.col("expenditure") * pl.col("female_share").fill_null(0.0)).alias("expenditure_women"),
    ).with_columns(
        (pl.col("expenditure") / pb / z).alias("spi"),
        pl.when(pl.col("beneficiaries") > 0).then(pl.col("expenditure") / pl.col("beneficiaries") / z)
        .otherwise(None).alias("depth"),
        (pl.col("beneficiaries") / pb).alias("breadth"),
        (pl.col("expenditure_poor") / pb / z).alias("spi_poor"),
        (pl.col("expenditure_women") / pb / z).alias("spi_women"),
    )
    pb_c = refs.group_by("broad").agg(pl.col("persons").sum().alias("potential_beneficiaries"))
    by_cat = (
        pl.DataFrame({"broad": list(BROAD)})
        .join(frame.group_by("broad").agg(
            pl.col("expenditure").sum(), pl.col("beneficiaries").sum(),
            pl.col("expenditure_poor").sum(), pl.col("expenditure_women").sum(), pl.len().alias("programmes"),
        ), on="broad", how="left")
        .join(pb_c, on="broad", how="left")
        .with_columns(pl.col(c).fill_null(0) for c in ("expenditure", "beneficiaries", "expenditure_poor",
                                                       "expenditure_women", "programmes", "potential_beneficiaries"))
        .with_columns(
            (pl.col("expenditure") / pb / z).alias("spi"),
            pl.when(pl.col("beneficiaries") > 0).then(pl.col("expenditure") / pl.col("beneficiaries") / z)
            .otherwise(None).alias("depth"),
            (pl.col("beneficiaries") / pb).alias("breadth"),
            (pl.col("beneficiaries") / pl.col("potential_beneficiaries")).alias("category_coverage"),
            (pl.col("potential_beneficiaries") / pb).alias("population_weight"),
            (pl.col("expenditure_poor") / pb / z).alias("spi_poor"),
            (pl.col("expenditure_women") / pb / z).alias("spi_women"),
        )
    )
    over = by_cat.filter(pl.col("category_coverage") > 1)
    for row in over.iter_rows(named=True):  # at most three broad categories
        warnings.append(Warning_(
            f"{row['broad']} beneficiaries exceed their reference population "
            f"(coverage {row['category_coverage']:.2f}): check the counting rules",
            where=f"broad category {row['broad']}",
            hint="job-creation programmes count workers, not families; pensions count current recipients; "
                 "health insurance counts covered members, not claimants; overlapping programmes double count",
        ))
    e = float(frame["expenditure"].sum())
    ab = float(frame["beneficiaries"].sum())
    e_p = float(frame["expenditure_poor"].sum())
    e_f = float(frame["expenditure_women"].sum())
    spi = e / pb / z
    exp_units = frame["exp_unit"].drop_nulls().unique().sort().to_list() if "exp_unit" in frame.columns else []
    warning = revised_spi_warning(spi, {
        "expenditure": ", ".join(exp_units) or "?",
        "gdp_per_capita": stats.units.get("gdp_per_capita", "?"),
        "populations": stats.units.get("population", "?"),
    })
    if warning is not None:
        warnings.append(warning)
    poor = float(stats.values["poor"])
    spi_p = e_p / pb / z
    return RevisedSPI(
        country=stats.country, year=year, period=period, normaliser=normaliser, z=z,
        gdp=float(stats.values["gdp"]), gdp_per_capita=float(stats.values["gdp_per_capita"]),
        population=population, poor=poor,
        expenditure=e, beneficiaries=ab, potential_beneficiaries=pb,
        spi=spi, depth=(e / ab / z) if ab > 0 else float("nan"), breadth=ab / pb,
        expenditure_poor=e_p, expenditure_nonpoor=e - e_p, spi_poor=spi_p, spi_nonpoor=(e - e_p) / pb / z,
        poverty_focus=(spi_p / spi) / (poor / population) if spi > 0 and poor > 0 else float("nan"),
        expenditure_women=e_f, expenditure_men=e - e_f, spi_women=e_f / pb / z, spi_men=(e - e_f) / pb / z,
        spexp=e / float(stats.values["gdp"]),
        by_category=by_cat, programmes=frame, reference_populations=refs,
        excluded=excluded.select("id", "name", "category", "expenditure", "beneficiaries"),
        warnings=tuple(warnings),
    )
