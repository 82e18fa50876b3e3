"""Formatted Excel export of an SPI result: headline sheet, the workbook's tables, warnings.

Every text cell goes through :func:`~sp2lnob.spi.excel_safety.write_cell`,
so programme names typed by users cannot become formulas.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from sp2lnob.spi.excel_safety import write_cell
from sp2lnob.spi.original_result import OriginalSPI
from sp2lnob.spi.revised_result import RevisedSPI
from sp2lnob.spi.tables import table_titles, workbook_tables

_MONEY = ("expenditure",)
_COUNT = ("beneficiaries", "persons", "programmes", "adjustment")


def _format_for(name: str, formats: dict) -> object:
    if name.startswith(_MONEY) or name.startswith("expenditure"):
        return formats["money"]
    if any(name.startswith(c) or name.endswith(c) for c in _COUNT) or name in ("reference_persons",):
        return formats["count"]
    return formats["ratio"]


def _write_frame(ws, df: pl.DataFrame, top: int, formats: dict) -> int:
    for j, c in enumerate(df.columns):
        ws.write_string(top, j, c, formats["head"])
        ws.set_column(j, j, max(12, min(45, len(c) + 4)))
    for i, row in enumerate(df.iter_rows(), start=top + 1):  # output tables: a few dozen rows
        for j, (c, v) in enumerate(zip(df.columns, row, strict=True)):
            fmt = _format_for(c, formats) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
            write_cell(ws, i, j, v, fmt)
    return top + df.height + 1


def export_excel(result: RevisedSPI | OriginalSPI, path: str | Path,
                 extra: dict[str, pl.DataFrame] | None = None) -> Path:
    """Write ``result`` to a formatted workbook at ``path``; ``extra`` adds sheets (name -> table)."""
    import xlsxwriter

    from sp2lnob.exports import set_fixed_properties

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": False})
    set_fixed_properties(wb)  # reruns give byte-identical files
    formats = {
        "head": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "title": wb.add_format({"bold": True, "font_size": 13}),
        "money": wb.add_format({"num_format": "#,##0.0"}),
        "count": wb.add_format({"num_format": "#,##0"}),
        "ratio": wb.add_format({"num_format": "0.0000"}),
    }
    ws = wb.add_worksheet("summary")
    label = "Revised SPI (ADB 2012)" if isinstance(result, RevisedSPI) else "Original SPI (ADB 2005)"
    write_cell(ws, 0, 0, f"{label}: {result.country}, {result.year}", formats["title"])
    write_cell(ws, 1, 0, "Money in LCU, populations in persons")
    head = result.headline()
    frame = pl.DataFrame({"indicator": list(head), "value": [None if v is None else float(v) for v in head.values()]},
                         schema={"indicator": pl.String, "value": pl.Float64})
    _write_frame(ws, frame, 3, {**formats, "money": formats["ratio"], "count": formats["ratio"]})
    ws.set_column(0, 0, 32)
    ws.set_column(1, 1, 22)
    titles = table_titles(result)
    for key, table in workbook_tables(result).items():
        ws = wb.add_worksheet(key)
        write_cell(ws, 0, 0, f"{key}. {titles[key]}", formats["title"])
        _write_frame(ws, table, 2, formats)
    programmes = result.programmes if isinstance(result, RevisedSPI) else result.ptr_programmes
    ws = wb.add_worksheet("programmes")
    _write_frame(ws, programmes.select([c for c in programmes.columns
                                        if programmes[c].dtype != pl.Object]), 0, formats)
    for name, table in (extra or {}).items():
        # Excel sheet names: at most 31 characters, none of []:*?/\ and no leading apostrophe.
        ws = wb.add_worksheet(re.sub(r"[\[\]:*?/\\]", " ", str(name)).lstrip("'")[:31] or "sheet")
        _write_frame(ws, table, 0, formats)
    ws = wb.add_worksheet("warnings")
    _write_frame(ws, pl.DataFrame({"warning": [w.what for w in result.warnings] or ["(none)"],
                                   "hint": [w.hint or "" for w in result.warnings] or [""]}), 0, formats)
    wb.close()
    return path
