"""Charts of the country report and the policy brief, each with a source/method/version footnote.

Plotting only: matplotlib is imported inside :func:`_svg`. Every
:class:`Figure` carries its footnote (source, method, sp2lnob version), which
the templates print under the chart.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from sp2lnob.report.analysis import Analysis


@dataclass(frozen=True)
class Figure:
    """A chart as inline SVG text, with its title and footnote."""

    key: str
    title: str
    svg: str
    footnote: str


def footnote(a: Analysis, method: str) -> str:
    """'Source: <survey> (<spec>). Method: <method>. sp2lnob <version>, <date>.'"""
    return (f"Source: {a.survey_name} (spec {Path(a.spec_path).name}). Method: {method}. "
            f"sp2lnob {a.version}, {a.created}.")


def _svg(draw: Any, width: float = 6.4, height: float = 3.2) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    try:
        draw(ax)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg")
    finally:
        plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog: the SVG goes inline in HTML


def _bars(labels: list[str], series: dict[str, list[float]], ylabel: str, percent: bool = False) -> Any:
    def draw(ax: Any) -> None:
        n = len(series)
        width = 0.8 / max(n, 1)
        for k, (name, values) in enumerate(series.items()):
            xs = [i + (k - (n - 1) / 2) * width for i in range(len(labels))]
            ys = [100 * v if percent else v for v in values]
            ax.bar(xs, ys, width=width, label=name)
        ax.set_xticks(range(len(labels)), labels, rotation=20 if max(map(len, labels), default=0) > 8 else 0,
                      ha="right" if max(map(len, labels), default=0) > 8 else "center", fontsize=8)
        ax.set_ylabel(ylabel + (" (%)" if percent else ""))
        if n > 1:
            ax.legend(fontsize=8, frameon=False)
    return draw


def poverty_figure(a: Analysis) -> Figure | None:
    rows = a.headline.filter((pl.col("section") == "poverty") & (pl.col("name") == "fgt0"))
    if rows.height == 0:
        return None
    draw = _bars(rows["line"].to_list(), {"headcount": rows["estimate"].to_list()}, "Poverty headcount", True)
    return Figure("poverty", "Poverty headcount at each poverty line", _svg(draw),
                  footnote(a, "FGT(0) with survey weights at each line of the spec; design-based SEs in the tables"))


def coverage_figure(a: Analysis) -> Figure | None:
    if a.indicators is None:
        return None
    f = a.indicators.to_frame().filter((pl.col("indicator") == "coverage") & (pl.col("set_type") == "family")
                                       & (pl.col("group_var") == "quintile"))
    if f.height == 0:
        return None
    groups = sorted(f["group"].unique().to_list())
    series = {fam: [float(f.filter((pl.col("programme") == fam) & (pl.col("group") == g))["value"].sum())
                    for g in groups] for fam in f["programme"].unique(maintain_order=True).to_list()}
    return Figure("coverage", "Coverage of social protection families by welfare quintile",
                  _svg(_bars(groups, series, "Coverage", True)),
                  footnote(a, "ASPIRE coverage: share of persons in households receiving the family; quintiles of "
                              "pre-transfer welfare per capita, weighted"))


def spi_figure(a: Analysis) -> Figure | None:
    if a.spi is None:
        return None
    b = a.spi.by_category
    return Figure("spi", f"Social Protection Index by broad category, {a.spi.year}",
                  _svg(_bars(b["broad"].to_list(), {"SPI": b["spi"].to_list()}, "SPI")),
                  footnote(a, "revised SPI, ADB (2012): SPI_c = E_c / PB / (0.25 x GDP per capita); register "
                              f"{a.spi.period}"))


def lnob_figure(a: Analysis) -> Figure | None:
    if a.lnob is None or not a.lnob.results:
        return None
    res = a.lnob.results
    labels = [r.indicator for r in res]
    series = {"national": [r.mean_rate for r in res],
              "furthest behind": [r.furthest_behind.rate if r.furthest_behind else float("nan") for r in res],
              "furthest ahead": [r.furthest_ahead.rate if r.furthest_ahead else float("nan") for r in res]}
    return Figure("lnob", "Access to opportunities: national rate and the groups furthest behind and ahead",
                  _svg(_bars(labels, series, "Access rate", True), width=7.0, height=3.4),
                  footnote(a, "ESCAP LNOB: weighted classification tree on circumstances (before any simulated "
                              "transfer); groups are the tree's leaves"))


def simulation_figure(a: Analysis) -> Figure | None:
    sim = a.simulation
    if sim is None:
        return None
    lines = list(sim.lines)
    series = {"before": [sim.value("fgt0", "pre", line=ln) for ln in lines],
              "after": [sim.value("fgt0", "post", line=ln) for ln in lines]}
    return Figure("simulation", f"Poverty headcount before and after {', '.join(a.schemes)}",
                  _svg(_bars(lines, series, "Poverty headcount", True)),
                  footnote(a, f"static microsimulation, first-round effect, seed {sim.seed}; schemes "
                              f"{', '.join(a.schemes)}"))


def report_figures(a: Analysis) -> list[Figure]:
    """Every chart the analysis supports, in report order."""
    made = (poverty_figure(a), coverage_figure(a), spi_figure(a), lnob_figure(a), simulation_figure(a))
    return [f for f in made if f is not None]
