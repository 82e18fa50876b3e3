"""The country report and the brief render to PDF; pages go to PNG for review; the text's headline figures
equal the engines' (computed here directly, not read back from the report's own context)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from tests.report.conftest import EXAMPLE

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
                                reason="poppler-utils (pdftoppm, pdftotext) not installed")


def _render(analysis, kind: str) -> str:
    pytest.importorskip("weasyprint")
    from sp2lnob.report import write_pdf

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = write_pdf(analysis, ARTIFACTS / f"{kind}.pdf", kind)
    for old in ARTIFACTS.glob(f"{kind}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / kind)], check=True)
    assert list(ARTIFACTS.glob(f"{kind}-*.png")), "no page images"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return " ".join(text.split())  # one line: table cells and wrapped lines become single spaces


@pytest.fixture(scope="module")
def engine_figures(hostile_register):
    from sp2lnob.demo import demo_spec_path
    from sp2lnob.headline import headline
    from sp2lnob.simulate import make_package, prepare, simulate
    from sp2lnob.spi import read_basic_statistics, read_register, revised_spi
    from sp2lnob.survey import read_survey

    survey = read_survey(demo_spec_path())
    head = headline(survey)
    fgt0 = head.filter((head["name"] == "fgt0") & (head["line"] == "national"))["estimate"][0]
    gini = head.filter(head["name"] == "gini")["estimate"][0]
    spi = revised_spi(read_basic_statistics(EXAMPLE / "basic_statistics.csv", year=2009),
                      read_register(hostile_register), 2009)
    sim = simulate(prepare(survey), make_package(["universal_child_benefit"], []), seed=7)
    return {"fgt0": fgt0, "gini": gini, "spi": spi, "sim": sim}


def test_country_report_pdf_headline_figures(analysis, engine_figures):
    text = _render(analysis, "report")
    e = engine_figures
    assert f"Headline poverty headcount (national): {100 * e['fgt0']:.2f}%" in text
    assert f"Gini index: {e['gini']:.4f}" in text
    s = e["spi"]
    assert f"Revised SPI 2009: {s.spi:.4f} (depth {s.depth:.4f}, breadth {s.breadth:.4f})" in text
    sim = e["sim"]
    assert f"({sim.value('cost_pct_gdp', 'value'):.2f}% of GDP)" in text
    assert (f"from {100 * sim.value('fgt0', 'pre', line='national'):.2f}% "
            f"to {100 * sim.value('fgt0', 'post', line='national'):.2f}%") in text
    for chapter in ("1. Introduction", "2. Country overview", "3. Social protection programmes",
                    "4. The Social Protection Index", "5. Analysis", "6. Policy assessment"):
        assert chapter in text
    assert text.count("[ANALYST:") >= 4


def test_policy_brief_pdf(analysis, engine_figures):
    text = _render(analysis, "brief")
    sim = engine_figures["sim"]
    assert f"({sim.value('cost_pct_gdp', 'value'):.2f}% of GDP)" in text
    assert f"Gini from {sim.value('gini', 'pre'):.4f} to {sim.value('gini', 'post'):.4f}" in text
    assert "Who gains access" in text
    if analysis.impact is not None:  # sp2lnob.impact installed: access after the transfer
        assert "Access to opportunities for those furthest behind" in text
        frame = analysis.impact.indicators_frame()
        first = frame.row(0, named=True)
        assert (f"{100 * first['national_pre']:.1f}% {100 * first['national_post']:.1f}%") in text
    else:
        assert "describes the survey before the transfer" in text
    pages = subprocess.run(["pdfinfo", str(ARTIFACTS / "brief.pdf")], capture_output=True, text=True).stdout
    n_pages = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
    assert 2 <= n_pages <= 4
