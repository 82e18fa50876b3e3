"""App helpers without a browser: showcase files, upload checks, the ASGI guard, spec-message fields."""

from __future__ import annotations

import asyncio

import polars as pl
import pytest

from sp2lnob.errors import InputError, SpecError


def test_showcase_round_trip_keeps_scenarios_and_values():
    from sp2lnob.app.showcase import Scenario, Showcase, load_showcase, parse_showcase
    from sp2lnob.simulate import load_scheme

    scheme = load_scheme("universal_child_benefit").with_values({"benefit.share": 0.07, "coverage.rate": 0.8})
    show = Showcase("Options", (Scenario("a", "Option A", scheme, 7),))
    import yaml

    back = parse_showcase(yaml.safe_load(show.to_yaml()))
    assert back.names() == {"a": "Option A"}
    got = back.get("a")
    assert got.scheme.benefit.share == pytest.approx(0.07)
    assert got.scheme.coverage.rate == pytest.approx(0.8)
    assert got.seed == 7
    assert back.get("unknown").name == "a"  # an unknown URL scenario falls back to the first
    assert load_showcase(None).names()  # no file: the ready schemes


def test_showcase_errors_are_structured(tmp_path):
    from sp2lnob.app.showcase import load_showcase, parse_showcase

    with pytest.raises(SpecError, match="non-empty list of scenarios"):
        parse_showcase({"title": "x", "scenarios": []})
    with pytest.raises(SpecError, match="unknown key"):
        parse_showcase({"scenarios": [{"name": "a", "scheme": "universal_child_benefit", "sed": 1}]})
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenarios: [\n", encoding="utf-8")
    with pytest.raises(SpecError, match="not valid YAML"):
        load_showcase(bad)


def test_session_files_check_type_and_size_and_are_removed(tmp_path, monkeypatch):
    from sp2lnob.app import state

    src = tmp_path / "x.exe"
    src.write_bytes(b"MZ")
    files = state.SessionFiles()
    with pytest.raises(InputError, match="not accepted"):
        files.keep({"name": "x.exe", "datapath": str(src)}, state.DATA_SUFFIXES)
    ok = tmp_path / "upload0.csv"
    ok.write_text("a,b\n1,2\n", encoding="utf-8")
    # The browser's file name is reduced to its last component: no writing outside the session folder.
    kept = files.keep({"name": "../../etc/data.csv", "datapath": str(ok)}, state.DATA_SUFFIXES)
    assert kept.parent == files.directory and kept.name == "data.csv"
    monkeypatch.setattr(state, "MAX_UPLOAD_BYTES", 3)
    with pytest.raises(InputError, match="too large"):
        files.keep({"name": "big.csv", "datapath": str(ok)}, state.DATA_SUFFIXES)
    folder = files.directory
    files.remove()
    assert not folder.exists()


def _call(app, path: str, method: str = "GET", length: int = 0) -> int:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "method": method, "headers": [(b"content-length", str(length).encode())]}
    # In a thread: the browser tests' Playwright keeps an event loop running in this one.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent[0]["status"]


def test_guard_refuses_large_uploads_and_public_microdata():
    from sp2lnob.app.main import guard

    async def inner(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    analyst, public = guard(inner, public=False, max_bytes=100), guard(inner, public=True, max_bytes=100)
    assert _call(analyst, "/session/s1/upload/j1", "POST", 50) == 200
    assert _call(analyst, "/session/s1/upload/j1", "POST", 101) == 413
    assert _call(analyst, "/session/s1/download/reports-microdata") == 200
    assert _call(public, "/session/s1/upload/j1", "POST", 1) == 403
    assert _call(public, "/session/s1/download/reports-microdata") == 403
    assert _call(public, "/session/s1/download/reports-indicators") == 200
    assert _call(public, "/") == 200


def test_spec_messages_go_to_their_field():
    from sp2lnob.app.pages.data import field_of

    assert field_of("data (spec key roles.weight)") == "weight"
    assert field_of("s.yaml: roles.household_id") == "household_id"
    assert field_of("s.yaml: welfare.variable") == "welfare"
    assert field_of("s.yaml: roles.wieght") is None  # not a field of the editor: shown under the YAML
    assert field_of(None) is None


def test_select_rows_ignores_filters_an_indicator_does_not_have():
    from sp2lnob.app.pages.programmes import select_rows

    frame = pl.DataFrame({
        "indicator": ["coverage"] * 3 + ["gini_reduction"],
        "programme": ["p"] * 4, "set_type": ["programme"] * 4,
        "group_var": ["quintile", "quintile", "all", "all"], "group": ["Q1", "Q1", "all", "all"],
        "basis": ["pre", "post", "none", "none"], "line": [None, None, None, None],
        "value": [0.1, 0.2, 0.3, 0.4], "se": [0.01] * 4, "n": [1] * 4})
    assert select_rows(frame, "coverage", "programme", "quintile", "post", "national")["value"].to_list() == [0.2]
    # gini_reduction has neither a quintile grouping nor a pre/post basis: its one row is kept.
    assert select_rows(frame, "gini_reduction", "programme", "quintile", "pre", None)["value"].to_list() == [0.4]


def test_engines_do_not_import_the_app():
    import subprocess
    import sys

    code = ("import sys, sp2lnob, sp2lnob.performance, sp2lnob.spi, sp2lnob.simulate, sp2lnob.opportunity; "
            "print(any(m.startswith('sp2lnob.app') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_vendored_plotly_bundle_matches_python_plotly_and_the_traces_used():
    """The app ships plotly.js's basic bundle: same version as the Python package, and every
    trace the code builds is one of the bundle's types (a missing type would draw nothing)."""
    import re
    from pathlib import Path

    from plotly.offline import get_plotlyjs_version

    from sp2lnob.app.main import PLOTLY_JS, PLOTLY_TRACES

    head = PLOTLY_JS.read_text(encoding="utf-8")[:200]
    assert f"plotly.js (basic - minified) v{get_plotlyjs_version()}" in head
    src = Path(__file__).resolve().parents[2] / "src" / "sp2lnob"
    used = set()
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= {m.lower() for m in re.findall(r"\bgo\.([A-Z][A-Za-z]+)\(", text)} - {"figure"}
        used |= set(re.findall(r"[\"']type[\"']\s*:\s*[\"'](scatter\w*|bar\w*|pie|heatmap|box|histogram\w*)[\"']", text))
        assert "plotly.express" not in text and "import plotly.express" not in text, path
    assert used and used <= PLOTLY_TRACES, used - PLOTLY_TRACES
