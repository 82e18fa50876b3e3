"""App assembly: the navbar, the pages (from ``pages/registry.py``) and the session's survey."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from shiny import App, reactive, render, ui

from sp2lnob import __version__
from sp2lnob.app.pages.registry import PAGES
from sp2lnob.app.state import AppConfig, load_survey
from sp2lnob.errors import Sp2lnobError

WWW = Path(__file__).parent / "www"

ABOUT = """
sp2lnob is an open toolkit for social protection analysis. This app runs on
your machine: microdata never leaves it, and nothing is sent anywhere.
"""

ICON = (
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>"
    "<rect width='16' height='16' rx='3' fill='%231f77b4'/></svg>"
)


def _page_functions(value: str, module_path: str):
    module = importlib.import_module(module_path)
    return getattr(module, f"{value}_ui"), getattr(module, f"{value}_server")


def create_app(survey_spec: Path | None = None, *, public: bool = False) -> App:
    config = AppConfig(survey_spec=survey_spec, public=public)
    pages = [(title, value, *_page_functions(value, path)) for title, value, path in PAGES]

    panels = [
        ui.nav_panel(title, ui.output_ui(f"load_error_{value}"), page_ui(value), value=value)
        for title, value, page_ui, _ in pages
    ]
    app_ui = ui.page_navbar(
        *panels,
        ui.nav_panel(
            "About",
            ui.h4(f"sp2lnob {__version__}"),
            ui.p(ABOUT),
            ui.p("Survey: ", ui.code(str(config.spec_path))),
            ui.p("Mode: ", "public showcase (read-only)" if config.public else "analyst (local)"),
            value="about",
        ),
        ui.head_content(
            ui.include_js(WWW / "sliders.js", method="inline"),
            ui.tags.link(rel="icon", href=ICON),  # inline: no favicon request, no 404
        ),
        title="sp2lnob",
        id="page",
        window_title="sp2lnob",
    )

    def server(input, output, session):
        @reactive.calc
        def survey():
            return load_survey(config.spec_path)

        def _error_output(value: str):
            @output(id=f"load_error_{value}")
            @render.ui
            def _show():
                try:
                    survey()
                except Sp2lnobError as err:
                    return ui.div(ui.h5("The survey could not be loaded"), ui.pre(str(err)), class_="alert alert-danger")
                return None

        for _title, value, _ui, page_server in pages:
            _error_output(value)
            kwargs = {"survey": survey}
            if "config" in inspect.signature(page_server).parameters:
                kwargs["config"] = config
            page_server(value, **kwargs)

    return App(app_ui, server)
