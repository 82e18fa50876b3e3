"""``sp2lnob report``: writes each format; bad input gives a structured error and exit code 2."""

from __future__ import annotations

import json

from tests.report.conftest import EXAMPLE
from typer.testing import CliRunner

from sp2lnob.cli import app
from sp2lnob.demo import demo_spec_path

runner = CliRunner()


def test_report_xlsx_and_html(tmp_path):
    out = tmp_path / "a.xlsx"
    r = runner.invoke(app, ["report", "--survey", str(demo_spec_path()), "--register", str(EXAMPLE / "register.csv"),
                            "--basic-stats", str(EXAMPLE / "basic_statistics.csv"), "--year", "2009",
                            "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    payload = json.loads(r.output)
    assert payload["kind"] == "workbook" and out.stat().st_size > 0
    assert any(f["part"] == "spi" and f["name"] == "spi" for f in payload["figures"])
    out = tmp_path / "brief.html"
    r = runner.invoke(app, ["report", "--survey", str(demo_spec_path()), "--scheme", "universal_social_pension",
                            "--brief", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "Policy brief" in out.read_text(encoding="utf-8")


def test_report_errors(tmp_path):
    r = runner.invoke(app, ["report", "--survey", str(demo_spec_path()), "--out", str(tmp_path / "a.docx"), "--json"])
    assert r.exit_code == 2
    assert json.loads(r.output)["error"]["where"] == "--out"
    r = runner.invoke(app, ["report", "--survey", str(demo_spec_path()), "--brief", "--out", str(tmp_path / "b.pdf")])
    assert r.exit_code == 2
