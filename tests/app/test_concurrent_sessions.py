"""Twenty browser sessions at once on one app: each sees its own scenario's figures, nothing errors.

A bounded load test on loopback: one app process, one chromium, twenty browser contexts
(twenty Shiny sessions) opened together on the Simulator. Each session moves the benefit
slider to its own level; its cost and headcount must then be the engine's figures for that
level, computed here, and must still be after every other session has moved. A figure from
another session, an error in any console, a disconnect or a deadline missed fails the test.
Time to first figures per session goes to ``test-artifacts/app-concurrency.json``.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SESSIONS = 20
DEADLINE_S = 150  # the whole test, app start to last check; it stops itself before this
DEFAULT_LEVEL = 4.0  # the slider's starting value (% of GDP per capita)
# Twenty distinct levels on the slider's 0.5 grid, none the default: every session must change.
LEVELS = [lv for lv in (1 + 0.5 * k for k in range(SESSIONS + 1)) if lv != DEFAULT_LEVEL][:SESSIONS]
ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "app-concurrency.json"

# Installed before the page's own scripts: the time (ms from this page's navigation start)
# at which the first cost figure shows.
READY_PROBE = """
(() => {
  window.__ready = null;
  const watch = () => {
    const el = document.getElementById('simulator-cost');
    if (!el) return;
    const check = () => {
      if (window.__ready === null && el.textContent.includes('GDP')) window.__ready = performance.now();
    };
    new MutationObserver(check).observe(el, {childList: true, characterData: true, subtree: true});
    check();
  };
  document.addEventListener('DOMContentLoaded', watch);
})();
"""
SET_LEVEL = """(level) => {
  const slider = $('#simulator-benefit').data('ionRangeSlider');
  slider.update({from: level});
  $('#simulator-benefit').trigger('change');
  return slider.result.from;
}"""


def _expected(levels: list[float]) -> dict[float, tuple[str, str]]:
    """The engine's cost and headcount texts, as the page formats them, for each level."""
    import sp2lnob
    from sp2lnob.demo import demo_spec_path
    from sp2lnob.simulate import load_scheme, make_package, prepare, simulate

    survey = sp2lnob.read_survey(demo_spec_path())
    line = survey.lines[0]
    base, scheme = prepare(survey), load_scheme("universal_child_benefit")
    out = {}
    for level in levels:
        r = simulate(base, make_package([scheme.with_values({"benefit.share": level / 100})]), seed=20240601)
        out[level] = (f"{r.value('cost_pct_gdp', 'value'):.2f} % of GDP", f"{100 * r.value('fgt0', 'post', line=line):.1f} %")
    return out


def _watch(page, problems: list[str]) -> None:
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status} {r.url}"))
    page.on("websocket", lambda ws: ws.on("close", lambda _ws: problems.append("websocket closed")))


def _text(page, selector: str) -> str:
    return page.eval_on_selector(selector, "e => e.textContent")


