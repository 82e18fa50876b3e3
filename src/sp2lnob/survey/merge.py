"""Loading a spec's files and merging household and person files (m:1 on household id)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, InputError, SpecError, Warning_
from sp2lnob.survey.checks import check_no_missing, check_unique, missing_columns_error
from sp2lnob.survey.file_checks import excel_formula_report
from sp2lnob.survey.readers import Labels, label_coverage, read_table
from sp2lnob.survey.spec import SurveySpec

Frames = tuple[pl.DataFrame, str, Labels, dict[str, str], list[Warning_]]


def load_frames(spec: SurveySpec, data: Any, base_dir: Path | None) -> Frames:
    """(merged data, level, value labels, variable labels, report) from files or in-memory data.

    ``data`` may be a merged frame, or ``{"persons": df, "households": df}``.
    Level is "person" when there is a person file or a person id, else "household".
    (In-memory ``data`` ignores ``spec.files``.)
    """
    hh = spec.roles.household_id
    report: list[Warning_] = []
    labels: Labels = {}
    var_labels: dict[str, str] = {}
    if data is not None:
        persons, households = _in_memory(data)
    else:
        if spec.files is None:
            raise SpecError(
                "the spec names no data files and no data were given",
                where="files",
                hint="add `files: {data: survey.dta}` or call read_survey(spec, data=frame)",
            )
        base = base_dir or Path.cwd()
        persons = households = None
        for key in ("data", "persons", "households"):
            name = getattr(spec.files, key)
            if name is None:
                continue
            df, lab, vlab = read_table(base / name)
            if name.lower().endswith(".xlsx"):
                report.extend(excel_formula_report(base / name))
            report.extend(label_coverage(df, lab, name))
            labels.update(lab)
            var_labels.update(vlab)
            if key == "households":
                households = df
            else:
                persons = df
    # rows are persons when they come from a person file, or a merged file with a person id
    from_person_file = (isinstance(data, dict) and data.get("persons") is not None) or (
        data is None and spec.files is not None and spec.files.persons is not None
    )
    if persons is not None and households is not None:
        merged = merge_households(persons, households, hh, report)
        level = "person"
    elif persons is not None:
        merged = persons
        level = "person" if (spec.roles.person_id is not None or from_person_file) else "household"
    else:
        assert households is not None
        merged, level = households, "household"
    return merged, level, labels, var_labels, report


def _in_memory(data: Any) -> tuple[pl.DataFrame | None, pl.DataFrame | None]:
    if isinstance(data, dict):
        unknown = set(data) - {"persons", "households"}
        if unknown:
            raise InputError(
                "data must be a frame or {'persons': frame, 'households': frame}",
                got=", ".join(sorted(unknown)),
            )
        return _as_polars(data.get("persons")), _as_polars(data.get("households"))
    return _as_polars(data), None


def _as_polars(df: Any) -> pl.DataFrame | None:
    if df is None or isinstance(df, pl.DataFrame):
        return df
    if type(df).__module__.startswith("pandas"):
        return pl.from_pandas(df)
    raise InputError("data must be a Polars (or pandas) DataFrame", got=type(df).__name__)


def merge_households(
    persons: pl.DataFrame, households: pl.DataFrame, hh: str, report: list[Warning_]
) -> pl.DataFrame:
    """Left-join households onto persons (m:1). Household ids must be unique in the
    household file; persons whose household is missing are an error (with counts);
    households without any person are reported (they have no rows to analyse)."""
    for name, df in (("persons", persons), ("households", households)):
        if hh not in df.columns:
            raise missing_columns_error([hh], df.columns, f"{name} file (roles.household_id)")
        check_no_missing(df, hh, f"household id in the {name} file")
    check_unique(households, [hh], "household ids in the household file")
    if persons.schema[hh] != households.schema[hh]:
        if persons.schema[hh].is_numeric() and households.schema[hh].is_numeric():
            households = households.with_columns(pl.col(hh).cast(persons.schema[hh]))
        else:
            raise DataError(
                f"household id {hh!r} has different types in the two files",
                expected="the same type (numbers or text) in persons and households",
                got=f"persons: {persons.schema[hh]}, households: {households.schema[hh]}",
                hint="cast one of them (e.g. both as text) before merging",
            )
    if persons.schema[hh].is_numeric():
        idx, found, has_members = _locate_numeric(persons[hh], households[hh])
    else:
        idx, found, has_members = _locate_by_join(persons[hh], households[hh])
    if not found.all():
        orphan_ids = persons[hh].filter(pl.Series(~found)).unique(maintain_order=True)
        raise DataError(
            "person rows whose household is not in the household file",
            where=f"column {hh}",
            expected="every person's household id in the household file",
            got=f"{int((~found).sum())} person row(s) in {orphan_ids.len()} household(s), e.g. {orphan_ids[0]!r}",
            hint="check that both files come from the same survey round and use the same id",
        )
    empty = int((~has_members).sum())
    if empty:
        report.append(
            Warning_(
                what="households in the household file have no person rows; they are left out",
                count=empty,
                where="households file",
            )
        )
    shared = [c for c in households.columns if c in persons.columns and c != hh]
    if shared:
        report.append(
            Warning_(
                what="columns in both files: the person file's are kept, the household file's get the suffix _hh",
                count=len(shared),
                extra={"columns": shared},
            )
        )
    # m:1 merge by position: each person row takes its household's row (person order kept)
    matched = households.drop(hh).rename({c: f"{c}_hh" for c in shared}).gather(idx)
    return pl.concat([persons, matched], how="horizontal")


def _locate_numeric(person_ids: pl.Series, household_ids: pl.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(household row of each person, person found?, household has persons?) by binary search."""
    keys = household_ids.to_numpy()
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    values = person_ids.to_numpy()
    pos = np.clip(np.searchsorted(sorted_keys, values), 0, max(sorted_keys.size - 1, 0))
    found = sorted_keys[pos] == values if sorted_keys.size else np.zeros(values.size, dtype=bool)
    idx = order[pos]
    has_members = np.bincount(idx[found], minlength=keys.size) > 0
    return idx, found, has_members


def _locate_by_join(person_ids: pl.Series, household_ids: pl.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As :func:`_locate_numeric` for text ids, through a hash join on the ids."""
    lookup = pl.DataFrame({"id": household_ids, "row": np.arange(household_ids.len(), dtype=np.int64)})
    rows = person_ids.to_frame("id").join(lookup, on="id", how="left", maintain_order="left")["row"]
    found = rows.is_not_null().to_numpy()
    idx = rows.fill_null(0).to_numpy()
    has_members = np.bincount(idx[found], minlength=household_ids.len()) > 0
    return idx, found, has_members
