"""Scheme simulator (the SPOT engine): design non-contributory schemes and see their cost and impacts.

    from sp2lnob import read_survey
    from sp2lnob.simulate import prepare, simulate, make_package

    base = prepare(read_survey("asiatica_hies.yaml"))        # once per survey
    result = simulate(base, make_package(["universal_child_benefit"]))
    print(result.summary()); result.to_frame()

See docs/simulator.md for the scheme format and every option.
"""

from __future__ import annotations

from sp2lnob.simulate.base import SimulationBase
from sp2lnob.simulate.engine import simulate
from sp2lnob.simulate.macro import Macro, load_macro
from sp2lnob.simulate.prepare import prepare
from sp2lnob.simulate.projection import (
    PopulationProjection,
    ProjectionResult,
    load_projection,
    project,
)
from sp2lnob.simulate.results import SimulationResult
from sp2lnob.simulate.scheme import (
    Package,
    Scheme,
    load_scheme,
    make_package,
    parse_scheme,
    ready_scheme_names,
)
from sp2lnob.simulate.sweep import SweepResult, load_grid, sweep

__all__ = [
    "Macro", "Package", "PopulationProjection", "ProjectionResult", "Scheme", "SimulationBase",
    "SimulationResult", "SweepResult", "load_grid", "load_macro", "load_projection", "load_scheme",
    "make_package", "parse_scheme", "prepare", "project", "ready_scheme_names", "simulate", "sweep",
]
