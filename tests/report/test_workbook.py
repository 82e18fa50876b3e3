"""The analysis workbook: SPI sheets S1-S10 recalculated by a formula engine equal sp2lnob's revised SPI,
and no cell becomes a formula from user text."""

from __future__ import annotations

import math

import pytest
from tests.report.conftest import EXAMPLE, HOSTILE

from sp2lnob.spi import read_basic_statistics, read_register, revised_spi

FORMULA_SHEETS = {"S1", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10"}
TRIGGERS = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def workbook(analysis, tmp_path_factory):
    from sp2lnob.report import export_workbook

    path = tmp_path_factory.mktemp("xlsx") / "analysis.xlsx"
    cells = export_workbook(analysis, path)
    return path, cells


def _recalculate(path):
    """Recalculate the SPI sheets with the ``formulas`` engine (other sheets hold no formulas: dropped for speed)."""
    import openpyxl

    formulas = pytest.importorskip("formulas")
    wb = openpyxl.load_workbook(path)
    for ws in list(wb.worksheets):
        if ws.title not in FORMULA_SHEETS | {"S2"}:
            wb.remove(ws)
    path = path.with_name("spi_only_" + path.name)
    wb.save(path)
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate()
    out = {}
    for key, value in solution.items():
        # keys look like "'[analysis.xlsx]S7'!C7"
        if "!" in key and ":" not in key.split("!")[1]:
            sheet, cell = key.rsplit("!", 1)
            out[f"{sheet.split(']')[1].rstrip(chr(39))}!{cell}"] = value.value[0, 0]
    return out


def test_spi_sheets_recalculate_to_revised_spi(workbook, hostile_register):
    path, cells = workbook
    # The reference: the engine run directly on the same inputs, not the cached values in the file.
    expected = revised_spi(read_basic_statistics(EXAMPLE / "basic_statistics.csv", year=2009),
                           read_register(hostile_register), 2009).headline()
    assert set(expected) <= set(cells), set(expected) - set(cells)
    values = _recalculate(path)
    for name, ref in cells.items():
        got = float(values[ref.upper()])
        assert math.isclose(got, expected[name], rel_tol=1e-9, abs_tol=1e-15), (name, ref, got, expected[name])


def test_spi_formulas_follow_an_edited_input(analysis, tmp_path):
    """Change GDP per capita in S1: the SPI cell must move like the engine's (SPI is proportional to 1/z)."""
    import openpyxl

    from sp2lnob.report import export_workbook

    path = tmp_path / "a.xlsx"
    cells = export_workbook(analysis, path)
    wb = openpyxl.load_workbook(path)
    wb["S1"]["B5"].value = analysis.spi.gdp_per_capita * 2
    wb.save(path)
    wb.close()
    values = _recalculate(path)
    assert math.isclose(float(values[cells["spi"].upper()]), analysis.spi.spi / 2, rel_tol=1e-9)


def test_derived_cells_are_live_formulas(workbook):
    import openpyxl

    path, cells = workbook
    wb = openpyxl.load_workbook(path)
    for ref in cells.values():
        sheet, cell = ref.split("!")
        assert wb[sheet][cell].data_type == "f", ref


def test_no_cell_becomes_a_formula_from_user_text(workbook):
    import openpyxl

    path, _ = workbook
    wb = openpyxl.load_workbook(path)
    seen_hostile = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert ws.title in FORMULA_SHEETS, (ws.title, c.coordinate, c.value)
                    # our own formulas reference cells only: no user text inside them
                    assert "HYPERLINK" not in c.value and "alert" not in c.value, c.value
                elif isinstance(c.value, str):
                    assert not c.value.startswith(TRIGGERS), (ws.title, c.coordinate, c.value)
                    for h in HOSTILE:
                        if c.value in (h, "'" + h):
                            seen_hostile.add(h)
    # the hostile names were written (as inert text), not dropped
    assert seen_hostile == set(HOSTILE)


def test_workbook_has_every_part(workbook):
    import openpyxl

    path, _ = workbook
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    for expected in ["about", "headline", "S1", "S2", "S10", "indicators", "lnob", "lnob nodes", "simulation",
                     "costs", "spec", "scheme universal_child_benefit"]:
        assert expected in names
    assert names.index("S1") < names.index("S2") < names.index("S3") < names.index("S10")


def test_workbook_bytes_are_identical_across_runs(tmp_path):
    """Same inputs and seeds give the same file, byte for byte (no timestamps inside)."""
    import time

    from sp2lnob.demo import demo_spec_path
    from sp2lnob.report import build_analysis, export_workbook

    analysis = build_analysis(demo_spec_path(), indicators=False, seed=1)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export_workbook(analysis, first)
    time.sleep(1.1)  # a creation time would now differ
    export_workbook(analysis, second)
    assert first.read_bytes() == second.read_bytes()
