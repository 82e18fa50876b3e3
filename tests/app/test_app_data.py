"""The Data page in a real browser: uploads, spec validation next to the field, session isolation."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def _demo_files():
    from sp2lnob.demo import demo_spec_path

    spec = demo_spec_path()
    return spec, [spec.parent / "asiatica_persons.parquet", spec.parent / "asiatica_households.parquet"]


def _idle(page) -> None:
    page.wait_for_function("() => !document.documentElement.classList.contains('shiny-busy')", timeout=60_000)


def _upload_demo(page, spec_text: str | None = None, marker: str = "weight: hhweight") -> None:
    """Upload the demo data files and spec through the Data page (as a user does)."""
    spec, data = _demo_files()
    page.get_by_role("tab", name="Data", exact=True).click()
    page.set_input_files("#data-data_files", [str(p) for p in data])
    page.wait_for_function(
        "() => (document.querySelector('#data-data_files_progress') || {}).textContent?.includes('Upload complete')",
        timeout=30_000)
    page.set_input_files("#data-spec_file", str(spec))
    page.wait_for_function("() => document.querySelector('#data-spec_text').value.includes('hhweight')",
                           timeout=30_000)
    _idle(page)
    if spec_text is not None:
        page.fill("#data-spec_text", spec_text)
    # The text area reaches the server after Shiny's input debounce: wait for it before loading.
    page.wait_for_function(
        "(want) => (Shiny.shinyapp.$inputValues['data-spec_text'] || '').includes(want)", arg=marker, timeout=30_000)
    page.get_by_role("button", name="Load this survey").click()
    _idle(page)


def _session_dirs() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("sp2lnob-session-*"))


def test_uploading_the_demo_files_loads_the_survey(page, app_url, screenshot):
    before = _session_dirs()
    page.goto(app_url)
    _idle(page)
    _upload_demo(page)
    page.wait_for_function(
        "() => (document.querySelector('#data-status-text') || {}).textContent?.includes('Uploaded survey in use')",
        timeout=60_000)
    status = page.locator("#data-status-text").inner_text()
    assert "10,000 households" in status  # the demo survey has 10,000 households
    # Selecting the spec filled the role dropdowns from the uploaded files' columns.
    assert page.locator("#data-role_weight").input_value() == "hhweight"
    screenshot(page, "page-data-uploaded")
    assert page.console_errors == []
    # The uploads sit in this session's own temporary folder, removed when the session ends.
    mine = [d for d in _session_dirs() - before if (d / "asiatica_persons.parquet").exists()]
    assert len(mine) == 1
    page.context.close()
    deadline = time.monotonic() + 20
    while mine[0].exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not mine[0].exists()


def test_invalid_spec_shows_its_message_next_to_the_field(page, app_url, screenshot):
    spec, _ = _demo_files()
    bad = spec.read_text(encoding="utf-8").replace("weight: hhweight", "weight: hhweightx")
    assert bad != spec.read_text(encoding="utf-8")
    page.goto(app_url)
    _idle(page)
    _upload_demo(page, spec_text=bad, marker="hhweightx")
    message = page.locator("#data-msg_weight")
    page.wait_for_function("() => document.querySelector('#data-msg_weight').textContent.includes('hhweightx')",
                           timeout=60_000)
    assert "did you mean 'hhweight'" in message.inner_text()
    # "next to the field": the message sits right under the weight dropdown, not elsewhere on the page.
    # "Next to the field": the message is the element right after the weight dropdown.
    assert page.evaluate(
        "() => document.querySelector('#data-msg_weight').previousElementSibling"
        ".contains(document.querySelector('#data-role_weight'))")
    screenshot(page, "page-data-invalid-spec")
    assert page.locator("#data-msg_spec").inner_text().strip() == ""  # not (also) shown as a general error


def test_two_sessions_see_only_their_own_data(new_page, app_url):
    """Session A uploads a renamed survey; session B, open at the same time, still sees the demo."""
    spec, _ = _demo_files()
    renamed = spec.read_text(encoding="utf-8").replace("name: Asiatica HIES 2024 (synthetic)",
                                                       "name: Session A survey", 1)
    assert "Session A survey" in renamed
    a, b = new_page(), new_page()
    a.goto(app_url)
    b.goto(app_url)
    _idle(a)
    _idle(b)
    _upload_demo(a, spec_text=renamed, marker="Session A survey")
    a.wait_for_function(
        "() => (document.querySelector('#data-status-text') || {}).textContent?.includes('Session A survey')",
        timeout=60_000)
    for pg in (a, b):
        pg.get_by_role("tab", name="Overview", exact=True).click()
        _idle(pg)
    a.wait_for_function("() => document.querySelector('#overview-survey_info').textContent.includes('Session A')",
                        timeout=60_000)
    assert "Asiatica HIES 2024" in b.locator("#overview-survey_info").inner_text()
    b.get_by_role("tab", name="Data", exact=True).click()
    _idle(b)
    assert "Demo survey in use" in b.locator("#data-status-text").inner_text()
    assert a.console_errors == [] and b.console_errors == []


LNOB_SPEC = """\
spec_version: 1
name: Ministry pilot indicators
circumstances:
  - {name: wealth, builtin: wealth_b40}
  - {name: urban, builtin: urban}
  - {name: region, builtin: region}
