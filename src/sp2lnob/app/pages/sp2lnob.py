"""SP2LNOB: how a simulated scheme changes access to opportunity for the groups furthest behind.

The LNOB trees are fitted once per survey on pre-transfer data
(:func:`sp2lnob.impact.prepare_impact`); each slider move re-runs
:func:`sp2lnob.impact.impact` (faithful ``tree`` mode: people re-routed on
post-transfer consumption, or the ``smooth`` extension).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from shiny import module, reactive, render, req, ui

from sp2lnob.app.display import AHEAD, BEHIND, PALETTE, error_box, figure, plot_div, send_figure
from sp2lnob.app.format import pct

MODES = {"tree": "Faithful (ESCAP SP2LNOB tree)", "smooth": "Smooth (spline logit, extension)"}
SEED = 20240601


@module.ui
def sp2lnob_ui(config=None):
    from sp2lnob.app.pages.lnob import demo_lnob_spec, indicator_choices
    from sp2lnob.app.pages.simulator import _schemes

    spec = demo_lnob_spec(config)
    schemes = _schemes()
    default = "universal_child_benefit" if "universal_child_benefit" in schemes else next(iter(schemes))
    return ui.layout_sidebar(
        ui.sidebar(
            ui.input_select("scheme", "Scheme", schemes, selected=default),
            ui.input_slider("benefit", "Benefit", min=0, max=30, value=4, step=0.5, post=" %"),
            ui.input_select("indicator", "Opportunity", indicator_choices(spec),
                            selected=spec.indicators[0].name),
            ui.input_radio_buttons("mode", "Method", MODES, selected="tree"),
            ui.p(ui.tags.small("Benefit in the scheme's own unit (see the Simulator page). Groups are the LNOB "
                               "tree's leaves fitted before transfers; the furthest-behind group is in red.")),
            width=320,
        ),
        ui.output_ui("problem"),
        ui.layout_columns(
            ui.value_box("Cost", ui.output_text("cost"), ui.output_text("poverty")),
            ui.value_box("Furthest behind: access", ui.output_text("behind"), ui.output_text("behind_detail")),
            ui.value_box("National access", ui.output_text("national"), ui.output_text("national_detail")),
            fill=False,
        ),
        ui.layout_columns(
            ui.card(ui.card_header("Access before and after, by group"), plot_div("groups", 380)),
            ui.card(ui.card_header("Change for the furthest-behind group, every opportunity"),
                    plot_div("across", 380)),
            col_widths=(6, 6),
        ),
        ui.card(ui.card_header("Every opportunity"), ui.output_data_frame("table")),
    )


@module.server
def sp2lnob_server(input, output, session, survey: Callable[[], Any], config=None, state=None):
    from sp2lnob.errors import Sp2lnobError

    @reactive.calc
    def base():
        from sp2lnob.app.state import impact_base
        from sp2lnob.impact import prepare_impact

        req(state is None or state.visible("sp2lnob"))
        try:
            shared = state.shared_lnob() if state is not None else None
            with ui.Progress() as bar:
                bar.set(message="Fitting the LNOB trees before transfers…")
                # The app's own survey and the demo LNOB spec: fitted once per process.
                if shared is not None:
                    return impact_base(shared, state.config.lnob_spec), None
                return prepare_impact(survey(), state.lnob_spec() if state is not None else None), None
        except Sp2lnobError as err:
            return None, err

    drawn_from_demo = [True]

    @reactive.effect
    def _indicators():
        # The indicator list is drawn from the demo LNOB spec; an uploaded one replaces it.
        if state is None:
            return
        own = state.uploaded_lnob()
        if own is None and drawn_from_demo[0]:
            return
        drawn_from_demo[0] = False
        from sp2lnob.app.pages.lnob import indicator_choices

        sp = state.lnob_spec()
        ui.update_select("indicator", choices=indicator_choices(sp),
                         selected=sp.indicators[0].name)

    @reactive.effect
    @reactive.event(input.scheme)
    def _reset():
        from sp2lnob.simulate import load_scheme

        ui.update_slider("benefit", value=round(100 * (load_scheme(input.scheme()).benefit.share or 0), 2))

    @reactive.calc
    def result():
        from sp2lnob.impact import impact
        from sp2lnob.simulate import load_scheme

        b, err = base()
        if b is None:
            return None, err
        try:
            scheme = load_scheme(input.scheme()).with_values({"benefit.share": float(input.benefit()) / 100})
            return impact(b, [scheme], mode=input.mode(), seed=SEED), None
        except Sp2lnobError as e:
            return None, e

    def _res():
        return result()[0]

    def _one():
        r = _res()
        if r is None:
            return None
        try:
            return r.indicator(input.indicator())
        except Sp2lnobError:
            return None

    @render.ui
    def problem():
        err = result()[1]
        return error_box(err, "The SP2LNOB analysis could not be computed") if err else None

    @render.text
    def cost():
        r = _res()
        return "–" if r is None else f"{r.cost_pct_gdp:.2f} % of GDP"

    @render.text
    def poverty():
        r = _res()
        return "" if r is None else f"poverty {pct(r.poverty_pre)} → {pct(r.poverty_post)}"

    def _row():
        r = _res()
        if r is None:
            return None
        f = r.indicators_frame().filter(pl.col("indicator") == input.indicator())
        return f.row(0, named=True) if f.height else None

    @render.text
    def behind():
        row = _row()
        return "–" if row is None else f"{pct(row['furthest_behind_pre'])} → {pct(row['furthest_behind_post'])}"

    @render.text
    def behind_detail():
        row = _row()
        return "" if row is None else f"{row['furthest_behind']} ({pct(row['furthest_behind_share'])} of people)"

    @render.text
    def national():
        row = _row()
        return "–" if row is None else f"{pct(row['national_pre'])} → {pct(row['national_post'])}"

    @render.text
    def national_detail():
        row = _row()
        return "" if row is None else f"D-index {row['d_pre']:.3f} → {row['d_post']:.3f}"

    @reactive.effect
    async def _draw():
        import plotly.graph_objects as go

        r = _res()
        if r is None:
            return
        g = r.to_frame().filter(pl.col("indicator") == input.indicator(), pl.col("rank") > 0).sort("rank")
        # Rank first: two leaves can share a shortened rule, and plotly would merge their bars.
        labels = [f"{k}. {rule[:38]}" for k, rule in zip(g["rank"].to_list(), g["rule"].to_list(), strict=True)]
        colours = [BEHIND if k == 1 else AHEAD for k in g["rank"].to_list()]
        await send_figure(session, "groups", figure([
            go.Bar(x=labels, y=(g["access_pre"] * 100).to_list(), name="before", marker_color="#BBBBBB",
                   customdata=g["rule"].to_list(),
                   hovertemplate="%{customdata}<br>before: %{y:.1f} %<extra></extra>"),
            go.Bar(x=labels, y=(g["access_post"] * 100).to_list(), name="after", marker_color=colours,
                   customdata=list(zip(g["rule"].to_list(), (g["share"] * 100).to_list(), strict=True)),
                   hovertemplate="%{customdata[0]}<br>after: %{y:.1f} % (%{customdata[1]:.1f} % of people)"
                                 "<extra></extra>")],
            380, barmode="group", yaxis_title="Access (%)", margin={"l": 50, "r": 10, "t": 10, "b": 120}))
        t = r.indicators_frame().sort("furthest_behind_change")
        await send_figure(session, "across", figure([go.Bar(
            y=t["label"].to_list(), x=(t["furthest_behind_change"] * 100).to_list(), orientation="h",
            marker_color=PALETTE[2], customdata=t.select("furthest_behind").rows(),
            hovertemplate="%{y}<br>%{x:+.2f} points for %{customdata[0]}<extra></extra>")], 380,
            xaxis_title="Change in access of the furthest-behind group (points)",
            margin={"l": 260, "r": 10, "t": 10, "b": 50}))

    @render.data_frame
    def table():
        r = _res()
        if r is None:
            return None
        shown = r.indicators_frame().select(
            pl.col("label").alias("Opportunity"), pl.col("furthest_behind").alias("Furthest behind"),
            (pl.col("furthest_behind_pre") * 100).round(1).alias("Before (%)"),
            (pl.col("furthest_behind_post") * 100).round(1).alias("After (%)"),
            (pl.col("national_pre") * 100).round(1).alias("National before (%)"),
            (pl.col("national_post") * 100).round(1).alias("National after (%)"),
            pl.col("note").alias("Note"))
        return render.DataGrid(shown, width="100%")
