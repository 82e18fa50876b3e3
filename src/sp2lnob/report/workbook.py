"""The whole analysis as one formatted Excel workbook.

Sheets: ``about`` (what produced the workbook: survey, spec, schemes, seed,
version, sources), ``headline`` (poverty and inequality with SEs), the SPI
sheets S1-S10 with live formulas (see :mod:`sp2lnob.report.spi_sheets`),
``indicators`` (every ASPIRE indicator, tidy), ``lnob`` and ``lnob nodes``
(trees before any transfer), ``simulation`` and ``costs`` (the scheme
package), ``impact`` and ``impact groups`` (access to opportunities after the
transfer, when :mod:`sp2lnob.impact` ran), ``spec`` and ``scheme ...`` (the YAML that produced the figures).

Formula-injection safety: every value goes through
:func:`sp2lnob.spi.excel_safety.write_cell`, which writes text as text and
prefixes text starting with ``= + - @`` with an apostrophe; the only
formulas are the SPI sheets' own.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl

from sp2lnob.errors import DataError
from sp2lnob.exports import set_fixed_properties
from sp2lnob.report.analysis import Analysis
from sp2lnob.report.spi_sheets import write_spi_sheets
from sp2lnob.spi.excel_safety import write_cell

MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header


def _formats(wb: Any) -> dict[str, Any]:
    return {
        "title": wb.add_format({"bold": True, "font_size": 13}),
        "head": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "money": wb.add_format({"num_format": "#,##0"}),
        "count": wb.add_format({"num_format": "#,##0"}),
        "ratio": wb.add_format({"num_format": "0.0000"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
    }


def write_table(ws: Any, df: pl.DataFrame, top: int, formats: dict[str, Any]) -> int:
    """Write ``df`` with a header at row ``top``; returns the next free row. Object columns are skipped."""
    cols = [c for c in df.columns if df[c].dtype != pl.Object]
    if df.height > MAX_ROWS - top:
        raise DataError("table too large for one Excel sheet", got=df.height, expected=f"at most {MAX_ROWS} rows",
                        hint="export this table as CSV or Parquet instead")
    for j, c in enumerate(cols):
        write_cell(ws, top, j, c, formats["head"])
        ws.set_column(j, j, max(12, min(40, len(c) + 4)))
    ws.freeze_panes(top + 1, 0)
    for j, c in enumerate(cols):  # column by column: a handful of columns
        fmt = formats["ratio"] if df[c].dtype.is_float() else None
        for i, v in enumerate(df[c].to_list(), start=top + 1):
            write_cell(ws, i, j, v, fmt)
    return top + df.height + 2


def _about(ws: Any, a: Analysis, f: dict[str, Any], spi_cells: dict[str, str]) -> None:
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 100)
    write_cell(ws, 0, 0, f"sp2lnob analysis: {a.survey_name}", f["title"])
    rows = [
        ("survey", a.survey_name), ("country", a.country), ("year", a.year), ("currency", a.currency),
        ("survey spec", a.spec_path), ("schemes simulated", ", ".join(a.schemes) or "(none)"),
        ("seed", a.seed), ("sp2lnob version", a.version), ("created", a.created),
        ("SPI", "revised SPI (ADB 2012), sheets S1-S10: S1 and S2 are inputs, S3-S10 are live formulas over them"
         if a.spi is not None else "(no register given)"),
        ("LNOB", "trees and D-index on the survey before any simulated transfer" if a.lnob is not None
         else "(no LNOB spec given)"),
        ("sources", "ADB (2012) The Revised Social Protection Index: Methodology and Handbook; World Bank ASPIRE "
                    "indicator definitions; ESCAP (2022) LNOB methodology; sp2lnob docs/reference.md"),
    ]
    for i, (k, v) in enumerate(rows, start=2):
        write_cell(ws, i, 0, k, f["head"])
        write_cell(ws, i, 1, v, f["wrap"])
    row = len(rows) + 3
    if spi_cells:
        write_cell(ws, row, 0, "SPI figure", f["head"])
        write_cell(ws, row, 1, "cell", f["head"])
        for i, (k, ref) in enumerate(spi_cells.items(), start=row + 1):
            write_cell(ws, i, 0, k)
            write_cell(ws, i, 1, ref)
        row += len(spi_cells) + 2
    if a.warnings:
        write_cell(ws, row, 0, "warnings", f["head"])
        for i, w in enumerate(a.warnings, start=row + 1):
            write_cell(ws, i, 1, w.what + (f" ({w.hint})" if w.hint else ""), f["wrap"])


def _text_sheet(wb: Any, name: str, text: str, f: dict[str, Any]) -> None:
    # Excel sheet names: at most 31 characters, none of []:*?/\ and no leading apostrophe.
    ws = wb.add_worksheet(re.sub(r"[\[\]:*?/\\]", " ", name).lstrip("'")[:31] or "sheet")
    ws.set_column(0, 0, 120)
    for i, line in enumerate(text.splitlines()):  # a YAML file: a few hundred lines
        write_cell(ws, i, 0, line)


def export_workbook(analysis: Analysis, path: str | Path) -> dict[str, str]:
    """Write ``analysis`` to ``path`` (.xlsx); returns where each SPI headline figure lives (sheet!cell)."""
    import xlsxwriter

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": False})
    set_fixed_properties(wb)  # no creation time in the file: same inputs, same bytes
    f = _formats(wb)
    about = wb.add_worksheet("about")
    ws = wb.add_worksheet("headline")
    write_cell(ws, 0, 0, f"Poverty and inequality: {analysis.survey_name}", f["title"])
    write_table(ws, analysis.headline, 2, f)
    spi_cells = write_spi_sheets(wb, analysis.spi, f) if analysis.spi is not None else {}
    if analysis.indicators is not None:
        ws = wb.add_worksheet("indicators")
        write_table(ws, analysis.indicators.to_frame(), 0, f)
    if analysis.lnob is not None:
        write_table(wb.add_worksheet("lnob"), analysis.lnob.to_frame(), 0, f)
        write_table(wb.add_worksheet("lnob nodes"), analysis.lnob.node_tables(), 0, f)
    if analysis.simulation is not None:
        write_table(wb.add_worksheet("simulation"), analysis.simulation.to_frame(groups=False), 0, f)
        write_table(wb.add_worksheet("costs"), analysis.simulation.costs(), 0, f)
    if analysis.impact is not None:
        write_table(wb.add_worksheet("impact"), analysis.impact.indicators_frame(), 0, f)
        write_table(wb.add_worksheet("impact groups"), analysis.impact.to_frame(), 0, f)
    _text_sheet(wb, "spec", analysis.spec_text, f)
    for name, text in analysis.scheme_texts:
        if text:
            _text_sheet(wb, f"scheme {name}", text, f)
    _about(about, analysis, f, spi_cells)
    wb.close()
    return spi_cells
