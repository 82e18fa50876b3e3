"""From a survey and an LNOB spec to the arrays of one analysis (indicator × region).

Steps, each counted and reported (nothing is dropped silently):

1. one person frame with the survey's canonical columns, the roles the
   built-in circumstances need, the raw columns the expressions use, and one
   column per circumstance (:mod:`.circumstances`);
2. unit ``household``: one record per household (the head's row; the first
   member where no head is recorded) with the household weight;
3. the reference population filter (null counts as outside);
4. rows with a missing outcome, then rows with a missing circumstance, are
   excluded and reported;
5. barrier indicators are complemented (y = 1 − outcome).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, SpecError, Warning_
from sp2lnob.expressions import compile_expression, referenced_names
from sp2lnob.opportunity.analysis import CircumstanceData
from sp2lnob.opportunity.circumstances import (
    CircumstanceMeta,
    build_circumstances,
    column_of,
    numeric_labels,
    roles_needed,
)
from sp2lnob.opportunity.spec import IndicatorSpec, LnobSpec

ROW = "__row__"


@dataclass(frozen=True, eq=False)
class AnalysisInput:
    """Everything one analysis needs, aligned row by row."""

    indicator: IndicatorSpec
    y: np.ndarray
    weights: np.ndarray
    circumstances: tuple[CircumstanceData, ...]
    strata: np.ndarray
    psu: np.ndarray
    survey_rows: np.ndarray           # row of the survey each analysis row comes from
    warnings: tuple[Warning_, ...]
    region: str | None = None


def prepare_frame(survey: Any, spec: LnobSpec) -> tuple[pl.DataFrame, dict[str, CircumstanceMeta]]:
    """The person frame with every circumstance column (step 1)."""
    available = set(survey.roles) | {"is_head", "head_sex", "head_age", "head_education"}
    wanted = roles_needed(spec.circumstances)
    missing = sorted(r for r in wanted if r not in available)
    if missing:
        raise SpecError("the survey lacks roles that the circumstances need", where="LNOB spec: circumstances",
                        got=missing, hint="map these roles in the survey spec, or drop those circumstances")
    optional = {"is_head"} if "relation" in survey.roles else set()
    if "region" in survey.roles:
        optional.add("region")  # for --by-region
    have = sorted(wanted | optional)
    base = survey.frame(roles=have)
    texts = [i.outcome for i in spec.indicators] + [i.population for i in spec.indicators if i.population]
    texts += [c.from_ for c in spec.circumstances if c.from_]
    names: set[str] = set()
    for t in texts:
        names |= referenced_names(t)
    raw = sorted(n for n in names if n not in base.columns and n in survey.data.columns)
    frame = survey.frame(roles=have, columns=raw).with_row_index(ROW)
    return build_circumstances(frame, spec.circumstances, survey.labels, survey.roles)


def _circumstance_data(frame: pl.DataFrame, metas: dict[str, CircumstanceMeta],
                       names: list[str]) -> tuple[CircumstanceData, ...]:
    out = []
    for name in names:
        m = metas[name]
        values = frame[column_of(name)].to_numpy()
        out.append(CircumstanceData(name=name, values=values, kind=m.kind, label=m.label,  # type: ignore[arg-type]
                                    value_labels=numeric_labels(m.value_labels), phrase=m.phrase))
    return tuple(out)


def analysis_input(frame: pl.DataFrame, metas: dict[str, CircumstanceMeta], spec: LnobSpec,
                   indicator: IndicatorSpec, *, region: str | None = None) -> AnalysisInput:
    """Steps 2–5 for one indicator (optionally within one region)."""
    where = f"indicator {indicator.name}"
    notes: list[Warning_] = []
    df = frame
    if region is not None:
        df = df.filter(pl.col("region") == region)
    if indicator.unit == "household":
        order = pl.col("is_head").cast(pl.Int8) if "is_head" in df.columns else pl.lit(0)
        df = (df.with_columns(order.alias("__head"))
                .sort(["hh_id", "__head", ROW], descending=[False, True, False])
                .unique(subset="hh_id", keep="first", maintain_order=True)
                .sort(ROW))
        weight_col = "hh_weight"
    else:
        weight_col = "weight"
    if indicator.population:
        cond = compile_expression(indicator.population, df.columns, where=f"{where}.population")
        df = df.filter(cond.fill_null(False))
    outcome = compile_expression(indicator.outcome, df.columns, where=f"{where}.outcome")
    df = df.with_columns(outcome.alias("__y"))
    n_null = int(df["__y"].null_count())
    if n_null:
        notes.append(Warning_("rows with a missing outcome excluded", count=n_null, where=where))
        df = df.filter(pl.col("__y").is_not_null())
    if df.height == 0:
        raise DataError("the reference population is empty", where=where,
                        hint="check the population filter" + (f" and region {region!r}" if region else ""))
    y_series = df["__y"]
    if y_series.dtype == pl.Boolean:
        y = y_series.cast(pl.Float64).to_numpy()
    elif y_series.dtype.is_numeric():
        y = y_series.cast(pl.Float64).to_numpy()
    else:
        raise DataError("the outcome is not numeric or boolean", where=f"{where}.outcome", got=str(y_series.dtype),
                        hint="write it as a condition, e.g. `electricity == 1`")
    names = [c.name for c in spec.circumstances_of(indicator)]
    cols = [column_of(n) for n in names]
    null_any = df.select(pl.any_horizontal([pl.col(c).is_null() for c in cols]).alias("m"))["m"].to_numpy()
    if null_any.any():
        per = {n: int(df[column_of(n)].null_count()) for n in names if df[column_of(n)].null_count()}
        notes.append(Warning_("rows with a missing circumstance excluded", count=int(null_any.sum()), where=where,
                              extra={"by_circumstance": per}))
        keep = ~null_any
        df = df.filter(pl.Series(keep))
        y = y[keep]
    if df.height == 0:
        raise DataError("no rows left once missing circumstances are excluded", where=where)
    if indicator.barrier:
        y = 1.0 - y
    return AnalysisInput(
        indicator=indicator,
        y=y,
        weights=df[weight_col].cast(pl.Float64).to_numpy(),
        circumstances=_circumstance_data(df, metas, names),
        strata=df["strata"].to_numpy(),
        psu=df["psu"].to_numpy(),
        survey_rows=df[ROW].to_numpy(),
        warnings=tuple(notes),
        region=region,
    )
