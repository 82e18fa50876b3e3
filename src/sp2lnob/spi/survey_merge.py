"""Merge survey-derived SPI inputs into a programme register (shared/spec/spi.md section 4).

Survey figures replace the register's for the programmes the survey
measures (beneficiaries, poor_share, female_share); programmes absent from
the survey keep their register values; survey programmes absent from the
register are added when the survey records their amounts (expenditure =
weighted yearly amounts), otherwise reported. ``sources`` says, per
programme and figure, where it came from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl

from sp2lnob.errors import InputError, Warning_
from sp2lnob.spi.register import Register
from sp2lnob.spi.survey_result import MergedInputs, SurveyInputs

FIGURES = ("expenditure", "beneficiaries", "poor_share", "female_share")


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _match(register: Register, inputs: SurveyInputs, mapping: Mapping[str, str] | None) -> dict[str, str]:
    """Survey programme -> register id: explicit ``mapping``, else a ``survey_programme`` column, else the name."""
    progs = register.programmes
    ids = set(progs["id"].to_list())
    if mapping:
        bad = {k: v for k, v in mapping.items() if str(v) not in ids}
        if bad:
            raise InputError("the survey-to-register mapping names unknown register ids", got=bad,
                             expected=", ".join(sorted(ids)))
        return {k: str(v) for k, v in mapping.items()}
    names = inputs.programmes["programme"].to_list()
    if "survey_programme" in progs.columns:
        pairs = progs.filter(pl.col("survey_programme").is_not_null()).select("survey_programme", "id").rows()
        return {s: i for s, i in pairs if s in names}
    by_name = {_key(n): i for i, n in progs.select("id", "name").rows()}
    return {n: by_name[_key(n)] for n in names if _key(n) in by_name}


def merge_with_register(
    register: Register,
    inputs: SurveyInputs,
    year: int,
    *,
    fiscal_year_start_month: int = 1,
    mapping: Mapping[str, str] | None = None,
    poor_share_from: str = "amounts",
) -> MergedInputs:
    """A new register for ``year`` with the survey's figures where it has them.

    ``poor_share_from``: ``"amounts"`` (share of benefit amounts reaching the
    poor, when the survey records amounts; else the beneficiary share) or
    ``"beneficiaries"`` (always the beneficiary share).
    """
    if poor_share_from not in ("amounts", "beneficiaries"):
        raise InputError("poor_share_from must be 'amounts' or 'beneficiaries'", got=poor_share_from)
    (first, last), warns = register.period_for(year, fiscal_year_start_month)
    warnings = list(warns) + list(inputs.warnings)
    if inputs.year is not None and inputs.year != year:
        warnings.append(Warning_(
            f"the survey is of {inputs.year}, the register figures of {year}: survey counts and shares are "
            "applied as they are", where="survey year",
            hint="use a survey of the reference year, or scale beneficiaries to the reference year's population"))
    matched = _match(register, inputs, mapping)
    use_amounts = poor_share_from == "amounts"
    s = inputs.programmes.with_columns(
        pl.col("programme").replace_strict(matched, default=None, return_dtype=pl.String).alias("id"),
        (pl.when(pl.lit(use_amounts) & pl.col("amount_poor_share").is_not_null())
         .then(pl.col("amount_poor_share")).otherwise(pl.col("poor_share"))).alias("survey_poor_share"),
        (pl.when(pl.lit(use_amounts) & pl.col("amount_poor_share").is_not_null())
         .then(pl.lit("survey (amounts)")).otherwise(pl.lit("survey"))).alias("poor_share_source"),
    )
    new = s.filter(pl.col("id").is_null())
    addable = new.filter(pl.col("amount_total").is_not_null() & pl.col("beneficiaries").is_not_null())
    dropped = new.filter(~pl.col("programme").is_in(addable["programme"].to_list()))
    if dropped.height:
        warnings.append(Warning_(
            f"{dropped.height} survey programme(s) are not in the register and have no recorded amounts "
            "(or no beneficiaries): not added", count=dropped.height,
            extra={"programmes": dropped["programme"].to_list()}))
    if addable.height:
        warnings.append(Warning_(
            f"{addable.height} survey programme(s) not in the register were added with expenditure = "
            "weighted survey amounts", count=addable.height, extra={"programmes": addable["programme"].to_list()}))
    addable = addable.with_columns(("survey:" + pl.col("programme")).alias("id"))
    s = pl.concat([s.filter(pl.col("id").is_not_null()), addable])

    progs = register.programmes
    added_rows = addable.select(pl.col("id"), pl.col("programme").alias("name"), pl.col("category"),
                                pl.col("broad"))
    progs = pl.concat([progs, added_rows], how="diagonal_relaxed")
    upd = s.select("id", "survey_poor_share", "poor_share_source", pl.col("female_share").alias("survey_female"),
                   pl.col("beneficiaries").alias("survey_ben"), pl.col("programme").alias("survey_programme_used"))
    progs = progs.join(upd, on="id", how="left").with_columns(
        pl.coalesce("survey_poor_share", "poor_share").alias("poor_share"),
        pl.coalesce("survey_female", "female_share").alias("female_share"),
    )
    sources = progs.select(
        "id", "name",
        pl.when(pl.col("id").str.starts_with("survey:")).then(pl.lit("survey (amounts)"))
        .otherwise(pl.lit("register")).alias("expenditure"),
        pl.when(pl.col("survey_ben").is_not_null()).then(pl.lit("survey")).otherwise(pl.lit("register"))
        .alias("beneficiaries"),
        pl.when(pl.col("survey_poor_share").is_not_null()).then(pl.col("poor_share_source"))
        .otherwise(pl.lit("register")).alias("poor_share"),
        pl.when(pl.col("survey_female").is_not_null()).then(pl.lit("survey")).otherwise(pl.lit("register"))
        .alias("female_share"),
        pl.col("survey_programme_used").alias("survey_programme"),
    ).unpivot(index=["id", "name", "survey_programme"], on=list(FIGURES), variable_name="figure",
              value_name="source")
    # Amounts of the chosen period: survey beneficiaries replace the register's; added programmes get both.
    amounts = register.amounts
    ben_update = s.filter(pl.col("beneficiaries").is_not_null()).select("id", pl.col("beneficiaries").alias("v"))
    period = (pl.col("first_year") == first) & (pl.col("last_year") == last)
    amounts = amounts.join(ben_update, on="id", how="left").with_columns(
        pl.when(period & (pl.col("measure") == "beneficiaries") & pl.col("v").is_not_null())
        .then(pl.col("v")).otherwise(pl.col("value")).alias("value")).drop("v")
    present = amounts.filter(period & (pl.col("measure") == "beneficiaries"))["id"].to_list()
    missing_ben = s.filter(pl.col("beneficiaries").is_not_null() & ~pl.col("id").is_in(present)
                           & ~pl.col("id").str.starts_with("survey:"))
    extra = [
        addable.select("id", pl.lit("expenditure").alias("measure"), pl.col("amount_total").alias("value")),
        addable.select("id", pl.lit("beneficiaries").alias("measure"), pl.col("beneficiaries").alias("value")),
        missing_ben.select("id", pl.lit("beneficiaries").alias("measure"), pl.col("beneficiaries").alias("value")),
    ]
    extra_df = pl.concat(extra).with_columns(pl.lit(first, dtype=pl.Int64).alias("first_year"),
                                             pl.lit(last, dtype=pl.Int64).alias("last_year"))
    amounts = pl.concat([amounts, extra_df.select(amounts.columns)], how="vertical_relaxed")
    merged = Register(
        programmes=progs.drop("survey_poor_share", "poor_share_source", "survey_female", "survey_ben",
                              "survey_programme_used"),
        amounts=amounts, source=f"{register.source or 'register'} + survey {inputs.survey!r}")
    return MergedInputs(register=merged, inputs=inputs, sources=sources, warnings=tuple(warnings))
