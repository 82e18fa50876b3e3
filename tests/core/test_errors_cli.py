"""Structured errors render for people and for machines; the CLI is strict."""

import json

import typer
from typer.testing import CliRunner

from sp2lnob.cli import app
from sp2lnob.cli._common import handle_errors
from sp2lnob.errors import DataError, did_you_mean

runner = CliRunner()


def test_error_carries_its_fields():
    err = DataError("weights must not be negative", where="hh.dta: wgt", expected=">= 0", got=-3, hint="check the file")
    d = err.to_dict()
    assert d == {
        "kind": "data",
        "type": "DataError",
        "what": "weights must not be negative",
        "where": "hh.dta: wgt",
        "expected": ">= 0",
        "got": "-3",
        "hint": "check the file",
    }
    text = str(err)
    assert text.splitlines()[0] == "weights must not be negative"
    assert "  where: hh.dta: wgt" in text


def test_did_you_mean():
    hint = did_you_mean("hhwieght", ["age", "hhid", "hhweight"])
    assert hint is not None and hint.startswith("did you mean 'hhweight'")  # best match first
    assert did_you_mean("zzz", ["hhweight"]) is None


def _failing_app() -> typer.Typer:
    demo = typer.Typer()

    @demo.command()
    def go(json_out: bool = typer.Option(False, "--json")) -> None:
        with handle_errors(json_out):
            raise DataError("bad weights", where="w", hint="fix them")

    @demo.command()
    def other() -> None:
        pass

    return demo


def test_cli_error_is_a_message_not_a_traceback():
    result = runner.invoke(_failing_app(), ["go"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "bad weights" in result.output and "fix them" in result.output


def test_cli_error_as_json():
    result = runner.invoke(_failing_app(), ["go", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["what"] == "bad weights"


def test_version_and_strict_options():
    ok = runner.invoke(app, ["--version"])
    assert ok.exit_code == 0 and ok.stdout.startswith("sp2lnob ")
    bad = runner.invoke(app, ["--no-such-flag"])
    assert bad.exit_code != 0


def test_cli_error_text_has_no_raw_markup_and_keeps_brackets():
    demo = typer.Typer()

    @demo.command()
    def go() -> None:
        with handle_errors(False):
            raise DataError("bad column [x]", where="file.csv: col[1]", hint="rename [y]")

    @demo.command()
    def other() -> None:
        pass

    result = runner.invoke(demo, ["go"])
    assert "[bold" not in result.output and "[/]" not in result.output
    assert "bad column [x]" in result.output
    assert "where: file.csv: col[1]" in result.output


def test_json_output_serialises_frames_and_numpy():
    import numpy as np
    import polars as pl

    from sp2lnob.cli._common import dumps

    payload = {
        "table": pl.DataFrame({"a": [1, 2]}),
        "s": pl.Series([1, 2]),
        "x": np.float64(0.5),
        "v": np.array([1.0, np.nan]),
    }
    assert json.loads(dumps(payload)) == {"table": [{"a": 1}, {"a": 2}], "s": [1, 2], "x": 0.5, "v": [1.0, None]}
