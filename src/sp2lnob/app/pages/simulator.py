"""Simulator: design a scheme with sliders; cost, poverty and inequality update live.

The page only builds a scheme from the inputs and calls the engine
(:func:`sp2lnob.simulate.simulate` on a survey prepared once per session).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import polars as pl
from shiny import module, reactive, render, ui

from sp2lnob.app.display import PALETTE, error_box, plot_div, send_figure
from sp2lnob.app.format import num, pct

PROJECTION_YEARS = tuple(range(2025, 2041))
BASIS_LABELS = {
    "gdp_per_capita": "% of GDP per capita a year",
    "poverty_line": "% of the poverty line",
    "welfare_gap": "% of the household's welfare gap",
}


def _schemes() -> dict[str, str]:
    from sp2lnob.simulate import load_scheme, ready_scheme_names

    return {name: load_scheme(name).title for name in ready_scheme_names()}


@module.ui
def simulator_ui(config=None):
    public = bool(config and config.public)
    if public:
        from sp2lnob.app.showcase import load_showcase

        showcase = load_showcase(config.showcase)
        controls = [
            ui.h6(showcase.title),
            ui.input_select("scenario", "Scenario", showcase.names()),
            ui.output_ui("scheme_text"),
            ui.download_button("download_scenario", "Scenario file (YAML)"),
        ]
    else:
        schemes = _schemes()
        default = "universal_child_benefit" if "universal_child_benefit" in schemes else next(iter(schemes))
        controls = [
            ui.input_select("scheme", "Scheme", schemes, selected=default),
            ui.output_ui("scheme_text"),
            ui.input_slider("benefit", "Benefit", min=0, max=30, value=4, step=0.5, post=" %"),
            ui.output_text("benefit_unit"),
            ui.input_slider("coverage", "Coverage of the eligible", min=0, max=100, value=100, step=5, post=" %"),
            ui.input_slider("admin", "Administrative cost", min=0, max=20, value=5, step=1, post=" %"),
            ui.input_numeric("seed", "Seed (random coverage)", value=20240601, min=0),
            ui.download_button("download_scenario", "Save scenario (YAML)"),
            ui.input_file("load_scenario", "Load a scenario (YAML)", accept=[".yaml", ".yml"]),
            ui.output_ui("load_problem"),
            ui.download_button("download_showcase", "Save as public showcase (YAML)"),
        ]
    return ui.layout_sidebar(
        ui.sidebar(*controls, width=320),
        ui.layout_columns(
            ui.value_box("Cost", ui.output_text("cost"), ui.output_text("cost_detail")),
            ui.value_box("Poverty headcount", ui.output_text("headcount"), ui.output_text("headcount_detail")),
            ui.value_box("Gini", ui.output_text("gini"), ui.output_text("gini_detail")),
            fill=False,
        ),
        ui.output_ui("problem"),
        ui.layout_columns(
            ui.card(ui.card_header("Consumption change by decile"), plot_div("deciles", 320)),
            ui.card(ui.card_header("Before and after"), ui.output_data_frame("impacts")),
            col_widths=(6, 6),
        ),
        ui.card(
            ui.card_header("Projected cost, 2025–2040 (% of GDP)"),
            ui.output_text("projection_status"),
            plot_div("projection", 300),
            ui.tags.small(
                "Survey re-weighted by the embedded population projection by age group; GDP growth, "
                "inflation and the scheme's indexation rule from the country parameters."
            ),
        ),
    )


@module.server
def simulator_server(input, output, session, survey: Callable[[], Any], config=None, state=None):
    public = bool(config and config.public)
    loaded: dict[str, object] = {}  # scenarios loaded from files in this session (key -> Scheme)
    load_error: reactive.Value = reactive.value(None)

    def _shared():
        # The app's survey file when this session uses it: its results come from per-process caches.
        return state.shared_spec() if state is not None else None

    @reactive.calc
    def base():
        from sp2lnob.app.state import prepared_survey
        from sp2lnob.simulate import prepare

        shared = _shared()
        return prepared_survey(shared) if shared is not None else prepare(survey())

    @reactive.calc
    def showcase():
        from sp2lnob.app.showcase import load_showcase

        return load_showcase(config.showcase if config else None)

    @reactive.effect
    def _scenario_from_url():
        wanted = state.scenario() if state is not None else None
        if not wanted:
            return
        if public and wanted in showcase().names():
            ui.update_select("scenario", selected=wanted)
        elif not public and wanted in _schemes():
            ui.update_select("scheme", selected=wanted)

    @reactive.calc
    def template():
        from sp2lnob.simulate import load_scheme

        if public:
            return showcase().get(input.scenario()).scheme
        key = input.scheme()
        return loaded[key] if key in loaded else load_scheme(key)

    def _seed() -> int:
        if public:
            return showcase().get(input.scenario()).seed
        return int(input.seed() or 0)

    if not public:

        @reactive.effect
        @reactive.event(input.scheme)
        def _reset_sliders():
            s = template()
            ui.update_slider("benefit", value=round(100 * (s.benefit.share or 0), 2))
            ui.update_slider("coverage", value=round(100 * s.coverage.rate))
            ui.update_slider("admin", value=round(100 * s.admin_cost))
            if s.coverage.seed is not None:
                ui.update_numeric("seed", value=s.coverage.seed)

        @reactive.effect
        @reactive.event(input.load_scenario)
        def _load_scenario():
            from sp2lnob.app.state import SPEC_SUFFIXES
            from sp2lnob.errors import Sp2lnobError
            from sp2lnob.simulate import load_scheme

            files = input.load_scenario() or []
            if not files:
                return
            try:
                path = state.files.keep(files[0], SPEC_SUFFIXES)
                scheme = load_scheme(path)
            except Sp2lnobError as err:
                load_error.set(err)
                return
            load_error.set(None)
            key = f"file:{path.name}"
            loaded[key] = scheme
            ui.update_select("scheme", choices={**_schemes(), key: f"{scheme.title} (from {path.name})"},
                             selected=key)

        @render.ui
        def load_problem():
            err = load_error()
            return error_box(err, "The scenario file could not be read") if err else None

        @render.download_button(filename="showcase.yaml")
        def download_showcase():
            from sp2lnob.app.showcase import Scenario, Showcase

            s = scheme()
            yield Showcase(f"{s.title}", (Scenario(s.name, s.title, s, _seed()),)).to_yaml()

    @reactive.calc
    def scheme():
        if public:
            return template()
        return template().with_values(
            {
                "benefit.share": float(input.benefit()) / 100,
                "coverage.rate": float(input.coverage()) / 100,
                "admin_cost": float(input.admin()) / 100,
            }
        )

    @reactive.calc
    def result():
        from sp2lnob.app.state import simulation
        from sp2lnob.simulate import make_package, simulate

        package_, shared = make_package([scheme()]), _shared()
        if shared is not None:
            return simulation(shared, package_, _seed())
        return simulate(base(), package_, seed=_seed())

    @render.ui
    def problem():
        from sp2lnob.errors import Sp2lnobError

        try:
            result()
        except Sp2lnobError as err:
            return error_box(err, "The scenario could not be simulated")
        return None

    def _line() -> str:
        return list(survey().lines)[0]

    @render.ui
    def scheme_text():
        s = template()
        return ui.p(ui.tags.small(s.description or "", ui.br(), "Eligible: ", ui.code(s.eligibility.when)))

    @render.text
    def benefit_unit():
        return BASIS_LABELS.get(template().benefit.basis, "")

    @render.text
    def cost():
        return pct(result().value("cost_pct_gdp", "value") / 100, 2) + " of GDP"

    @render.text
    def cost_detail():
        r = result()
        return (
            f"{r.value('cost_lcu', 'value') / 1e6:,.1f} million a year; "
            f"{r.value('beneficiaries', 'value'):,.0f} beneficiaries"
        )

    @render.text
    def headcount():
        return pct(result().value("fgt0", "post", line=_line()))

    @render.text
    def headcount_detail():
        r = result()
        change = r.value("fgt0", "change", line=_line())
        return f"{100 * change:+.2f} points at line '{_line()}' (from {pct(r.value('fgt0', 'pre', line=_line()))})"

    @render.text
    def gini():
        return num(result().value("gini", "post"))

    @render.text
    def gini_detail():
        r = result()
        return f"{r.value('gini', 'change'):+.4f} (from {num(r.value('gini', 'pre'))})"

    @render.data_frame
    def impacts():
        df = result().to_frame(groups=False)
        wide = (
            df.filter(pl.col("section").is_in(["poverty", "inequality"]), pl.col("stage").is_in(["pre", "post", "change"]))
            .pivot(on="stage", index=["measure", "line"], values="value")
            .select(
                pl.col("measure").alias("Measure"),
                pl.col("line").fill_null("").alias("Line"),
                pl.col("pre").round(4).alias("Before"),
                pl.col("post").round(4).alias("After"),
                pl.col("change").round(4).alias("Change"),
            )
        )
        return render.DataGrid(wide, width="100%")

    @reactive.effect
    async def _update_deciles():
        # A plain dict, not a plotly Figure: building and validating a Figure costs
        # tens of milliseconds on every slider move.
        from sp2lnob.errors import Sp2lnobError

        try:
            df = result().to_frame().filter(pl.col("by") == "decile", pl.col("measure") == "mean_welfare_change_pct")
        except Sp2lnobError:
            return  # the page shows the message
        values = [v if v is not None and math.isfinite(v) else None for v in df["value"].to_list()]
        await send_figure(session, "deciles", {
            "data": [{"type": "bar", "x": df["group"].to_list(), "y": values, "marker": {"color": PALETTE[2]},
                      "hovertemplate": "%{x}: %{y:+.2f} % of mean consumption<extra></extra>"}],
            "layout": {"height": 320, "margin": {"l": 50, "r": 10, "t": 10, "b": 40}, "plot_bgcolor": "white",
                       "yaxis": {"title": {"text": "Change in mean consumption (%)"}},
                       "xaxis": {"title": {"text": "Decile of pre-transfer consumption"}}}})

    @reactive.extended_task
    async def projection_task(base_, package_, seed_: int, shared):
        # About 0.4 s on the demo: computed in a worker thread after the live figures, so a
        # slider move is not held back by it. The app's own survey: once per process and scenario.
        import asyncio

        from sp2lnob.app.state import projection
        from sp2lnob.errors import Sp2lnobError
        from sp2lnob.simulate import project

        def work():
            try:
                if shared is not None:
                    return projection(shared, package_, seed_, PROJECTION_YEARS), None
                return project(base_, package_, PROJECTION_YEARS, seed=seed_), None
            except Sp2lnobError as err:
                return None, err

        return await asyncio.to_thread(work)

    @reactive.effect
    def _start_projection():
        from sp2lnob.errors import Sp2lnobError
        from sp2lnob.simulate import make_package

        try:
            package_ = make_package([scheme()])
            base_ = base()
        except Sp2lnobError:
            return  # the page shows the message
        projection_task(base_, package_, _seed(), _shared())

    @render.text
    def projection_status():
        status = projection_task.status()
        if status == "running":
            return "Projecting…"
        if status == "success":
            err = projection_task.result()[1]
            return "" if err is None else f"Projection not available: {err.what}"
        return ""

    @reactive.effect
    async def _draw_projection():
        if projection_task.status() != "success":
            return
        result_, err = projection_task.result()
        if err is not None:
            return
        t = result_.to_frame().filter(pl.col("scheme") == "package").sort("year")
        await send_figure(session, "projection", {
            "data": [{"type": "scatter", "mode": "lines+markers", "x": t["year"].to_list(),
                      "y": [round(v, 4) for v in t["cost_pct_gdp"].to_list()], "line": {"color": PALETTE[0]},
                      "hovertemplate": "%{x}: %{y:.2f} % of GDP<extra></extra>"}],
            "layout": {"height": 300, "margin": {"l": 50, "r": 10, "t": 10, "b": 40}, "plot_bgcolor": "white",
                       "yaxis": {"title": {"text": "Cost (% of GDP)"}, "rangemode": "tozero"},
                       "xaxis": {"title": {"text": "Year"}, "dtick": 1}}})

    @render.download_button(filename=lambda: f"scenario-{scheme().name}.yaml")
    def download_scenario():
        import yaml

        payload = scheme().model_dump(mode="json", exclude_none=True)
        payload["coverage"]["seed"] = _seed()
        yield yaml.safe_dump(payload, sort_keys=False, allow_unicode=True)
