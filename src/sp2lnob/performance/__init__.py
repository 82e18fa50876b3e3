"""Performance indicators of existing programmes (ASPIRE / ADePT SP) and country context.

survey -> :func:`input_from_survey` -> :func:`compute_indicators` -> :class:`IndicatorResult`
(tidy table, ADePT-style tables, Excel / CSV / Parquet / JSON via :func:`write_result`).
:func:`indicators_from_survey` does all of it, country context included.
"""

from __future__ import annotations

from sp2lnob.performance.compute import compute_indicators
from sp2lnob.performance.export import write_result
from sp2lnob.performance.from_survey import indicators_from_survey, input_from_survey
from sp2lnob.performance.inputs import Grouping, PerformanceInput
from sp2lnob.performance.programme_sets import ProgrammeInfo, ProgrammeSet, build_sets
from sp2lnob.performance.results import IndicatorResult

__all__ = [
    "Grouping",
    "IndicatorResult",
    "PerformanceInput",
    "ProgrammeInfo",
    "ProgrammeSet",
    "build_sets",
    "compute_indicators",
    "indicators_from_survey",
    "input_from_survey",
    "write_result",
]
