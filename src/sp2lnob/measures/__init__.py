"""Weighted poverty and inequality measures (point estimates).

Every function takes ``values`` and ``weights`` (NumPy, list, Polars or pandas;
``weights=None`` means unit weights), validates them once and returns a float
(or an array where stated). Conventions (quantile rules, ties, n-tile
boundaries, non-positive welfare) are in ``docs/conventions.md``; every measure
is listed with its formula and source in :data:`MEASURES`.
"""

from sp2lnob.measures._validate import as_arrays
from sp2lnob.measures.distribution import (
    bottom_share,
    mean,
    palma,
    s80_s20,
    shares,
    top_share,
    total,
)
from sp2lnob.measures.groups import (
    TheilDecomposition,
    by_group,
    fgt_decomposition,
    theil_decomposition,
)
from sp2lnob.measures.inequality import atkinson, ge2, generalized_entropy, gini, mld, theil
from sp2lnob.measures.poverty import (
    arpr,
    arpt,
    fgt,
    headcount,
    poverty_gap_index,
    poverty_gap_money,
    poverty_severity,
    rmpg,
    sen,
    watts,
)
from sp2lnob.measures.quantiles import QUANTILE_RULES, median, ntile, quantile
from sp2lnob.measures.registry import MEASURES, MeasureInfo

__all__ = [
    "MEASURES",
    "QUANTILE_RULES",
    "MeasureInfo",
    "TheilDecomposition",
    "arpr",
    "arpt",
    "as_arrays",
    "atkinson",
    "bottom_share",
    "by_group",
    "fgt",
    "fgt_decomposition",
    "ge2",
    "generalized_entropy",
    "gini",
    "headcount",
    "mean",
    "median",
    "mld",
    "ntile",
    "palma",
    "poverty_gap_index",
    "poverty_gap_money",
    "poverty_severity",
    "quantile",
    "rmpg",
    "s80_s20",
    "sen",
    "shares",
    "theil",
    "theil_decomposition",
    "top_share",
    "total",
    "watts",
]
