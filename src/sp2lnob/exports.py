"""Safe, reproducible exports of result tables (CSV, Parquet, JSON, Excel).

Three promises, shared by every writer of user-derived text (indicators, SPI,
LNOB and simulation tables):

* **No formula injection.** A text cell starting with ``= + - @`` (or a tab /
  carriage return) can run as a formula in a spreadsheet (OWASP "CSV
  injection"); such text gets a leading apostrophe in CSV and Excel output.
  Parquet keeps values exactly (no spreadsheet opens it as formulas).
* **Safe file names.** Names built from user text (indicator names, region
  codes) keep only letters, digits, ``. _ -`` and can never leave the chosen
  output directory (:func:`safe_filename`, :func:`path_inside`).
* **Byte-identical reruns.** Workbooks carry fixed document properties
  (xlsxwriter otherwise stamps the creation time), JSON keys keep their order,
  so the same inputs and seeds give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
import unicodedata
from pathlib import Path
from typing import Any

import polars as pl

from sp2lnob.errors import InputError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TABLE_FORMATS = (".csv", ".parquet", ".json", ".xlsx")
# Workbook properties written into every .xlsx (a fixed date makes reruns byte-identical).
FIXED_CREATED = _dt.datetime(2000, 1, 1)  # naive: xlsxwriter rejects time zones
WORKBOOK_PROPERTIES = {"author": "sp2lnob", "created": FIXED_CREATED}
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
# names Windows reserves whatever the extension
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_NAME = 120


def safe_text(value: Any) -> Any:
    """``value`` unchanged unless it is text starting with a formula trigger, then ``"'" + value``."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(df: pl.DataFrame) -> pl.DataFrame:
    """Every text (and categorical) column with :func:`safe_text` applied, as column operations."""
    text_cols = [c for c, t in df.schema.items() if t in (pl.String, pl.Categorical) or isinstance(t, pl.Enum)]
    if not text_cols:
        return df
    pattern = "^[" + re.escape("".join(FORMULA_PREFIXES)) + "]"
    return df.with_columns(
        pl.when(pl.col(c).cast(pl.String).str.contains(pattern))
        .then(pl.lit("'") + pl.col(c).cast(pl.String))
        .otherwise(pl.col(c).cast(pl.String))
        .alias(c)
        for c in text_cols
    )


def safe_filename(text: str, default: str = "unnamed") -> str:
    """A file name made from user text: ASCII letters, digits, ``. _ -`` only, no leading dot.

    ``"../../etc/passwd"`` -> ``"etc_passwd"``; ``"Région Nord/Est"`` -> ``"Region_Nord_Est"``.
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    name = _UNSAFE_NAME.sub("_", ascii_text).strip("._-")
    name = re.sub(r"\.{2,}", ".", name)[:MAX_NAME].rstrip("._-")
    if not name:
        return default
    if name.split(".")[0].lower() in _RESERVED:
        name = "_" + name
    return name


def path_inside(directory: str | Path, name: str) -> Path:
    """``directory / safe_filename(name)``, checked to stay inside ``directory``."""
    base = Path(directory).resolve()
    target = (base / safe_filename(name)).resolve()
    if target.parent != base:
        raise InputError("refusing to write outside the output directory", where=str(base), got=name)
    return target


def set_fixed_properties(workbook: Any) -> None:
    """Fixed document properties on an xlsxwriter workbook (its default is the current time)."""
    workbook.set_properties(dict(WORKBOOK_PROPERTIES))


def finite(obj: Any) -> Any:
    """NaN / inf are not JSON: null instead (recursively)."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {str(k): finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite(v) for v in obj]
    return obj


def write_table(df: pl.DataFrame | dict[str, pl.DataFrame], path: str | Path, *,
                formats: tuple[str, ...] = TABLE_FORMATS) -> Path:
    """Write one table (or ``{sheet: table}`` for Excel) safely, in the format of the extension.

    CSV and Excel text is neutralised (:func:`neutralise_frame`); Excel sheets
    are plain tables written cell by cell as numbers or text (never formulas),
    with fixed document properties. The parent directory is created.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in formats:
        raise InputError("unknown output format", where=str(p), expected=", ".join(formats), got=suffix or "(none)",
                         hint="name the output file with one of these extensions")
    tables = df if isinstance(df, dict) else {"table": df}
    if suffix != ".xlsx" and len(tables) != 1:
        raise InputError("several tables can only be written to an Excel workbook", where=str(p))
    p.parent.mkdir(parents=True, exist_ok=True)
    first = next(iter(tables.values()))
    if suffix == ".csv":
        neutralise_frame(first).write_csv(p)
    elif suffix == ".parquet":
        first.write_parquet(p)
    elif suffix == ".json":
        rows = finite(first.to_dicts())
        p.write_text(json.dumps(rows, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    else:
        _write_workbook(tables, p)
    return p


def _write_workbook(tables: dict[str, pl.DataFrame], p: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(p), {"strings_to_formulas": False, "strings_to_urls": False,
                                      "nan_inf_to_errors": True})
    set_fixed_properties(wb)
    head = wb.add_format({"bold": True})
    used: set[str] = set()
    for name, table in tables.items():
        sheet = re.sub(r"[\[\]:*?/\\]", " ", str(name)).strip("'")[:31] or "sheet"
        while sheet.lower() in used:
            sheet = sheet[:28] + f"_{len(used)}"
        used.add(sheet.lower())
        ws = wb.add_worksheet(sheet)
        ws.write_row(0, 0, [safe_text(c) for c in table.columns], head)
        safe = neutralise_frame(table)
        # result tables are small (aggregates: programmes x groups x indicators); xlsxwriter writes
        # cell by cell, each typed explicitly so no text can become a formula
        for j, col in enumerate(safe.columns):
            values = safe.get_column(col)
            if values.dtype == pl.Boolean:
                write = ws.write_boolean
            elif values.dtype.is_numeric():
                write = ws.write_number
            else:
                values = values.cast(pl.String)
                write = ws.write_string
            for i, v in enumerate(values.to_list(), start=1):
                if v is not None:
                    write(i, j, v)
    wb.close()
