"""Read one data file into Polars, keeping codes and carrying labels as metadata.

``read_table(path, columns=None) -> (data, value_labels, variable_labels)``
for Stata (.dta), SPSS (.sav/.zsav), CSV, Parquet and Excel (.xlsx). Value
labels are never applied to the data: columns keep their codes and the
labels travel beside them (``{column: {code: label}}``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import InputError, Warning_

Labels = dict[str, dict[Any, str]]
SUFFIXES = (".dta", ".sav", ".zsav", ".csv", ".parquet", ".xlsx")
# Strings read as missing in CSV files ("." is Stata's missing value when exported).
CSV_NULLS = ["", "NA", "."]


def read_table(
    path: str | Path, columns: list[str] | None = None
) -> tuple[pl.DataFrame, Labels, dict[str, str]]:
    """Read a survey file; returns (data, value labels, variable labels)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"cannot read files of type {suffix or '(none)'!r}",
            where=str(p),
            expected=", ".join(SUFFIXES),
            got=p.name,
            hint="export the file to Stata, SPSS, CSV, Parquet or Excel (.xlsx)",
        )
    if not p.exists():
        raise InputError("data file not found", where=str(p), hint="paths in a spec are relative to the spec file")
    try:
        if suffix == ".dta" or suffix in (".sav", ".zsav"):
            df, labels, var_labels = _read_labelled(p, suffix, columns)
        elif suffix == ".csv":
            df, labels, var_labels = _read_csv(p), {}, {}
        elif suffix == ".parquet":
            df, labels, var_labels = pl.read_parquet(p), {}, {}
        else:
            df, labels, var_labels = _read_excel(p), {}, {}
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file for the user
        raise InputError(
            f"cannot read {p.name}: the file is corrupt, truncated or not a {suffix} file",
            where=str(p),
            got=f"{type(exc).__name__}: {exc}",
            hint="open it in the software that wrote it and save it again",
        ) from None
    if columns is not None:
        missing = [c for c in columns if c not in df.columns]
        if missing:
            from sp2lnob.survey.checks import missing_columns_error

            raise missing_columns_error(missing, df.columns, str(p))
        df = df.select(columns)
    return df, labels, var_labels


def _read_labelled(p: Path, suffix: str, columns: list[str] | None) -> tuple[pl.DataFrame, Labels, dict[str, str]]:
    import pyreadstat

    reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
    df, meta = reader(str(p), apply_value_formats=False, output_format="polars")
    # Stata / SPSS missing values arrive as NaN in float columns: make them nulls.
    df = df.with_columns(pl.col(pl.Float32, pl.Float64).fill_nan(None))
    labels = {col: _normalise_codes(mapping) for col, mapping in (meta.variable_value_labels or {}).items()}
    var_labels = {c: lab for c, lab in (meta.column_names_to_labels or {}).items() if lab}
    return df, labels, var_labels


def _normalise_codes(mapping: dict[Any, str]) -> dict[Any, str]:
    """SPSS stores codes as floats: 1.0 -> 1 so they match YAML and integer columns."""
    out: dict[Any, str] = {}
    for code, label in mapping.items():
        if isinstance(code, float) and code.is_integer():
            code = int(code)
        out[code] = str(label)
    return out


def _read_csv(p: Path) -> pl.DataFrame:
    # Whole-file type inference: a column with one bad value in row 90,000 is
    # read as text (then reported below) instead of failing mid-file.
    df = pl.read_csv(p, infer_schema_length=None, null_values=CSV_NULLS)
    _reject_mostly_numeric_text(df, p)
    return df


def _read_excel(p: Path) -> pl.DataFrame:
    df = pl.read_excel(p, engine="calamine", infer_schema_length=None)
    _reject_mostly_numeric_text(df, p)
    return df


def _reject_mostly_numeric_text(df: pl.DataFrame, p: Path) -> None:
    """A text column whose values are nearly all numbers has unparsable entries: say which."""
    for name in df.columns:
        col = df[name]
        if col.dtype != pl.String:
            continue
        text = col.drop_nulls().str.strip_chars()
        if text.len() == 0:
            continue
        parsed = text.cast(pl.Float64, strict=False)
        bad = parsed.is_null()
        n_bad = int(bad.sum())
        if 0 < n_bad <= 0.05 * text.len():
            rows = np.flatnonzero(
                col.str.strip_chars().cast(pl.Float64, strict=False).is_null().to_numpy()
                & col.is_not_null().to_numpy()
            )
            examples = text.filter(bad).unique(maintain_order=True).head(3).to_list()
            raise InputError(
                f"column {name!r} is numeric except for {n_bad} value(s) that cannot be parsed",
                where=f"{p.name}: column {name}, data row(s) {', '.join(str(r + 1) for r in rows[:5])}",
                expected="numbers (missing values as empty, NA or .)",
                got=", ".join(repr(e) for e in examples),
                hint="fix or blank those cells; decimal separator must be '.'",
            )


def label_coverage(df: pl.DataFrame, labels: Labels, source: str) -> list[Warning_]:
    """Report labelled codes absent from the data and data codes without a label."""
    out: list[Warning_] = []
    for col, mapping in labels.items():
        if col not in df.columns or not mapping:
            continue
        present = df[col].drop_nulls().unique()
        data_codes: set[Any]
        label_codes: set[Any]
        if present.dtype.is_numeric():
            data_codes = {float(v) for v in present.to_list()}
            label_codes = {c for c in (_as_number(k) for k in mapping) if c is not None}
        else:
            data_codes = {str(v) for v in present.to_list()}
            label_codes = {str(k) for k in mapping}
        unused = sorted(label_codes - data_codes)
        unlabelled = sorted(data_codes - label_codes)
        if unused:
            out.append(
                Warning_(
                    what=f"value labels of {col!r} have codes not found in the data",
                    count=len(unused),
                    where=f"{source}: {col}",
                    extra={"codes": [_plain(c) for c in unused[:20]]},
                )
            )
        if unlabelled:
            out.append(
                Warning_(
                    what=f"codes of {col!r} found in the data have no value label",
                    count=len(unlabelled),
                    where=f"{source}: {col}",
                    hint="add them under `labels:` in the spec",
                    extra={"codes": [_plain(c) for c in unlabelled[:20]]},
                )
            )
    return out


def _as_number(code: Any) -> float | None:
    """A label code as a number ("1" from YAML text counts as 1), or None."""
    try:
        return float(code)
    except (TypeError, ValueError):
        return None


def _plain(code: Any) -> Any:
    return int(code) if isinstance(code, float) and code.is_integer() else code
