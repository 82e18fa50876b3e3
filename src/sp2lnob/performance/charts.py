"""Static charts of the indicators (matplotlib, imported lazily; PNG / SVG).

Coverage by quintile, benefit incidence by quintile, adequacy by programme,
poverty and Gini reduction by programme. Interactive versions belong to the app.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from sp2lnob.errors import InputError
from sp2lnob.performance.results import IndicatorResult


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _labels(result: IndicatorResult) -> dict[tuple[str, str], str]:
    return {(r["programme"], r["set_type"]): r["label"] for r in result.sets.iter_rows(named=True)}


def by_group_chart(result: IndicatorResult, indicator: str = "coverage", group_var: str = "quintile",
                   basis: str = "post", set_types: Sequence[str] = ("programme",), percent: bool = True):
    """Grouped bars: one group of bars per programme, one bar per welfare group."""
    plt = _pyplot()
    table = result.table(indicator, group_var=group_var, basis=basis).filter(
        pl.col("set_type").is_in(list(set_types)))
    groups = [c for c in table.columns if c not in ("programme", "label", "set_type")]
    fig, ax = plt.subplots(figsize=(max(6.0, 0.9 * table.height + 2), 4.2))
    width = 0.8 / max(len(groups), 1)
    scale = 100.0 if percent else 1.0
    for j, g in enumerate(groups):
        values = [scale * (v if v is not None else float("nan")) for v in table.get_column(g).to_list()]
        ax.bar([i + j * width for i in range(table.height)], values, width, label=g)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(table.height)])
    ax.set_xticklabels([str(x)[:28] for x in table.get_column("label").to_list()], rotation=35, ha="right",
                       fontsize=8)
    ax.set_ylabel(f"{indicator.replace('_', ' ')}" + (" (%)" if percent else ""))
    ax.set_title(f"{indicator.replace('_', ' ').capitalize()} by {group_var} ({basis}-transfer ranking)")
    ax.legend(fontsize=8, ncol=len(groups))
    fig.tight_layout()
    return fig


def by_programme_chart(result: IndicatorResult, indicators: Sequence[str], line: str | None = None,
                       set_types: Sequence[str] = ("programme", "family", "all_spl"), percent: bool = True):
    """Bars per programme for one or more whole-population indicators (e.g. reductions)."""
    plt = _pyplot()
    f = result.to_frame().filter(pl.col("indicator").is_in(list(indicators)) & (pl.col("group_var") == "all")
                                 & pl.col("basis").is_in(["none"]) & pl.col("set_type").is_in(list(set_types)))
    if line is not None:
        f = f.filter(pl.col("line").is_null() | (pl.col("line") == line))
    if f.is_empty():
        raise InputError("nothing to plot", where="by_programme_chart()", got=list(indicators),
                         hint="check the indicator names and the line")
    labels = _labels(result)
    keys = f.select("programme", "set_type").unique(maintain_order=True).rows()
    fig, ax = plt.subplots(figsize=(max(6.0, 0.7 * len(keys) + 2), 4.2))
    width = 0.8 / len(indicators)
    scale = 100.0 if percent else 1.0
    for j, name in enumerate(indicators):
        sub = {(r["programme"], r["set_type"]): r["value"] for r in f.filter(pl.col("indicator") == name).iter_rows(named=True)}
        ax.bar([i + j * width for i in range(len(keys))], [scale * sub.get(k, float("nan")) for k in keys], width,
               label=name.replace("_", " "))
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(keys))])
    ax.set_xticklabels([labels.get(k, k[0])[:28] for k in keys], rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("%" if percent else "")
    ax.set_title(", ".join(i.replace("_", " ") for i in indicators) + (f" (line {line})" if line else ""))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def write_charts(result: IndicatorResult, directory: str | Path, formats: Sequence[str] = ("png",),
                 line: str | None = None) -> list[Path]:
    """The four standard charts written to ``directory`` in each of ``formats`` (png, svg)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    bad = [f for f in formats if f not in ("png", "svg")]
    if bad:
        raise InputError("unknown chart format", expected="png, svg", got=", ".join(bad))
    plt = _pyplot()
    lines = result.meta.get("lines") or []
    line = line or (lines[0] if lines else None)
    figures = {
        "coverage_by_quintile": by_group_chart(result, "coverage"),
        "benefit_incidence_by_quintile": by_group_chart(result, "benefit_incidence"),
        "adequacy_by_programme": by_programme_chart(result, ["adequacy"]),
    }
    if line is not None:
        figures["poverty_gini_reduction"] = by_programme_chart(
            result, ["poverty_headcount_reduction", "poverty_gap_reduction", "gini_reduction"], line=line)
    written = []
    for name, fig in figures.items():
        for fmt in formats:
            path = d / f"{name}.{fmt}"
            fig.savefig(path, dpi=120)
            written.append(path)
        plt.close(fig)
    return written
