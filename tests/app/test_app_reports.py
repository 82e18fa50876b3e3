"""Downloads and scenario files in a real browser: results out, a saved scenario back in."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser


def _idle(page) -> None:
    page.wait_for_function("() => !document.documentElement.classList.contains('shiny-busy')", timeout=60_000)


def test_indicator_workbook_download_has_the_engine_figures(page, app_url, tmp_path):
    import openpyxl

    page.goto(app_url)
    page.get_by_role("tab", name="Reports", exact=True).click()
    _idle(page)
    with page.expect_download(timeout=60_000) as info:
        page.locator("#reports-indicators").click()
    path = tmp_path / "indicators.xlsx"
    info.value.save_as(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    assert len(wb.sheetnames) >= 2
    assert page.console_errors == []


def test_saved_scenario_reloads_with_its_values(page, app_url, tmp_path, screenshot):
    """Save the scenario at one benefit level, move the slider away, load the file: the figures come back."""
    page.goto(app_url + "/?page=simulator")
    page.wait_for_function(
        "() => { const e = document.querySelector('#simulator-cost'); return e && e.textContent.includes('GDP'); }",
        timeout=60_000)
    _idle(page)
    initial = page.locator("#simulator-cost").inner_text()  # at the scheme's 4 %
    page.evaluate("() => Shiny.setInputValue('simulator-benefit', 6, {priority: 'immediate'})")
    page.wait_for_function(f"() => document.querySelector('#simulator-cost').textContent !== {json.dumps(initial)}",
                           timeout=30_000)
    _idle(page)
    cost_at_6 = page.locator("#simulator-cost").inner_text()
    with page.expect_download(timeout=30_000) as info:
        page.locator("#simulator-download_scenario").click()
    saved = tmp_path / "scenario.yaml"
    info.value.save_as(saved)
    assert "share: 0.06" in saved.read_text(encoding="utf-8")
    page.evaluate("() => $('#simulator-benefit').data('ionRangeSlider').update({from: 12})")
    page.evaluate("() => Shiny.setInputValue('simulator-benefit', 12, {priority: 'immediate'})")
    page.wait_for_function(f"() => document.querySelector('#simulator-cost').textContent !== {json.dumps(cost_at_6)}",
                           timeout=30_000)
    page.set_input_files("#simulator-load_scenario", str(saved))
    page.wait_for_function(f"() => document.querySelector('#simulator-cost').textContent === {json.dumps(cost_at_6)}",
                           timeout=30_000)
    assert "scenario.yaml" in page.locator("#simulator-scheme").evaluate("e => e.options[e.selectedIndex].text")
    screenshot(page, "simulator-scenario-reloaded")
    assert page.console_errors == []


def test_html_report_download(page, app_url, tmp_path):
    page.goto(app_url)
    page.get_by_role("tab", name="Reports", exact=True).click()
    _idle(page)
    with page.expect_download(timeout=120_000) as info:
        page.locator("#reports-html").click()
    path = tmp_path / "report.html"
    info.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert "<html" in text.lower() and "Asiatica" in text
    assert page.console_errors == []


def test_sp2lnob_slider_gives_the_engine_access_figures(page, app_url, screenshot):
    import sp2lnob
    from sp2lnob.demo import demo_spec_path
    from sp2lnob.impact import impact, prepare_impact
    from sp2lnob.simulate import load_scheme

    page.goto(app_url + "/?page=sp2lnob")
    page.wait_for_function("() => /[0-9]/.test(document.querySelector('#sp2lnob-behind')?.textContent || '')",
                           timeout=60_000)
    _idle(page)
    page.evaluate("() => Shiny.setInputValue('sp2lnob-benefit', 12, {priority: 'immediate'})")
    survey = sp2lnob.read_survey(demo_spec_path())
    scheme = load_scheme("universal_child_benefit").with_values({"benefit.share": 0.12})
    row = impact(prepare_impact(survey), [scheme], seed=20240601).indicators_frame().row(0, named=True)
    want = f"{100 * row['furthest_behind_pre']:.1f} % → {100 * row['furthest_behind_post']:.1f} %"
    page.wait_for_function(f"() => document.querySelector('#sp2lnob-behind').textContent === {json.dumps(want)}",
                           timeout=30_000)
    screenshot(page, "page-sp2lnob-12pct")
    assert page.console_errors == []
