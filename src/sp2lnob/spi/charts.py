"""Charts of the SPI (matplotlib, imported lazily; no pyplot state is touched).

Expenditure by category; depth x breadth of the country among the 27
countries of ADB's 2009 round; SPI by broad category and by poverty status
against the region; the 2005 star chart of scaled components. Each function
saves to ``path`` (PNG or SVG, by suffix) and returns the path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import InputError
from sp2lnob.spi.original_result import OriginalSPI
from sp2lnob.spi.reference import reference_table, regional_2009
from sp2lnob.spi.revised_result import RevisedSPI

_COLOURS = {"SI": "#1f77b4", "SA": "#2ca02c", "LMP": "#ff7f0e", "poor": "#d62728", "nonpoor": "#9ecae1"}


def _figure(width: float = 8.0, height: float = 5.0) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _save(fig: Any, path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in {".png", ".svg", ".pdf"}:
        raise InputError("charts are saved as PNG, SVG or PDF", got=path.suffix, where=str(path))
    fig.savefig(path)
    return path


def plot_expenditure_by_category(result: RevisedSPI | OriginalSPI, path: str | Path) -> Path:
    """Horizontal bars: expenditure (LCU millions) by detailed category, coloured by broad category."""
    fig = _figure()
    ax = fig.add_subplot()
    if isinstance(result, RevisedSPI):
        t = (result.programmes.group_by("category", "broad").agg(pl.col("expenditure").sum())
             .sort("expenditure"))
        colours = [_COLOURS.get(b, "grey") for b in t["broad"].to_list()]
        title = "Social protection expenditure by category (revised SPI)"
    else:
        t = result.expenditure_by_category.rename({"category_2005": "category"}).sort("expenditure")
        colours = ["#1f77b4"] * t.height
        title = "Social protection expenditure by category (2005)"
    ax.barh(t["category"].to_list(), (t["expenditure"] / 1e6).to_list(), color=colours)
    ax.set_xlabel("LCU millions")
    ax.set_title(f"{title}: {result.country} {result.year}")
    return _save(fig, path)


def plot_depth_breadth(result: RevisedSPI, path: str | Path) -> Path:
    """Depth x breadth scatter of the 27 countries of 2009, the country highlighted, with iso-SPI curves."""
    reg = regional_2009()
    fig = _figure(8, 6)
    ax = fig.add_subplot()
    ax.scatter(reg["breadth"].to_numpy(), reg["depth"].to_numpy(), color="grey", s=25, label="27 countries, 2009")
    for name, b, d in reg.select("country", "breadth", "depth").iter_rows():  # 27 labels
        ax.annotate(name[:12], (b, d), fontsize=6, color="dimgrey", xytext=(2, 2), textcoords="offset points")
    ax.scatter([result.breadth], [result.depth], color="#d62728", s=80, marker="*", zorder=3,
               label=f"{result.country} {result.year}")
    bmax = max(1.0, float(reg["breadth"].to_numpy().max()), result.breadth) * 1.05
    grid = np.linspace(0.01, bmax, 200)
    for level in (0.05, 0.1, 0.2, 0.4):
        ax.plot(grid, level / grid, lw=0.7, ls="--", color="lightsteelblue")
        ax.annotate(f"SPI {level}", (bmax * 0.98, level / (bmax * 0.98)), fontsize=7, color="steelblue",
                    ha="right")
    ymax = max(float(reg["depth"].to_numpy().max()), result.depth if np.isfinite(result.depth) else 0) * 1.15
    ax.set_xlim(0, bmax)
    ax.set_ylim(0, ymax)
    ax.set_xlabel("breadth (beneficiaries / potential beneficiaries)")
    ax.set_ylabel("depth (expenditure per beneficiary / z)")
    ax.set_title("Depth and breadth of social protection: country vs ADB 2009 regional set")
    ax.legend(loc="upper right", fontsize=8)
    return _save(fig, path)


def plot_spi_against_region(result: RevisedSPI, path: str | Path) -> Path:
    """Two panels: SPI by broad category, and by poverty status, for the 27 countries and the country."""
    reg = regional_2009().select(
        "country", pl.col("spi_social_insurance").alias("SI"), pl.col("spi_social_assistance").alias("SA"),
        pl.col("spi_labor_market").alias("LMP"), pl.col("spi_poor").alias("poor"),
        pl.col("spi_nonpoor").alias("nonpoor"), "spi")
    own = pl.DataFrame({"country": [f"{result.country} {result.year}"], "SI": [result.category("SI", "spi")],
                        "SA": [result.category("SA", "spi")], "LMP": [result.category("LMP", "spi")],
                        "poor": [result.spi_poor], "nonpoor": [result.spi_nonpoor], "spi": [result.spi]})
    t = pl.concat([reg, own]).sort("spi")
    highlight = t["country"].to_numpy() == own["country"][0]
    fig = _figure(12, 7)
    y = np.arange(t.height)
    for k, (parts, title) in enumerate(((("SI", "SA", "LMP"), "SPI by broad category"),
                                        (("poor", "nonpoor"), "SPI by poverty status"))):
        ax = fig.add_subplot(1, 2, k + 1)
        left = np.zeros(t.height)
        for part in parts:
            values = t[part].to_numpy()
            ax.barh(y, values, left=left, color=_COLOURS[part], label=part)
            left = left + values
        ax.set_yticks(y, t["country"].to_list(), fontsize=7)
        for tick, hi in zip(ax.get_yticklabels(), highlight, strict=True):
            tick.set_fontweight("bold" if hi else "normal")
            tick.set_color("#d62728" if hi else "black")
        ax.set_title(title)
        ax.set_xlabel("SPI")
        ax.legend(fontsize=8, loc="lower right")
    return _save(fig, path)


def plot_star(result: OriginalSPI, path: str | Path) -> Path:
    """The 2005 star (radar) chart: scaled SPEXP, SPCOV, PTR, SPIMP against the six-country average."""
    comps = result.components["component"].to_list()
    scaled = result.components["scaled"].to_numpy()
    avg = reference_table("comparison_2005")
    avg_scaled = [float(avg.filter(pl.col("indicator") == c)["six_country_average_scaled"][0]) for c in comps]
    angles = np.linspace(0, 2 * np.pi, len(comps), endpoint=False)
    close = np.concatenate([angles, angles[:1]])
    fig = _figure(6, 6)
    ax = fig.add_subplot(projection="polar")
    ax.plot(close, np.concatenate([scaled, scaled[:1]]), color="#d62728", lw=2, label=result.country)
    ax.fill(close, np.concatenate([scaled, scaled[:1]]), color="#d62728", alpha=0.2)
    ax.plot(close, avg_scaled + avg_scaled[:1], color="grey", ls="--", label="six-country average (2005)")
    ax.set_xticks(angles, comps)
    ax.set_ylim(0, max(1.0, float(np.nanmax(scaled)) * 1.1))
    ax.set_title(f"Original SPI components (scaled), {result.country} {result.year}: SPI {result.spi:.2f}")
    ax.legend(loc="lower right", fontsize=8)
    return _save(fig, path)


def plot_all(result: RevisedSPI | OriginalSPI, directory: str | Path, fmt: str = "png") -> list[Path]:
    """Every chart that applies to ``result``, saved in ``directory``."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    out = [plot_expenditure_by_category(result, d / f"spi_expenditure_by_category.{fmt}")]
    if isinstance(result, RevisedSPI):
        out.append(plot_depth_breadth(result, d / f"spi_depth_breadth.{fmt}"))
        out.append(plot_spi_against_region(result, d / f"spi_against_region.{fmt}"))
    else:
        out.append(plot_star(result, d / f"spi_star.{fmt}"))
    return out
