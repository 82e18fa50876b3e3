"""Simulator: design a scheme with sliders; cost, poverty and inequality update live.

The page only builds a scheme from the inputs and calls the engine
(:func:`sp2lnob.simulate.simulate` on a survey prepared once per session).
"""

from __future__ import annotations

import polars as pl
from shiny import module, reactive, render, ui
from shinywidgets import output_widget, render_widget

from sp2lnob.app.format import num, pct

BASIS_LABELS = {
    "gdp_per_capita": "% of GDP per capita a year",
    "poverty_line": "% of the poverty line",
    "welfare_gap": "% of the household's welfare gap",
}


def _schemes() -> dict[str, str]:
    from sp2lnob.simulate import load_scheme, ready_scheme_names

    return {name: load_scheme(name).label for name in ready_scheme_names()}


@module.ui
def simulator_ui():
    schemes = _schemes()
    default = "universal_child_benefit" if "universal_child_benefit" in schemes else next(iter(schemes))
    return ui.layout_sidebar(
        ui.sidebar(
            ui.input_select("scheme", "Scheme", schemes, selected=default),
            ui.output_ui("scheme_text"),
            ui.input_slider("benefit", "Benefit", min=0, max=30, value=4, step=0.5, post=" %"),
            ui.output_text("benefit_unit"),
            ui.input_slider("coverage", "Coverage of the eligible", min=0, max=100, value=100, step=5, post=" %"),
            ui.input_slider("admin", "Administrative cost", min=0, max=20, value=5, step=1, post=" %"),
            ui.input_numeric("seed", "Seed (random coverage)", value=20240601, min=0),
            ui.download_button("download_scenario", "Save scenario (YAML)"),
            width=320,
        ),
        ui.layout_columns(
            ui.value_box("Cost", ui.output_text("cost"), ui.output_text("cost_detail")),
            ui.value_box("Poverty headcount", ui.output_text("headcount"), ui.output_text("headcount_detail")),
            ui.value_box("Gini", ui.output_text("gini"), ui.output_text("gini_detail")),
            fill=False,
        ),
        ui.layout_columns(
            ui.card(ui.card_header("Consumption change by decile"), output_widget("deciles")),
            ui.card(ui.card_header("Before and after"), ui.output_data_frame("impacts")),
            col_widths=(6, 6),
        ),
    )


@module.server
def simulator_server(input, output, session, survey: reactive.Calc):
    @reactive.calc
    def base():
        from sp2lnob.simulate import prepare

        return prepare(survey())

    @reactive.calc
    def template():
        from sp2lnob.simulate import load_scheme

        return load_scheme(input.scheme())

    @reactive.effect
    @reactive.event(input.scheme)
    def _reset_sliders():
        s = template()
        ui.update_slider("benefit", value=round(100 * (s.benefit.share or 0), 2))
        ui.update_slider("coverage", value=round(100 * s.coverage.rate))
        ui.update_slider("admin", value=round(100 * s.admin_cost))

    @reactive.calc
    def scheme():
        return template().with_values(
            {
                "benefit.share": float(input.benefit()) / 100,
                "coverage.rate": float(input.coverage()) / 100,
                "admin_cost": float(input.admin()) / 100,
            }
        )

    @reactive.calc
    def result():
        from sp2lnob.simulate import make_package, simulate

        return simulate(base(), make_package([scheme()]), seed=int(input.seed() or 0))

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

    @render_widget
    def deciles():
        # Rendered once; the effect below updates the bars in place (re-rendering a
        # widget on every slider move is slow and races anywidget's initialisation).
        import plotly.graph_objects as go

        fig = go.FigureWidget(go.Bar(x=[f"D{d}" for d in range(1, 11)], y=[0.0] * 10, marker_color="#2ca02c"))
        fig.update_layout(
            margin={"l": 40, "r": 10, "t": 10, "b": 40},
            yaxis_title="Change in mean consumption (%)",
            xaxis_title="Decile of pre-transfer consumption",
            height=320,
        )
        return fig

    @reactive.effect
    def _update_deciles():
        widget = deciles.widget
        if widget is None:
            return
        df = result().to_frame().filter(pl.col("by") == "decile", pl.col("measure") == "mean_welfare_change_pct")
        with widget.batch_update():
            widget.data[0].x = df["group"].to_list()
            widget.data[0].y = df["value"].to_list()

    @render.download(filename=lambda: f"scenario-{input.scheme()}.yaml")
    def download_scenario():
        import yaml

        payload = scheme().model_dump(mode="json", exclude_none=True)
        payload["coverage"]["seed"] = int(input.seed() or 0)
        yield yaml.safe_dump(payload, sort_keys=False, allow_unicode=True)
