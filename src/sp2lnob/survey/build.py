"""``read_survey``: spec + files -> validated, immutable :class:`Survey`.

Order: load and merge files; check that every named column exists and is
numeric where it must be; ids; welfare missing values (error, or excluded and
reported with ``welfare.missing: drop``); household-level variables constant
within households; weights; household size; equivalence scale; welfare;
design (strata, PSU nesting, fpc). Nothing is dropped without a report entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, SpecError, Warning_
from sp2lnob.survey import checks
from sp2lnob.survey.core import COLUMN_ROLES, Survey
from sp2lnob.survey.design import Design
from sp2lnob.survey.groups import dense_codes, household_codes
from sp2lnob.survey.merge import load_frames
from sp2lnob.survey.readers import Labels, label_coverage
from sp2lnob.survey.spec import AbsoluteLine, SurveySpec, load_spec, parse_spec
from sp2lnob.survey.welfare import adult_equivalents, get_scale, period_factor, welfare_per_unit

NUMERIC_ROLES = ("weight", "household_size", "adult_equivalents", "age", "fpc")
# Roles that describe the household, so must not vary among its members.
HOUSEHOLD_ROLES = ("strata", "psu", "fpc", "urban", "region", "household_size", "adult_equivalents")


def read_survey(spec_or_path: Any, *, data: Any = None, base_dir: str | Path | None = None) -> Survey:
    """Build a :class:`Survey` from a spec (path, :class:`SurveySpec` or mapping).

    ``data``: a merged Polars/pandas frame or ``{"persons": df, "households": df}``
    used instead of the spec's files; ``base_dir``: where relative file paths
    start (default: the spec file's folder, else the working directory).
    """
    if isinstance(spec_or_path, SurveySpec):
        spec = spec_or_path
        base = Path(base_dir) if base_dir is not None else None
    elif isinstance(spec_or_path, dict):
        spec = parse_spec(spec_or_path, "spec")
        base = Path(base_dir) if base_dir is not None else None
    else:
        path = Path(spec_or_path)
        spec = load_spec(path)
        base = Path(base_dir) if base_dir is not None else path.parent
    df, level, labels, var_labels, report = load_frames(spec, data, base)
    return assemble(spec, df, level, labels, var_labels, report, base)


def _referenced_columns(spec: SurveySpec) -> dict[str, str]:
    """{column: spec key} for every column the spec names."""
    r = spec.roles
    out: dict[str, str] = {}
    for role in COLUMN_ROLES:
        col = getattr(r, role)
        if col is not None:
            out.setdefault(col, f"roles.{role}")
    out.setdefault(spec.welfare.variable, "welfare.variable")
    for i, prog in enumerate(spec.programmes):
        for key in ("amount", "receipt"):
            col = getattr(prog, key)
            if col is not None:
                out.setdefault(col, f"programmes[{i}].{key}")
    for i, line in enumerate(spec.poverty_lines):
        if isinstance(line, AbsoluteLine) and line.by is not None:
            var = line.by.variable
            col = getattr(r, var, None) if var in COLUMN_ROLES else var
            out.setdefault(col or var, f"poverty_lines[{i}].by.variable")
    return out


def assemble(
    spec: SurveySpec,
    df: pl.DataFrame,
    level: str,
    labels: Labels,
    var_labels: dict[str, str],
    report: list[Warning_],
    base_dir: Path | None,
) -> Survey:
    """Validate merged data against ``spec`` and build the Survey."""
    r, wf = spec.roles, spec.welfare
    report = list(report)
    # labels written in the spec are checked against the data like a file's labels
    own = {c: m for c, m in spec.labels.items() if c not in labels and c in df.columns}
    labels = {col: {**labels.get(col, {}), **spec.labels.get(col, {})} for col in {*labels, *spec.labels}}
    referenced = _referenced_columns(spec)
    missing = [c for c in referenced if c not in df.columns]
    if missing:
        raise checks.missing_columns_error(missing, df.columns, "data", roles=referenced)
    if df.height == 0:
        raise DataError("the survey data have no rows", where="data")

    # identifiers
    checks.check_no_missing(df, r.household_id, "roles.household_id")
    if level == "person":
        if r.person_id is not None:
            checks.check_no_missing(df, r.person_id, "roles.person_id")
            checks.check_unique(df, [r.household_id, r.person_id], "(household id, person id) pairs")
    else:
        checks.check_unique(df, [r.household_id], "household ids in a household-level file")

    # types
    for role in NUMERIC_ROLES:
        col = getattr(r, role)
        if col is not None:
            checks.require_numeric(df, col, f"roles.{role}")
    checks.require_numeric(df, wf.variable, "welfare.variable")
    for i, prog in enumerate(spec.programmes):
        for key in ("amount", "receipt"):
            col = getattr(prog, key)
            if col is not None:
                checks.require_numeric(df, col, f"programmes[{i}].{key}")

    df, dropped = _welfare_missing(df, wf.variable, wf.missing, r.household_id)
    report.extend(dropped)
    report.extend(label_coverage(df, own, "spec labels"))

    constant: dict[str, str] = {}
    if level == "person":
        constant = {getattr(r, k): f"roles.{k}" for k in HOUSEHOLD_ROLES if getattr(r, k) is not None}
        if r.weight_type == "household":
            constant[r.weight] = "roles.weight (household weight)"
        constant[wf.variable] = "welfare.variable"
        for i, prog in enumerate(spec.programmes):
            if prog.unit == "household" and prog.amount is not None:
                constant[prog.amount] = f"programmes[{i}].amount (unit: household)"
    hh_codes = household_codes(df[r.household_id])
    if level == "person":
        checks.check_constant_within(df, r.household_id, constant, hh_codes)

    size, size_report = _household_size(df, level, r.household_size, hh_codes)
    report.extend(size_report)
    w_raw = df[r.weight].cast(pl.Float64).to_numpy()
    report.extend(checks.check_weights(w_raw, r.weight))
    weights, hh_weights = _weights(w_raw, size, level, r.weight_type)

    divisor = _welfare_divisor(spec, df, level, size, hh_codes)
    welfare = welfare_per_unit(
        df[wf.variable].cast(pl.Float64).to_numpy(), wf.basis, size, divisor,
        period_factor(wf.period, wf.output_period),
    )
    nonpos = int((welfare <= 0).sum())
    if nonpos:
        report.append(Warning_(
            what="rows with welfare <= 0 (kept; measures using logs, e.g. MLD or Watts, reject them)",
            count=nonpos, where=wf.variable, hint="see docs/conventions.md, 'Zero and negative welfare'",
        ))
    report.extend(_programme_missing(df, spec))
    design, design_report = _design(df, spec, level, weights)
    report.extend(design_report)
    if level == "person" and r.relation is not None and r.head_value is not None:
        report.extend(_head_report(df, r.relation, r.head_value, hh_codes))
    return Survey(
        spec=spec, data=df, design=design, level=level, weights=weights, hh_weights=hh_weights,
        hh_size=size, welfare=welfare, welfare_divisor=divisor, household_codes=hh_codes,
        labels=labels, var_labels=var_labels, report=tuple(report), base_dir=base_dir,
    )


def _welfare_missing(df: pl.DataFrame, column: str, policy: str, hh: str) -> tuple[pl.DataFrame, list[Warning_]]:
    col = pl.col(column)
    bad = col.is_null() | (col.cast(pl.Float64).is_nan() if df.schema[column].is_float() else pl.lit(False))
    n_bad = int(df.select(bad.sum()).item())
    if n_bad == 0:
        return df, []
    n_hh = df.filter(bad)[hh].n_unique()
    if policy == "error":
        raise DataError(
            f"welfare column {column!r} has missing values",
            where=f"column {column}",
            got=f"{n_bad} missing of {df.height} rows ({n_hh} households)",
            hint="impute them, or set `welfare: {missing: drop}` in the spec to exclude those rows (they are then reported)",
        )
    kept = df.filter(~bad)
    if kept.height == 0:
        raise DataError(f"every value of welfare column {column!r} is missing", where=f"column {column}")
    return kept, [
        Warning_(
            what="rows with missing welfare excluded (welfare.missing: drop)",
            count=n_bad,
            where=f"column {column}",
            extra={"households": n_hh},
        )
    ]


def _household_size(df: pl.DataFrame, level: str, column: str | None, hh_codes: np.ndarray) -> tuple[np.ndarray, list[Warning_]]:
    counted = None
    if level == "person":
        counted = np.bincount(hh_codes)[hh_codes].astype(float)
    if column is None:
        if counted is None:
            raise SpecError(
                "a household-level file needs roles.household_size",
                where="roles.household_size",
                hint="map the column holding the number of household members",
            )
        return counted, []
    checks.check_no_missing(df, column, "roles.household_size")
    size = df[column].cast(pl.Float64).to_numpy()
    if (size < 1).any():
        raise DataError(
            f"household size {column!r} has values below 1",
            where=f"column {column}",
            got=f"{int((size < 1).sum())} rows (min {size.min():g})",
        )
    report: list[Warning_] = []
    if counted is not None:
        differ = size != counted
        if differ.any():
            report.append(
                Warning_(
                    what=f"household size {column!r} differs from the number of person rows (the column is used)",
                    count=int(np.unique(hh_codes[differ]).size),
                    where=f"column {column}",
                    hint="members absent from the roster, or a size variable with a different definition",
                )
            )
    return size, report


def _weights(w: np.ndarray, size: np.ndarray, level: str, weight_type: str) -> tuple[np.ndarray, np.ndarray]:
    """(person analysis weight, household weight) of each row.

    person rows: person weight = the row's weight (household or person factor).
    household rows: person weight = household weight x size (``population``: the weight as is,
    household weight = weight / size).
    """
    if level == "person":
        if weight_type == "population":
            raise SpecError(
                "weight_type: population is for household-level files",
                where="roles.weight_type",
                hint="on person rows use household or person",
            )
        return w, w
    if weight_type == "population":
        return w, w / size
    return w * size, w


def _welfare_divisor(spec: SurveySpec, df: pl.DataFrame, level: str, size: np.ndarray, hh_codes: np.ndarray) -> np.ndarray:
    """Household size, or adult equivalents (a column, else computed from the named scale)."""
    wf, r = spec.welfare, spec.roles
    if wf.equivalence_scale == "per_capita":
        return size
    if r.adult_equivalents is not None:
        checks.check_no_missing(df, r.adult_equivalents, "roles.adult_equivalents")
        return df[r.adult_equivalents].cast(pl.Float64).to_numpy()
    scale = get_scale(wf.equivalence_scale, wf.custom_scale, wf.child_max_age)
    if scale.needs_ages and (level != "person" or r.age is None):
        raise SpecError(
            f"equivalence scale {scale.name!r} needs members' ages",
            where="welfare.equivalence_scale",
            expected="a person-level file with roles.age, or roles.adult_equivalents",
            hint="or use equivalence_scale: square_root (needs only household size)",
        )
    age = df[r.age].cast(pl.Float64).to_numpy() if r.age is not None and level == "person" else None
    return adult_equivalents(scale, size, hh_codes, age)


def _programme_missing(df: pl.DataFrame, spec: SurveySpec) -> list[Warning_]:
    out = []
    for prog in spec.programmes:
        for key in ("amount", "receipt"):
            col = getattr(prog, key)
            if col is None:
                continue
            n = int(df[col].is_null().sum())
            if n:
                out.append(
                    Warning_(
                        what=f"programme {prog.name!r}: missing {key} values read as not received (0)",
                        count=n,
                        where=f"column {col}",
                    )
                )
    return out


def _codes(df: pl.DataFrame, cols: list[str]) -> np.ndarray:
    if len(cols) == 1:
        return dense_codes(df[cols[0]])
    pair = dense_codes(df[cols[0]]) * (int(dense_codes(df[cols[1]]).max()) + 1) + dense_codes(df[cols[1]])
    return dense_codes(pl.Series(pair))


def _design(df: pl.DataFrame, spec: SurveySpec, level: str, weights: np.ndarray) -> tuple[Design, list[Warning_]]:
    r = spec.roles
    report: list[Warning_] = []
    strata = psu = fpc = None
    if r.strata is not None:
        checks.check_no_missing(df, r.strata, "roles.strata")
        strata = _codes(df, [r.strata])
    if r.psu is not None:
        checks.check_no_missing(df, r.psu, "roles.psu")
        psu = _codes(df, [r.psu])
        if strata is not None and r.strata is not None:
            report.extend(checks.check_psu_nesting(strata, psu, df[r.psu], spec.design.nest))
            if spec.design.nest:
                psu = _codes(df, [r.strata, r.psu])
    elif level == "person":
        psu = _codes(df, [r.household_id])
        report.append(
            Warning_(
                what="no PSU in the spec: households are used as PSUs (members' welfare is shared)",
                where="roles.psu",
                hint="map roles.psu to the survey's cluster / enumeration-area variable",
            )
        )
    if r.fpc is not None:
        checks.check_no_missing(df, r.fpc, "roles.fpc")
        fpc = df[r.fpc].cast(pl.Float64).to_numpy()
    labels = {"weights": f"person weights from {r.weight} ({r.weight_type})",
              "strata": r.strata or "(one stratum)",
              "psu": r.psu or (r.household_id if level == "person" else "(each row)")}
    return Design(weights=weights, strata=strata, psu=psu, fpc=fpc, labels=labels), report


def _head_report(df: pl.DataFrame, relation: str, head_value: Any, hh_codes: np.ndarray) -> list[Warning_]:
    col = df[relation]
    try:
        is_head = (col.cast(pl.Float64) == float(head_value)) if col.dtype.is_numeric() else (col.cast(pl.String) == str(head_value))
    except (TypeError, ValueError):
        return []
    heads = np.bincount(hh_codes, weights=is_head.fill_null(False).to_numpy().astype(float))
    out = []
    for n_heads, what in ((heads == 0, "households without a head (head_* roles are null there)"),
                          (heads > 1, "households with several heads (head_* roles use the first)")):
        if n_heads.any():
            out.append(Warning_(what=what, count=int(n_heads.sum()), where=f"column {relation}"))
    return out
