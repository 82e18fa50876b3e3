"""Registry of every measure: label, unit, formula and source, for the CLI, the app and reports.

``MEASURES[name].function(values, weights, **params)`` computes the measure;
``params`` holds the defaults (``by_group`` applies them when given a name).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sp2lnob.measures import distribution as d
from sp2lnob.measures import inequality as ineq
from sp2lnob.measures import poverty as pov
from sp2lnob.measures import quantiles as q


@dataclass(frozen=True)
class MeasureInfo:
    name: str
    label: str
    function: Callable[..., Any]
    unit: str            # "share" (0..1), "ratio", "index", "welfare", "welfare × weight"
    formula: str
    source: str
    needs_line: bool = False
    params: Mapping[str, Any] = field(default_factory=dict)
    returns: str = "scalar"  # or "array" (n values, e.g. decile shares)


_FGT = "Foster, Greer & Thorbecke (1984), Econometrica 52(3):761-766"
_LAEKEN = "R laeken 0.5 (Alfons & Templ 2013, J. Stat. Softw. 54(15)); Eurostat EU-SILC 131/04"
_Y_LT_Z = "1[y < z]"

_ENTRIES = [
    MeasureInfo("mean", "Mean welfare", d.mean, "welfare", "sum w y / sum w", "Weighted mean; R survey svymean"),
    MeasureInfo("total", "Total welfare", d.total, "welfare × weight", "sum w y", "Weighted total (Horvitz-Thompson)"),
    MeasureInfo("median", "Median welfare", q.median, "welfare", "min{x : F(x) >= 0.5} (rule 'math')",
                "R survey svyquantile(qrule='math'); Hyndman & Fan (1996) type 1",
                params={"rule": "math"}),
    MeasureInfo("quantile", "Quantile of welfare", q.quantile, "welfare", "Q(p) under a named rule",
                "See sp2lnob.measures.quantiles and docs/conventions.md", params={"p": 0.5, "rule": "math"}),
    MeasureInfo("headcount", "Poverty headcount ratio (FGT0)", pov.fgt, "share",
                f"sum w {_Y_LT_Z} / sum w", _FGT, needs_line=True, params={"alpha": 0.0}),
    MeasureInfo("poverty_gap", "Poverty gap index (FGT1)", pov.fgt, "share",
                f"sum w (1 - y/z) {_Y_LT_Z} / sum w", _FGT, needs_line=True, params={"alpha": 1.0}),
    MeasureInfo("poverty_severity", "Poverty severity, squared gap (FGT2)", pov.fgt, "index",
                f"sum w (1 - y/z)^2 {_Y_LT_Z} / sum w", _FGT, needs_line=True, params={"alpha": 2.0}),
    MeasureInfo("fgt", "FGT(alpha) poverty index", pov.fgt, "index",
                f"sum w (1 - y/z)^alpha {_Y_LT_Z} / sum w", _FGT, needs_line=True, params={"alpha": 0.0}),
    MeasureInfo("watts", "Watts poverty index", pov.watts, "index", f"sum w ln(z/y) {_Y_LT_Z} / sum w",
                "Watts (1968); Zheng (1993), J. Econ. Theory 59(2)", needs_line=True),
    MeasureInfo("sen", "Sen poverty index", pov.sen, "index", "H (I + (1 - I) G_p)",
                "Sen (1976), Econometrica 44(2); Haughton & Khandker (2009) World Bank Handbook §4",
                needs_line=True),
    MeasureInfo("poverty_gap_money", "Total money poverty gap", pov.poverty_gap_money, "welfare × weight",
                f"sum w (z - y) {_Y_LT_Z}", "Total transfer needed with perfect targeting", needs_line=True),
    MeasureInfo("gini", "Gini coefficient", ineq.gini, "index",
                "(2 sum w y C - sum w^2 y) / (W sum w y) - 1, C = cumulative weight", _LAEKEN + " gini()"),
    MeasureInfo("theil", "Theil T index, GE(1)", ineq.theil, "index", "sum w (y/mu) ln(y/mu) / W",
                "Theil (1967); Shorrocks (1980), Econometrica 48(3)"),
    MeasureInfo("mld", "Mean log deviation (Theil L), GE(0)", ineq.mld, "index", "-sum w ln(y/mu) / W",
                "Theil (1967); Shorrocks (1980), Econometrica 48(3)"),
    MeasureInfo("ge2", "Generalised entropy GE(2)", ineq.ge2, "index", "(sum w (y/mu)^2 / W - 1) / 2",
                "Shorrocks (1980), Econometrica 48(3)"),
    MeasureInfo("generalized_entropy", "Generalised entropy GE(alpha)", ineq.generalized_entropy, "index",
                "(sum w (y/mu)^a / W - 1) / (a (a - 1))", "Shorrocks (1980), Econometrica 48(3)",
                params={"alpha": 1.0}),
    MeasureInfo("atkinson", "Atkinson index", ineq.atkinson, "index",
                "1 - [sum w (y/mu)^(1-eps) / W]^(1/(1-eps)); eps = 1: 1 - exp(mean ln y)/mu",
                "Atkinson (1970), J. Econ. Theory 2(3)", params={"epsilon": 1.0}),
    MeasureInfo("palma", "Palma ratio (top 10 % / bottom 40 %)", d.palma, "ratio",
                "sum_{y > Q(0.9)} w y / sum_{y <= Q(0.4)} w y", "Cobham & Sumner (2013), CGD WP 343"),
    MeasureInfo("s80_s20", "Income quintile share ratio S80/S20", d.s80_s20, "ratio",
                "sum_{y > Q(0.8)} w y / sum_{y <= Q(0.2)} w y (laeken rule)", _LAEKEN + " qsr()"),
    MeasureInfo("top_share", "Top income share", d.top_share, "share", "sum_{y > Q(1-p)} w y / sum w y",
                "Income share of the top p (groups as Stata xtile)", params={"p": 0.1}),
    MeasureInfo("bottom_share", "Bottom income share", d.bottom_share, "share",
                "sum_{y <= Q(p)} w y / sum w y", "Income share of the bottom p (groups as Stata xtile)",
                params={"p": 0.4}),
    MeasureInfo("shares", "Income shares by n-tile", d.shares, "share",
                "sum_{g} w y / sum w y for each weighted n-tile g", "Groups as Stata xtile [pw]",
                params={"n": 10}, returns="array"),
    MeasureInfo("arpt", "At-risk-of-poverty threshold", pov.arpt, "welfare", "share × median (laeken rule)",
                _LAEKEN + " arpt()", params={"share": 0.6}),
    MeasureInfo("arpr", "At-risk-of-poverty rate", pov.arpr, "share", "sum w 1[y < arpt] / sum w",
                _LAEKEN + " arpr()", params={"share": 0.6}),
    MeasureInfo("rmpg", "Relative median at-risk-of-poverty gap", pov.rmpg, "share",
                "(arpt - median of y among y < arpt) / arpt", _LAEKEN + " rmpg()", params={"share": 0.6}),
]

MEASURES: Mapping[str, MeasureInfo] = MappingProxyType({m.name: m for m in _ENTRIES})
