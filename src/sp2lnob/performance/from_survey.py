"""Build the indicator input from a :class:`~sp2lnob.survey.Survey` (roles, labels, lines).

Which groupings exist depends on the roles the spec maps: a grouping whose
role is missing is skipped with a reported reason, never silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, SpecError, Warning_, did_you_mean
from sp2lnob.parameters import load as load_parameters
from sp2lnob.performance.inputs import Grouping, PerformanceInput
from sp2lnob.performance.programme_sets import ProgrammeInfo

if TYPE_CHECKING:
    from sp2lnob.survey import Survey

DEFAULT_GROUPINGS = ("urban", "region", "sex", "head_sex", "age_group")


def age_groups(age: np.ndarray) -> Grouping:
    """Age groups of ``parameters/indicator_definitions.yaml`` (missing age -> -1)."""
    spec = load_parameters("indicator_definitions.yaml")["groupings"]["age_groups"]
    a = np.asarray(age, dtype=float)
    codes = np.digitize(a, spec["breaks"][1:])
    return Grouping("age_group", np.where(np.isfinite(a) & (a >= 0), codes, -1), tuple(spec["labels"]))


def _values(series: pl.Series) -> pl.Series:
    return series.cast(pl.Float64) if series.dtype.is_numeric() or series.dtype == pl.Boolean else series


def _grouping(survey: Survey, name: str, warnings: list[Warning_]) -> Grouping | None:
    roles = survey.roles
    if name == "age_group":
        if "age" not in roles:
            warnings.append(Warning_("grouping 'age_group' skipped: the spec maps no age", where="roles.age"))
            return None
        return age_groups(survey.column("age"))
    if name == "urban":
        if "urban" not in roles:
            warnings.append(Warning_("grouping 'urban' skipped: the spec maps no urban/rural column",
                                     where="roles.urban"))
            return None
        urban = survey.frame(roles=["urban"])["urban"]
        codes = urban.cast(pl.Int64).fill_null(-1).to_numpy()
        return Grouping("urban", codes, ("Rural", "Urban"))
    if name == "head_sex":
        if "sex" not in roles or (survey.level == "person" and "relation" not in roles):
            warnings.append(Warning_("grouping 'head_sex' skipped: needs roles.sex and roles.relation",
                                     where="roles"))
            return None
        series = survey.frame(roles=["head_sex"])["head_sex"]
        return Grouping.from_values("head_sex", _values(series), survey.labels.get(roles["sex"]))
    if name in roles or name in ("sex", "region"):
        if name not in roles:
            warnings.append(Warning_(f"grouping {name!r} skipped: the spec maps no {name}", where=f"roles.{name}"))
            return None
        column = roles[name]
        return Grouping.from_values(name, _values(survey.data[column]), survey.labels.get(column))
    if name in survey.data.columns:
        return Grouping.from_values(name, _values(survey.data[name]), survey.labels.get(name))
    raise SpecError(f"unknown grouping variable {name!r}", where="--by",
                    expected="a role mapped in the spec (region, sex, ...) or a column of the data",
                    got=name, hint=did_you_mean(name, [*roles, *survey.data.columns, *DEFAULT_GROUPINGS]))


def input_from_survey(survey: Survey, *, by: Sequence[str] = (), lines: Sequence[str] | None = None,
                      default_groupings: bool = True) -> PerformanceInput:
    """The person-row arrays of every programme, grouping and poverty line of ``survey``."""
    warnings: list[Warning_] = []
    spec = survey.spec
    out_period = spec.welfare.output_period
    programmes, amounts, receipts = [], [], []
    for prog in spec.programmes:
        has_amount = prog.amount is not None
        if prog.amount is not None:
            column = survey.data[prog.amount]
            if column.null_count() == column.len():
                if prog.receipt is None:
                    raise DataError(f"programme {prog.name!r}: every amount is missing", where=prog.amount,
                                    expected="some non-missing amounts, or a receipt flag",
                                    got=f"{column.len()} missing of {column.len()}",
                                    hint="check the column, or declare the programme with `receipt:` only")
                warnings.append(Warning_(f"programme {prog.name!r}: every amount is missing; receipt flag used "
                                         "and amount-based indicators skipped", count=column.len(),
                                         where=prog.amount))
                has_amount = False
            if prog.period != out_period:
                warnings.append(Warning_(f"programme {prog.name!r}: amounts converted from {prog.period} to "
                                         f"{out_period} (the welfare period)", where=prog.amount))
        programmes.append(ProgrammeInfo(prog.name, prog.label or prog.name, prog.aspire, has_amount))
        amounts.append(survey.programme_amount_pc(prog.name) if has_amount else np.zeros(survey.data.height))
        receipts.append(survey.programme_receipt(prog.name))
    n = survey.data.height
    names = list(dict.fromkeys([*(DEFAULT_GROUPINGS if default_groupings else ()), *by]))
    groupings = {}
    for name in names:
        g = _grouping(survey, name, warnings)
        if g is not None:
            groupings[name] = g
    line_names = list(survey.lines) if lines is None else list(lines)
    line_values = {}
    for name in line_names:
        line = spec.line(name)  # SpecError with a hint for an unknown name
        line_values[name] = np.asarray(survey.line_values(name), dtype=float)
        if line.type in ("relative", "quantile"):
            warnings.append(Warning_(f"line {name!r} is computed on post-transfer welfare and held fixed "
                                     "for the pre-transfer distribution (ASPIRE practice)", where=name))
    persons = survey.hh_size.astype(float) if survey.level == "household" else np.ones(n)
    return PerformanceInput(
        household=survey.household_codes, weight=survey.weights, welfare=survey.welfare,
        design=survey.design, programmes=tuple(programmes),
        amount_pc=np.column_stack(amounts) if amounts else np.zeros((n, 0)),
        receipt=np.column_stack(receipts) if receipts else np.zeros((n, 0), dtype=bool),
        groupings=groupings, lines=line_values,
        line_labels={ln.name: ln.label or ln.name for ln in spec.poverty_lines if ln.name in line_values},
        warnings=tuple(warnings), row_persons=persons,
        meta={"survey": spec.survey.model_dump(exclude_none=True), "spec_yaml": spec.to_yaml(),
              "welfare": spec.welfare.model_dump(exclude_none=True), "level": survey.level},
    )


def indicators_from_survey(survey: Survey, *, by: Sequence[str] = (), lines: Sequence[str] | None = None,
                           ntiles: int = 5, lonely_psu: str | None = None, context: bool = True,
                           employment_status: str | None = None, sector: str | None = None):
    """The complete indicator set of a survey (:class:`~sp2lnob.performance.results.IndicatorResult`),
    with the country context (aspire.md §4) when ``context``."""
    from dataclasses import replace

    from sp2lnob.performance.compute import compute_indicators
    from sp2lnob.performance.context import context_indicators

    inp = input_from_survey(survey, by=by, lines=lines)
    result = compute_indicators(inp, ntiles=ntiles, lonely_psu=lonely_psu)
    frame, warnings = result.frame, list(result.warnings)
    if context:
        ctx, notes = context_indicators(survey, inp, lonely_psu=lonely_psu,
                                        employment_status=employment_status, sector=sector)
        if not ctx.is_empty():
            frame = pl.concat([frame, ctx], how="vertical")
        warnings.extend(notes)
    meta = dict(result.meta)
    meta["group_labels"] = {g.name: list(g.labels) for g in inp.groupings.values()}
    meta["survey_report"] = [w.to_dict() for w in survey.report]
    return replace(result, frame=frame, warnings=tuple(warnings), meta=meta)
