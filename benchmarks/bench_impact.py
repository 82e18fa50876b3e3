"""Benchmarks of SP2LNOB (issue 7): the live step the app runs as a slider moves.

- demo survey (~44,000 persons): simulate a universal child benefit + re-route through 10 fixed
  LNOB trees + summarise (faithful mode): target 0.3 s;
- the same in smooth mode (models fitted once, then reused), and a 10-point benefit sweep;
- generated Asiatica surveys of 10^4 .. 10^6 persons (``generate_asiatica``): faithful step.
The trees are fitted once in the (untimed) setup with ``prepare_impact``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.harness import Case

SIZES = (10**4, 10**5, 10**6)
PERSONS_PER_HOUSEHOLD = 4.4     # the demo's mean household size


def _prepared(survey):
    from sp2lnob.impact import impact, prepare_impact
    from sp2lnob.simulate import make_package

    base = prepare_impact(survey)
    package = make_package(["universal_child_benefit"])
    impact(base, package)  # fills nothing lazily in tree mode; keeps the warm-up honest
    return base, package


def _demo():
    from sp2lnob import read_survey
    from sp2lnob.demo import demo_spec_path

    return _prepared(read_survey(demo_spec_path()))


def _generated(n_persons: int):
    from sp2lnob import read_survey
    from sp2lnob.demo import demo_spec_path, write_demo

    directory = Path(tempfile.mkdtemp(prefix="bench_impact_"))
    write_demo(directory, regenerate=True, n_households=max(200, int(n_persons / PERSONS_PER_HOUSEHOLD)), seed=7)
    return _prepared(read_survey(directory / Path(demo_spec_path()).name))


def _faithful(state):
    from sp2lnob.impact import impact

    base, package = state
    return impact(base, package, mode="tree")


def _smooth(state):
    from sp2lnob.impact import impact

    base, package = state
    return impact(base, package, mode="smooth")


def _sweep(state):
    from sp2lnob.impact import sweep_impact

    base, package = state
    return sweep_impact(base, package, "benefit.share", [i / 100 for i in range(10)])


def cases() -> list[Case]:
    out = [
        Case(group="impact", name="demo_faithful_10_indicators", rows=44_056, setup=_demo, fn=_faithful,
             repeat=9, target_seconds=0.3, note="simulate + re-route 10 fixed trees + summarise (issue 7 target)"),
        Case(group="impact", name="demo_smooth_10_indicators", rows=44_056, setup=_demo, fn=_smooth, repeat=5,
             note="spline logits fitted once (first call), then reused"),
        Case(group="impact", name="demo_sweep_10_levels", rows=44_056, setup=_demo, fn=_sweep, repeat=3,
             note="benefit share 0..9 % of GDP per capita, faithful, 10 indicators"),
    ]
    out += [Case(group="impact", name="generated_faithful_10_indicators", rows=n, setup=lambda n=n: _generated(n),
                 fn=_faithful, repeat=3 if n >= 10**6 else 5, note="generated Asiatica survey")
            for n in SIZES]
    return out
