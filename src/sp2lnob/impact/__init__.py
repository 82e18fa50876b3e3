"""SP2LNOB: how simulated social protection changes access to opportunity for those furthest behind.

    from sp2lnob.impact import prepare_impact, impact
    base = prepare_impact(survey)                       # LNOB trees on pre-transfer data, once
    result = impact(base, ["universal_child_benefit"])  # simulate, re-route, summarise
    print(result.headline()); result.to_frame()

Modes: ``tree`` (faithful, ESCAP's SP2LNOB: fixed tree, people re-routed on post-transfer
consumption) and ``smooth`` (extension: weighted spline logit, per-person changes, bootstrap
SEs, elasticities). Sweeps: :func:`sweep_impact`; chart: :func:`sp2lnob.impact.charts.sweep_chart`.
See docs/sp2lnob.md.
"""

from __future__ import annotations

from sp2lnob.impact.prepare import FittedIndicator, ImpactBase, prepare_impact
from sp2lnob.impact.results import ImpactResult, IndicatorImpact
from sp2lnob.impact.run import MODES, impact
from sp2lnob.impact.spec import money_circumstances, with_consumption
from sp2lnob.impact.sweep import ImpactSweep, sweep_impact

__all__ = [
    "MODES", "FittedIndicator", "ImpactBase", "ImpactResult", "ImpactSweep", "IndicatorImpact", "impact",
    "money_circumstances", "prepare_impact", "sweep_impact", "with_consumption",
]
