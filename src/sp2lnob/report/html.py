"""HTML country report and SP2LNOB policy brief (Jinja2 templates under ``report/templates/``).

The country report follows ADB's chapter structure (introduction, country
overview, programmes, the SPI and its disaggregations, analysis, policy
assessment); the policy brief (2-4 pages) covers one scheme scenario: cost,
poverty, inequality and who gains access. Tables and charts are filled in;
text the analyst must write is marked ``[ANALYST: ...]``. Templates escape
every value (labels come from user data); only our own SVG charts are
inserted as markup.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from sp2lnob.errors import InputError
from sp2lnob.report.analysis import Analysis
from sp2lnob.report.figures import footnote, report_figures, simulation_figure

KINDS = ("report", "brief")


def pct(value: Any, digits: int = 2) -> str:
    """0.2018 -> '20.18%'; missing -> '–'."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return f"{100 * float(value):.{digits}f}%"


def num(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return f"{float(value):,.{digits}f}"


def _env() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("sp2lnob.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = pct
    env.filters["num"] = num
    return env


def _rows(df: pl.DataFrame) -> list[dict[str, Any]]:
    return df.to_dicts()


def _programme_table(a: Analysis) -> list[dict[str, Any]]:
    if a.indicators is None:
        return []
    f = a.indicators.to_frame().filter((pl.col("group_var") == "all") & (pl.col("set_type") == "programme"))
    wide = f.filter(pl.col("indicator").is_in(["coverage", "adequacy", "average_transfer"])
                    & pl.col("line").is_null()).pivot(on="indicator", index="programme", values="value",
                                                      aggregate_function="first")
    for c in ("coverage", "adequacy", "average_transfer"):
        if c not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(c))
    return _rows(wide.sort("coverage", descending=True, nulls_last=True))


def _simulation_context(a: Analysis) -> dict[str, Any]:
    sim = a.simulation
    if sim is None:
        return {}
    line = sim.lines[0] if sim.lines else None
    frame = sim.to_frame()
    gains = (frame.filter((pl.col("section") == "group") & (pl.col("by") == "decile") & pl.col("scheme").is_null()
                          & pl.col("measure").is_in(["share_in_beneficiary_households", "share_of_transfers",
                                                     "mean_welfare_change_pct"]))
             .pivot(on="measure", index="group", values="value", aggregate_function="first"))
    if gains.height:
        gains = gains.with_columns(pl.col("group").cast(pl.Int64, strict=False).alias("_order")).sort("_order") \
            .drop("_order")
    poverty = [{"line": ln, "pre": sim.value("fgt0", "pre", line=ln), "post": sim.value("fgt0", "post", line=ln),
                "change": sim.value("fgt0", "change", line=ln)} for ln in sim.lines]
    inequality = [{"measure": m, "pre": sim.value(m, "pre"), "post": sim.value(m, "post"),
                   "change": sim.value(m, "change")} for m in ("gini", "theil", "palma", "s80_s20")]
    return {
        "line": line,
        "costs": _rows(sim.costs()),
        "cost_pct_gdp": sim.value("cost_pct_gdp", "value"),
        "cost_lcu": sim.value("cost_lcu", "value"),
        "fgt0_pre": sim.value("fgt0", "pre", line=line), "fgt0_post": sim.value("fgt0", "post", line=line),
        "gini_pre": sim.value("gini", "pre"), "gini_post": sim.value("gini", "post"),
        "persons_lifted": sim.value("persons_lifted", "value"),
        "coverage_of_poor": sim.value("coverage_of_poor", "value"),
        "poverty": poverty, "inequality": inequality, "gains": _rows(gains),
        "gains_columns": [c for c in ("share_in_beneficiary_households", "share_of_transfers",
                                      "mean_welfare_change_pct") if c in gains.columns],
        "footnote": footnote(a, f"static microsimulation (sp2lnob.simulate), first-round effect, seed {sim.seed}"),
    }


def report_context(a: Analysis, kind: str = "report") -> dict[str, Any]:
    """What the templates show (also handy to check a report's figures in tests)."""
    line = a.first_line
    head = a.headline
    labels = ([s.label or s.name for s in a.simulation.package.schemes] if a.simulation is not None
              else list(a.schemes))
    ctx: dict[str, Any] = {
        "a": a, "kind": kind, "scheme_labels": labels,
        "line": line,
        "fgt0": a.headline_value("fgt0", line) if line else None,
        "gini": a.headline_value("gini"),
        "poverty_rows": _rows(head.filter(pl.col("section") == "poverty")),
        "inequality_rows": _rows(head.filter(pl.col("section") != "poverty")),
        "headline_footnote": footnote(a, "weighted estimates; SEs by Taylor linearisation with the survey design"),
        "programmes": _programme_table(a),
        "programmes_footnote": footnote(a, "ASPIRE definitions (coverage, adequacy, average transfer), all persons"),
        "spi": a.spi,
        "spi_rows": _rows(a.spi.by_category) if a.spi is not None else [],
        "register_rows": _rows(a.spi.programmes.select("name", "category", "broad", "expenditure", "beneficiaries",
                                                       "spi").sort("spi", descending=True, nulls_last=True))
        if a.spi is not None else [],
        "spi_footnote": footnote(a, "revised SPI, ADB (2012); the Excel export has the same figures as formulas"),
        "lnob_rows": _rows(a.lnob.to_frame()) if a.lnob is not None else [],
        "lnob_footnote": footnote(a, "ESCAP LNOB tree and D-index, on the survey before any simulated transfer"),
        "sim": _simulation_context(a),
        "impact_rows": _rows(a.impact.indicators_frame()) if a.impact is not None else [],
        "impact_footnote": footnote(a, "ESCAP SP2LNOB: LNOB trees grown before the transfer, people re-routed "
                                       f"on post-transfer welfare (sp2lnob.impact, mode "
                                       f"{getattr(a.impact, 'mode', '')}), seed {a.seed}"),
        "figures": {f.key: f for f in (report_figures(a) if kind == "report" else
                                       [x for x in (simulation_figure(a),) if x is not None])},
    }
    return ctx


def render_html(a: Analysis, kind: str = "report") -> str:
    """The country report (``kind="report"``) or the policy brief (``"brief"``) as one HTML page."""
    if kind not in KINDS:
        raise InputError(f"unknown report kind {kind!r}", expected=", ".join(KINDS), got=kind)
    if kind == "brief" and a.simulation is None:
        raise InputError("the policy brief needs a simulated scheme", where="--scheme",
                         hint="give at least one --scheme (see `sp2lnob schemes`)")
    return _env().get_template(f"{kind}.html.j2").render(**report_context(a, kind))