def _wait_shows(page, i: int, want: tuple[str, str], left_ms, *, moved_from: str | None = None) -> None:
    """Session ``i`` shows exactly this cost and headcount; fail naming what it shows.

    With ``moved_from`` (the cost shown before the slider moved), wait only until the cost
    has changed and the session is idle, then compare at once: a wrong figure fails fast.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        if moved_from is None:
            page.wait_for_function(
                "([c, h]) => document.querySelector('#simulator-cost').textContent === c"
                " && document.querySelector('#simulator-headcount').textContent === h",
                arg=list(want), timeout=left_ms(), polling=250)
        else:
            page.wait_for_function(
                "c => document.querySelector('#simulator-cost').textContent !== c"
                " && !document.documentElement.classList.contains('shiny-busy')",
                arg=moved_from, timeout=left_ms(), polling=250)
    except PlaywrightTimeout:
        pass  # reported below with what the session shows
    shown = (_text(page, "#simulator-cost"), _text(page, "#simulator-headcount"))
    assert shown == want, f"session {i} shows {shown}, expected {want}"


def test_twenty_sessions_at_once_each_see_their_own_scenario(browser, own_app):
    proc, url = own_app
    t_start = time.monotonic()
    deadline = t_start + DEADLINE_S

    def left_ms() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"deadline of {DEADLINE_S} s passed")
        return remaining * 1000

    want = _expected([DEFAULT_LEVEL, *LEVELS])
    # Adjacent levels must differ on screen, or a figure from another session could pass unseen.
    assert len({want[lv][0] for lv in LEVELS}) == SESSIONS

    contexts, pages, problems = [], [], []
    t_open = time.monotonic()
    try:
        # Open all sessions together: each navigation starts without waiting for the others.
        for _ in range(SESSIONS):
            ctx = browser.new_context(viewport={"width": 1400, "height": 900})
            contexts.append(ctx)
            ctx.add_init_script(READY_PROBE)
            pg = ctx.new_page()
            found: list[str] = []
            _watch(pg, found)
            problems.append(found)
            pg.goto(url + "/?page=simulator", wait_until="commit", timeout=left_ms())
            pages.append(pg)
        t_opened = time.monotonic()

        # Every session shows the default scenario's figures: time to first figures, in the page.
        ready = []
        for pg in pages:
            pg.wait_for_function("() => window.__ready !== null", timeout=left_ms(), polling=250)
            ready.append(pg.evaluate("() => window.__ready") / 1000)
        t_ready = time.monotonic()
        for i, pg in enumerate(pages):
            _wait_shows(pg, i, want[DEFAULT_LEVEL], left_ms)

        # Each session moves its slider to its own level, all before any result is awaited.
        for pg, level in zip(pages, LEVELS, strict=True):
            assert pg.evaluate(SET_LEVEL, level) == level
        for i, (pg, level) in enumerate(zip(pages, LEVELS, strict=True)):
            _wait_shows(pg, i, want[level], left_ms, moved_from=want[DEFAULT_LEVEL][0])
        t_moved = time.monotonic()

        # After every session has moved, each still shows its own figures (nothing crossed over),
        # with no error, no error output and no disconnect anywhere.
        pages[0].wait_for_timeout(1000)
        for i, (pg, level) in enumerate(zip(pages, LEVELS, strict=True)):
            shown = (_text(pg, "#simulator-cost"), _text(pg, "#simulator-headcount"))
            assert shown == want[level], f"session {i} at {level} % shows {shown}, expected {want[level]}"
            assert pg.evaluate("() => $('#simulator-benefit').data('ionRangeSlider').result.from") == level
            assert pg.locator(".shiny-output-error").count() == 0, f"session {i}: an output shows an error"
            assert pg.locator("#shiny-disconnected-overlay").count() == 0, f"session {i} was disconnected"
            assert problems[i] == [], f"session {i}: {problems[i]}"
        assert proc.poll() is None, "the app stopped"

        ARTIFACT.parent.mkdir(exist_ok=True)
        ARTIFACT.write_text(json.dumps({
            "sessions": SESSIONS,
            "time_to_first_figures_seconds": {"min": round(min(ready), 2), "median": round(statistics.median(ready), 2),
                                              "max": round(max(ready), 2)},
            "open_all_seconds": round(t_opened - t_open, 2),
            "all_ready_seconds": round(t_ready - t_open, 2),
            "all_moved_seconds": round(t_moved - t_ready, 2),
            "test_seconds": round(time.monotonic() - t_start, 2),
            "load_average_1min": round(os.getloadavg()[0], 2),  # the machine's load, for reading the times
            "ci": bool(os.environ.get("CI")),
        }, indent=2) + "\n")
    finally:
        for ctx in contexts:
            try:
                ctx.close()
            except Exception:  # noqa: BLE001 - close the rest whatever happened to one
                pass
