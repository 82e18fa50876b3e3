"""Validation of survey data against its spec: each failure is a structured error.

All checks are column operations (group-bys), never loops over rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, ErrorDetail, SpecError, Warning_, closest


def missing_columns_error(missing: Sequence[str], available: Sequence[str], where: str, roles: dict[str, str] | None = None) -> SpecError:
    """Columns named in the spec but absent from the data, with the closest names."""
    details = []
    for col in missing:
        near = closest(col, available)
        role = (roles or {}).get(col)
        details.append(
            ErrorDetail(
                what=f"column {col!r} not found" + (f" (spec key {role})" if role else ""),
                where=where,
                hint=f"closest: {', '.join(near)}" if near else None,
            )
        )
    first = missing[0]
    near = closest(first, available)
    return SpecError(
        f"{len(missing)} column(s) named in the spec are not in the data: {', '.join(missing)}",
        where=where + (f" (spec key {roles[first]})" if roles and first in roles else ""),
        expected="a column of the data",
        got=first,
        hint=(f"did you mean {', '.join(repr(n) for n in near)}?" if near else f"columns available: {', '.join(list(available)[:15])}"),
        details=details if len(details) > 1 else (),
    )


def require_numeric(df: pl.DataFrame, column: str, key: str) -> None:
    """A money, weight, size or age column must be numeric."""
    dtype = df.schema[column]
    if dtype.is_numeric() or dtype == pl.Boolean:
        return
    examples = df[column].drop_nulls().head(3).to_list()
    raise DataError(
        f"column {column!r} ({key}) is not numeric",
        where=f"column {column}",
        expected="numbers",
        got=f"{dtype} values such as {', '.join(repr(e) for e in examples)}",
        hint="recode the column to numbers in the source file (labels go under `labels:`)",
    )


def check_no_missing(df: pl.DataFrame, column: str, key: str) -> None:
    n = int(df[column].is_null().sum())
    if n:
        raise DataError(
            f"column {column!r} ({key}) has missing values",
            where=f"column {column}",
            got=f"{n} missing of {df.height} rows",
            hint="fix them in the source file; identifiers, weights and sizes cannot be missing",
        )


def check_weights(w: np.ndarray, column: str) -> list[Warning_]:
    """Weights must be finite and >= 0; zero weights are allowed but reported."""
    n = w.shape[0]
    bad = ~np.isfinite(w)
    if bad.any():
        n_inf = int(np.isinf(w).sum())
        raise DataError(
            f"weight column {column!r} has missing values" if n_inf == 0
            else f"weight column {column!r} has missing or infinite values",
            where=f"column {column}",
            got=f"{int(bad.sum())} missing of {n} rows" if n_inf == 0
            else f"{int(bad.sum()) - n_inf} missing and {n_inf} infinite of {n} rows",
            hint="every row needs a weight: fix the source file or drop those rows explicitly",
        )
    if (w < 0).any():
        raise DataError(
            f"weight column {column!r} has negative values",
            where=f"column {column}",
            expected="weights >= 0",
            got=f"{int((w < 0).sum())} negative of {n} rows (min {w.min():g})",
        )
    zero = int((w == 0).sum())
    if zero == n:
        raise DataError(f"every weight in {column!r} is zero", where=f"column {column}")
    if zero:
        return [
            Warning_(
                what=f"rows with zero weight in {column!r} are kept but count for nothing in estimates",
                count=zero,
                where=f"column {column}",
            )
        ]
    return []


def check_unique(df: pl.DataFrame, keys: list[str], what: str) -> None:
    """No duplicate ``keys`` (household id, or household id + person id)."""
    if _all_distinct(df, keys):
        return
    dup = df.select(keys).filter(pl.struct(keys).is_duplicated())
    if dup.height:
        dup = dup.sort(keys)
        example = dup.row(0)
        n_keys = dup.unique().height
        raise DataError(
            f"duplicate {what}",
            where=f"columns {', '.join(keys)}",
            expected="each id once",
            got=f"{n_keys} id(s) repeated on {dup.height} rows, e.g. {dict(zip(keys, example, strict=True))}",
            hint="remove the duplicate rows or check which columns identify a row",
        )


def _all_distinct(df: pl.DataFrame, keys: list[str]) -> bool:
    """Fast test: one integer key (hash n_unique on int64 is cheap), else a struct."""
    if len(keys) == 1:
        return df[keys[0]].n_unique() == df.height
    a, b = (df[k] for k in keys)
    if a.dtype.is_integer() and b.dtype.is_integer() and a.null_count() == 0 and b.null_count() == 0:
        a_min, b_min, b_max = a.min(), b.min(), b.max()
        span = int(b_max) - int(b_min) + 1  # type: ignore[arg-type]
        if span < 2**31 and (int(a.max()) - int(a_min)) < 2**31:  # type: ignore[arg-type]
            key = (a.cast(pl.Int64) - a_min) * span + (b.cast(pl.Int64) - b_min)
            return key.n_unique() == df.height
    return df.select(pl.struct(keys).n_unique()).item() == df.height


def check_constant_within(df: pl.DataFrame, household: str, columns: dict[str, str], codes: np.ndarray) -> None:
    """Household-level variables (``{column: spec key}``) must not vary within a household.

    Each member is compared with the household's first member (O(n), no group-by).
    """
    from sp2lnob.survey.groups import first_rows, varying_households

    cols = [c for c in dict.fromkeys(columns) if c != household]
    if not cols:
        return
    first = first_rows(codes)
    problems = []
    for c in cols:
        varying = varying_households(df[c], codes, first)
        if varying.size:
            example = df[household][int(first[varying[0]])]
            problems.append(
                ErrorDetail(
                    what=f"{columns[c]} ({c!r}) varies within {varying.size} household(s)",
                    where=f"column {c}",
                    got=f"e.g. household {example!r}",
                )
            )
    if problems:
        first_problem = problems[0]
        raise DataError(
            first_problem.what,
            where=first_problem.where,
            expected="one value per household",
            got=first_problem.got,
            hint="household-level variables must be the same for every member; fix the file or map the role to a household-level column",
            details=problems if len(problems) > 1 else (),
        )


def check_psu_nesting(strata: np.ndarray, psu: np.ndarray, psu_values: pl.Series, nest: bool) -> list[Warning_]:
    """A PSU code in several strata is an error unless ``design.nest: true`` (codes reused by stratum).

    ``strata``/``psu`` are dense codes; ``psu_values`` the raw PSU column (for the message).
    """
    from sp2lnob.survey.groups import first_rows

    first = first_rows(psu)
    spread = np.unique(psu[strata != strata[first[psu]]])
    if spread.size == 0:
        return []
    if nest:
        return [
            Warning_(
                what="PSU codes are reused across strata; PSUs identified by (stratum, PSU) as `design.nest: true` asks",
                count=int(spread.size),
            )
        ]
    raise DataError(
        "PSU codes appear in several strata",
        where="roles.psu",
        expected="each PSU inside one stratum",
        got=f"{spread.size} PSU code(s) in more than one stratum, e.g. PSU {psu_values[int(first[spread[0]])]!r}",
        hint="if PSU codes restart in each stratum, set `design: {nest: true}` in the spec",
    )
