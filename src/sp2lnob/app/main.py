"""App assembly: the navbar, the pages (from ``pages/registry.py``), per-session state and guards."""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from shiny import App, reactive, render, ui

from sp2lnob import __version__
from sp2lnob.app.display import error_box
from sp2lnob.app.pages.registry import DEFAULT_PAGE, PAGES, PRIVATE_PAGES
from sp2lnob.app.session_state import SessionState
from sp2lnob.app.state import MAX_UPLOAD_BYTES, AppConfig
from sp2lnob.errors import Sp2lnobError

WWW = Path(__file__).parent / "www"
# plotly.js "basic" bundle (scatter, bar, pie; 1.2 MB instead of 4.8 MB), the version the Python
# plotly package targets: see www/vendor/README.md.
PLOTLY_JS = WWW / "vendor" / "plotly-basic-4.1.1.min.js"
PLOTLY_TRACES = frozenset({"scatter", "bar", "pie"})

ABOUT = """
sp2lnob is an open toolkit for social protection analysis. This app runs on
your machine: microdata never leaves it, and nothing is sent anywhere.
"""
ABOUT_PUBLIC = """
This is a read-only showcase of aggregated results and the scenarios chosen by
its publisher. No microdata can be uploaded or downloaded here.
"""

ICON = (
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>"
    "<rect width='16' height='16' rx='3' fill='%230072B2'/></svg>"
)

# Downloads the public showcase serves (aggregated results and scenarios only).
PUBLIC_DOWNLOADS = frozenset({"reports-indicators", "reports-spi", "reports-showcase", "simulator-download_scenario"})
_UPLOAD = re.compile(r"^/session/[^/]+/upload/")
_DOWNLOAD = re.compile(r"^/session/[^/]+/download/([^/?]+)")


def _page_functions(value: str, module_path: str):
    module = importlib.import_module(module_path)
    return getattr(module, f"{value}_ui"), getattr(module, f"{value}_server")


def pages_for(config: AppConfig) -> list[tuple[str, str, Any, Any]]:
    return [(title, value, *_page_functions(value, path)) for title, value, path in PAGES
            if not (config.public and value in PRIVATE_PAGES)]


def guard(app, *, public: bool, max_bytes: int = MAX_UPLOAD_BYTES):
    """ASGI wrapper: refuse uploads over ``max_bytes`` (413) before they are stored, and in the public
    showcase refuse every upload and every download that is not an aggregated result (403)."""

    async def guarded(scope, receive, send):
        if scope["type"] == "http":
            path = scope.get("path", "")
            status = None
            if _UPLOAD.match(path):
                length = dict(scope.get("headers") or []).get(b"content-length", b"0")
                if public:
                    status = 403
                elif int(length or 0) > max_bytes:
                    status = 413
            else:
                m = _DOWNLOAD.match(path)
                if public and m and m.group(1) not in PUBLIC_DOWNLOADS:
                    status = 403
            if status is not None:
                body = b"Forbidden in the public showcase" if status == 403 else b"Upload too large"
                await send({"type": "http.response.start", "status": status,
                            "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await app(scope, receive, send)

    return guarded


def create_app(survey_spec: Path | None = None, *, public: bool = False, showcase: Path | None = None,
               lnob_spec: Path | None = None):
    """The ASGI app: analyst mode (default) or the read-only public showcase.

    ``lnob_spec``: the LNOB spec of the LNOB and SP2LNOB pages (default: the demo survey's).
    """
    config = AppConfig(survey_spec=survey_spec, public=public, showcase=showcase, lnob_spec=lnob_spec)
    if lnob_spec is not None:
        from sp2lnob.app.state import demo_lnob_spec

        demo_lnob_spec(lnob_spec)  # a broken LNOB spec stops the start, with its message
    if public:
        from sp2lnob.app.showcase import load_showcase

        load_showcase(showcase)  # a broken showcase file stops the start, with its message
    pages = pages_for(config)

    page_values = {v for _t, v, _u, _s in pages} | {"about"}

    @lru_cache(maxsize=len(page_values))
    def page_ui_for(selected: str) -> ui.Tag:
        panels = [
            ui.nav_panel(title, ui.output_ui(f"load_error_{value}"), page_ui(value, config=config), value=value)
            for title, value, page_ui, _ in pages
        ]
        return ui.page_navbar(
            *panels,
            ui.nav_panel(
                "About",
                ui.h4(f"sp2lnob {__version__}"),
                ui.p(ABOUT_PUBLIC if config.public else ABOUT),
                ui.p("Survey: ", ui.code(config.spec_path.name if config.public else str(config.spec_path))),
                ui.p("Mode: ", "public showcase (read-only)" if config.public else "analyst (local)"),
                value="about",
            ),
            ui.head_content(
                ui.include_js(WWW / "sliders.js", method="inline"),
                ui.include_js(WWW / "address.js", method="inline"),
                ui.include_js(PLOTLY_JS, method="link"),
                ui.include_js(WWW / "charts.js", method="inline"),
                ui.tags.link(rel="icon", href=ICON),  # inline: no favicon request, no 404
            ),
            title="sp2lnob" + (" — public showcase" if config.public else ""),
            id="page",
            selected=selected,
            window_title="sp2lnob",
        )

    def app_ui(request):
        # ?page=simulator opens on that page from the first byte: the default page is
        # neither drawn nor computed first. One page tree per start page, built once.
        wanted = request.query_params.get("page")
        return page_ui_for(wanted if wanted in page_values else DEFAULT_PAGE)

    def server(input, output, session):
        state = SessionState(config)
        state.page = input.page
        session.on_ended(state.files.remove)

        @reactive.calc
        def survey():
            return state.survey()

        @reactive.effect
        def _from_url():
            # ?page=simulator&scenario=name: read once when the session starts.
            query = parse_qs(session.clientdata.url_search().lstrip("?"))
            with reactive.isolate():
                if query.get("scenario"):
                    state.scenario.set(query["scenario"][0])
                wanted = (query.get("page") or [None])[0]
                if wanted in page_values and wanted != input.page():
                    ui.update_navset("page", selected=wanted)

        def _error_output(value: str):
            @output(id=f"load_error_{value}")
            @render.ui
            def _show():
                try:
                    survey()
                except Sp2lnobError as err:
                    return error_box(err, "The survey could not be loaded")
                return None

        # A page's server (its outputs, effects and computations) is built the first time
        # the page is shown, so a session starts with one page's work, not every page's.
        servers = {value: page_server for _title, value, _ui, page_server in pages}
        built: set[str] = set()

        @reactive.effect
        def _build_shown_page():
            value = input.page()
            if value not in servers or value in built:
                return
            built.add(value)
            with reactive.isolate():
                _error_output(value)
                # Every page server takes (survey, config, state): Shiny's module wrapper hides the signature.
                servers[value](value, survey=survey, config=config, state=state)

    return guard(App(app_ui, server), public=config.public)
