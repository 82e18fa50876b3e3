"""LNOB: who is furthest behind. Indicator, group method and circumstances are chosen here;
the tree (furthest-behind group in red), the D-index across indicators and the Shapley shares
come from :func:`sp2lnob.opportunity.run_lnob`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from shiny import module, reactive, render, req, ui

from sp2lnob.app.display import AHEAD, BEHIND, PALETTE, error_box, figure, plot_div, send_figure

GROUP_METHODS = {"leaves": "Tree leaves (ESCAP)", "cells": "All circumstance cells", "logit": "Logit predictions"}


def demo_lnob_path() -> Path:
    """The demo survey's LNOB spec (a file inside the installed package)."""
    from sp2lnob.demo.files import demo_lnob_spec_path

    return demo_lnob_spec_path()


def demo_lnob_spec(config=None):
    """The app's LNOB spec (``--lnob-spec``, else the demo's), read once per process (immutable)."""
    from sp2lnob.app.state import demo_lnob_spec as shared

    return shared(getattr(config, "lnob_spec", None))


def indicator_choices(spec) -> dict[str, str]:
    """Indicator name -> label, for the pages' indicator menus."""
    return {i.name: i.label or i.name for i in spec.indicators}


def with_circumstances(spec, indicator: str, circumstances: list[str]):
    """A copy of ``spec`` in which ``indicator`` uses only ``circumstances`` (validated again)."""
    from sp2lnob.opportunity import parse_lnob_spec

    payload = spec.model_dump(mode="python", exclude_none=True)
    for item in payload["indicators"]:  # ten indicators at most
        if item["name"] == indicator:
            item["circumstances"] = list(circumstances)
    return parse_lnob_spec(payload, where="circumstances chosen in the app")


@module.ui
def lnob_ui(config=None):
    spec = demo_lnob_spec(config)
    first = spec.indicators[0]
    names = [c.name for c in spec.circumstances_of(first)]
    return ui.layout_sidebar(
        ui.sidebar(
            ui.input_select("indicator", "Indicator", indicator_choices(spec),
                            selected=first.name),
            ui.input_select("method", "Groups", GROUP_METHODS, selected="leaves"),
            ui.input_checkbox_group("circumstances", "Circumstances", {n: n.replace("_", " ") for n in names},
                                    selected=names),
            ui.p(ui.tags.small("The tree splits people by these circumstances; the red group is the furthest "
                               "behind (lowest access), the blue one the furthest ahead.")),
            width=320,
        ),
        ui.output_ui("problem"),
        ui.layout_columns(
            ui.value_box("D-index", ui.output_text("dindex"), ui.output_text("dindex_detail")),
            ui.value_box("Furthest behind", ui.output_text("behind"), ui.output_text("behind_detail")),
            ui.value_box("Furthest ahead", ui.output_text("ahead"), ui.output_text("ahead_detail")),
            fill=False,
        ),
        ui.card(ui.card_header("Tree of access (hover a node for its path, rate and share)"), plot_div("tree", 460)),
        ui.layout_columns(
            ui.card(ui.card_header(ui.tooltip(ui.span("D-index across indicators ⓘ"),
                                              "Dissimilarity index: the share of access that would have to be "
                                              "moved between groups for equal access (0 = equal).")),
                    ui.output_text("dindex_status"), plot_div("dindex_chart", 400)),
            ui.card(ui.card_header("Shapley decomposition of the D-index"), plot_div("shapley", 400)),
            col_widths=(6, 6),
        ),
    )


