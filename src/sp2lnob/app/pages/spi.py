"""SPI: the ADB Social Protection Index from a register and basic statistics (Asiatica by default).

Both inputs can be uploaded or edited in the grids; edited grids are written to the session's
directory and read back by the engine's own readers, so the app parses nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from shiny import module, reactive, render, req, ui

from sp2lnob.app.display import BEHIND, PALETTE, error_box, figure, plot_div, send_figure

METHODS = {"2012": "Revised SPI (ADB 2012)", "2005": "Original SPI (ADB 2005)"}
TABLE_SUFFIXES = (".csv", ".xlsx", ".yaml", ".yml")
BROAD_COLOURS = {"SI": PALETTE[0], "SA": PALETTE[1], "LMP": PALETTE[2]}


def _raw(path: Path) -> pl.DataFrame:
    """A CSV as text columns, for editing (the engine parses the numbers and units)."""
    return pl.read_csv(path, infer_schema=False)


@module.ui
def spi_ui(config=None):
    public = bool(config and config.public)
    uploads = [] if public else [
        ui.input_file("register_file", "Upload a register", accept=list(TABLE_SUFFIXES)),
        ui.input_file("stats_file", "Upload basic statistics", accept=list(TABLE_SUFFIXES)),
        ui.output_ui("upload_problem"),
    ]
    return ui.layout_sidebar(
        ui.sidebar(
            ui.input_radio_buttons("method", "Method", METHODS, selected="2012"),
            *uploads,
            ui.input_select("table", "Workbook table", {}),
            ui.p(ui.tags.small("Example: Asiatica, the worked example of ADB's 2012 SPI handbook.")),
            width=320,
        ),
        ui.output_ui("problem"),
        ui.layout_columns(
            ui.value_box("SPI", ui.output_text("spi"), ui.output_text("spi_detail")),
            ui.value_box("Depth", ui.output_text("depth"), "expenditure per beneficiary / z"),
            ui.value_box("Breadth", ui.output_text("breadth"), "beneficiaries / potential beneficiaries"),
            fill=False,
        ),
        ui.layout_columns(
            ui.card(ui.card_header("Depth and breadth: the country among the 27 countries of 2009"),
                    plot_div("depth_breadth", 400)),
            ui.card(ui.card_header("SPI against the region (2009)"), plot_div("region", 400)),
            col_widths=(6, 6),
        ),
        ui.layout_columns(
            ui.card(ui.card_header("Expenditure by category"), plot_div("expenditure", 400)),
            ui.card(ui.card_header(ui.output_text("table_title")), ui.output_data_frame("workbook")),
            col_widths=(5, 7),
        ),
        ui.card(ui.card_header("Compared with the region"), ui.output_data_frame("compare")),
        ui.card(ui.card_header("Register (double-click a cell to edit)"), ui.output_data_frame("register_grid")),
        ui.card(ui.card_header("Basic statistics (double-click a cell to edit)"), ui.output_data_frame("stats_grid")),
    )


@module.server
def spi_server(input, output, session, survey: Callable[[], Any], config=None, state=None):
    from sp2lnob.errors import Sp2lnobError
    from sp2lnob.spi.examples import example_paths

    ex_stats, ex_register, ex_year = example_paths("asiatica")
    register_source: reactive.Value[pl.DataFrame] = reactive.value(_raw(ex_register))
    stats_source: reactive.Value[pl.DataFrame] = reactive.value(_raw(ex_stats))
    upload_error: reactive.Value = reactive.value(None)

    def _upload(files, target: reactive.Value, key_header: str) -> None:
        from sp2lnob.spi._read import read_text_table

        if not files:
            return
        try:
            path = state.files.keep(files[0], TABLE_SUFFIXES)
            if path.suffix.lower() in (".yaml", ".yml"):
                raise Sp2lnobError("YAML inputs are read by the command line; upload CSV or Excel here",
                                   where=path.name, expected="csv, xlsx", got=path.suffix)
            frame = read_text_table(path, key_header=key_header,
                                    sheet="basic statistics" if key_header == "field" and path.suffix == ".xlsx"
                                    else None)
        except Sp2lnobError as err:
            upload_error.set(err)
            return
        upload_error.set(None)
        target.set(frame.select(pl.all().cast(pl.String)))

    if state is not None and not (config and config.public):

        @reactive.effect
        @reactive.event(input.register_file)
        def _register_upload():
            _upload(input.register_file(), register_source, "id")

        @reactive.effect
        @reactive.event(input.stats_file)
        def _stats_upload():
            _upload(input.stats_file(), stats_source, "field")

        @render.ui
        def upload_problem():
            err = upload_error()
            return error_box(err, "The file could not be read") if err else None

    @render.data_frame
    def register_grid():
        return render.DataGrid(register_source(), editable=True, width="100%", height="320px")

    @render.data_frame
    def stats_grid():
        return render.DataGrid(stats_source(), editable=True, width="100%", height="320px")

    @reactive.calc
    def result():
        from sp2lnob.spi import compute_spi, read_basic_statistics, read_register

        req(state.visible("spi"))
        folder = state.files.directory / "spi"
        folder.mkdir(exist_ok=True)
        try:
            register_grid.data_view().write_csv(folder / "register.csv")
            stats_grid.data_view().write_csv(folder / "basic_statistics.csv")
            stats = read_basic_statistics(folder / "basic_statistics.csv")
            year = int(stats.year) if getattr(stats, "year", None) else ex_year
            return compute_spi(stats, read_register(folder / "register.csv"), year, method=input.method()), None
        except Sp2lnobError as err:
            return None, err

    def _res():
        return result()[0]

    def _revised():
        from sp2lnob.spi import RevisedSPI

        r = _res()
        return r if isinstance(r, RevisedSPI) else None

    @render.ui
    def problem():
        err = result()[1]
        return error_box(err, "The SPI could not be computed") if err else None

    @reactive.effect
    def _tables():
        from sp2lnob.spi.tables import table_titles

        r = _res()
        if r is None:
            return
        titles = table_titles(r)
        keep = input.table() if input.table() in titles else next(iter(titles))
        ui.update_select("table", choices={k: f"{k}: {v}" for k, v in titles.items()}, selected=keep)

    @render.text
    def spi():
        r = _res()
        return "–" if r is None else f"{r.spi:.3f}"

    @render.text
    def spi_detail():
        r = _res()
        return "" if r is None else f"{r.country} {r.year}, {METHODS[input.method()]}"

    @render.text
    def depth():
        r = _revised()
        return "–" if r is None else f"{r.depth:.3f}"

    @render.text
    def breadth():
        r = _revised()
        return "–" if r is None else f"{r.breadth:.3f}"

    @render.text
    def table_title():
        from sp2lnob.spi.tables import table_titles

        r = _res()
        return "Workbook tables" if r is None else table_titles(r).get(input.table(), "Workbook tables")

    @render.data_frame
    def workbook():
        from sp2lnob.spi.tables import workbook_tables

        r = _res()
        if r is None:
            return None
        tables = workbook_tables(r)
        t = tables.get(input.table()) if input.table() in tables else next(iter(tables.values()))
        return render.DataGrid(t.with_columns(pl.selectors.float().round(4)), width="100%", height="340px")

    @render.data_frame
    def compare():
        from sp2lnob.spi.reference import place_among_regional

        r = _revised()
        if r is None:
            return render.DataGrid(pl.DataFrame({"note": ["regional comparison: revised (2012) SPI only"]}))
        t = place_among_regional(r).drop("country")
        return render.DataGrid(t.with_columns(pl.selectors.float().round(4)), width="100%")

    @reactive.effect
    async def _draw():
        import plotly.graph_objects as go

        from sp2lnob.spi.reference import regional_2009

        r = _revised()
        if r is None:
            for name in ("depth_breadth", "region", "expenditure"):
                await send_figure(session, name, figure([], 400))
            return
        reg = regional_2009()
        await send_figure(session, "depth_breadth", figure([
            go.Scatter(x=reg["breadth"].to_list(), y=reg["depth"].to_list(), mode="markers", name="27 countries, 2009",
                       marker={"color": "#7f7f7f", "size": 8}, text=reg["country"].to_list(),
                       hovertemplate="%{text}<br>breadth %{x:.3f}, depth %{y:.3f}<extra></extra>"),
            go.Scatter(x=[r.breadth], y=[r.depth], mode="markers", name=f"{r.country} {r.year}",
                       marker={"color": BEHIND, "size": 16, "symbol": "star"},
                       hovertemplate=f"{r.country}<br>breadth %{{x:.3f}}, depth %{{y:.3f}}, SPI {r.spi:.3f}"
                                     "<extra></extra>")], 400,
            xaxis_title="Breadth (beneficiaries / potential beneficiaries)",
            yaxis_title="Depth (expenditure per beneficiary / z)"))
        own = pl.DataFrame({"country": [f"{r.country} {r.year}"], "spi_social_insurance": [r.category("SI", "spi")],
                            "spi_social_assistance": [r.category("SA", "spi")],
                            "spi_labor_market": [r.category("LMP", "spi")], "spi": [r.spi]})
        t = pl.concat([reg.select(own.columns), own], how="vertical_relaxed").sort("spi")
        await send_figure(session, "region", figure([
            go.Bar(y=t["country"].to_list(), x=t[col].to_list(), name=name, orientation="h",
                   marker_color=BROAD_COLOURS[key], hovertemplate="%{y}: %{x:.3f}<extra>" + name + "</extra>")
            for col, key, name in (("spi_social_insurance", "SI", "Social insurance"),
                                   ("spi_social_assistance", "SA", "Social assistance"),
                                   ("spi_labor_market", "LMP", "Labour market"))], 400,
            barmode="stack", xaxis_title="SPI", margin={"l": 130, "r": 10, "t": 10, "b": 50}))
        e = r.programmes.group_by("category", "broad").agg(pl.col("expenditure").sum()).sort("expenditure")
        await send_figure(session, "expenditure", figure([go.Bar(
            y=e["category"].to_list(), x=(e["expenditure"] / 1e6).to_list(), orientation="h",
            marker_color=[BROAD_COLOURS.get(b, "#7f7f7f") for b in e["broad"].to_list()],
            hovertemplate="%{y}: %{x:,.1f} million LCU<extra></extra>")], 400,
            xaxis_title="Expenditure (LCU millions)", margin={"l": 60, "r": 10, "t": 10, "b": 50}))
