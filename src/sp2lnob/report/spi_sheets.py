"""The revised SPI as live Excel sheets S1-S10, laid out like ADB's workbook.

S1 (basic statistics) and S2 (programme register) hold the inputs; S3-S10
hold the derived tables as Excel formulas over those inputs, so a consultant
can change a figure in Excel and every SPI figure follows. Each formula cell
also stores sp2lnob's value as its cached result, so a viewer that does not
recalculate shows the same numbers.

Formulas (ADB 2012, *The Revised Social Protection Index: Methodology and
Handbook*, ch. 2 and workbook sheets S3-S10; see ``sp2lnob.spi.revised``)::

    z = share x GDP per capita            (share 0.25 in the 2012 handbook)
    PB = sum of the six reference populations,  PB_c = those of category c
    SPI_c = E_c / PB / z,  depth_c = E_c / AB_c / z,  breadth_c = AB_c / PB
    E_p = sum_i E_i x poor_share_i,  SPI_p = E_p / PB / z
    poverty focus = (SPI_p / SPI) / (poor / population)
    E_f = sum_i E_i x female_share_i,  SPI_f = E_f / PB / z

Every text that comes from user data goes through
:func:`sp2lnob.spi.excel_safety.write_cell` (no formula injection); the only
formulas in the workbook are the ones written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from sp2lnob.parameters import load
from sp2lnob.spi.excel_safety import write_cell
from sp2lnob.spi.revised import BROAD
from sp2lnob.spi.revised_result import RevisedSPI
from sp2lnob.spi.tables import TITLES_2012

SHEET_TITLES = {
    "S1": "Basic statistics and reference populations (inputs)",
    "S2": "Programme register for the year (inputs; money in LCU, beneficiaries in persons)",
    **TITLES_2012,  # S3-S10: the same titles as the engine's workbook tables
}

# One line under each title: what the formulas compute (ADB 2012 notation).
SHEET_NOTES = {
    "S1": "Inputs: edit the values in column B and D; z = normaliser share x GDP per capita; PB = sum of the "
          "reference populations.",
    "S2": "Inputs: one row per programme (micro-finance excluded); shares between 0 and 1. To add a programme, "
          "insert a row inside the table here and in S5 and S6 (copy their formulas down): Excel widens the sums.",
    "S3": "E_c = sum of programme expenditure in category c; SPEXP = E / GDP.",
    "S4": "AB_c = sum of beneficiaries; PB_c = reference populations of c; coverage = AB_c / PB_c; "
          "weight = PB_c / PB.",
    "S5": "E_p = expenditure x poor_share (a blank share counts as 0).",
    "S6": "E_f = expenditure x female_share (a blank share counts as 0).",
    "S7": "SPI_c = E_c / PB / z.",
    "S8": "depth_c = E_c / AB_c / z; breadth_c = AB_c / PB; SPI = depth x breadth.",
    "S9": "SPI_p = E_p / PB / z; SPI_np = SPI - SPI_p; poverty focus = (SPI_p / SPI) / (poor / population).",
    "S10": "SPI_f = E_f / PB / z; SPI_m = SPI - SPI_f.",
}

# Fixed S1 cells (A1 notation).
GDP, GDP_PC, POP, POOR, NORM_SHARE, Z = "S1!$B$4", "S1!$B$5", "S1!$B$6", "S1!$B$7", "S1!$B$8", "S1!$B$9"
PB = "S1!$D$18"
_REF_TOP = 12  # first reference-population row in S1


def _cell(row: int, col: int) -> str:
    """Zero-based (row, col) to an A1 reference (columns up to Z are enough here)."""
    return f"{chr(ord('A') + col)}{row + 1}"


@dataclass
class _Sheets:
    """Writes formulas and remembers where each headline figure lives."""

    wb: Any
    formats: dict[str, Any]
    cells: dict[str, str] = field(default_factory=dict)
    sheets: dict[str, Any] = field(default_factory=dict)

    def sheet(self, key: str, headers: list[str]) -> Any:
        ws = self.sheets[key]
        ws.write_string(0, 0, f"{key}. {SHEET_TITLES[key]}", self.formats["title"])
        ws.write_string(1, 0, SHEET_NOTES[key])
        for j, h in enumerate(headers):
            ws.write_string(2, j, h, self.formats["head"])
            ws.set_column(j, j, max(14, len(h) + 3))
        ws.freeze_panes(3, 0)
        return ws

    def formula(self, ws: Any, row: int, col: int, text: str, value: Any, kind: str = "ratio",
                name: str | None = None) -> None:
        cached = value if isinstance(value, (int, float)) and value == value else ""
        ws.write_formula(row, col, "=" + text, self.formats[kind], cached)
        if name is not None:
            self.cells[name] = f"{ws.get_name()}!{_cell(row, col)}"


def _inputs(s: _Sheets, r: RevisedSPI) -> tuple[str, int]:
    """S1 and S2; returns S2's last data row (1-based) and the number of programmes."""
    f = s.formats
    ws = s.sheet("S1", ["field", "value", "unit", "note"])
    share = float(load("spi_2012_reference_populations.yaml")["normalisers"][r.normaliser]["share_of_gdp_per_capita"])
    rows = [("gdp", r.gdp, "LCU", "nominal GDP", "money"),
            ("gdp_per_capita", r.gdp_per_capita, "LCU", "nominal GDP per capita", "money"),
            ("population", r.population, "persons", "mid-year population", "count"),
            ("poor", r.poor, "persons", "persons below the national poverty line", "count"),
            ("normaliser_share", share, "share", f"normaliser {r.normaliser}: z = share x GDP per capita", "ratio")]
    for i, (name, value, unit, note, kind) in enumerate(rows, start=3):
        ws.write_string(i, 0, name)
        write_cell(ws, i, 1, value, f[kind])
        ws.write_string(i, 2, unit)
        ws.write_string(i, 3, note)
    ws.write_string(8, 0, "z")
    s.formula(ws, 8, 1, "B8*B5", r.z, "money", name="z")
    ws.write_string(8, 2, "LCU")
    ws.write_string(8, 3, "normaliser (formula)")
    for j, h in enumerate(["reference_population", "label", "broad", "persons"]):
        ws.write_string(_REF_TOP - 2, j, h, f["head"])
    refs = r.reference_populations
    for i, row in enumerate(refs.iter_rows(named=True), start=_REF_TOP - 1):  # six rows
        write_cell(ws, i, 0, row["reference_population"])
        write_cell(ws, i, 1, row["label"])
        write_cell(ws, i, 2, row["broad"])
        write_cell(ws, i, 3, row["persons"], f["count"])
    ws.write_string(17, 0, "Potential beneficiaries (PB)")
    s.formula(ws, 17, 3, f"SUM(D{_REF_TOP}:D{_REF_TOP + refs.height - 1})", r.potential_beneficiaries, "count",
              name="potential_beneficiaries")
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 40)
    ws.set_column(3, 3, 48)

    ws = s.sheet("S2", ["id", "name", "category", "broad", "expenditure", "beneficiaries", "poor_share",
                        "female_share"])
    p = r.programmes.select("id", "name", "category", "broad", "expenditure", "beneficiaries", "poor_share",
                            "female_share")
    kinds = [None, None, None, None, f["money"], f["count"], f["ratio"], f["ratio"]]
    for i, cells in enumerate(p.iter_rows(), start=3):  # programmes: a few dozen rows
        for j, v in enumerate(cells):
            write_cell(ws, i, j, v, kinds[j])
    ws.set_column(1, 1, 45)
    return f"{p.height + 3}", p.height


