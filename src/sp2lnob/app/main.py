"""App assembly: the navbar, the pages, and the session's survey."""

from __future__ import annotations

from pathlib import Path

from shiny import App, reactive, render, ui

from sp2lnob import __version__
from sp2lnob.app.pages.overview import overview_server, overview_ui
from sp2lnob.app.pages.simulator import simulator_server, simulator_ui
from sp2lnob.app.state import AppConfig, load_survey
from sp2lnob.errors import Sp2lnobError

WWW = Path(__file__).parent / "www"

ABOUT = """
sp2lnob is an open toolkit for social protection analysis. This app runs on
your machine: microdata never leaves it, and nothing is sent anywhere.
"""


def create_app(survey_spec: Path | None = None, *, public: bool = False) -> App:
    config = AppConfig(survey_spec=survey_spec, public=public)

    app_ui = ui.page_navbar(
        ui.nav_panel("Overview", ui.output_ui("load_error"), overview_ui("overview"), value="overview"),
        ui.nav_panel("Simulator", simulator_ui("simulator"), value="simulator"),
        ui.nav_panel(
            "About",
            ui.h4(f"sp2lnob {__version__}"),
            ui.p(ABOUT),
            ui.p("Survey: ", ui.code(str(config.spec_path))),
            value="about",
        ),
        ui.head_content(
            ui.include_js(WWW / "sliders.js", method="inline"),
            # An inline icon: no favicon request, no 404 in the console.
            ui.tags.link(
                rel="icon",
                href="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>"
                "<rect width='16' height='16' rx='3' fill='%231f77b4'/></svg>",
            )
        ),
        title="sp2lnob",
        id="page",
        window_title="sp2lnob",
    )

    def server(input, output, session):
        @reactive.calc
        def survey():
            return load_survey(config.spec_path)

        @render.ui
        def load_error():
            try:
                survey()
            except Sp2lnobError as err:
                return ui.div(
                    ui.h5("The survey could not be loaded"),
                    ui.pre(str(err)),
                    class_="alert alert-danger",
                )
            return None

        overview_server("overview", survey=survey)
        simulator_server("simulator", survey=survey)

    return App(app_ui, server)
