"""Shared display helpers: colour-blind-safe palette, chart updates in place, readable errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shiny import ui

from sp2lnob.errors import Sp2lnobError

# Okabe & Ito (2008) colour-universal-design palette: distinguishable with the
# common colour-vision deficiencies. Red-orange (vermillion) marks "furthest behind".
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
BEHIND = "#D55E00"
AHEAD = "#0072B2"


def error_box(err: Exception, title: str = "This could not be computed") -> ui.Tag:
    """A readable message for an error: what, where, expected, got and hint; never a traceback."""
    if isinstance(err, Sp2lnobError):
        parts = [ui.strong(err.what)]
        for label, value in (("Where", err.where), ("Expected", err.expected), ("Got", err.got),
                             ("Hint", err.hint)):
            if value:
                parts.append(ui.div(ui.tags.em(f"{label}: "), str(value)))
    else:  # an unexpected failure: its type and message only
        parts = [ui.strong(f"{type(err).__name__}: {err}")]
    return ui.div(ui.h6(title), *parts, class_="alert alert-warning sp2lnob-error", role="alert")


def plot_div(name: str, height: int = 340) -> ui.Tag:
    """A chart placeholder in a page module; the server fills it with :func:`send_figure`."""
    from shiny.module import resolve_id

    return ui.div(id=resolve_id(name), class_="sp2lnob-plot", style=f"height: {height}px; width: 100%;")


def figure(traces: Sequence[Any], height: int = 340, **layout: Any):
    """A plotly Figure with the house layout (colour-blind-safe colourway, white background)."""
    import plotly.graph_objects as go

    fig = go.Figure(list(traces))
    fig.update_layout(margin={"l": 50, "r": 10, "t": 30, "b": 50}, height=height, colorway=list(PALETTE),
                      plot_bgcolor="white", legend={"orientation": "h", "y": -0.25}, autosize=True)
    fig.update_layout(**layout)
    return fig


async def send_figure(session, name: str, fig) -> None:
    """Draw ``fig`` in the module's :func:`plot_div` ``name``.

    ``fig`` is a plotly Figure (plotly's encoder turns NaN into null) or, where every
    millisecond counts (the Simulator's live chart), a plain dict of finite values
    ``{"data": [...], "layout": {...}}`` that skips plotly's validation.
    """
    import json

    payload = fig if isinstance(fig, dict) else json.loads(fig.to_json())
    await session.send_custom_message("sp2lnob-plot", {"id": session.ns(name), "figure": payload})