def _by_broad(s: _Sheets, r: RevisedSPI, last: str) -> None:
    rng = {c: f"S2!${c}$4:${c}${last}" for c in "CDEFGH"}
    cat = {row["broad"]: row for row in r.by_category.iter_rows(named=True)}  # three categories
    total_row = 3 + len(BROAD)  # zero-based row of TOTAL
    t = total_row + 1            # its 1-based number

    ws = s.sheet("S3", ["category", "label", "programmes", "expenditure", "share_of_expenditure", "share_of_gdp"])
    for i, b in enumerate(BROAD, start=3):
        n = i + 1
        ws.write_string(i, 0, b)
        ws.write_string(i, 1, f"broad category {b}")
        s.formula(ws, i, 2, f'COUNTIF({rng["D"]},A{n})', cat[b]["programmes"], "count")
        s.formula(ws, i, 3, f'SUMIFS({rng["E"]},{rng["D"]},A{n})', cat[b]["expenditure"], "money",
                  name=f"expenditure_{b}")
        s.formula(ws, i, 4, f"D{n}/D${t}", cat[b]["expenditure"] / r.expenditure)
        s.formula(ws, i, 5, f"D{n}/{GDP}", cat[b]["expenditure"] / r.gdp)
    ws.write_string(total_row, 0, "TOTAL")
    ws.write_string(total_row, 1, "Total")
    s.formula(ws, total_row, 2, f"SUM(C4:C{t - 1})", r.programmes.height, "count")
    s.formula(ws, total_row, 3, f"SUM(D4:D{t - 1})", r.expenditure, "money", name="expenditure")
    s.formula(ws, total_row, 4, f"D{t}/D${t}", 1.0)
    s.formula(ws, total_row, 5, f"D{t}/{GDP}", r.spexp, name="spexp")
    cats = load("spi_categories.yaml")["revised_2012"]["categories"]
    by_code = r.programmes.group_by("category").agg(pl.col("expenditure").sum())
    spent = dict(zip(by_code["category"].to_list(), by_code["expenditure"].to_list(), strict=True))
    ws.write_string(total_row + 2, 0, "By detailed category", s.formats["head"])
    for i, (code, spec) in enumerate(cats.items(), start=total_row + 3):  # nine categories
        n = i + 1
        ws.write_string(i, 0, code)
        write_cell(ws, i, 1, spec["label"])
        s.formula(ws, i, 2, f'COUNTIF({rng["C"]},A{n})', r.programmes.filter(r.programmes["category"] == code).height,
                  "count")
        e = float(spent.get(code, 0.0))
        s.formula(ws, i, 3, f'SUMIFS({rng["E"]},{rng["C"]},A{n})', e, "money")
        s.formula(ws, i, 4, f"D{n}/D${t}", e / r.expenditure)
        s.formula(ws, i, 5, f"D{n}/{GDP}", e / r.gdp)
    ws.set_column(1, 1, 40)

    ws = s.sheet("S4", ["broad", "beneficiaries", "potential_beneficiaries", "category_coverage",
                        "population_weight"])
    ref_b, ref_p = f"S1!$C${_REF_TOP}:$C${_REF_TOP + 5}", f"S1!$D${_REF_TOP}:$D${_REF_TOP + 5}"
    for i, b in enumerate(BROAD, start=3):
        n = i + 1
        ws.write_string(i, 0, b)
        s.formula(ws, i, 1, f'SUMIFS({rng["F"]},{rng["D"]},A{n})', cat[b]["beneficiaries"], "count",
                  name=f"beneficiaries_{b}")
        s.formula(ws, i, 2, f"SUMIFS({ref_p},{ref_b},A{n})", cat[b]["potential_beneficiaries"], "count",
                  name=f"potential_beneficiaries_{b}")
        s.formula(ws, i, 3, f"B{n}/C{n}", cat[b]["category_coverage"], name=f"category_coverage_{b}")
        s.formula(ws, i, 4, f"C{n}/{PB}", cat[b]["population_weight"], name=f"population_weight_{b}")
    ws.write_string(total_row, 0, "TOTAL")
    s.formula(ws, total_row, 1, f"SUM(B4:B{t - 1})", r.beneficiaries, "count", name="beneficiaries")
    s.formula(ws, total_row, 2, f"SUM(C4:C{t - 1})", r.potential_beneficiaries, "count")
    s.formula(ws, total_row, 3, f"B{t}/C{t}", r.beneficiaries / r.potential_beneficiaries)
    s.formula(ws, total_row, 4, f"SUM(E4:E{t - 1})", 1.0)

    ws = s.sheet("S7", ["broad", "expenditure", "spi"])
    for i, b in enumerate(BROAD, start=3):
        n = i + 1
        ws.write_string(i, 0, b)
        s.formula(ws, i, 1, f"S3!D{n}", cat[b]["expenditure"], "money")
        s.formula(ws, i, 2, f"B{n}/{PB}/{Z}", cat[b]["spi"], name=f"spi_{b}")
    ws.write_string(total_row, 0, "TOTAL")
    s.formula(ws, total_row, 1, f"S3!D{t}", r.expenditure, "money")
    s.formula(ws, total_row, 2, f"B{t}/{PB}/{Z}", r.spi, name="spi")

    ws = s.sheet("S8", ["broad", "expenditure", "beneficiaries", "spi", "depth", "breadth", "category_coverage"])
    for i, b in enumerate(BROAD + ("TOTAL",), start=3):
        n = i + 1
        row = cat.get(b, {"expenditure": r.expenditure, "beneficiaries": r.beneficiaries, "spi": r.spi,
                          "depth": r.depth, "breadth": r.breadth,
                          "category_coverage": r.beneficiaries / r.potential_beneficiaries})
        suffix = "" if b == "TOTAL" else f"_{b}"
        ws.write_string(i, 0, b)
        s.formula(ws, i, 1, f"S3!D{n}", row["expenditure"], "money")
        s.formula(ws, i, 2, f"S4!B{n}", row["beneficiaries"], "count")
        s.formula(ws, i, 3, f"S7!C{n}", row["spi"])
        s.formula(ws, i, 4, f'IF(C{n}>0,B{n}/C{n}/{Z},"")', row["depth"], name=f"depth{suffix}")
        s.formula(ws, i, 5, f"C{n}/{PB}", row["breadth"], name=f"breadth{suffix}")
        s.formula(ws, i, 6, f"S4!D{n}", row["category_coverage"])


