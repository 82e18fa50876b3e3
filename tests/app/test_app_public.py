"""The public showcase (`sp2lnob app --public --showcase FILE`) in a real browser."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.browser

PUBLIC_PAGES = {"Overview": "overview", "Programmes": "programmes", "SPI": "spi", "LNOB": "lnob",
                "Simulator": "simulator", "SP2LNOB": "sp2lnob", "Reports": "reports"}


def _idle(page) -> None:
    page.wait_for_function("() => !document.documentElement.classList.contains('shiny-busy')", timeout=60_000)


def _status(url: str, method: str = "GET", data: bytes | None = None) -> int:
    req = urllib.request.Request(url, method=method, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:  # noqa: S310 - loopback only
            return r.status
    except urllib.error.HTTPError as err:
        return err.code


def test_public_mode_hides_uploads_and_microdata(page, public_url, screenshot):
    page.goto(public_url)
    _idle(page)
    tabs = page.get_by_role("tab").all_inner_texts()
    assert "Data" not in [t.strip() for t in tabs]
    for title in PUBLIC_PAGES:
        page.get_by_role("tab", name=title, exact=True).click()
        _idle(page)
    screenshot(page, "public-reports")
    assert page.locator("input[type=file]").count() == 0  # no upload anywhere
    assert page.locator("#reports-microdata").count() == 0
    assert page.locator("#reports-spec").count() == 0
    assert page.locator("#reports-indicators").count() == 1  # aggregated results stay
    assert page.console_errors == []
    assert page.locator(".shiny-output-error").count() == 0

    session = page.evaluate("() => Shiny.shinyapp.config.sessionId")
    base = f"{public_url}/session/{session}"
    # A microdata download is refused even when asked for directly, and so is any upload.
    assert _status(f"{base}/download/reports-microdata?w=") == 403
    assert _status(f"{base}/download/reports-spec?w=") == 403
    assert _status(f"{base}/upload/anything?w=", method="POST", data=b"x") == 403
    # The publisher's scenarios can be downloaded.
    with urllib.request.urlopen(f"{base}/download/reports-showcase?w=", timeout=30) as r:  # noqa: S310
        text = r.read().decode()
    assert "ucb_8" in text and "Child benefit, 8 %" in text


def test_url_carries_page_and_scenario(page, public_url, screenshot):
    """?page=simulator&scenario=ucb_8 opens the Simulator on that scenario, with the engine's figures."""
    import sp2lnob
    from sp2lnob.demo import demo_spec_path
    from sp2lnob.simulate import load_scheme, make_package, prepare, simulate

    page.goto(public_url + "/?page=simulator&scenario=ucb_8")
    page.wait_for_function(
        "() => document.querySelector('.nav-link.active')?.textContent.trim() === 'Simulator'", timeout=60_000)
    page.wait_for_function("() => Shiny.shinyapp.$inputValues['simulator-scenario'] === 'ucb_8'", timeout=60_000)
    survey = sp2lnob.read_survey(demo_spec_path())
    scheme = load_scheme("universal_child_benefit").with_values({"benefit.share": 0.08})
    expected = simulate(prepare(survey), make_package([scheme]), seed=20240601)
    want = f"{expected.value('cost_pct_gdp', 'value'):.2f} % of GDP"
    page.wait_for_function(
        f"() => document.querySelector('#simulator-cost').textContent === {json.dumps(want)}", timeout=60_000)
    assert page.locator("#simulator-benefit").count() == 0  # the publisher's scenarios only: no sliders
    screenshot(page, "public-simulator")
    assert page.console_errors == []