@module.server
def lnob_server(input, output, session, survey: Callable[[], Any], config=None, state=None):
    from sp2lnob.errors import Sp2lnobError

    @reactive.calc
    def spec():
        return state.lnob_spec() if state is not None else demo_lnob_spec(config)

    drawn_from_demo = [True]

    @reactive.effect
    @reactive.event(spec)
    def _indicators():
        # The controls are drawn from the demo spec; an LNOB spec uploaded on the Data page
        # (before or after this page is first shown) puts in its own indicators.
        sp = spec()
        if drawn_from_demo[0] and (state is None or state.uploaded_lnob() is None):
            return   # first run on the demo spec: the controls already show it
        drawn_from_demo[0] = False
        ui.update_select("indicator", choices=indicator_choices(sp),
                         selected=sp.indicators[0].name)
        names = [c.name for c in sp.circumstances_of(sp.indicators[0])]
        ui.update_checkbox_group("circumstances", choices={n: n.replace("_", " ") for n in names}, selected=names)

    @reactive.effect
    @reactive.event(input.indicator, ignore_init=True)
    def _circumstances():
        sp = spec()
        try:
            ind = sp.indicator(input.indicator())
        except Sp2lnobError:   # an indicator of the previous spec, while the controls change
            return
        names = [c.name for c in sp.circumstances_of(ind)]
        ui.update_checkbox_group("circumstances", choices={n: n.replace("_", " ") for n in names}, selected=names)

    def _shared():
        # The app's survey file (and demo LNOB spec) when this session uses them: results come
        # from per-process caches.
        return state.shared_lnob() if state is not None else None

    @reactive.extended_task
    async def every_indicator(survey_, spec_, method: str, shared):
        # Ten trees take seconds: grown in a worker thread so the page (and other sessions) stay
        # responsive; on the app's own survey once per process and method.
        import asyncio

        from sp2lnob.app.state import lnob_every_indicator
        from sp2lnob.opportunity import run_lnob

        def work():
            try:
                if shared is not None:
                    return lnob_every_indicator(shared, method, state.config.lnob_spec), None
                return run_lnob(survey_, spec_, group_method=method, shapley=None), None
            except Sp2lnobError as err:
                return None, err

        return await asyncio.to_thread(work)

    @reactive.effect
    def _start_every_indicator():
        req(state is None or state.visible("lnob"))
        try:
            s = survey()
        except Sp2lnobError:
            return
        every_indicator(s, spec(), input.method(), _shared())

    def all_indicators():
        if every_indicator.status() != "success":
            return None, None
        return every_indicator.result()

    @render.text
    def dindex_status():
        return "Growing a tree per indicator…" if every_indicator.status() == "running" else ""

    @reactive.calc
    def one():
        from sp2lnob.app.state import lnob_one
        from sp2lnob.opportunity import run_lnob

        req(state is None or state.visible("lnob"))
        ind, chosen = input.indicator(), list(input.circumstances())
        if not ind or not chosen or ind not in {i.name for i in spec().indicators}:
            return None, None
        try:
            shared = _shared()
            if shared is not None:
                run = lnob_one(shared, ind, tuple(chosen), input.method(), state.config.lnob_spec)
            else:
                sp = with_circumstances(spec(), ind, chosen)
                run = run_lnob(survey(), sp, indicators=[ind], group_method=input.method())
        except Sp2lnobError as err:
            return None, err
        if not run.results:
            from sp2lnob.errors import DataError

            e = run.errors[0]["error"] if run.errors else {"what": "no result"}
            return None, DataError(e.get("what", "no result"), where=e.get("where"), hint=e.get("hint"))
        return run.results[0], None

    @render.ui
    def problem():
        errs = [e for e in (one()[1], all_indicators()[1]) if e is not None]
        if not input.circumstances():
            return ui.div("Choose at least one circumstance.", class_="alert alert-info")
        return ui.TagList(*[error_box(e, "The LNOB analysis could not be computed") for e in errs])

    def _res():
        return one()[0]

    @render.text
    def dindex():
        r = _res()
        return "–" if r is None else f"{r.d_index:.3f}"

    @render.text
    def dindex_detail():
        r = _res()
        return "" if r is None else f"HOI {r.hoi:.3f}; average access {100 * r.mean_rate:.1f} %"

    @render.text
    def behind():
        r = _res()
        return "–" if r is None else f"{100 * r.furthest_behind.rate:.1f} %"

    @render.text
    def behind_detail():
        r = _res()
        return "" if r is None else f"{r.furthest_behind.rule} ({100 * r.furthest_behind.share:.1f} % of people)"

    @render.text
    def ahead():
        r = _res()
        return "–" if r is None else f"{100 * r.furthest_ahead.rate:.1f} %"

    @render.text
    def ahead_detail():
        r = _res()
        return "" if r is None else f"{r.furthest_ahead.rule} ({100 * r.furthest_ahead.share:.1f} % of people)"

    @reactive.effect
    async def _draw_tree():
        from sp2lnob.opportunity.plot import tree_plotly

        r = _res()
        if r is None:
            await send_figure(session, "tree", figure([], 460))
            return
        fig = tree_plotly(r)
        await send_figure(session, "tree", figure(list(fig.data), 460, title=fig.layout.title.text,
                                                  xaxis={"visible": False}, yaxis={"visible": False}))

    @reactive.effect
    async def _draw_dindex():
        import plotly.graph_objects as go

        run, _err = all_indicators()
        if run is None or not run.results:
            await send_figure(session, "dindex_chart", figure([], 400))
            return
        t = run.to_frame().sort("d_index")
        colours = [BEHIND if name == input.indicator() else AHEAD for name in t["indicator"].to_list()]
        await send_figure(session, "dindex_chart", figure([go.Bar(
            y=t["label"].to_list(), x=t["d_index"].to_list(), orientation="h", marker_color=colours,
            customdata=t.select("furthest_behind", "furthest_behind_rate").rows(),
            hovertemplate="%{y}<br>D = %{x:.3f}<br>furthest behind: %{customdata[0]} "
                          "(%{customdata[1]:.1%})<extra></extra>")], 400,
            xaxis_title="D-index (0 = equal access)", margin={"l": 260, "r": 10, "t": 10, "b": 50}))

    @reactive.effect
    async def _draw_shapley():
        import plotly.graph_objects as go

        r = _res()
        if r is None or r.shapley is None:
            await send_figure(session, "shapley", figure([], 400))
            return
        sh = pl.DataFrame({"circumstance": list(r.shapley.names), "share": [100 * v for v in r.shapley.shares]})
        sh = sh.sort("share")
        await send_figure(session, "shapley", figure([go.Bar(
            y=sh["circumstance"].to_list(), x=sh["share"].to_list(), orientation="h", marker_color=PALETTE[2],
            hovertemplate="%{y}: %{x:.1f} % of D<extra></extra>")], 400,
            xaxis_title=f"Share of the D-index (%), {r.shapley.variant} variant",
            margin={"l": 140, "r": 10, "t": 10, "b": 50}))
