"""Read one data file into Polars, keeping codes and carrying labels as metadata.

``read_table(path, columns=None) -> (data, value_labels, variable_labels)``
for Stata (.dta), SPSS (.sav/.zsav), CSV, Parquet and Excel (.xlsx). Value
labels are never applied to the data: columns keep their codes and the
labels travel beside them (``{column: {code: label}}``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from polars.exceptions import PanicException

from sp2lnob.errors import InputError, Warning_
from sp2lnob.survey import file_checks
from sp2lnob.survey._labelled_child import read_labelled as _read_labelled  # noqa: F401 (in-process use)

Labels = dict[str, dict[Any, str]]
SUFFIXES = (".dta", ".sav", ".zsav", ".csv", ".parquet", ".xlsx")
# Strings read as missing in CSV files ("." is Stata's missing value when exported).
CSV_NULLS = ["", "NA", "."]
# suffix Polars gives the second and later columns of a repeated name
_DUPLICATED = "_duplicated_"


def read_table(
    path: str | Path, columns: list[str] | None = None, *, max_bytes: int | None = None
) -> tuple[pl.DataFrame, Labels, dict[str, str]]:
    """Read a survey file; returns (data, value labels, variable labels).

    ``max_bytes``: refuse larger files before reading them (the app's upload limit).
    """
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
    file_checks.check_size(p, max_bytes)
    try:
        if suffix == ".dta" or suffix in (".sav", ".zsav"):
            df, labels, var_labels = _read_labelled_isolated(p, suffix, columns)
        elif suffix == ".csv":
            df, labels, var_labels = _read_csv(p), {}, {}
        elif suffix == ".parquet":
            df, labels, var_labels = pl.read_parquet(p), {}, {}
        else:
            df, labels, var_labels = _read_excel(p), {}, {}
    except InputError:
        raise
    # any reader failure is a bad file for the user; a corrupt Parquet file can make Polars' Rust
    # code panic, and its PanicException derives from BaseException, not Exception
    except (Exception, PanicException) as exc:  # noqa: BLE001
        if suffix == ".csv":
            specific = _csv_failure(p, exc)
            if specific is not None:
                raise specific from None
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


def _read_labelled_isolated(p: Path, suffix: str, columns: list[str] | None) -> tuple[pl.DataFrame, Labels, dict[str, str]]:
    """:func:`_read_labelled` in a child process (module ``_labelled_child``).

    ReadStat (C) can crash the whole process on a corrupt Stata / SPSS file
    (found by fuzzing: a segmentation fault on a .sav with flipped bytes); in
    the app that would stop every session. A crash of the child is a bad file.
    Costs about half a second per file (starting the child); the table comes back
    as an Arrow IPC file in a private temporary directory, removed afterwards.
    """
    import json
    import pickle
    import subprocess
    import tempfile

    bad_file = f"cannot read {p.name}: the file is corrupt, truncated or not a {suffix} file"
    hint = "open it in the software that wrote it and save it again"
    with tempfile.TemporaryDirectory(prefix="sp2lnob-read-") as tmp:
        out = Path(tmp)
        proc = subprocess.run(_child_command(p, suffix, out, json.dumps(columns)), capture_output=True, text=True)
        if (out / "error.txt").exists():
            raise InputError(bad_file, where=str(p), got=(out / "error.txt").read_text(encoding="utf-8"), hint=hint)
        if proc.returncode != 0 or not (out / "data.arrow").exists():
            raise InputError(bad_file, where=str(p), got="the Stata/SPSS reader crashed on this file", hint=hint)
        df = pl.read_ipc((out / "data.arrow").read_bytes())  # bytes: nothing stays mapped to the temp file
        labels, var_labels = pickle.loads((out / "meta.pickle").read_bytes())  # written by our own child
    return df, labels, var_labels


def _child_command(p: Path, suffix: str, out: Path, columns: str) -> list[str]:
    # run the file as a script in isolated mode (-I): the child imports only Polars and
    # pyreadstat, not sp2lnob, and never the user's own script (as multiprocessing would)
    script = Path(__file__).with_name("_labelled_child.py")
    return [sys.executable, "-I", str(script), str(p.resolve()), suffix, str(out), columns]


def _read_csv(p: Path) -> pl.DataFrame:
    # Whole-file type inference: a column with one bad value in row 90,000 is
    # read as text (then reported below) instead of failing mid-file.
    with p.open("rb") as fh:
        if fh.read(2) in file_checks.UTF16_BOMS:  # Polars would read UTF-16 as garbage text
            raise file_checks.not_utf8_error(p) or InputError(f"cannot read {p.name}", where=str(p))
    df = pl.read_csv(p, infer_schema_length=None, null_values=CSV_NULLS)
    repeated = sorted({c.split(_DUPLICATED)[0] for c in df.columns if _DUPLICATED in c})
    if repeated:
        raise file_checks.duplicated_columns_error(p, repeated)
    _reject_mostly_numeric_text(df, p)
    return df


def _csv_failure(p: Path, exc: Exception) -> InputError | None:
    """A specific message for the common CSV failures (encoding, ragged rows), else None."""
    text = str(exc).lower()
    if "utf-8" in text or "utf8" in text:
        return file_checks.not_utf8_error(p)
    if "more fields than defined" in text:
        return file_checks.ragged_error(p)
    return None


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
