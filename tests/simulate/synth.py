"""A small synthetic person table for engine tests (vectorised; no survey file needed)."""

from __future__ import annotations

import numpy as np
import polars as pl

from sp2lnob.simulate.base import SimulationBase
from sp2lnob.simulate.macro import Macro

MACRO = Macro(country="Testland", currency="TLD", year=2024, population=1.0e6, gdp_per_capita=90000.0,
              gdp=9.0e10, government_revenue=1.8e10, government_expenditure=2.0e10)


def synthetic_frame(n_households: int = 2000, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    size = 1 + rng.poisson(3.0, n_households)
    hh = np.repeat(np.arange(n_households), size)
    first = np.concatenate(([0], np.cumsum(size)[:-1]))
    pos = np.arange(hh.size) - first[hh]
    age = np.where(pos == 0, rng.integers(20, 90, hh.size), rng.integers(0, 90, hh.size))
    hh_welfare = np.exp(rng.normal(np.log(40000), 0.6, n_households))
    weight = rng.uniform(50, 150, n_households)
    return pl.DataFrame({
        "hh_id": hh,
        "weight": weight[hh],
        "welfare": hh_welfare[hh],
        "age": age,
        "sex": rng.integers(1, 3, hh.size),
        "disability": np.where(rng.random(hh.size) < 0.05, rng.integers(2, 4, hh.size), 0),
        "urban": (rng.random(n_households) < 0.4).astype(np.int64)[hh],
        "region": rng.integers(1, 5, n_households)[hh],
        "cct_pc": np.where(rng.random(n_households) < 0.2, 2000.0, 0.0)[hh],
    })


def synthetic_base(n_households: int = 2000, seed: int = 1) -> SimulationBase:
    df = synthetic_frame(n_households, seed)
    return SimulationBase.from_frame(df, macro=MACRO, lines={"national": 25000.0, "extreme": 15000.0},
                                     programmes={"cct": "cct_pc"}, receipts={"cct": "cct_pc"},
                                     labels={"urban": {0: "rural", 1: "urban"}})
