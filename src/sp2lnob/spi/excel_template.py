"""The register template workbook, laid out like ADB's SPI workbook, and its reader.

Sheets: ``basic statistics``, ``expenditure``, ``beneficiaries``, ``poverty
focus``, ``sex focus``, ``notes`` (and a hidden ``lists`` sheet feeding the
data-validation drop-downs). The reader finds each sheet's header row by
name, matches columns by header (they may move), ignores blank rows and
accepts numbers stored as text; programmes are matched across sheets by
``id`` (or by ``name`` when ids are missing).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from sp2lnob.errors import DataError, InputError
from sp2lnob.parameters import load
from sp2lnob.spi._read import find_sheet, read_text_table
from sp2lnob.spi.basic_stats import FIELDS, BasicStatistics
from sp2lnob.spi.excel_safety import write_cell
from sp2lnob.spi.register import Register, register_from_frame

MONEY_UNITS = ["LCU", "LCU thousands", "LCU millions", "LCU billions"]
COUNT_UNITS = ["persons", "thousands", "millions"]
SHEETS = ("basic statistics", "expenditure", "beneficiaries", "poverty focus", "sex focus")

NOTES = [
    ("How to fill this workbook", ""),
    ("Magnitudes", "Every money and population figure needs its unit: pick it from the drop-down in the unit "
                   "column (LCU, LCU thousands, LCU millions; persons, thousands, millions). A wrong magnitude is "
                   "the commonest SPI error; sp2lnob warns when the SPI leaves the plausible band."),
    ("Programmes", "One row per programme in each sheet, with the same id. Group programmes only if same agency, "
                   "same target group and small; keep disability programmes separate."),
    ("Categories", "category: the 2012 detailed category (PEN, HI, UB, OSI = social insurance; AE, HA, CP, DA, OSA "
                   "= social assistance; LMP = labour market programmes). Micro-finance (MAB) is excluded from the "
                   "revised SPI. category_2005 is optional (the 2005 method maps 2012 codes otherwise)."),
    ("Expenditure", "Spending on benefits in the year (excluding administrative cost where known). Fiscal years: "
                    "label columns exp_2008/09 when the fiscal year is not the calendar year."),
    ("Beneficiaries", "Persons: job-creation programmes count workers, not families; pensions count people "
                      "currently receiving; health insurance counts covered members (incl. dependants), not "
                      "claimants; social assistance measured from a household survey counts all household members."),
    ("Poverty focus", "poor_share: share of the programme's spending (or beneficiaries) reaching the poor, 0-1."),
    ("Sex focus", "female_share: share of the programme's benefits paid to women, 0-1."),
    ("ASPIRE", "aspire (optional): the programme's ASPIRE category, so the same register gives ASPIRE's "
               "administrative expenditure indicator (% of GDP by category and family)."),
    ("Basic statistics", "Nominal GDP (never PPP), mid-year populations. To move a population to mid-year give "
                         "growth_rate and years_to_mid_year: p_n = p_0 x (1 + r)^n."),
    ("Editing", "Columns may be moved and rows added; keep the header names. Numbers may be typed as text."),
    ("Sources", "ADB (2012) The Revised Social Protection Index: Methodology and Handbook; ADB (2005) The SPI "
                "Handbook."),
]


def _list_columns() -> dict[str, list[str]]:
    cats12 = list(load("spi_categories.yaml")["revised_2012"]["categories"]) + ["MAB"]
    cats05 = list(load("spi_categories.yaml")["original_2005"]["categories"])
    aspire = list(load("aspire_categories.yaml")["categories"])
    return {"category": cats12, "category_2005": cats05, "money_unit": MONEY_UNITS, "count_unit": COUNT_UNITS,
            "unit": MONEY_UNITS + COUNT_UNITS + ["LCU per year", "LCU per USD"], "aspire": aspire}


def _list_refs(columns: dict[str, list[str]]) -> dict[str, str]:
    """Cell ranges of the hidden ``lists`` sheet feeding each drop-down."""
    refs = {}
    for j, (name, values) in enumerate(columns.items()):
        col = chr(ord("A") + j)
        refs[name] = f"=lists!${col}$2:${col}${len(values) + 1}"
    return refs


def _write_lists(wb, columns: dict[str, list[str]]) -> None:
    ws = wb.add_worksheet("lists")
    for j, (name, values) in enumerate(columns.items()):
        ws.write_string(0, j, name)
        for i, v in enumerate(values, start=1):
            ws.write_string(i, j, v)
    ws.hide()


def _sheet(wb, name: str, headers: list[str], rows: list[list], fmt_head, n_blank: int):
    ws = wb.add_worksheet(name)
    for j, h in enumerate(headers):
        ws.write_string(0, j, h, fmt_head)
        ws.set_column(j, j, max(12, len(h) + 2))
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            write_cell(ws, i, j, v)
    ws.freeze_panes(1, 0)
    return ws, len(rows) + n_blank


def write_template(
    path: str | Path,
    *,
    years: tuple[int, ...] = (2008, 2009, 2010),
    stats: BasicStatistics | None = None,
    register: Register | None = None,
    blank_rows: int = 40,
) -> Path:
    """Write the register template (empty, or filled from ``stats`` and ``register``)."""
    import xlsxwriter

    from sp2lnob.exports import set_fixed_properties

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path))
    set_fixed_properties(wb)  # reruns give byte-identical files
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    list_columns = _list_columns()
    refs = _list_refs(list_columns)
    # Basic statistics.
    bs_rows: list[list] = [["country", stats.country if stats else None, None, None, "Country name"],
                           ["reference_year", stats.year if stats else years[-1], None, None, "Reference year"],
                           ["fiscal_year_start_month", stats.fiscal_year_start_month if stats else 1, None, None,
                            "Month the fiscal year starts (1 = calendar year, 7 = July-June, 4 = April-March)"]]
    for f, (kind, label) in FIELDS.items():
        default_unit = {"money": "LCU", "count": "persons", "plain": "LCU per USD"}[kind]
        value = stats.values.get(f) if stats else None
        bs_rows.append([f, value, default_unit, stats.sources.get(f) if stats else None, label])
    ws, _ = _sheet(wb, "basic statistics", ["field", "value", "unit", "source", "description"], bs_rows, head, 0)
    ws.data_validation(1, 2, len(bs_rows), 2, {"validate": "list", "source": refs["unit"]})
    ws.set_column(4, 4, 60)
    # Programme sheets.
    frame = register.to_frame() if register is not None else None
    yl = [str(y) for y in years]
    n = frame.height if frame is not None else 0

    def col(name: str, default=None) -> list:
        if frame is None or name not in frame.columns:
            return [default] * n
        return frame[name].to_list()

    ids, names = col("id"), col("name")
    exp_cols = [f"exp_{y}" for y in yl]
    ben_cols = [f"ben_{y}" for y in yl]
    exp_rows = list(zip(ids, names, col("agency"), col("category"), col("category_2005"), ["LCU"] * n,
                        *[col(c) for c in exp_cols], col("source_exp"), col("aspire"), col("notes"), strict=True))
    ws, last = _sheet(wb, "expenditure", ["id", "name", "agency", "category", "category_2005", "exp_unit",
                                          *exp_cols, "source_exp", "aspire", "notes"], [list(r) for r in exp_rows],
                      head, blank_rows)
    aspire_col = 6 + len(exp_cols) + 1
    ws.data_validation(1, aspire_col, last, aspire_col, {"validate": "list", "source": refs["aspire"]})
    ws.data_validation(1, 3, last, 3, {"validate": "list", "source": refs["category"]})
    ws.data_validation(1, 4, last, 4, {"validate": "list", "source": refs["category_2005"]})
    ws.data_validation(1, 5, last, 5, {"validate": "list", "source": refs["money_unit"]})
    ws.set_column(1, 1, 45)
    ben_rows = list(zip(ids, names, ["persons"] * n, *[col(c) for c in ben_cols], col("source_ben"), strict=True))
    ws, last = _sheet(wb, "beneficiaries", ["id", "name", "ben_unit", *ben_cols, "source_ben"],
                      [list(r) for r in ben_rows], head, blank_rows)
    ws.data_validation(1, 2, last, 2, {"validate": "list", "source": refs["count_unit"]})
    ws.set_column(1, 1, 45)
    for sheet, share in (("poverty focus", "poor_share"), ("sex focus", "female_share")):
        rows = list(zip(ids, names, col(share), col(f"source_{share}"), strict=True))
        ws, last = _sheet(wb, sheet, ["id", "name", share, f"source_{share}"], [list(r) for r in rows], head,
                          blank_rows)
        ws.data_validation(1, 2, last, 2, {"validate": "decimal", "criteria": "between", "minimum": 0,
                                           "maximum": 1, "error_message": "a share between 0 and 1"})
        ws.set_column(1, 1, 45)
    ws = wb.add_worksheet("notes")
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 110)
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    for i, (title, text) in enumerate(NOTES):
        ws.write_string(i, 0, title, head if i == 0 else None)
        ws.write_string(i, 1, text, wrap)
    _write_lists(wb, list_columns)
    wb.close()
    return path


def _read_programme_sheet(path: Path, sheet: str) -> pl.DataFrame:
    try:
        return read_text_table(path, key_header="id", sheet=sheet)
    except InputError as exc:
        if "no header row" not in exc.what:
            raise
        return read_text_table(path, key_header="name", sheet=sheet)


def read_template_register(path: str | Path) -> Register:
    """Read the programme register back from a (possibly edited) template workbook."""
    path = Path(path)
    main = _read_programme_sheet(path, "expenditure")
    if "name" not in main.columns:
        raise InputError("the expenditure sheet has no 'name' column", where=f"{path.name}, sheet 'expenditure'")
    others = [_read_programme_sheet(path, s) for s in ("beneficiaries", "poverty focus", "sex focus")
              if find_sheet(path, s, required=False)]
    sheets = [main] + others
    key = "id" if all("id" in s.columns and s["id"].null_count() == 0 for s in sheets) else "name"
    if any(key not in s.columns for s in sheets):
        raise InputError("programmes cannot be matched across sheets", where=path.name,
                         expected="an id (or name) column in every programme sheet")
    # Rows with a key but nothing else (template rows left blank) are not programmes.
    main = main.filter(pl.col("name").is_not_null() & (pl.col("name").str.strip_chars() != ""))
    merged = main
    for other in others:
        other = other.filter(pl.col(key).is_not_null())
        extra_cols = [c for c in other.columns if c not in merged.columns or c == key]
        values = other.select(extra_cols)
        data_cols = [c for c in extra_cols if c not in (key, "name", "id")]
        if data_cols:
            has_data = pl.any_horizontal([pl.col(c).is_not_null() & (pl.col(c).str.strip_chars() != "")
                                          for c in data_cols])
            orphans = values.filter(has_data & ~pl.col(key).is_in(merged[key].to_list()))
            if orphans.height:
                raise DataError("a programme in one sheet is missing from the expenditure sheet",
                                where=path.name, got=orphans[key].to_list(),
                                hint="use the same id in every sheet")
        merged = merged.join(values, on=key, how="left")
    return register_from_frame(merged, path.name)
