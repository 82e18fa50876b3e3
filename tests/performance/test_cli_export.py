"""`sp2lnob indicators` end to end on the demo survey, and the four export formats."""

from __future__ import annotations

import json
from dataclasses import replace

import openpyxl
import polars as pl
import pytest
from tests.performance._scenarios import scenario_input
from typer.testing import CliRunner

from sp2lnob.cli import app
from sp2lnob.demo import demo_spec_path
from sp2lnob.performance.compute import compute_indicators
from sp2lnob.performance.export import safe_text, write_result

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_csv(tmp_path_factory):
    out = tmp_path_factory.mktemp("ind") / "demo.csv"
    res = runner.invoke(app, ["indicators", str(demo_spec_path()), "--by", "educ", "--line", "national",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    return pl.read_csv(out), res.output


def test_demo_end_to_end(demo_csv):
    frame, output = demo_csv
    assert "coverage" in output and "wrote" in output
    assert set(frame["indicator"].unique()) >= {
        "coverage", "beneficiary_incidence", "benefit_incidence", "adequacy", "average_transfer",
        "poverty_headcount_reduction", "poverty_gap_reduction", "benefit_cost_ratio", "gini_reduction",
        "overlap_families", "overlap_pairwise"}
    assert set(frame["group_var"].unique()) >= {"all", "quintile", "urban", "region", "sex", "head_sex",
                                                "age_group", "educ"}
    assert set(frame["line"].drop_nulls().unique()) == {"national"}
    # labels from the survey are kept (educ codes -> value labels)
    assert "Tertiary" in set(frame.filter(pl.col("group_var") == "educ")["group"])
    cov = frame.filter((pl.col("indicator") == "coverage") & (pl.col("group_var") == "all"))
    assert cov["se"].is_not_null().all() and (cov["se"] > 0).any()
    # the CCT is targeted at the poor: coverage falls from Q1 to Q5 (demo generator's PMT targeting)
    q = frame.filter((pl.col("indicator") == "coverage") & (pl.col("programme") == "cct")
                     & (pl.col("group_var") == "quintile") & (pl.col("basis") == "post")).sort("group")
    assert q["value"][0] > q["value"][4]


def test_json_and_errors(tmp_path):
    res = runner.invoke(app, ["indicators", str(demo_spec_path()), "--line", "nationl", "--json"])
    assert res.exit_code == 2
    payload = json.loads(res.output)
    assert payload["error"]["type"] == "SpecError" and "national" in payload["error"]["hint"]
    res = runner.invoke(app, ["indicators", str(demo_spec_path()), "--out", str(tmp_path / "x.docx")])
    assert res.exit_code == 2 and "unknown output format" in res.output
    res = runner.invoke(app, ["indicators", str(demo_spec_path()), "--bogus"])
    assert res.exit_code != 0


def test_formats_round_trip(tmp_path):
    result = compute_indicators(scenario_input("five_households.yaml"))
    frame = result.to_frame()
    back = pl.read_parquet(write_result(result, tmp_path / "a.parquet"))
    assert back.equals(frame)
    csv = pl.read_csv(write_result(result, tmp_path / "a.csv"))
    assert csv.height == frame.height
    payload = json.loads(write_result(result, tmp_path / "a.json").read_text())
    assert len(payload["rows"]) == frame.height
    assert all(r["se"] is None or isinstance(r["se"], float) for r in payload["rows"])  # NaN -> null


def test_excel_sheets_and_formula_injection(tmp_path):
    result = compute_indicators(scenario_input("five_households.yaml"))
    evil = result.sets.with_columns(
        pl.when(pl.col("programme") == "cash").then(pl.lit("=HYPERLINK(\"http://x\")"))
        .otherwise(pl.col("label")).alias("label"))
    result = replace(result, sets=evil, meta={**result.meta, "spec_yaml": "- a: 1\n=cmd"})
    path = write_result(result, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    assert {"Coverage", "Incidence", "Adequacy", "Poverty impact", "Inequality", "Overlap", "Tidy table",
            "Notes", "Survey spec"} <= set(wb.sheetnames)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for cell in row:
                if isinstance(cell, str):
                    assert not cell.startswith(("=", "+", "-", "@")), (ws.title, cell)
    notes = [c for c in wb["Notes"]["A"] if c.value]
    assert any(c.value == "coverage" for c in notes)


def test_safe_text():
    assert safe_text("=1+1") == "'=1+1"
    assert safe_text("-3") == "'-3"
    assert safe_text("Q1") == "Q1"
    assert safe_text(3.0) == 3.0


def test_charts(tmp_path):
    from sp2lnob.performance.charts import write_charts

    result = compute_indicators(scenario_input("five_households.yaml"))
    paths = write_charts(result, tmp_path, formats=("png", "svg"))
    assert len(paths) == 8 and all(p.stat().st_size > 1000 for p in paths)
