"""One scenario: simulate a package, then measure its effect on opportunity (faithful or smooth)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sp2lnob.errors import DataError, InputError
from sp2lnob.impact.faithful import faithful_impact
from sp2lnob.impact.prepare import ImpactBase
from sp2lnob.impact.results import ImpactResult

MODES = ("tree", "smooth")


def impact(
    base: ImpactBase,
    package: Any,
    *,
    mode: str = "tree",
    indicators: Sequence[str] | None = None,
    seed: int | None = None,
    line: str | None = None,
    replicates: int = 0,
    bootstrap_seed: int | None = 12345,
    knots: int = 4,
    simulation: Any = None,
) -> ImpactResult:
    """Simulate ``package`` (a :class:`~sp2lnob.simulate.Package`, a scheme, or scheme names/paths)
    on the prepared survey and measure the change in access for every prepared indicator.

    ``mode``: ``"tree"`` (faithful: ESCAP SP2LNOB) or ``"smooth"`` (extension: spline logit;
    ``replicates`` > 0 adds bootstrap SEs, seeded by ``bootstrap_seed``). ``seed``: the
    simulation's seed (coverage draws). ``line``: the poverty line of the headline (default:
    the survey's first). ``simulation``: a :class:`SimulationResult` already computed on
    ``base.simulation`` (skips the simulation).
    """
    from sp2lnob.impact.smooth import smooth_impact
    from sp2lnob.simulate.engine import simulate

    if mode not in MODES:
        raise InputError(f"unknown impact mode {mode!r}", where="mode", expected=list(MODES), got=mode)
    if replicates and mode != "smooth":
        raise InputError("bootstrap standard errors are offered in smooth mode", where="replicates",
                         hint="use mode='smooth', or replicates=0 in faithful mode (the tree is held fixed)")
    sim = simulation if simulation is not None else simulate(base.simulation, package, seed=seed, groups=False)
    post = np.asarray(sim.welfare_post)
    if post.shape[0] != base.simulation.n_persons:
        raise DataError("the simulation does not match the prepared survey", expected=base.simulation.n_persons,
                        got=post.shape[0], hint="simulate on ImpactBase.simulation")
    chosen = [base.indicator(n) for n in indicators] if indicators else list(base.indicators)
    if mode == "tree":
        results = tuple(faithful_impact(fi, post, base.b40_cut) for fi in chosen)
    else:
        results = tuple(smooth_impact(base, fi, post, knots=knots, replicates=replicates, seed=bootstrap_seed)
                        for fi in chosen)
    if line is None:
        line = sim.lines[0] if sim.lines else None
    elif line not in sim.lines:
        from sp2lnob.errors import did_you_mean

        raise InputError(f"no poverty line {line!r}", where="line", expected=list(sim.lines), got=line,
                         hint=did_you_mean(line, sim.lines))
    settings = {"mode": mode, "seed": sim.seed, "line": line, "lnob_spec": base.spec.name,
                "tree": base.tree_params}
    if mode == "smooth":
        settings.update(knots=knots, replicates=replicates, bootstrap_seed=bootstrap_seed if replicates else None)
    return ImpactResult(simulation=sim, indicators=results, mode=mode, line=line, errors=base.errors,
                        settings=settings)
