"""Benchmarks of the scheme simulator (issue 6 targets).

- one package of 3 schemes (child benefit, social pension, disability benefit) on the demo
  survey (~44,000 persons), simulate-and-summarise incl. group tables: target 50 ms;
- the same package on generated data of 10^4 .. 10^6 persons: target 0.5 s at 10^6;
- a 500-scenario sweep (benefit level x coverage x age cut-off) on the demo survey with 2
  worker processes: throughput = 500 / time (scenarios per second).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from benchmarks.harness import Case

PACKAGE = ["universal_child_benefit", "universal_social_pension", "disability_benefit"]


def _demo_base():
    from sp2lnob import read_survey
    from sp2lnob.demo import demo_spec_path
    from sp2lnob.simulate import make_package, prepare

    return prepare(read_survey(demo_spec_path())), make_package(PACKAGE)


def generated_base(n_persons: int, seed: int = 1):
    """A person table of about ``n_persons`` rows (households of 1 + Poisson(3.5) members)."""
    from sp2lnob.simulate import Macro, SimulationBase, make_package

    rng = np.random.default_rng(seed)
    n_hh = max(1, n_persons // 4)
    size = 1 + rng.poisson(3.0, n_hh)
    hh = np.repeat(np.arange(n_hh), size)
    n = hh.size
    age = rng.integers(0, 90, n)
    welfare = np.exp(rng.normal(np.log(40000), 0.6, n_hh))[hh]
    df = pl.DataFrame({
        "hh_id": hh, "weight": rng.uniform(50, 150, n_hh)[hh], "welfare": welfare, "age": age,
        "sex": rng.integers(1, 3, n), "disability": np.where(rng.random(n) < 0.05, 2, 0),
        "urban": (rng.random(n_hh) < 0.4).astype(np.int64)[hh], "region": rng.integers(1, 7, n_hh)[hh],
    })
    macro = Macro(country="Generated", currency="LCU", year=2024, population=float(df["weight"].sum()),
                  gdp_per_capita=90000.0, gdp=90000.0 * float(df["weight"].sum()),
                  government_revenue=1.6e10, government_expenditure=2.0e10)
    base = SimulationBase.from_frame(df, macro=macro, lines={"national": 25000.0, "extreme": 15000.0})
    return base, make_package(PACKAGE)


def _simulate(state):
    from sp2lnob.simulate import simulate

    base, package = state
    return simulate(base, package)


def _simulate_national(state):
    from sp2lnob.simulate import simulate

    base, package = state
    return simulate(base, package, groups=False)


def _sweep_setup():
    base, package = _demo_base()
    u = "universal_child_benefit"
    grid = {f"{u}.benefit.share": [round(0.005 * i, 3) for i in range(1, 21)],       # 0.5 % .. 10 % of GDP pc
            f"{u}.coverage.rate": [0.2, 0.4, 0.6, 0.8, 1.0],
            f"{u}.eligibility.when": ["age < 5", "age < 10", "age < 15", "age < 18", "age < 20"]}
    return base, package, grid


def _sweep(state):
    from sp2lnob.simulate import sweep

    base, package, grid = state
    return sweep(base, package, grid, workers=2)


def cases() -> list[Case]:
    out = [Case("simulate", "package of 3 schemes, demo survey", 44056, _demo_base, _simulate,
                repeat=10, target_seconds=0.05, note="simulate + all impacts and group tables")]
    for n in (10**4, 10**5, 10**6):
        out.append(Case("simulate", "package of 3 schemes, generated", n,
                        lambda n=n: generated_base(n), _simulate, repeat=5,
                        target_seconds=0.5 if n == 10**6 else None,
                        note="simulate + all impacts and group tables"))
    out.append(Case("simulate", "package of 3 schemes, generated, national only", 10**6,
                    lambda: generated_base(10**6), _simulate_national, repeat=5, target_seconds=0.5,
                    note="simulate(groups=False): national impacts, costs, targeting"))
    out.append(Case("simulate", "sweep of 500 scenarios, demo survey", 44056, _sweep_setup, _sweep, repeat=1,
                    note="2 worker processes; throughput = 500 / time"))
    return out
