"""`sp2lnob simulate` and `sp2lnob schemes` on the demo survey."""

from __future__ import annotations

import json

import polars as pl
import pytest
from typer.testing import CliRunner

from sp2lnob.cli import app
from sp2lnob.demo import demo_spec_path

runner = CliRunner()
SPEC = str(demo_spec_path())


def test_schemes_lists_the_ready_schemes():
    out = runner.invoke(app, ["schemes", "--json"])
    assert out.exit_code == 0, out.output
    names = {s["name"] for s in json.loads(out.output)}
    assert names == {"universal_child_benefit", "universal_social_pension", "disability_benefit",
                     "universal_basic_transfer", "poverty_targeted_transfer"}


def test_simulate_json_and_out(tmp_path):
    out_file = tmp_path / "res.csv"
    out = runner.invoke(app, ["simulate", SPEC, "--scheme", "universal_child_benefit", "--scheme",
                              "universal_social_pension", "--replace", "social_pension", "--seed", "7",
                              "--out", str(out_file), "--json"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert payload["seed"] == 7 and payload["package"]["replaces"] == ["social_pension"]
    df = pl.read_csv(out_file)
    assert {"section", "measure", "scheme", "line", "by", "group", "stage", "value", "se"} <= set(df.columns)
    cost = df.filter((pl.col("measure") == "cost_pct_gdp") & (pl.col("scheme") == "package"))["value"][0]
    assert 0 < cost < 10


def test_simulate_text_summary():
    out = runner.invoke(app, ["simulate", SPEC, "-s", "disability_benefit"])
    assert out.exit_code == 0, out.output
    assert "disability_benefit" in out.output and "fgt0" in out.output and "% GDP" in out.output


def test_simulate_years_and_sweep(tmp_path):
    out = runner.invoke(app, ["simulate", SPEC, "-s", "universal_child_benefit", "--years", "2024:2026", "--json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)["rows"]
    assert sorted({r["year"] for r in rows}) == [2024, 2025, 2026]
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("grid:\n  universal_child_benefit.benefit.share: [0.02, 0.04]\n")
    out = runner.invoke(app, ["simulate", SPEC, "-s", "universal_child_benefit", "--sweep", str(sweep),
                              "--workers", "1", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["grid"] == {"universal_child_benefit.benefit.share": [0.02, 0.04]}


@pytest.mark.parametrize("args,what", [
    (["-s", "universal_child_bnefit"], "unknown ready scheme"),
    (["-s", "universal_child_benefit", "--years", "2030:2020"], "--years must be an increasing range"),
    (["-s", "universal_child_benefit", "--replace", "cctt"], "cannot replace unknown programme"),
    (["-s", "universal_child_benefit", "--years", "2025:2026", "--bootstrap", "5"], "cannot be combined"),
])
def test_errors_are_structured(args, what):
    out = runner.invoke(app, ["simulate", SPEC, *args, "--json"])
    assert out.exit_code == 2
    err = json.loads(out.output)["error"]
    assert what in err["what"]


def test_bad_scheme_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ndate: 2024-01-01\nsource: me\neligibility: {when: 'age <'}\n"
                   "benefit: {amount: 10, period: monthly}\n")
    out = runner.invoke(app, ["simulate", SPEC, "-s", str(bad)])
    assert out.exit_code == 2 and "expression is not valid syntax" in out.output
    err = json.loads(runner.invoke(app, ["simulate", SPEC, "-s", str(bad), "--json"]).output)["error"]
    assert err["where"].endswith("bad.yaml (x): eligibility.when") and err["got"] == "'age <'"
