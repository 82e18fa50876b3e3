"""The shipped files: regenerable exactly, written out and reloaded, loadable by the spec reader, CLI."""

from __future__ import annotations

import json

import polars as pl
import pyarrow.parquet as pq
import pytest
import yaml
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from sp2lnob.demo import (
    DEFAULT_HOUSEHOLDS,
    DEFAULT_SEED,
    demo_files,
    demo_spec_path,
    generate_asiatica,
    load_demo_frames,
    write_demo,
)
from sp2lnob.errors import InputError
from sp2lnob.parameters import load

NAMES = {
    "asiatica_hies.yaml",
    "asiatica_households.parquet",
    "asiatica_persons.parquet",
    "README.md",
    "asiatica_lnob.yaml",
}


def test_shipped_files_equal_the_default_generation(shipped):
    households, persons = generate_asiatica()
    # integer columns (codes, flags, sizes, ids) must match exactly; floats to 1e-9
    # relative, since NumPy's SIMD exp/log may differ in the last bit across CPUs
    assert_frame_equal(shipped[0], households, check_exact=False, rel_tol=1e-9, abs_tol=1e-6)
    assert_frame_equal(shipped[1], persons, check_exact=False, rel_tol=1e-9, abs_tol=1e-6)


def test_shipped_files_record_how_they_were_generated():
    households = next(p for p in demo_files() if p.name == "asiatica_households.parquet")
    meta = {k.decode(): v.decode() for k, v in pq.read_metadata(households).metadata.items()}
    assert meta["sp2lnob.seed"] == str(DEFAULT_SEED)
    assert meta["sp2lnob.n_households"] == str(DEFAULT_HOUSEHOLDS)


def test_demo_files_exist():
    files = demo_files()
    assert {p.name for p in files} == NAMES
    assert all(p.is_file() for p in files)
    assert demo_spec_path() in files


def test_fixed_column_names_are_present(shipped):
    households, persons = shipped
    for col in ["hhid", "region", "urban", "stratum", "psu", "hhweight", "hhsize", "cons_pc", "electricity",
                "clean_fuel", "basic_water", "basic_sanitation", "cct_amount", "public_works_amount",
                "disaster_relief_amount", "remittances_amount", "domestic_transfers_amount", "land_tax_exemption"]:
        assert col in households.columns, col
    for col in ["hhid", "pid", "relation", "age", "sex", "disability", "educ", "lstatus", "empstatus", "sector",
                "pension_amount", "social_pension_amount", "scholarship_amount", "disability_benefit_amount",
                "health_insurance", "internet_use", "bank_account", "secondary_complete", "higher_education",
                "stunted", "recent_birth", "skilled_birth"]:
        assert col in persons.columns, col
    assert households["region"].dtype == pl.String
    assert set(households["region"].unique()) == {"Capital", "North", "South", "East", "West", "Highlands"}


def test_codebook_documents_every_column(shipped):
    readme = next(p for p in demo_files() if p.name == "README.md").read_text(encoding="utf-8")
    for frame in shipped:
        for col in frame.columns:
            assert f"| `{col}` |" in readme, col


def test_spec_names_existing_columns_and_known_categories(shipped):
    spec = yaml.safe_load(demo_spec_path().read_text(encoding="utf-8"))
    columns = set(shipped[0].columns) | set(shipped[1].columns)
    roles = {k: v for k, v in spec["roles"].items() if k not in {"weight_type", "head_value"}}
    assert set(roles.values()) <= columns
    assert set(spec["labels"]) <= columns
    # every coded integer column has labels, every label set covers the codes present
    coded = ["urban", "stratum", "relation", "sex", "disability", "educ", "lstatus", "empstatus", "sector"]
    for col in coded:
        frame = shipped[0] if col in shipped[0].columns else shipped[1]
        assert set(frame[col].drop_nulls().unique().to_list()) <= set(spec["labels"][col]), col
        assert all(isinstance(v, str) for v in spec["labels"][col].values()), col
    aspire = load("aspire_categories.yaml")["categories"]
    spi = load("spi_categories.yaml")["revised_2012"]["categories"]
    families = {aspire[p["aspire"]]["family"] for p in spec["programmes"]}
    assert families == {"social_assistance", "social_insurance", "labour_market", "private"}
    for prog in spec["programmes"]:
        assert prog["aspire"] in aspire
        if aspire[prog["aspire"]]["family"] == "private":
            assert prog["spi"] is None, prog["name"]
        else:
            assert prog["spi"] in spi, prog["name"]
        for key in ("amount", "receipt"):
            if prog.get(key):
                assert prog[key] in columns, prog[key]
    amounts = {p.get("amount") for p in spec["programmes"]}
    assert {c for c in columns if c.endswith("_amount")} <= amounts
    assert spec["welfare"]["variable"] == "cons_pc"
    assert {line["name"] for line in spec["poverty_lines"]} == {"national", "ppp_3_00", "relative_60_median", "poorest_20"}


