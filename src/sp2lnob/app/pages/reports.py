"""Reports: downloads of the results and of the files that reproduce every figure.

Aggregated results (indicator and SPI workbooks, the HTML/PDF country report, the
scenario files) are offered in both modes; the survey spec, the LNOB spec and the
microdata only to the analyst (the public showcase neither shows nor serves them:
see ``PUBLIC_DOWNLOADS`` in :mod:`sp2lnob.app.main`).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shiny import module, reactive, render, ui

DESCRIPTIONS = {
    "indicators": ("Performance indicators (Excel)", "Every ASPIRE indicator with SE and n, ADePT-style tables."),
    "spi": ("Social Protection Index (Excel)", "The Asiatica example SPI (ADB 2012), every workbook table."),
    "html": ("Country report (HTML)", "Headlines, indicators, SPI, LNOB and a scenario, self-contained."),
    "pdf": ("Country report (PDF)", "The same report as PDF (needs WeasyPrint)."),
    "showcase": ("Scenarios (YAML)", "The scenario file that reproduces the Simulator's figures."),
    "spec": ("Survey spec (YAML)", "The survey spec that reproduces every figure from the data."),
    "lnob_spec": ("LNOB spec (YAML)", "Indicators and circumstances of the LNOB page."),
    "microdata": ("Microdata with welfare (Parquet)", "The survey's person rows as read (analyst only)."),
}
PUBLIC = ("indicators", "spi", "html", "pdf", "showcase")


def _has_pdf() -> bool:
    return importlib.util.find_spec("weasyprint") is not None


@module.ui
def reports_ui(config=None):
    public = bool(config and config.public)
    keys = [k for k in DESCRIPTIONS if (k in PUBLIC or not public) and (k != "pdf" or _has_pdf())]
    rows = [ui.tags.tr(ui.tags.td(ui.download_button(k, DESCRIPTIONS[k][0], class_="btn-sm")),
                       ui.tags.td(DESCRIPTIONS[k][1])) for k in keys]
    return ui.div(
        ui.h4("Downloads"),
        ui.p("Every figure in the app can be reproduced from these files with the sp2lnob command line."),
        ui.tags.table(ui.tags.tbody(*rows), class_="table table-sm"),
        ui.output_ui("note"),
        class_="container",
    )


@module.server
def reports_server(input, output, session, survey: Callable[[], Any], config=None, state=None):
    public = bool(config and config.public)

    def _tmp(name: str) -> Path:
        folder = state.files.directory / "downloads"
        folder.mkdir(exist_ok=True)
        return folder / name

    @render.download_button(filename="indicators.xlsx")
    def indicators():
        from sp2lnob.performance import indicators_from_survey, write_result

        with ui.Progress() as bar:
            bar.set(message="Writing the indicator workbook…")
            return str(write_result(indicators_from_survey(survey()), _tmp("indicators.xlsx")))

    @render.download_button(filename="spi.xlsx")
    def spi():
        from sp2lnob.spi import compute_spi, load_example
        from sp2lnob.spi.excel_export import export_excel

        stats, register, year = load_example("asiatica")
        return str(export_excel(compute_spi(stats, register, year), _tmp("spi.xlsx")))

    def _analysis_args() -> tuple[Path, bool]:
        # Read the session's reactive state here, in the session; the thread gets plain values.
        with reactive.isolate():
            is_demo = state.uploaded() is None and config.survey_spec is None
            return state.spec_path(), is_demo

    def _build(spec_path: Path, is_demo: bool):
        from sp2lnob.app.pages.lnob import demo_lnob_path
        from sp2lnob.report import build_analysis
        from sp2lnob.spi.examples import example_paths

        stats, register, year = example_paths("asiatica")
        return build_analysis(spec_path, register=register, basic_stats=stats, spi_year=year,
                              schemes=["universal_child_benefit"], lnob_spec=demo_lnob_path() if is_demo else None)

    # The report runs every engine (seconds): in a worker thread, so the app stays responsive.
    # (Shiny takes a path or an (async) iterator of bytes from a download handler, not a coroutine.)
    @render.download_button(filename="report.html")
    async def html():
        import asyncio

        from sp2lnob.report import write_html

        args = _analysis_args()
        path = await asyncio.to_thread(lambda: write_html(_build(*args), _tmp("report.html")))
        yield path.read_bytes()

    @render.download_button(filename="report.pdf")
    async def pdf():
        import asyncio

        from sp2lnob.report import write_pdf

        args = _analysis_args()
        path = await asyncio.to_thread(lambda: write_pdf(_build(*args), _tmp("report.pdf")))
        yield path.read_bytes()

    @render.download_button(filename="scenarios.yaml")
    def showcase():
        from sp2lnob.app.showcase import load_showcase

        yield load_showcase(config.showcase if config else None).to_yaml()

    if not public:

        @render.download_button(filename="survey_spec.yaml")
        def spec():
            return str(state.spec_path())

        @render.download_button(filename="lnob_spec.yaml")
        def lnob_spec():
            from sp2lnob.app.pages.lnob import demo_lnob_path

            return str(demo_lnob_path())

        @render.download_button(filename="microdata.parquet")
        def microdata():
            path = _tmp("microdata.parquet")
            survey().data.write_parquet(path)
            return str(path)

    @render.ui
    def note():
        if public:
            return ui.p(ui.tags.small("Public showcase: aggregated results and scenarios only."))
        return None
