"""Robust reading of the SPI input tables (CSV, Excel) as text, then numbers.

Consultants edit the template by hand: columns move, blank rows appear,
numbers are stored as text ("1,234", "75%"), a title sits above the header.
Everything is read as text, the header row is found by name, and numbers are
parsed with one column expression; a cell that is not a number is an error
naming the sheet, column and row.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from polars.exceptions import PanicException

from sp2lnob.errors import DataError, InputError, did_you_mean
from sp2lnob.survey.file_checks import not_utf8_error

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


def normalise_header(name: object) -> str:
    """``"Exp 2009 "`` -> ``"exp_2009"``; ``"Poor share (PTR)"`` -> ``"poor_share_ptr"``."""
    text = re.sub(r"[^0-9a-zA-Z/]+", "_", str(name).strip().lower()).strip("_")
    return text


def _normalised_expr(col: str) -> pl.Expr:
    # Same rule as normalise_header, as a column expression.
    return (
        pl.col(col).cast(pl.String).str.strip_chars().str.to_lowercase()
        .str.replace_all(r"[^0-9a-z/]+", "_").str.strip_chars("_")
    )


def _sheet_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def excel_sheet_names(path: Path) -> list[str]:
    import fastexcel

    try:
        return list(fastexcel.read_excel(str(path)).sheet_names)
    except (Exception, PanicException) as exc:  # fastexcel raises its own exception types; Polars may panic
        raise InputError("cannot open the workbook", where=str(path), got=str(exc)) from None


def find_sheet(path: Path, wanted: str, *, required: bool = True) -> str | None:
    """The sheet whose name matches ``wanted`` ignoring case, spaces and punctuation."""
    names = excel_sheet_names(path)
    by_key = {_sheet_key(n): n for n in names}
    if _sheet_key(wanted) in by_key:
        return by_key[_sheet_key(wanted)]
    if not required:
        return None
    raise InputError(
        f"sheet {wanted!r} not found",
        where=str(path),
        expected=wanted,
        got=", ".join(names),
        hint=did_you_mean(wanted, names),
    )


def _raw_excel(path: Path, sheet: str) -> pl.DataFrame:
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    table = reader.load_sheet_by_name(sheet, header_row=None, dtypes="string")
    return pl.DataFrame(table.to_arrow())


def _with_header(raw: pl.DataFrame, key_header: str, where: str) -> pl.DataFrame:
    """Find the first row holding ``key_header`` and use it as the header."""
    if raw.height == 0:
        raise InputError("the table is empty", where=where)
    cols = raw.columns
    key = normalise_header(key_header)
    hits = pl.any_horizontal([_normalised_expr(c) == key for c in cols])
    idx = raw.with_row_index("_r").filter(hits.fill_null(False))["_r"]
    if idx.len() == 0:
        raise InputError(
            f"no header row with a column {key_header!r}",
            where=where,
            expected=f"a header row naming the column {key_header!r}",
            hint="keep the template's header row; columns may move but must keep their names",
        )
    at = int(idx[0])
    header = [normalise_header(v) if v is not None else "" for v in raw.row(at)]
    body = raw.slice(at + 1)
    keep = [(c, h) for c, h in zip(cols, header, strict=True) if h]
    names = [h for _, h in keep]
    dup = sorted({h for h in names if names.count(h) > 1})
    if dup:
        raise InputError("duplicated column headers", where=where, got=", ".join(dup))
    return body.select([pl.col(c).cast(pl.String).alias(h) for c, h in keep])


def _drop_blank_rows(df: pl.DataFrame) -> pl.DataFrame:
    if df.width == 0:
        return df
    blank = pl.all_horizontal([pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in df.columns])
    return df.filter(~blank)


def read_text_table(path: str | Path, *, key_header: str, sheet: str | None = None) -> pl.DataFrame:
    """Read a CSV or an Excel sheet as an all-text table with normalised headers, blank rows dropped."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", where=str(path))
    where = f"{path.name}" + (f", sheet {sheet!r}" if sheet else "")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        sheet_name = find_sheet(path, sheet) if sheet else excel_sheet_names(path)[0]
        assert sheet_name is not None  # find_sheet raises when a required sheet is missing
        raw = _raw_excel(path, sheet_name)
        df = _with_header(raw, key_header, where)
    elif path.suffix.lower() in {".csv", ".txt"}:
        # Refuse non-UTF-8 text (a Latin-1 export) instead of turning 'é' into '?' silently.
        encoding_error = not_utf8_error(path)
        if encoding_error is not None:
            raise encoding_error
        try:
            df = pl.read_csv(path, infer_schema_length=0)
        except (Exception, PanicException) as exc:  # polars' parser errors (and Rust panics)
            raise InputError("cannot read the CSV file", where=str(path), got=str(exc)) from None
        # Same header rules as the Excel branch: two headers that normalise alike are an error.
        names = [normalise_header(c) for c in df.columns]
        dup = sorted({h for h in names if h and names.count(h) > 1})
        if dup:
            raise InputError("duplicated column headers", where=str(path), got=", ".join(dup),
                             hint="each column needs its own header (a stray character in the header row?)")
        df = df.select([pl.col(c).alias(h) for c, h in zip(df.columns, names, strict=True) if h])
    else:
        raise InputError(
            "unsupported file type",
            where=str(path),
            expected="CSV, YAML or Excel (.csv, .yaml, .xlsx)",
            got=path.suffix or "(no suffix)",
        )
    return _drop_blank_rows(df)


def read_yaml_file(path: Path) -> Any:
    """A YAML file's content, or a structured error (missing, not YAML, not UTF-8, unreadable)."""
    if not path.exists():
        raise InputError("file not found", where=str(path))
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError("cannot parse the YAML file", where=str(path), got=str(exc)) from None
    except UnicodeDecodeError:
        raise InputError("the YAML file is not UTF-8 text", where=str(path),
                         hint="save the file with UTF-8 encoding") from None
    except OSError as exc:
        raise InputError("cannot read the YAML file", where=str(path), got=str(exc)) from None


def number_expr(col: str) -> pl.Expr:
    """Text to Float64: thousands separators and spaces removed, ``"75%"`` -> 0.75, blank -> null."""
    text = pl.col(col).cast(pl.String).str.strip_chars()
    cleaned = text.str.replace_all(r"[,\s'\u00a0]", "").str.strip_chars_end("%")
    value = cleaned.cast(pl.Float64, strict=False)
    return pl.when(text.str.ends_with("%")).then(value / 100.0).otherwise(value)


def parse_numbers(df: pl.DataFrame, cols: list[str], *, where: str, id_col: str | None = None) -> pl.DataFrame:
    """Parse ``cols`` to numbers; a non-blank cell that is not a number raises a :class:`DataError`."""
    if not cols:
        return df
    parsed = df.with_columns([number_expr(c).alias(c) for c in cols])
    for c in cols:
        original = df[c].cast(pl.String)
        bad = original.str.strip_chars().ne("").fill_null(False) & parsed[c].is_null()
        if bad.any():
            rows = df.with_row_index("_row", offset=1).filter(bad)
            label = rows[id_col].to_list() if id_col and id_col in df.columns else rows["_row"].to_list()
            raise DataError(
                f"column {c!r} holds text that is not a number",
                where=f"{where}, rows {label[:10]}",
                expected="numbers (thousands separators and % allowed)",
                got=original.filter(bad).head(5).to_list(),
            )
    return parsed
