"""`sp2lnob spec init` and `sp2lnob describe` through typer's CliRunner."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pyreadstat
import pytest
import yaml
from tests.survey._tiny import HOUSEHOLDS, PERSONS
from typer.testing import CliRunner

from sp2lnob.cli import app
from sp2lnob.errors import SpecError
from sp2lnob.survey import load_spec, read_survey
from sp2lnob.survey.spec_init import guess_roles

runner = CliRunner()


@pytest.fixture
def labelled_dta(tmp_path):
    """The tiny survey as one Stata file with typical raw names and labels; the welfare
    column has a name no rule guesses (totcons_adj) so the user must fill it."""
    merged = PERSONS.join(HOUSEHOLDS, on="hhid").select(
        pl.col("hhid").alias("hhld_id"), pl.col("pid"), pl.col("hhweight").alias("wta_hh"),
        pl.col("stratum").alias("strata"), pl.col("psu").alias("ea"), "age", "sex",
        pl.col("urban").alias("area"), "region", pl.col("relation").alias("rel"),
        pl.col("cons_total").alias("totcons_adj"),
    )
    path = tmp_path / "hies.dta"
    pyreadstat.write_dta(
        merged, path,
        variable_value_labels={"area": {0: "Rural", 1: "Urban"}, "sex": {1: "Male", 2: "Female"},
                               "rel": {1: "Head", 2: "Spouse", 3: "Child"}},
        column_labels={"rel": "Relationship to head", "totcons_adj": "Total household spending, adjusted"},
    )
    return path


def test_guess_roles_from_names_and_labels():
    roles = guess_roles(["hhld_id", "pid", "wta_hh", "ea", "gender", "province", "x7", "pcexp"], {"x7": "Age in years"})
    assert roles["household_id"] == "hhld_id" and roles["weight"] == "wta_hh"
    assert roles["psu"] == "ea" and roles["sex"] == "gender" and roles["region"] == "province"
    assert roles["age"] == "x7" and roles["welfare"] == "pcexp"
    assert roles["strata"] is None


def test_spec_init_then_fill_welfare_loads(tmp_path, labelled_dta):
    out = tmp_path / "hies.yaml"
    result = runner.invoke(app, ["spec", "init", str(labelled_dta), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "# not found" in text  # unknown roles left null with a comment
    payload = yaml.safe_load(text)
    r = payload["roles"]
    assert (r["household_id"], r["person_id"], r["weight"], r["strata"], r["psu"]) == ("hhld_id", "pid", "wta_hh", "strata", "ea")
    assert (r["age"], r["sex"], r["urban"], r["region"], r["relation"], r["head_value"]) == ("age", "sex", "area", "region", "rel", 1)
    assert payload["labels"]["area"] == {0: "Rural", 1: "Urban"}
    assert payload["files"] == {"data": "hies.dta"}
    with pytest.raises(SpecError):  # welfare.variable is null until the user fills it
        load_spec(out)
    payload["welfare"]["variable"] = "totcons_adj"
    payload["welfare"]["basis"] = "household_total"
    out.write_text(yaml.safe_dump(payload, sort_keys=False), encoding="utf-8")
    survey = read_survey(out)
    assert survey.n_households == 4 and survey.n_persons == 10
    assert survey.frame(["urban"])["urban"].sum() == 7


def test_spec_init_refuses_to_overwrite_and_bad_file(tmp_path, labelled_dta):
    out = tmp_path / "spec.yaml"
    out.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["spec", "init", str(labelled_dta), "--out", str(out)])
    assert result.exit_code == 2 and out.read_text() == "keep me"
    result = runner.invoke(app, ["spec", "init", str(tmp_path / "x.txt"), "--json"])
    assert result.exit_code == 2
    err = json.loads(result.output)["error"]
    assert err["type"] == "InputError" and ".dta" in err["expected"]


def test_spec_init_prints_without_out(labelled_dta):
    result = runner.invoke(app, ["spec", "init", str(labelled_dta)])
    assert result.exit_code == 0
    assert "household_id: hhld_id" in result.output


def test_describe_text(tiny_dir):
    result = runner.invoke(app, ["describe", str(tiny_dir / "spec.yaml")])
    assert result.exit_code == 0, result.output
    for word in ("Tiny test survey", "4 households", "Poverty", "national", "gini", "theil", "palma"):
        assert word in result.output


def test_describe_json_matches_survey_estimates(tiny_dir, tiny):
    result = runner.invoke(app, ["describe", str(tiny_dir / "spec.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["counts"]["households"] == 4 and payload["counts"]["population"] == 160
    figures = {(f["name"], f["line"]): f for f in payload["figures"]}
    assert figures[("fgt0", "national")]["value"] == pytest.approx(70 / 160)
    direct = tiny.estimate("fgt", line="national", alpha=1.0)
    assert figures[("fgt1", "national")]["se"] == pytest.approx(direct.se)
    w = tiny.weights
    assert figures[("cv", None)]["value"] == pytest.approx(np.std(w) / np.mean(w))
    assert figures[("mean", None)]["value"] == pytest.approx((30 * 1000 + 70 * 500 + 60 * 2000) / 160)
    assert figures[("p50", None)]["value"] == 1000
    assert payload["method"] == "linearization" and payload["seed"] is None


def test_describe_bootstrap_records_seed(tiny_dir):
    args = ["describe", str(tiny_dir / "spec.yaml"), "--json", "--method", "bootstrap", "--seed", "7", "--replicates", "50"]
    first = json.loads(runner.invoke(app, args).output)
    again = json.loads(runner.invoke(app, args).output)
    assert first["seed"] == 7 and first["replicates"] == 50
    assert first["figures"] == again["figures"]  # same seed, same standard errors


def test_describe_errors_are_structured(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("spec_version: 1\nrolse: {}\n", encoding="utf-8")
    result = runner.invoke(app, ["describe", str(path), "--json"])
    assert result.exit_code == 2
    err = json.loads(result.output)["error"]
    assert err["type"] == "SpecError" and "rolse" in json.dumps(err)
    result = runner.invoke(app, ["describe", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = runner.invoke(app, ["describe", str(path), "--method", "jackknife"])
    assert result.exit_code == 2


def test_describe_relative_median_line_is_reestimated(tiny):
    from sp2lnob.survey.describe import describe
    from sp2lnob.survey.spec import RelativeLine

    lines = [RelativeLine(name="m60", type="relative", share=0.6), tiny.spec.line("poorest_20")]
    survey = read_survey(tiny.spec.model_copy(update={"poverty_lines": lines}), data=tiny.data)
    result = describe(survey)
    rows = {(r.name, r.line): r for r in result.section("poverty")}
    # line 0.6 x median 1000 = 600: households 2 and 3 (500 a head, weight 70 of 160) are poor
    assert rows[("fgt1", "m60")].value == pytest.approx(70 / 160 * (1 - 500 / 600))
    fixed = survey.estimate("fgt", line="m60", alpha=1.0)
    assert rows[("fgt1", "m60")].value == pytest.approx(fixed.estimate)
    assert rows[("fgt1", "m60")].note is None
    assert "held fixed" in rows[("fgt0", "poorest_20")].note


def test_shipped_demo_spec_reads_cleanly():
    """Integration with the demo generator's spec (docs/survey-spec.md is their contract too)."""
    from sp2lnob import demo

    survey = read_survey(demo.demo_spec_path())
    assert survey.level == "person" and survey.n_households > 0
    assert survey.report == ()
    for line in survey.lines:
        assert np.all(survey.line_values(line) > 0)
    for prog in survey.programmes:
        assert survey.programme_receipt(prog.name).any()


def test_spec_init_on_a_csv_without_labels(tmp_path):
    PERSONS.join(HOUSEHOLDS, on="hhid").write_csv(tmp_path / "flat.csv")
    out = tmp_path / "flat.yaml"
    assert runner.invoke(app, ["spec", "init", str(tmp_path / "flat.csv"), "--out", str(out)]).exit_code == 0
    payload = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert payload["roles"]["weight"] == "hhweight" and payload["welfare"]["variable"] == "cons_total"
    assert "labels" not in payload
    payload["welfare"]["basis"] = "household_total"
    payload["roles"]["urban_value"] = 1
    out.write_text(yaml.safe_dump(payload), encoding="utf-8")
    survey = read_survey(out)
    assert survey.n_households == 4 and survey.column("urban").sum() == 7
