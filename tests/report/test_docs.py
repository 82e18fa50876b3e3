"""The documentation builds with ``mkdocs build --strict`` and the tutorial's code runs as written."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```(python|bash)\n(.*?)^```", flags=re.S | re.M)


def tutorial_blocks() -> list[tuple[str, str]]:
    return BLOCK.findall((ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8"))


def test_tutorial_has_code():
    kinds = [k for k, _ in tutorial_blocks()]
    assert kinds.count("python") >= 5 and kinds.count("bash") >= 4


@pytest.mark.slow
def test_tutorial_runs(tmp_path, monkeypatch):
    """Every block in order, in an empty folder: Python blocks share one namespace; shell lines run the
    ``sp2lnob`` command (in-process through Typer's runner: same parsing, no interpreter start-up each)."""
    from typer.testing import CliRunner

    from sp2lnob.cli import app

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    namespace: dict = {"__name__": "tutorial"}
    for i, (kind, code) in enumerate(tutorial_blocks()):
        if kind == "python":
            exec(compile(code, f"tutorial block {i}", "exec"), namespace)  # noqa: S102 - our own docs
            continue
        for line in code.strip().splitlines():
            args = shlex.split(line)
            assert args[0] == "sp2lnob", line
            done = runner.invoke(app, args[1:])
            assert done.exit_code == 0, f"{line}\n{done.output}\n{done.exception!r}"
    for out in ("asiatica.dta", "my_survey.yaml", "indicators.csv", "analysis.xlsx", "report.html", "brief.html"):
        assert (tmp_path / out).stat().st_size > 0, out


def test_mkdocs_build_strict(tmp_path):
    pytest.importorskip("mkdocs")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    cli = (tmp_path / "site" / "cli" / "index.html").read_text(encoding="utf-8")
    assert "sp2lnob report" in cli and "--basic-stats" in cli
    ref = (tmp_path / "site" / "reference" / "index.html").read_text(encoding="utf-8")
    assert "gini" in ref and "coverage" in ref