indicators:
  - name: water_pilot
    label: Piped or protected water (pilot)
    outcome: basic_water == 1
    unit: household
  - name: bank_pilot
    label: Bank account, adults (pilot)
    outcome: bank_account == 1
    population: age >= 15
"""


def test_uploaded_lnob_spec_drives_the_lnob_page(page, app_url, tmp_path):
    path = tmp_path / "pilot_lnob.yaml"
    path.write_text(LNOB_SPEC, encoding="utf-8")
    page.goto(app_url + "/?page=data")
    _idle(page)
    page.set_input_files("#data-lnob_file", str(path))
    page.wait_for_function(
        "() => (document.querySelector('#data-lnob-status') || {}).textContent?.includes('2 indicator(s)')",
        timeout=60_000)
    page.get_by_role("tab", name="LNOB", exact=True).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#lnob-indicator option')].map(o => o.value).join() "
        "=== 'water_pilot,bank_pilot'", timeout=60_000)
    page.wait_for_function(
        "() => /^0\\.\\d{3}$/.test((document.querySelector('#lnob-dindex') || {}).textContent || '')",
        timeout=90_000)
    circumstances = page.locator("#lnob-circumstances input").evaluate_all("els => els.map(e => e.value)")
    assert circumstances == ["wealth", "urban", "region"]
    # The D-index is the engine's for the uploaded spec's first indicator (this session only).
    import yaml

    from sp2lnob import read_survey
    from sp2lnob.demo import demo_spec_path
    from sp2lnob.opportunity import parse_lnob_spec, run_lnob

    run = run_lnob(read_survey(demo_spec_path()), parse_lnob_spec(yaml.safe_load(LNOB_SPEC)),
                   indicators=["water_pilot"], group_method="leaves")
    assert page.locator("#lnob-dindex").inner_text() == f"{run.results[0].d_index:.3f}"
    # The SP2LNOB page uses the same uploaded spec.
    page.get_by_role("tab", name="SP2LNOB", exact=True).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#sp2lnob-indicator option')].map(o => o.value).join() "
        "=== 'water_pilot,bank_pilot'", timeout=60_000)
    page.wait_for_function(
        "() => /%$/.test((document.querySelector('#sp2lnob-behind') || {}).textContent || '')", timeout=120_000)
    assert page.console_errors == []
    # A broken LNOB spec is refused with its message; the uploaded one stays in use.
    bad = tmp_path / "bad_lnob.yaml"
    bad.write_text(LNOB_SPEC.replace("outcome: basic_water == 1", "outcom: basic_water == 1"), encoding="utf-8")
    page.get_by_role("tab", name="Data", exact=True).click()
    page.set_input_files("#data-lnob_file", str(bad))
    page.wait_for_function(
        "() => (document.querySelector('#data-upload_problem') || {}).textContent?.includes('outcome')",
        timeout=30_000)
    assert "2 indicator(s)" in page.locator("#data-lnob-status").inner_text()


def test_app_started_with_its_own_lnob_spec(page, app_with_args, tmp_path):
    """``sp2lnob app --lnob-spec FILE``: the LNOB page offers that spec's indicators from the start."""
    path = tmp_path / "pilot_lnob.yaml"
    path.write_text(LNOB_SPEC, encoding="utf-8")
    url = app_with_args("--lnob-spec", str(path))
    page.goto(url + "/?page=lnob")
    _idle(page)
    options = page.locator("#lnob-indicator option").evaluate_all("els => els.map(e => e.value)")
    assert options == ["water_pilot", "bank_pilot"]
    page.wait_for_function(
        "() => /^0\\.\\d{3}$/.test((document.querySelector('#lnob-dindex') || {}).textContent || '')",
        timeout=90_000)
    assert page.console_errors == []


def test_app_refuses_a_broken_lnob_spec_at_start(tmp_path):
    from typer.testing import CliRunner

    from sp2lnob.cli import app

    bad = tmp_path / "bad.yaml"
    bad.write_text(LNOB_SPEC.replace("builtin: urban", "builtin: urbn"), encoding="utf-8")
    result = CliRunner().invoke(app, ["app", "--lnob-spec", str(bad), "--port", "1"])
    assert result.exit_code == 2
    assert "unknown builtin 'urbn'" in result.output and "did you mean 'urban'" in result.output
