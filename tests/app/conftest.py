"""Browser tests: the real app in a subprocess on loopback, driven by Debian's chromium.

`make test` installs chromium from Debian when it is missing; a missing
browser is a failure here, never a skip. Screenshots go to
``test-artifacts/screenshots/`` for reviewers.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise RuntimeError(f"app exited early ({proc.returncode}):\n{out}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - loopback only
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"app did not answer at {url} within {timeout} s")


def start_app(*args: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sp2lnob", "app", "--host", "127.0.0.1", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    _wait_http(url, proc)
    return proc, url


@pytest.fixture(scope="session")
def app_url():
    proc, url = start_app()
    yield url
    _stop(proc)


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("Debian's chromium is missing: run `make test` (it installs chromium) or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))  # type: ignore[attr-defined]
    # Name the failing URL: the console only says "Failed to load resource".
    pg.on(
        "response",
        lambda r: r.status >= 400 and pg.console_errors.append(f"HTTP {r.status} {r.url}"),  # type: ignore[attr-defined]
    )
    yield pg
    context.close()


@pytest.fixture()
def screenshot():
    """Save a full-page screenshot for reviewers; returns its path."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def showcase_file(tmp_path_factory) -> Path:
    """A publisher's showcase: two scenarios of the universal child benefit."""
    from sp2lnob.app.showcase import Scenario, Showcase
    from sp2lnob.simulate import load_scheme

    base = load_scheme("universal_child_benefit")
    show = Showcase("Child benefit options", (
        Scenario("ucb_4", "Child benefit, 4 %", base.with_values({"benefit.share": 0.04}), 20240601),
        Scenario("ucb_8", "Child benefit, 8 %", base.with_values({"benefit.share": 0.08}), 20240601),
    ))
    path = tmp_path_factory.mktemp("showcase") / "showcase.yaml"
    path.write_text(show.to_yaml(), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def public_url(showcase_file):
    proc, url = start_app("--public", "--showcase", str(showcase_file))
    yield url
    _stop(proc)


@pytest.fixture()
def new_page(browser):
    """Open extra pages, each in its own browser context (its own cookies and Shiny session)."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        pg = context.new_page()
        pg.console_errors = []  # type: ignore[attr-defined]
        pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))  # type: ignore[attr-defined]
        pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))  # type: ignore[attr-defined]
        return pg

    yield make
    for c in contexts:
        c.close()


@pytest.fixture()
def own_app():
    """An app process for one test alone (no other test's sessions in it): (process, url)."""
    proc, url = start_app()
    yield proc, url
    _stop(proc)


@pytest.fixture()
def app_with_args():
    """Start an app with extra command-line options for one test: ``app_with_args(*args) -> url``."""
    started = []

    def start(*args: str) -> str:
        proc, url = start_app(*args)
        started.append(proc)
        return url

    yield start
    for proc in started:
        _stop(proc)
