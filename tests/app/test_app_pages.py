"""Every page of the app loads in a real browser without console errors."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# page -> how many interactive charts must have drawn before the screenshot
PAGES = {"overview": 1, "about": 0}


def _wait_idle(page) -> None:
    # Shiny marks the document busy while outputs recalculate.
    page.wait_for_function("() => !document.documentElement.classList.contains('shiny-busy')", timeout=60_000)


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_console_errors(page, app_url, name, screenshot):
    page.goto(app_url)
    if name != "overview":
        page.get_by_role("tab", name=name.capitalize()).click()
    _wait_idle(page)
    charts = PAGES[name]
    if charts:
        page.wait_for_function(
            f"() => document.querySelectorAll('.tab-pane.active .js-plotly-plot .main-svg').length >= {charts}",
            timeout=60_000,
        )
    page.wait_for_timeout(300)
    screenshot(page, f"page-{name}")
    assert page.console_errors == []
    assert page.locator(".shiny-output-error").count() == 0


def test_overview_shows_engine_figures(page, app_url):
    """The headline on the page equals the engine's figure for the demo survey."""
    import sp2lnob
    from sp2lnob import measures
    from sp2lnob.demo import demo_spec_path

    s = sp2lnob.read_survey(demo_spec_path())
    line = s.lines[0]
    expected = measures.fgt(s.welfare, s.weights, line=s.line_values(line), alpha=0)
    page.goto(app_url)
    _wait_idle(page)
    page.wait_for_function(
        "() => { const e = document.querySelector('#overview-headcount'); return e && e.textContent.includes('%'); }",
        timeout=60_000,
    )
    shown = page.locator("#overview-headcount").inner_text()
    assert shown == f"{100 * expected:.1f} %"