def test_read_survey_loads_the_demo_spec(shipped):
    from sp2lnob.survey import read_survey

    survey = read_survey(demo_spec_path())
    assert survey.report == ()  # the shipped spec loads with nothing excluded or floored
    assert len(survey.welfare) == shipped[1].height  # one welfare value per person row
    assert [p.name for p in survey.spec.programmes][:1] == ["contributory_pension"]


def test_write_demo_writes_files_that_reload(tmp_path, shipped):
    paths = write_demo(tmp_path / "out")
    assert {p.name for p in paths} == NAMES
    assert_frame_equal(pl.read_parquet(tmp_path / "out" / "asiatica_households.parquet"), shipped[0])
    assert_frame_equal(pl.read_parquet(tmp_path / "out" / "asiatica_persons.parquet"), shipped[1])
    assert (tmp_path / "out" / "asiatica_hies.yaml").read_bytes() == demo_spec_path().read_bytes()


def test_write_demo_regenerates_with_size_and_seed(tmp_path):
    write_demo(tmp_path, regenerate=True, n_households=300, seed=5)
    households = pl.read_parquet(tmp_path / "asiatica_households.parquet")
    expected, _ = generate_asiatica(300, seed=5)
    assert_frame_equal(households, expected)


def test_write_demo_keeps_existing_files_unless_told(tmp_path):
    write_demo(tmp_path)
    with pytest.raises(InputError) as info:
        write_demo(tmp_path)
    assert "asiatica_hies.yaml" in info.value.got
    write_demo(tmp_path, overwrite=True)
    file = tmp_path / "a_file"
    file.write_text("x")
    with pytest.raises(InputError):
        write_demo(file)


def test_load_demo_frames_returns_households_then_persons():
    households, persons = load_demo_frames()
    assert households.height == DEFAULT_HOUSEHOLDS
    assert persons.height == households["hhsize"].sum()


@pytest.fixture()
def cli_app():
    from sp2lnob.cli import app

    return app


def test_cli_writes_the_files(tmp_path, cli_app):
    result = CliRunner().invoke(cli_app, ["demo-data", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "d").iterdir()} == NAMES
    assert "asiatica_hies.yaml" in result.output


def test_cli_json_lists_the_files(tmp_path, cli_app):
    result = CliRunner().invoke(cli_app, ["demo-data", str(tmp_path / "d"), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert {p.rsplit("/", 1)[-1] for p in payload["files"]} == NAMES
    assert payload["spec"].endswith("asiatica_hies.yaml")


def test_cli_regenerates(tmp_path, cli_app):
    args = ["demo-data", str(tmp_path), "--regenerate", "--households", "200", "--seed", "11", "--json"]
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code == 0, result.output
    assert pl.read_parquet(tmp_path / "asiatica_households.parquet").height == 200


def test_cli_errors_are_structured(tmp_path, cli_app):
    runner = CliRunner()
    assert runner.invoke(cli_app, ["demo-data", str(tmp_path)]).exit_code == 0
    again = runner.invoke(cli_app, ["demo-data", str(tmp_path), "--json"])
    assert again.exit_code == 2
    assert json.loads(again.output)["error"]["type"] == "InputError"
    seed_alone = runner.invoke(cli_app, ["demo-data", str(tmp_path / "x"), "--seed", "3", "--json"])
    assert seed_alone.exit_code == 2
    assert "--regenerate" in json.loads(seed_alone.output)["error"]["hint"]
    assert runner.invoke(cli_app, ["demo-data", str(tmp_path / "y"), "--bogus"]).exit_code != 0


def test_cli_defaults_are_the_generator_defaults(cli_app):
    import typer.main

    command = typer.main.get_command(cli_app).get_command(None, "demo-data")
    defaults = {p.name: p.default for p in command.params}
    assert defaults["households"] == DEFAULT_HOUSEHOLDS
    assert defaults["seed"] == DEFAULT_SEED


def test_update_script_reports_no_change_on_the_shipped_copy(capsys):
    from sp2lnob.demo.update_shipped import main

    assert main([]) == 0
    out = capsys.readouterr().out
    assert "frames identical to the shipped copy" in out
    assert "gini" in out


def test_written_lnob_spec_runs_on_the_written_survey(tmp_path):
    """A user who ran `demo-data` has both specs side by side, and they work together."""
    import sp2lnob
    from sp2lnob.opportunity import load_lnob_spec, run_lnob

    write_demo(tmp_path)
    survey = sp2lnob.read_survey(tmp_path / "asiatica_hies.yaml")
    spec = load_lnob_spec(tmp_path / "asiatica_lnob.yaml")
    run = run_lnob(survey, spec, indicators=["clean_fuel"], shapley=None)
    assert run.to_frame().height >= 1
