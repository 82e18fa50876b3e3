"""Write an :class:`~sp2lnob.performance.results.IndicatorResult` to CSV, Parquet, JSON or Excel.

The format follows the file extension. The Excel workbook has one sheet per
indicator family (programmes × groups, like ADePT SP's standard tables, with
SEs and counts below), the tidy table, a notes sheet with every definition
(``parameters/indicator_definitions.yaml``) and the survey spec used. Text
cells that start with ``= + - @`` (or tab / carriage return) are written as
text with a leading apostrophe-equivalent, so no user text becomes a formula.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import polars as pl

from sp2lnob.errors import InputError
from sp2lnob.exports import safe_text
from sp2lnob.parameters import load as load_parameters
from sp2lnob.performance.results import IndicatorResult

FORMATS = {".csv": "csv", ".parquet": "parquet", ".json": "json", ".xlsx": "xlsx"}
FAMILIES: dict[str, tuple[str, ...]] = {
    "Coverage": ("coverage",),
    "Incidence": ("beneficiary_incidence", "benefit_incidence"),
    "Adequacy": ("adequacy", "average_transfer"),
    "Poverty impact": ("poverty_headcount", "poverty_gap", "poverty_headcount_reduction",
                       "poverty_gap_reduction", "benefit_cost_ratio"),
    "Inequality": ("gini", "gini_reduction"),
    "Overlap": ("overlap_families", "overlap_programmes", "overlap_pairwise"),
    "Context": ("population_share", "elderly_coresidence", "dependency_rate", "bottom40_share",
                "labour_status_share", "labour_force_participation", "unemployment_rate",
                "youth_adult_unemployment_ratio"),
}


def write_result(result: IndicatorResult, path: str | Path) -> Path:
    """Write ``result`` to ``path`` in the format of its extension (.csv .parquet .json .xlsx)."""
    p = Path(path)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise InputError("unknown output format", where=str(p), expected=", ".join(FORMATS), got=p.suffix or "(none)",
                         hint="name the output file with one of these extensions")
    if not p.parent.exists():
        raise InputError("the output directory does not exist", where=str(p.parent))
    frame = result.to_frame()
    if fmt == "csv":
        frame.with_columns(pl.col(pl.String).map_elements(safe_text, return_dtype=pl.String)).write_csv(p)
    elif fmt == "parquet":
        frame.write_parquet(p)
    elif fmt == "json":
        p.write_text(json.dumps(_finite(result.to_dict()), indent=1, ensure_ascii=False, default=str),
                     encoding="utf-8")
    else:
        write_excel(result, p)
    return p


def _finite(obj: Any) -> Any:
    """NaN / inf are not JSON: null instead."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {str(k): _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def write_excel(result: IndicatorResult, path: Path) -> None:
    import xlsxwriter

    from sp2lnob.exports import set_fixed_properties

    wb = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    set_fixed_properties(wb)  # reruns give byte-identical files
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    pct = wb.add_format({"num_format": "0.0%"})
    num = wb.add_format({"num_format": "#,##0.00"})
    frame = result.to_frame()
    definitions = load_parameters("indicator_definitions.yaml")["indicators"]
    present = set(frame.get_column("indicator").unique().to_list())
    for sheet, family in FAMILIES.items():
        names = [n for n in family if n in present]
        if not names:
            continue
        ws = wb.add_worksheet(sheet)
        row = 0
        for name in names:
            unit = definitions.get(name, {}).get("unit", "")
            fmt = pct if ("share" in unit or unit.startswith("share")) else num
            for group_var in frame.filter(pl.col("indicator") == name).get_column("group_var").unique(
                    maintain_order=True).to_list():
                sub = frame.filter((pl.col("indicator") == name) & (pl.col("group_var") == group_var))
                for (basis, line), part in sub.group_by(["basis", "line"], maintain_order=True):
                    title = f"{definitions.get(name, {}).get('label', name)} — by {group_var}"
                    title += f" ({basis} ranking)" if basis in ("pre", "post") and group_var != "all" else ""
                    title += f", line {line}" if line else ""
                    ws.write(row, 0, safe_text(title), bold)
                    row += 1
                    row = _write_block(ws, result, part, row, head, fmt) + 1
        ws.set_column(0, 0, 34)
        ws.set_column(1, 1, 44)
        ws.set_column(2, 40, 11)
    _write_table(wb, "Tidy table", frame, head)
    notes = wb.add_worksheet("Notes")
    notes.write_row(0, 0, ["indicator", "label", "unit", "formula", "source"], head)
    for i, (name, d) in enumerate(definitions.items(), start=1):
        notes.write_row(i, 0, [safe_text(str(x)) for x in (name, d["label"], d["unit"], d["formula"], d["source"])])
    r = len(definitions) + 2
    notes.write(r, 0, "Standard errors", bold)
    notes.write(r, 1, safe_text(str(result.meta.get("variance", ""))))
    notes.write(r + 1, 0, "n / weighted_n", bold)
    notes.write(r + 1, 1, "unweighted persons / population behind each figure (beneficiaries for "
                          "incidence, adequacy and average transfer)")
    for j, w in enumerate(result.warnings):
        notes.write(r + 3 + j, 0, "note", bold)
        notes.write(r + 3 + j, 1, safe_text(w.what + (f" ({w.count})" if w.count is not None else "")
                                          + (f": {w.where}" if w.where else "")))
    notes.set_column(0, 0, 30)
    notes.set_column(1, 4, 60)
    spec_yaml = result.meta.get("spec_yaml")
    if spec_yaml:
        ws = wb.add_worksheet("Survey spec")
        for i, line in enumerate(str(spec_yaml).splitlines()):
            ws.write_string(i, 0, safe_text(line))
        ws.set_column(0, 0, 100)
    wb.close()


def _write_block(ws, result: IndicatorResult, part: pl.DataFrame, row: int, head, fmt) -> int:
    """Programmes × groups: value block, then SE, then n (so small cells are visible)."""
    labels = {(r["programme"], r["set_type"]): r["label"] for r in result.sets.iter_rows(named=True)}
    groups = part.get_column("group").unique(maintain_order=True).to_list()
    for what in ("value", "se", "n"):
        wide = part.pivot(on="group", index=["programme", "set_type"], values=what,
                          aggregate_function="first")
        ws.write_row(row, 0, ["programme", f"label ({what})", *[safe_text(str(g)) for g in groups]], head)
        row += 1
        for rec in wide.iter_rows(named=True):
            ws.write(row, 0, safe_text(rec["programme"]))
            ws.write(row, 1, safe_text(labels.get((rec["programme"], rec["set_type"]), rec["programme"])))
            for j, g in enumerate(groups):
                v = rec.get(str(g))
                if v is None:
                    continue
                if what == "n":
                    ws.write_number(row, 2 + j, v)
                elif v == v:  # NaN (not estimated) stays blank
                    ws.write_number(row, 2 + j, v, fmt)
            row += 1
    return row


def _write_table(wb, name: str, frame: pl.DataFrame, head) -> None:
    ws = wb.add_worksheet(name)
    ws.write_row(0, 0, frame.columns, head)
    for i, rec in enumerate(frame.iter_rows(), start=1):
        for j, v in enumerate(rec):
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(i, j, safe_text(v))
            elif v != v:  # NaN
                continue
            else:
                ws.write_number(i, j, v)

