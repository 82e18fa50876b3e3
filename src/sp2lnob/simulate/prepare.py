"""Build a :class:`~sp2lnob.simulate.base.SimulationBase` from a :class:`~sp2lnob.survey.Survey`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from sp2lnob.errors import InputError
from sp2lnob.simulate.base import SimulationBase
from sp2lnob.simulate.macro import Macro, load_macro

if TYPE_CHECKING:
    from sp2lnob.survey import Survey

# Roles copied into the eligibility frame when the spec maps them (derived ones need `relation`).
_ROLES = ("age", "sex", "urban", "region", "disability", "education", "labour_status")
_HEAD_ROLES = ("is_head", "head_sex", "head_age", "head_education")


def prepare(survey: Survey, macro: Macro | str | Path | None = None) -> SimulationBase:
    """Everything a simulation needs from ``survey``, computed once (reuse it for many scenarios).

    ``macro``: :class:`Macro`, a country name or a YAML path; by default the embedded
    ``parameters/country_<survey country>.yaml``.
    """
    if survey.level != "person":
        raise InputError("the simulator needs person rows (one row per person)", where="survey",
                         got=f"{survey.level}-level data",
                         hint="eligibility by age, sex or disability needs the persons file in the spec")
    if macro is None:
        country = survey.spec.survey.country
        if not country:
            raise InputError("no macro data: the survey spec names no country", where="survey.country",
                             hint="pass macro=... (or --macro FILE.yaml) with GDP per capita and population")
        macro = load_macro(country)
    elif not isinstance(macro, Macro):
        macro = load_macro(macro)
    mapped = set(survey.roles)
    roles = [r for r in _ROLES if r in mapped]
    if "relation" in mapped:
        roles += [r for r in _HEAD_ROLES if r == "is_head" or r.removeprefix("head_") in mapped]
    base_frame = survey.frame(roles=roles)
    raw = [c for c in survey.data.columns if c not in base_frame.columns]
    df = survey.frame(roles=roles, columns=raw)
    labels: dict[str, dict] = {}
    role_cols = survey.roles
    for role in ("region", "sex"):
        if role in role_cols and role_cols[role] in survey.labels:
            labels[role] = survey.labels[role_cols[role]]
    if "sex" in labels:
        labels["head_sex"] = labels["sex"]
    labels["urban"] = {0: "rural", 1: "urban"}  # bool False/True hash as 0/1
    programmes: dict[str, np.ndarray] = {}
    receipts: dict[str, np.ndarray] = {}
    for prog in survey.programmes:
        receipts[prog.name] = survey.programme_receipt(prog.name).astype(float)
        if prog.amount is not None:
            programmes[prog.name] = survey.programme_amount_pc(prog.name)
    lines = {name: survey.line_values(name) for name in survey.lines}
    info = survey.spec.survey
    df = df.with_columns(pl.Series("__scale", np.asarray(survey.welfare_divisor, dtype=float)))
    base = SimulationBase.from_frame(
        df, macro=macro, lines=lines, programmes=programmes, receipts=receipts,
        household="hh_id", weight="weight", welfare="welfare", scale="__scale", labels=labels,
        period=survey.spec.welfare.output_period, currency=info.currency or macro.currency,
        survey_name=info.name or "", design=survey.design,
    )
    return replace(base, frame=base.frame.drop("__scale"), notes=tuple(survey.report))
