"""`sp2lnob spi`: the example, files in, --json, --out, the template sub-command, errors."""

from __future__ import annotations

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from sp2lnob.cli import app
from sp2lnob.spi.examples import example_paths

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["spi", *args])


def test_example_text():
    res = run("--example", "asiatica")
    assert res.exit_code == 0, res.output
    assert "SPI 0.1125 = depth 0.532 x breadth 0.212" in res.output
    assert "poverty focus 0.853" in res.output


def test_example_json_has_every_headline_figure():
    res = run("--example", "asiatica", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    head = data["headline"]
    assert round(head["spi"], 5) == 0.11248
    assert round(head["expenditure_poor"] / 1e6, 1) == 9978.6
    assert round(head["expenditure_women"] / 1e6, 1) == 10439.5
    for key in ("depth", "breadth", "spi_SI", "spi_SA", "spi_LMP", "depth_SI", "breadth_LMP", "spi_poor",
                "spi_nonpoor", "poverty_focus", "spi_women", "spi_men", "spexp"):
        assert key in head
    assert len(data["top_programmes"]) == 5 + 3 + 5 + 5  # all, SI (3 programmes), SA, LMP


def test_files_in_and_out(tmp_path):
    stats, register, _ = example_paths("asiatica")
    out = tmp_path / "result.xlsx"
    res = run("--basic-stats", str(stats), "--register", str(register), "--year", "2009", "--out", str(out),
              "--charts", str(tmp_path / "charts"))
    assert res.exit_code == 0, res.output
    assert "S9" in openpyxl.load_workbook(out).sheetnames
    assert (tmp_path / "charts" / "spi_depth_breadth.png").exists()
    res = run("--basic-stats", str(stats), "--register", str(register), "--year", "2009", "--out",
              str(tmp_path / "r.csv"), "--normaliser", "gdp_per_capita", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["normaliser"] == "gdp_per_capita"
    assert (tmp_path / "r.csv").read_text().startswith("dimension,group,indicator,value")


def test_template_then_read_back(tmp_path):
    path = tmp_path / "register.xlsx"
    res = run("template", str(path), "--example", "asiatica")
    assert res.exit_code == 0, res.output
    res = run("--basic-stats", str(path), "--register", str(path), "--year", "2009", "--json")
    assert res.exit_code == 0, res.output
    assert round(json.loads(res.output)["headline"]["spi"], 5) == 0.11248
    assert run("template", str(tmp_path / "empty.xlsx")).exit_code == 0


@pytest.mark.parametrize("args,what", [
    (["--example", "asiatica", "--method", "2005", "--json"], "poor_children_5_14"),
    (["--example", "atlantis", "--json"], "unknown example"),
    (["--json"], "give --basic-stats and --register"),
    (["--example", "asiatica", "--method", "2010", "--json"], "unknown SPI method"),
    (["--example", "asiatica", "--normaliser", "gdp", "--json"], "unknown normaliser"),
])
def test_errors_are_structured(args, what):
    res = run(*args)
    assert res.exit_code == 2
    err = json.loads(res.output)["error"]
    assert what in err["what"] or what in err.get("got", "") or what in err.get("where", "")


def test_template_needs_xlsx(tmp_path):
    res = run("template", str(tmp_path / "x.csv"), "--json")
    assert res.exit_code == 2 and "Excel workbook" in json.loads(res.output)["error"]["what"]


def test_survey_merge_from_the_cli():
    from sp2lnob.demo import demo_spec_path

    res = run("--example", "asiatica", "--spec", str(demo_spec_path()), "--map", "contributory_pension=7,cct=14",
              "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    sources = {(s["id"], s["figure"]): s["source"] for s in data["figure_sources"]}
    assert sources[("7", "beneficiaries")] == "survey" and sources[("1", "beneficiaries")] == "register"
    assert sources[("14", "poor_share")] == "survey (amounts)"
    assert 0 < data["survey_inputs"]["combined_ptr"] <= 1
    bad = run("--example", "asiatica", "--spec", str(demo_spec_path()), "--map", "cct", "--json")
    assert bad.exit_code == 2 and "--map" in json.loads(bad.output)["error"]["what"]


def test_method_2005_from_files(tmp_path):
    (tmp_path / "bs.yaml").write_text(
        "country: Handland\nreference_year: 2020\ngdp: {value: 1000000, unit: LCU}\n"
        "poverty_line_per_capita: {value: 100, unit: LCU per year}\n"
        + "".join(f"{k}: {{value: {v}, unit: persons}}\n" for k, v in {
            "population": 1000, "unemployed_underemployed": 100, "aged_60_plus": 80, "poor": 200,
            "disabled": 20, "poor_children_5_14": 50}.items()))
    (tmp_path / "reg.csv").write_text(
        "id,name,category,exp_unit,exp_2020,ben_unit,ben_2020,poor_share\n"
        "A,a,LMP,LCU,2000,persons,40,0.5\nB,b,PEN,LCU,10000,persons,60,0\nC,c,OSA,LCU,3000,persons,100,0.8\n")
    out = tmp_path / "r2005.xlsx"
    res = run("--basic-stats", str(tmp_path / "bs.yaml"), "--register", str(tmp_path / "reg.csv"),
              "--method", "2005", "--weighting", "unweighted", "--out", str(out), "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    # SPEXP = 15,000 / 1,000,000; PTR upper (20 + 0 + 80)/200 = 0.5, lower 80/200 = 0.4,
    # best 80 + 20 x (1 - 0.4) = 92 -> 0.46; SPIMP (1,000 + 2,400)/200/100 = 0.17.
    head = data["headline"]
    assert head["spexp"] == pytest.approx(0.015) and head["ptr_upper"] == pytest.approx(0.5)
    assert head["ptr"] == pytest.approx(0.46) and head["spimp"] == pytest.approx(0.17)
    assert data["target_group_weighting"] == "unweighted"
    assert {"S3", "S5", "S6", "S8", "S10", "S11"} <= set(openpyxl.load_workbook(out).sheetnames)


def test_survey_merge_written_to_excel(tmp_path):
    from sp2lnob.demo import demo_spec_path

    out = tmp_path / "merged.xlsx"
    res = run("--example", "asiatica", "--spec", str(demo_spec_path()), "--map", "cct=14", "--out", str(out))
    assert res.exit_code == 0, res.output
    assert "the survey is of 2024, the register figures of 2009" in res.output
    sheets = openpyxl.load_workbook(out).sheetnames
    assert {"figure sources", "survey inputs", "survey overlaps"} <= set(sheets)