def _focus(s: _Sheets, r: RevisedSPI, last: str, n_prog: int) -> None:
    cat = {row["broad"]: row for row in r.by_category.iter_rows(named=True)}
    p = r.programmes
    for key, share, amount, rest, total_amount, total_rest in (
        ("S5", "poor_share", "expenditure_poor", "expenditure_nonpoor", r.expenditure_poor, r.expenditure_nonpoor),
        ("S6", "female_share", "expenditure_women", "expenditure_men", r.expenditure_women, r.expenditure_men),
    ):
        src = "G" if key == "S5" else "H"
        ws = s.sheet(key, ["id", "name", "broad", "expenditure", share, amount, rest])
        for i in range(3, 3 + n_prog):  # programmes: a few dozen rows
            n = i + 1
            e = float(p["expenditure"][i - 3])
            sh = p[share][i - 3]
            e_s = e * (sh or 0.0)
            s.formula(ws, i, 0, f'S2!A{n}&""', None)
            s.formula(ws, i, 1, f'S2!B{n}&""', None)
            s.formula(ws, i, 2, f'S2!D{n}&""', None)
            s.formula(ws, i, 3, f"S2!E{n}", e, "money")
            s.formula(ws, i, 4, f"S2!{src}{n}", sh if sh is not None else 0.0)
            s.formula(ws, i, 5, f"D{n}*E{n}", e_s, "money")
            s.formula(ws, i, 6, f"D{n}-F{n}", e - e_s, "money")
        tr = 3 + n_prog
        t = tr + 1
        ws.write_string(tr, 0, "TOTAL")
        ws.write_string(tr, 1, "Total")
        s.formula(ws, tr, 3, f"SUM(D4:D{t - 1})", r.expenditure, "money")
        s.formula(ws, tr, 4, f"F{t}/D{t}", total_amount / r.expenditure)
        s.formula(ws, tr, 5, f"SUM(F4:F{t - 1})", total_amount, "money", name=amount)
        s.formula(ws, tr, 6, f"D{t}-F{t}", total_rest, "money", name=rest)
        ws.set_column(1, 1, 45)

    t_prog = 4 + n_prog  # 1-based TOTAL row of S5/S6
    for key, src, cols in (("S9", "S5", ["broad", "spi", "spi_poor", "spi_nonpoor", "poverty_focus"]),
                           ("S10", "S6", ["broad", "spi", "spi_women", "spi_men"])):
        ws = s.sheet(key, cols)
        part = cols[2]
        for i, b in enumerate(BROAD + ("TOTAL",), start=3):
            n = i + 1
            ws.write_string(i, 0, b)
            s.formula(ws, i, 1, f"S7!C{n}", r.spi if b == "TOTAL" else cat[b]["spi"])
            value = (r.spi_poor if key == "S9" else r.spi_women) if b == "TOTAL" else cat[b][part]
            amount = (f"{src}!F{t_prog}" if b == "TOTAL"
                      else f"SUMIFS({src}!$F$4:$F${t_prog - 1},S2!$D$4:$D${t_prog - 1},A{n})")
            name = part if b == "TOTAL" else f"{part}_{b}"
            s.formula(ws, i, 2, f"{amount}/{PB}/{Z}", value, name=name)
            other = (r.spi_nonpoor if key == "S9" else r.spi_men) if b == "TOTAL" else None
            s.formula(ws, i, 3, f"B{n}-C{n}", other if other is not None else cat[b]["spi"] - value,
                      name=cols[3] if b == "TOTAL" else None)
            if key == "S9":
                focus = r.poverty_focus if b == "TOTAL" else value / cat[b]["spi"] / (r.poor / r.population)
                s.formula(ws, i, 4, f'IF(B{n}>0,(C{n}/B{n})/({POOR}/{POP}),"")', focus,
                          name="poverty_focus" if b == "TOTAL" else None)


def write_spi_sheets(wb: Any, result: RevisedSPI, formats: dict[str, Any]) -> dict[str, str]:
    """Add sheets S1-S10 of ``result`` to the xlsxwriter workbook ``wb``.

    Returns where each headline figure (the keys of ``RevisedSPI.headline()``
    that the sheets compute) lives, e.g. ``{"spi": "S7!C7", ...}``.
    """
    # Created in ADB's order first; filled in dependency order below.
    s = _Sheets(wb, formats, sheets={key: wb.add_worksheet(key) for key in SHEET_TITLES})
    last, n_prog = _inputs(s, result)
    _by_broad(s, result, last)
    _focus(s, result, last, n_prog)
    return dict(s.cells)
