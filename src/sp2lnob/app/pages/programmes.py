"""Programmes: the ASPIRE performance indicators of the survey's programmes, with filters and charts.

The indicator set is computed once per survey (:func:`sp2lnob.performance.indicators_from_survey`);
the filters only select rows of its tidy table.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
from shiny import module, reactive, render, req, ui

from sp2lnob.app.display import PALETTE, error_box, figure, plot_div, send_figure

SET_TYPES = {"programme": "Programmes", "category": "Categories (ASPIRE)", "family": "Families",
             "all_spl": "All social protection", "private": "Private transfers"}
GROUPINGS = {"quintile": "Quintile", "urban": "Urban / rural", "region": "Region", "sex": "Sex",
             "head_sex": "Sex of the household head", "age_group": "Age group", "all": "Whole population"}


@lru_cache(maxsize=1)
def indicator_help() -> dict[str, dict[str, str]]:
    """Label, unit and definition of each indicator (``indicator_help.yaml``)."""
    import yaml

    text = (Path(__file__).resolve().parents[1] / "indicator_help.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["indicators"]


def _label(indicator: str) -> str:
    return indicator_help().get(indicator, {}).get("label", indicator.replace("_", " "))


def _hover(indicator: str) -> str:
    h = indicator_help().get(indicator, {})
    return f"{h.get('label', indicator)} ({h.get('unit', '')}): {h.get('definition', '')}"


def select_rows(frame: pl.DataFrame, indicator: str, set_type: str, group_var: str, basis: str,
                line: str | None) -> pl.DataFrame:
    """The rows of one indicator for the filters; a filter the indicator does not have is ignored
    (e.g. basis for a figure over the whole population, line for coverage)."""
    f = frame.filter(pl.col("indicator") == indicator)
    if f.filter(pl.col("set_type") == set_type).height:
        f = f.filter(pl.col("set_type") == set_type)
    if f.filter(pl.col("group_var") == group_var).height:
        f = f.filter(pl.col("group_var") == group_var)
    else:
        f = f.filter(pl.col("group_var") == f["group_var"][0]) if f.height else f
    if f.filter(pl.col("basis") == basis).height:
        f = f.filter(pl.col("basis") == basis)
    elif f.filter(pl.col("basis") == "none").height:
        f = f.filter(pl.col("basis") == "none")
    if line is not None and f.filter(pl.col("line") == line).height:
        f = f.filter(pl.col("line") == line)
    return f


@module.ui
def programmes_ui(config=None):
    chart = lambda title, name, tip: ui.card(  # noqa: E731 - a local layout shorthand
        ui.card_header(ui.tooltip(ui.span(title, " ⓘ"), tip)), plot_div(name))
    return ui.layout_sidebar(
        ui.sidebar(
            ui.input_select("indicator", "Indicator", {k: v["label"] for k, v in indicator_help().items()},
                            selected="coverage"),
            ui.output_ui("definition"),
            ui.input_select("set_type", "Programmes, categories or families", SET_TYPES, selected="programme"),
            ui.input_select("group_var", "Grouping", GROUPINGS, selected="quintile"),
            ui.input_radio_buttons("basis", "Rank people by welfare", {"pre": "before transfers", "post": "after"},
                                   selected="pre", inline=True),
            ui.input_select("line", "Poverty line", {}),
            width=320,
        ),
        ui.output_ui("problem"),
        ui.card(ui.card_header("Selected indicator by group"), plot_div("selected", 360)),
        ui.layout_columns(
            chart("Coverage by quintile", "coverage", _hover("coverage")),
            chart("Benefit incidence by quintile", "incidence", _hover("benefit_incidence")),
            col_widths=(6, 6),
        ),
        ui.layout_columns(
            chart("Adequacy", "adequacy", _hover("adequacy")),
            chart("Poverty and Gini reduction", "reduction",
                  _hover("poverty_headcount_reduction") + " " + _hover("gini_reduction")),
            col_widths=(6, 6),
        ),
        ui.card(ui.card_header("Figures (value, design-based SE, persons behind the figure)"),
                ui.output_data_frame("table")),
    )


@module.server
def programmes_server(input, output, session, survey: Callable[[], Any], config=None, state=None):
    @reactive.calc
    def computed():
        from sp2lnob.errors import Sp2lnobError
        from sp2lnob.performance import indicators_from_survey

        req(state is None or state.visible("programmes"))
        try:
            with ui.Progress() as bar:
                bar.set(message="Computing the performance indicators…")
                return indicators_from_survey(survey()), None
        except Sp2lnobError as err:
            return None, err

    def result():
        res, _err = computed()
        return res

    @reactive.effect
    def _choices():
        res = result()
        if res is None:
            return
        with reactive.isolate():
            keep = input.indicator() or "coverage"
        ui.update_select("indicator", choices={i: _label(i) for i in res.indicators()}, selected=keep)
        lines = res.meta.get("line_labels", {})
        ui.update_select("line", choices=lines or {"": "(no poverty line)"},
                         selected=next(iter(lines), ""))

    @render.ui
    def problem():
        _res, err = computed()
        return error_box(err, "The indicators could not be computed") if err else None

    @render.ui
    def definition():
        if not input.indicator():
            return None
        return ui.p(ui.tags.small(_hover(input.indicator())))

    def _labels() -> dict[str, str]:
        res = result()
        return {} if res is None else dict(zip(res.sets["programme"].to_list(), res.sets["label"].to_list(),
                                               strict=True))

    def _rows(indicator: str, group_var: str | None = None) -> pl.DataFrame:
        res = result()
        if res is None or not indicator:
            return pl.DataFrame()
        rows = select_rows(res.to_frame(), indicator, input.set_type(), group_var or input.group_var(),
                           input.basis(), input.line() or None)
        # NaN is not JSON: the browser would drop the whole message (and every output in it).
        return rows.with_columns(pl.col("value", "se").fill_nan(None))

    def _bars_by_group(df: pl.DataFrame, percent: bool = True) -> list:
        import plotly.graph_objects as go

        if df.is_empty():
            return []
        names = _labels()
        scale = 100.0 if percent else 1.0
        traces = []
        for k, prog in enumerate(df["programme"].unique(maintain_order=True).to_list()):  # a few programmes
            part = df.filter(pl.col("programme") == prog)
            traces.append(go.Bar(
                x=part["group"].to_list(), y=(part["value"] * scale).to_list(), name=names.get(prog, prog),
                marker_color=PALETTE[k % len(PALETTE)],
                error_y={"type": "data", "array": (part["se"].fill_null(0) * 1.96 * scale).to_list()},
                customdata=part.select("n", "se").rows(),
                hovertemplate=("%{fullData.name}<br>%{x}: %{y:.1f}" + (" %" if percent else "")
                               + "<br>SE %{customdata[1]:.4f}, n = %{customdata[0]:,}<extra></extra>")))
        return traces

    def _bars_by_programme(df: pl.DataFrame, name: str, colour: str) -> list:
        import plotly.graph_objects as go

        if df.is_empty():
            return []
        names = _labels()
        return [go.Bar(x=[names.get(p, p)[:28] for p in df["programme"].to_list()], y=(df["value"] * 100).to_list(),
                       name=name, marker_color=colour,
                       error_y={"type": "data", "array": (df["se"].fill_null(0) * 196).to_list()},
                       hovertemplate="%{x}<br>%{y:.2f} %<extra>" + name + "</extra>")]

    @reactive.effect
    async def _draw_selected():
        ind = input.indicator() or "coverage"
        df = _rows(ind)
        unit = indicator_help().get(ind, {}).get("unit", "")
        percent = "share" in unit
        await send_figure(session, "selected", figure(
            _bars_by_group(df, percent), 360, barmode="group",
            yaxis_title=f"{_label(ind)} ({'%' if percent else unit})",
            xaxis_title=GROUPINGS.get(df["group_var"][0], "") if df.height else ""))

    @reactive.effect
    async def _draw_fixed():
        await send_figure(session, "coverage", figure(
            _bars_by_group(_rows("coverage", "quintile")), barmode="group",
            yaxis_title="Coverage (% of the quintile)", xaxis_title="Quintile"))
        await send_figure(session, "incidence", figure(
            _bars_by_group(_rows("benefit_incidence", "quintile")), barmode="group",
            yaxis_title="Share of all benefits (%)", xaxis_title="Quintile"))
        await send_figure(session, "adequacy", figure(
            _bars_by_programme(_rows("adequacy", "all"), "Adequacy", PALETTE[2]),
            yaxis_title="Transfers / beneficiaries' welfare (%)"))
        await send_figure(session, "reduction", figure(
            _bars_by_programme(_rows("poverty_headcount_reduction", "all"), "Poverty headcount reduction", PALETTE[0])
            + _bars_by_programme(_rows("gini_reduction", "all"), "Gini reduction", PALETTE[1]),
            barmode="group", yaxis_title="Reduction (% of the pre-transfer figure)"))

    @render.data_frame
    def table():
        df = _rows(input.indicator() or "coverage")
        if df.is_empty():
            return render.DataGrid(pl.DataFrame({"note": ["no figures for these filters"]}))
        names = _labels()
        shown = df.select(
            pl.col("programme").replace_strict(names, default=pl.col("programme")).alias("Programme"),
            pl.col("group").alias("Group"), pl.col("basis").alias("Basis"), pl.col("line").fill_null("").alias("Line"),
            pl.col("value").round(4).alias("Value"), pl.col("se").round(4).alias("SE"), pl.col("n").alias("n"))
        return render.DataGrid(shown, width="100%", height="360px")
