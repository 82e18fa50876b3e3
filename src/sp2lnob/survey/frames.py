"""``Survey.frame``: a tidy Polars frame with columns named by role.

Derived roles: ``is_head`` (relation == head_value), ``head_sex`` /
``head_age`` / ``head_education`` (the head's value, copied to every member;
null in a household without a head), ``urban`` as bool.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from sp2lnob.errors import SpecError, did_you_mean

if TYPE_CHECKING:
    from sp2lnob.survey.core import Survey

def canonical_frame(survey: Survey, roles: Sequence[str], columns: Sequence[str]) -> pl.DataFrame:
    from sp2lnob.survey.core import _ALIASES, CANONICAL, COLUMN_ROLES, DERIVED

    design = survey.design
    r = survey.spec.roles
    data = survey.data
    n = data.height
    out: dict[str, Any] = {"hh_id": data[r.household_id]}
    if survey.level == "person" and r.person_id is not None:
        out["person_id"] = data[r.person_id]
    out.update(
        weight=survey.weights,
        hh_weight=survey.hh_weights,
        hh_size=survey.hh_size,
        welfare=survey.welfare,
        strata=np.zeros(n, dtype=np.int64) if design.strata is None else design.strata,
        psu=np.arange(n, dtype=np.int64) if design.psu is None else design.psu,
    )
    frame = pl.DataFrame({k: (v if isinstance(v, pl.Series) else pl.Series(k, v)) for k, v in out.items()})
    extra: list[pl.Series] = []
    mapped = survey.roles
    for role in roles:
        name = _ALIASES.get(role, role)
        if name in frame.columns or name in (s.name for s in extra):
            continue
        if name == "urban":
            extra.append(pl.Series("urban", urban_mask(survey)))
        elif name == "is_head":
            extra.append(pl.Series("is_head", head_mask(survey)))
        elif name in ("head_sex", "head_age", "head_education"):
            extra.append(head_value(survey, name.removeprefix("head_")).alias(name))
        elif name == "welfare_ppp":
            extra.append(pl.Series("welfare_ppp", survey.welfare_ppp))
        elif name == "equivalent_size":
            extra.append(pl.Series("equivalent_size", survey.welfare_divisor))
        elif name in mapped:
            extra.append(data[mapped[name]].alias(name))
        else:
            known = [*COLUMN_ROLES, *CANONICAL, *DERIVED]
            raise SpecError(
                f"role {role!r} is not available in this survey",
                where="Survey.frame(roles=...)",
                expected=f"a role mapped in the spec ({', '.join(mapped)}) or a derived role ({', '.join(DERIVED)})",
                got=role,
                hint=did_you_mean(role, known) if role not in COLUMN_ROLES else f"map roles.{role} in the spec",
            )
    if extra:
        frame = frame.with_columns(extra)
    if columns:
        missing = [c for c in columns if c not in data.columns]
        if missing:
            from sp2lnob.survey.checks import missing_columns_error

            raise missing_columns_error(missing, data.columns, "Survey.frame(columns=...)")
        taken = set(frame.columns)
        frame = frame.with_columns(
            [data[c].alias(c if c not in taken else f"{c}_raw") for c in columns]
        )
    return frame


def urban_mask(survey: Survey) -> pl.Series:
    """True for urban rows: roles.urban_value, else the code labelled 'Urban', or a boolean column."""
    r = survey.spec.roles
    if r.urban is None:
        raise SpecError("the spec maps no urban/rural column", where="roles.urban", hint="set roles.urban")
    col = survey.data[r.urban]
    if col.dtype == pl.Boolean:
        return col.alias("urban")
    codes = urban_codes(survey)
    if col.dtype.is_numeric():
        numbers = [_number(c) for c in codes]
        if None in numbers:
            raise SpecError(
                f"the urban code(s) {codes} do not match the numeric column {r.urban!r}",
                where="roles.urban_value / labels",
                expected="numeric codes",
                got=repr(codes),
            )
        hit = pl.col("c").cast(pl.Float64).is_in(numbers)
    else:
        hit = pl.col("c").cast(pl.String).is_in([str(c) for c in codes])
    df = pl.DataFrame({"c": col})
    return df.select(pl.when(pl.col("c").is_null()).then(None).otherwise(hit).alias("urban"))["urban"]


def _number(code: Any) -> float | None:
    try:
        return float(code)
    except (TypeError, ValueError):
        return None


def urban_codes(survey: Survey) -> list[Any]:
    r = survey.spec.roles
    if r.urban_value is not None:
        return [r.urban_value]
    labels = survey.labels.get(r.urban or "", {})
    codes = [code for code, label in labels.items() if str(label).strip().lower().startswith("urban")]
    if not codes:
        raise SpecError(
            f"cannot tell which code of {r.urban!r} means urban",
            where="roles.urban_value",
            expected="a value label starting with 'Urban', or roles.urban_value",
            got=f"labels {labels}" if labels else "no value labels",
            hint="set roles.urban_value (e.g. 1) or labels: {urban: {0: Rural, 1: Urban}}",
        )
    return codes


def head_mask(survey: Survey) -> np.ndarray:
    """relation == head_value (every row on household-level data)."""
    if survey.level == "household":
        return np.ones(survey.data.height, dtype=bool)
    r = survey.spec.roles
    if r.relation is None or r.head_value is None:
        raise SpecError(
            "the household head is not identified",
            where="roles.relation / roles.head_value",
            expected="roles.relation (relationship to head) and roles.head_value (its code for the head)",
        )
    col = survey.data[r.relation]
    if col.dtype.is_numeric():
        try:
            target: Any = float(r.head_value)
        except (TypeError, ValueError):
            raise SpecError(
                "roles.head_value must be a number for a numeric relation column",
                where="roles.head_value",
                got=repr(r.head_value),
            ) from None
        return (col.cast(pl.Float64) == target).fill_null(False).to_numpy()
    return (col.cast(pl.String) == str(r.head_value)).fill_null(False).to_numpy()


def head_value(survey: Survey, role: str) -> pl.Series:
    """The household head's value of ``role`` on every member's row."""
    column = survey.roles.get(role)
    if column is None:
        raise SpecError(f"head_{role} needs roles.{role}", where=f"roles.{role}", hint=f"map roles.{role} in the spec")
    values = survey.data[column]
    if survey.level == "household":
        return values
    codes = survey.household_codes
    heads = np.flatnonzero(head_mask(survey))
    # first head row of each household (rows in file order), -1 without a head
    head_row = np.full(int(codes.max()) + 1, -1, dtype=np.int64)
    found, first = np.unique(codes[heads], return_index=True)
    head_row[found] = heads[first]
    rows = head_row[codes]
    picked = values.gather(np.maximum(rows, 0))
    return pl.select(pl.when(pl.Series(rows >= 0)).then(picked).otherwise(None)).to_series().alias(values.name)
