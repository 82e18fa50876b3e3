"""Overview: poverty and inequality headlines with confidence intervals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
from shiny import module, reactive, render, ui

from sp2lnob.app.display import PALETTE, figure, plot_div, send_figure
from sp2lnob.app.format import money, num, pct
from sp2lnob.errors import Sp2lnobError

METHODS = {"linearization": "Taylor linearisation", "bootstrap": "Rao–Wu bootstrap (200 replicates)"}


@module.ui
def overview_ui(config=None):
    return ui.layout_sidebar(
        ui.sidebar(
            ui.input_select("method", "Standard errors", METHODS, selected="linearization"),
            ui.input_numeric("seed", "Bootstrap seed", value=20240601, min=0),
            ui.output_ui("survey_info"),
            width=300,
        ),
        ui.layout_columns(
            ui.value_box("Poverty headcount", ui.output_text("headcount"), ui.output_text("headcount_ci")),
            ui.value_box("Gini", ui.output_text("gini"), ui.output_text("gini_ci")),
            ui.value_box("Mean welfare", ui.output_text("mean"), ui.output_text("mean_ci")),
            fill=False,
        ),
        ui.layout_columns(
            ui.card(ui.card_header("Poverty and inequality (95 % confidence intervals)"), ui.output_data_frame("table")),
            ui.card(ui.card_header("Mean welfare by decile"), plot_div("deciles", 320)),
            col_widths=(7, 5),
        ),
    )


@module.server
def overview_server(input, output, session, survey: Callable[[], Any], config=None, state=None):
    @reactive.calc
    def estimates() -> pl.DataFrame:
        from sp2lnob.app.state import headline_table
        from sp2lnob.headline import headline

        method, seed = input.method(), int(input.seed() or 0)
        shared = state.shared_spec() if state is not None else None
        with ui.Progress() as bar:
            bar.set(message="Computing estimates…")
            if shared is not None:  # the app's survey: once per process
                return headline_table(shared, method, seed)
            return headline(survey(), method=method, seed=seed)

    def _pick(label: str, line: str | None = None) -> dict:
        df = estimates().filter(pl.col("label") == label)
        if line is not None:
            df = df.filter(pl.col("line") == line)
        return df.row(0, named=True) if df.height else {}

    def _first_line() -> str | None:
        lines = list(survey().lines)
        return lines[0] if lines else None

    @render.ui
    def survey_info():
        s = survey()
        meta = s.spec.survey
        return ui.TagList(
            ui.h6(getattr(meta, "name", None) or "Survey"),
            ui.p(f"{s.n_households:,} households, {s.n_persons:,} persons"),
            ui.p("Welfare: " + str(s.spec.welfare.variable)),
        )

    @render.text
    def headcount():
        r = _pick("Headcount (FGT0)", _first_line())
        return pct(r.get("estimate"))

    @render.text
    def headcount_ci():
        r = _pick("Headcount (FGT0)", _first_line())
        return f"line '{_first_line()}', 95 % CI {pct(r.get('ci_low'))} – {pct(r.get('ci_high'))}"

    @render.text
    def gini():
        return num(_pick("Gini").get("estimate"))

    @render.text
    def gini_ci():
        r = _pick("Gini")
        return f"95 % CI {num(r.get('ci_low'))} – {num(r.get('ci_high'))}"

    @render.text
    def mean():
        return money(_pick("Mean welfare").get("estimate"))

    @render.text
    def mean_ci():
        r = _pick("Mean welfare")
        return f"95 % CI {money(r.get('ci_low'))} – {money(r.get('ci_high'))}"

    @render.data_frame
    def table():
        df = estimates()
        shown = df.select(
            pl.col("label").alias("Measure"),
            pl.col("line").fill_null("").alias("Line"),
            pl.col("estimate").round(4).alias("Estimate"),
            pl.col("se").round(4).alias("SE"),
            pl.col("ci_low").round(4).alias("CI low"),
            pl.col("ci_high").round(4).alias("CI high"),
        )
        return render.DataGrid(shown, width="100%")

    @reactive.effect
    async def _deciles():
        import plotly.graph_objects as go

        from sp2lnob import measures

        try:
            s = survey()
        except Sp2lnobError:
            return  # the page shows the load error
        decile = measures.ntile(s.welfare, s.weights, n=10)
        df = measures.by_group("mean", s.welfare, s.weights, decile)
        groups = np.asarray(df["group"].to_list())
        currency = getattr(s.spec.survey, "currency", None) or "LCU"
        await send_figure(session, "deciles", figure(
            [go.Bar(x=[f"D{g}" for g in groups], y=df["value"].to_list(), marker_color=PALETTE[0],
                    hovertemplate="%{x}: %{y:,.0f} " + currency + " per person per year<extra></extra>")], 320,
            margin={"l": 40, "r": 10, "t": 10, "b": 40},
            yaxis_title=f"Mean welfare per capita ({currency}/year)", xaxis_title="Decile of welfare"))
