"""The register template: layout, validation lists, robust read-back, and formula-injection safety."""

from __future__ import annotations

import math

import openpyxl
import polars as pl
import pytest

from sp2lnob.errors import DataError, InputError
from sp2lnob.spi import read_basic_statistics, read_register, revised_spi
from sp2lnob.spi.excel_export import export_excel
from sp2lnob.spi.excel_safety import safe_text
from sp2lnob.spi.excel_template import write_template


def test_empty_template_layout(tmp_path):
    path = write_template(tmp_path / "t.xlsx", years=(2019, 2020))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:5] == ["basic statistics", "expenditure", "beneficiaries", "poverty focus", "sex focus"]
    assert "notes" in wb.sheetnames
    head = [c.value for c in wb["expenditure"][1]]
    assert head[:6] == ["id", "name", "agency", "category", "category_2005", "exp_unit"]
    assert "exp_2019" in head and "exp_2020" in head
    lists = {dv.formula1 for dv in wb["expenditure"].data_validations.dataValidation}
    assert any(f.startswith("lists!$A$") for f in lists)  # the category drop-down
    categories = [wb["lists"].cell(row=i, column=1).value for i in range(2, 13)]
    assert categories[:3] == ["PEN", "HI", "UB"] and "LMP" in categories
    assert wb["lists"].sheet_state == "hidden"
    fields = [wb["basic statistics"].cell(row=i, column=1).value for i in range(2, 20)]
    assert "gdp_per_capita" in fields and "poor" in fields


def test_filled_template_round_trip(tmp_path, asiatica, asiatica_result):
    stats, register, year = asiatica
    path = write_template(tmp_path / "a.xlsx", stats=stats, register=register)
    r = revised_spi(read_basic_statistics(path, year), read_register(path), year)
    assert math.isclose(r.spi, asiatica_result.spi, rel_tol=1e-12)
    assert math.isclose(r.expenditure_poor, asiatica_result.expenditure_poor, rel_tol=1e-12)
    assert math.isclose(r.expenditure_women, asiatica_result.expenditure_women, rel_tol=1e-12)


def _edit(path, out):
    """An edited copy: title row, blank rows, moved columns, numbers typed as text."""
    wb = openpyxl.load_workbook(path)
    ws = wb["expenditure"]
    ws.insert_rows(1)
    ws.cell(row=1, column=1, value="Social protection expenditure, Asiatica (LCU millions)")
    ws.insert_rows(5, amount=2)          # blank rows in the middle
    ws.move_range("C1:C60", cols=20)     # agency column moved to the far right
    for row in range(3, ws.max_row + 1):  # numbers stored as text, with thousands separators
        cell = ws.cell(row=row, column=8)  # exp_2009
        if isinstance(cell.value, (int, float)):
            cell.value = f"{cell.value:,.1f}"
    ben = wb["beneficiaries"]
    ben.move_range("A1:A60", cols=15)    # id column moved to the end
    bs = wb["basic statistics"]
    bs.insert_rows(1, amount=2)
    bs.cell(row=1, column=1, value="Basic statistics of Asiatica")
    bs.move_range("C3:C40", cols=6)      # unit column moved right
    for row in range(4, bs.max_row + 1):
        cell = bs.cell(row=row, column=2)
        if isinstance(cell.value, (int, float)):
            cell.value = f"{cell.value:,}"
    wb.save(out)


def test_edited_copy_reads_back(tmp_path, asiatica, asiatica_result):
    stats, register, year = asiatica
    path = write_template(tmp_path / "a.xlsx", stats=stats, register=register)
    edited = tmp_path / "edited.xlsx"
    _edit(path, edited)
    reg = read_register(edited)
    assert reg.n_programmes == 19
    stats2 = read_basic_statistics(edited, year)
    assert stats2.values == stats.values
    r = revised_spi(stats2, reg, year)
    assert math.isclose(r.spi, asiatica_result.spi, rel_tol=1e-12)
    assert reg.programmes["agency"][0] == "Ministry of Social Welfare"


def test_edited_copy_with_a_bad_cell(tmp_path, asiatica):
    stats, register, _ = asiatica
    path = write_template(tmp_path / "a.xlsx", stats=stats, register=register)
    wb = openpyxl.load_workbook(path)
    wb["expenditure"].cell(row=3, column=8, value="about 1700")
    wb.save(path)
    with pytest.raises(DataError, match="'exp_2009' holds text that is not a number"):
        read_register(path)


def test_missing_sheet_is_named(tmp_path):
    path = tmp_path / "x.xlsx"
    pl.DataFrame({"a": [1]}).write_excel(path, worksheet="other")
    with pytest.raises(InputError, match="sheet 'expenditure' not found"):
        read_register(path)


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx"])
def test_safe_text(text):
    assert safe_text(text) == "'" + text
    assert safe_text("Ministry") == "Ministry" and safe_text(3.5) == 3.5


def test_export_is_formula_injection_safe(tmp_path, asiatica):
    stats, register, year = asiatica
    frame = register.to_frame().with_columns(
        pl.when(pl.col("id") == "1").then(pl.lit("=HYPERLINK(\"http://evil\",\"x\")"))
        .when(pl.col("id") == "2").then(pl.lit("+cmd|' /C calc'!A0"))
        .when(pl.col("id") == "3").then(pl.lit("-1+2")).when(pl.col("id") == "4").then(pl.lit("@SUM(1)"))
        .otherwise(pl.col("name")).alias("name"),
        pl.lit("=evil()").alias("agency"))
    from sp2lnob.spi import register_from_frame

    result = revised_spi(stats, register_from_frame(frame), year)
    out = export_excel(result, tmp_path / "out.xlsx")
    template = write_template(tmp_path / "t.xlsx", stats=stats, register=register_from_frame(frame))
    for path in (out, template):
        wb = openpyxl.load_workbook(path)
        seen = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        assert not cell.value.startswith(("=", "+", "-", "@")), (ws.title, cell.coordinate)
                        assert cell.data_type != "f"
                        seen += "evil" in cell.value or "cmd|" in cell.value
        assert seen >= 2


def test_export_has_the_workbook_tables(tmp_path, asiatica_result):
    wb = openpyxl.load_workbook(export_excel(asiatica_result, tmp_path / "o.xlsx"))
    assert {"summary", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10", "programmes", "warnings"} <= set(wb.sheetnames)
    values = {wb["summary"].cell(row=i, column=1).value: wb["summary"].cell(row=i, column=2).value
              for i in range(5, 40)}
    assert math.isclose(values["spi"], asiatica_result.spi, rel_tol=1e-12)
