"""Exports: no user text becomes a spreadsheet formula; file names from user text stay in their folder."""

from __future__ import annotations

import zipfile
from pathlib import Path

import polars as pl
import pytest
import yaml
from typer.testing import CliRunner

from sp2lnob.errors import InputError
from sp2lnob.exports import neutralise_frame, path_inside, safe_filename, safe_text, write_table

from ._data import PERSONS, SPEC, example_text, spec_with

ATTACKS = ["=HYPERLINK(\"http://x\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
           "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_triggers_are_prefixed(text):
    assert safe_text(text) == "'" + text
    frame = neutralise_frame(pl.DataFrame({"a": [text, "plain"], "n": [1, 2]}))
    assert frame["a"].to_list() == ["'" + text, "plain"]
    assert frame["n"].to_list() == [1, 2]


def test_ordinary_text_and_numbers_are_untouched():
    assert safe_text("Social pension") == "Social pension"
    assert safe_text(-3.5) == -3.5
    cat = pl.DataFrame({"c": pl.Series(["=x", "y"], dtype=pl.Categorical)})
    assert neutralise_frame(cat)["c"].to_list() == ["'=x", "y"]


def _formula_cells(xlsx: Path) -> int:
    with zipfile.ZipFile(xlsx) as zf:
        return sum(zf.read(n).count(b"<f>") + zf.read(n).count(b"<f ") for n in zf.namelist()
                   if n.startswith("xl/worksheets/"))


def _texts(xlsx: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    return [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_write_table_neutralises_csv_and_excel(tmp_path):
    df = pl.DataFrame({"name": ATTACKS, "value": list(range(len(ATTACKS)))})
    csv = pl.read_csv(write_table(df, tmp_path / "t.csv"))
    assert csv["name"].to_list() == ["'" + a for a in ATTACKS]
    xlsx = write_table({"=evil": df}, tmp_path / "t.xlsx")
    assert _formula_cells(xlsx) == 0
    # (XML turns a carriage return into a line feed: compare the others)
    assert {"'" + a for a in ATTACKS if "\r" not in a} <= set(_texts(xlsx))
    # Parquet keeps the exact values (no spreadsheet evaluates it)
    assert pl.read_parquet(write_table(df, tmp_path / "t.parquet"))["name"].to_list() == ATTACKS


def test_indicator_exports_neutralise_programme_labels(tmp_path):
    from sp2lnob.performance import indicators_from_survey, write_result
    from sp2lnob.survey import read_survey

    spec = spec_with((("programmes", 0, "name"), "=1+1"), (("programmes", 0, "label"), "@SUM(A1)"))
    result = indicators_from_survey(read_survey(spec, data=PERSONS), context=False)
    csv_text = write_result(result, tmp_path / "i.csv").read_text(encoding="utf-8")
    assert ",=1+1" not in csv_text and "'=1+1" in csv_text
    xlsx = write_result(result, tmp_path / "i.xlsx")
    assert _formula_cells(xlsx) == 0
    assert "'=1+1" in _texts(xlsx)


def test_spi_exports_neutralise_programme_names(tmp_path):
    from sp2lnob.cli import app

    (tmp_path / "register.csv").write_text(
        example_text("register.csv").replace("Skill training program for destitute women", "=HYPERLINK(1)"),
        encoding="utf-8")
    (tmp_path / "basic_statistics.csv").write_text(example_text("basic_statistics.csv"), encoding="utf-8")
    for suffix in (".csv", ".xlsx"):
        res = CliRunner().invoke(app, ["spi", "--basic-stats", str(tmp_path / "basic_statistics.csv"), "--register",
                                       str(tmp_path / "register.csv"), "--year", "2009",
                                       "--out", str(tmp_path / f"spi{suffix}")])
        assert res.exit_code == 0, res.output
    assert not any(line.startswith("=") or ",=" in line
                   for line in (tmp_path / "spi.csv").read_text(encoding="utf-8").splitlines())
    assert _formula_cells(tmp_path / "spi.xlsx") == 0
    assert "'=HYPERLINK(1)" in _texts(tmp_path / "spi.xlsx")


def test_simulation_and_lnob_exports_neutralise_user_text(tmp_path):
    from sp2lnob.cli.lnob import _write as write_lnob
    from sp2lnob.cli.simulate import _write as write_simulation

    frame = pl.DataFrame({"scheme": ["=evil()"], "value": [1.0]})
    write_simulation(frame, tmp_path / "s.csv")
    write_simulation(frame, tmp_path / "s.xlsx")
    assert pl.read_csv(tmp_path / "s.csv")["scheme"].to_list() == ["'=evil()"]
    assert _formula_cells(tmp_path / "s.xlsx") == 0

    class Run:  # the two tables an LnobRun writes
        def to_frame(self):
            return pl.DataFrame({"indicator": ["@x"], "label": ["-1+2"], "d_index": [0.1]})

        def node_tables(self):
            return pl.DataFrame({"indicator": ["@x"], "group": ["=A1"]})

    written = write_lnob(Run(), tmp_path / "lnob.csv")
    assert [p.name for p in written] == ["lnob.csv", "lnob_nodes.csv"]
    assert pl.read_csv(tmp_path / "lnob_nodes.csv")["group"].to_list() == ["'=A1"]
    (xlsx,) = write_lnob(Run(), tmp_path / "lnob.xlsx")
    assert _formula_cells(xlsx) == 0 and {"'@x", "'-1+2", "'=A1"} <= set(_texts(xlsx))


def test_lnob_exports_of_a_real_run_with_a_formula_label(tmp_path):
    from sp2lnob.cli import app
    from sp2lnob.demo import demo_spec_path

    lnob = {"spec_version": 1, "name": "t",
            "circumstances": [{"name": "urban", "builtin": "urban"}, {"name": "sex", "builtin": "sex"}],
            "indicators": [{"name": "water", "label": "=WEBSERVICE(\"http://x\")", "outcome": "basic_water == 1",
                            "unit": "household", "circumstances": ["urban"]}]}
    (tmp_path / "lnob.yaml").write_text(yaml.safe_dump(lnob), encoding="utf-8")
    res = CliRunner().invoke(app, ["lnob", str(demo_spec_path()), "--lnob-spec", str(tmp_path / "lnob.yaml"),
                                   "--shapley", "none", "--out", str(tmp_path / "out.xlsx")])
    assert res.exit_code == 0, res.output
    assert _formula_cells(tmp_path / "out.xlsx") == 0


@pytest.mark.parametrize(("text", "expected"), [
    ("../../etc/passwd", "etc_passwd"),
    ("tree_water_North/East", "tree_water_North_East"),
    ("Région Nord", "Region_Nord"),
    ("..", "unnamed"),
    ("", "unnamed"),
    ("CON.png", "_CON.png"),
    ("a" * 300, "a" * 120),
    ("C:\\Windows\\x.png", "C_Windows_x.png"),
])
def test_safe_filename(text, expected):
    assert safe_filename(text) == expected


def test_path_inside_never_leaves_the_directory(tmp_path):
    for name in ("../../escape.png", "/etc/passwd", "a/../../b.png", "..", "~/.bashrc"):
        p = path_inside(tmp_path, name)
        assert p.parent == tmp_path.resolve()


def test_lnob_plot_names_from_region_values_stay_in_the_plot_folder(tmp_path):
    """A region value like ``../../x`` (user data) names a tree file inside ``--plots``."""
    from types import SimpleNamespace

    import sp2lnob.cli.lnob as lnob_cli
    import sp2lnob.opportunity.plot as plot

    saved: list[Path] = []
    fake = SimpleNamespace(indicator="water", context={"region": "../../outside"})
    run = SimpleNamespace(results=[fake])
    names = ("save_figure", "tree_figure", "d_index_chart", "summary_chart")
    orig = {n: getattr(plot, n) for n in names}
    try:
        plot.save_figure = lambda fig, path: saved.append(Path(path)) or Path(path)
        plot.tree_figure = plot.d_index_chart = plot.summary_chart = lambda *_: None
        lnob_cli._plots(SimpleNamespace(results=[fake], to_frame=lambda: None), tmp_path / "plots")
    finally:
        for n, f in orig.items():
            setattr(plot, n, f)
    assert run.results and saved
    assert all(p.parent == (tmp_path / "plots").resolve() for p in saved)


def test_unknown_output_format_is_a_structured_error(tmp_path):
    with pytest.raises(InputError) as err:
        write_table(PERSONS, tmp_path / "x.docx")
    assert err.value.what == "unknown output format"
    assert SPEC  # the fixture spec is shared with the other hardening tests
