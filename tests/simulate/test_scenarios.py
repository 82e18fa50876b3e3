"""Household scenarios worked out by hand (tests/simulate/scenarios/*.yaml).

Each file lists a few named households (persons, welfare per capita, weight), the schemes,
and what each household should get; the arithmetic is written in the file's comments.
Unknown keys in a scenario file are errors, so a typo cannot silently skip a check.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

from sp2lnob.simulate import Package, SimulationBase, parse_scheme, simulate
from sp2lnob.simulate.macro import Macro

HERE = Path(__file__).parent / "scenarios"
SCENARIOS = sorted(HERE.glob("*.yaml"))
TOP_KEYS = {"name", "gdp_per_capita", "lines", "schemes", "households", "expect", "replaces"}
HH_KEYS = {"id", "weight", "welfare", "persons", "old_pension"}
EXPECT_KEYS = {"tolerance", "households", "cost_lcu", "national", "scheme_costs"}
HH_EXPECT_KEYS = {"eligible", "transfer", "welfare_post", "welfare_pre"}


def _load(path: Path) -> dict:
    spec = yaml.safe_load(path.read_text())
    assert set(spec) <= TOP_KEYS, f"unknown keys {set(spec) - TOP_KEYS}"
    assert set(spec["expect"]) <= EXPECT_KEYS, f"unknown expect keys {set(spec['expect']) - EXPECT_KEYS}"
    for h in spec["households"]:
        assert set(h) <= HH_KEYS, f"unknown household keys {set(h) - HH_KEYS}"
    for exp in spec["expect"].get("households", {}).values():
        assert set(exp) <= HH_EXPECT_KEYS, f"unknown expected keys {set(exp) - HH_EXPECT_KEYS}"
    return spec


def _frame(spec: dict) -> pl.DataFrame:
    rows = []
    for h in spec["households"]:
        for p in h["persons"]:
            rows.append({"hh_id": h["id"], "weight": float(h["weight"]), "welfare": float(h["welfare"]),
                         "age": p.get("age", 30), "sex": p.get("sex", 1), "disability": p.get("disability", 0),
                         "old_pension": float(h.get("old_pension", 0.0))})
    return pl.DataFrame(rows)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_household_scenario(path: Path) -> None:
    spec = _load(path)
    df = _frame(spec)
    macro = Macro(country="Scenario", currency="LCU", year=2024, population=float(df["weight"].sum()),
                  gdp_per_capita=float(spec["gdp_per_capita"]),
                  gdp=float(spec["gdp_per_capita"]) * float(df["weight"].sum()))
    base = SimulationBase.from_frame(df, macro=macro, lines=spec["lines"], programmes={"old_pension": "old_pension"})
    package = Package(tuple(parse_scheme(s, f"{path.name}: schemes") for s in spec["schemes"]),
                      tuple(spec.get("replaces", ())))
    result = simulate(base, package, seed=1)
    exp = spec["expect"]
    tol = exp["tolerance"]
    ids = df["hh_id"].to_numpy()
    for hid, want in exp["households"].items():
        rows = np.flatnonzero(ids == hid)
        h = result.hh_index[rows[0]]
        if "transfer" in want:
            assert result.transfers_hh[h] == pytest.approx(want["transfer"], abs=tol), hid
        if "welfare_post" in want:
            assert np.allclose(result.welfare_post[rows], want["welfare_post"], atol=tol), hid
        if "welfare_pre" in want:
            assert np.allclose(result.welfare_pre[rows], want["welfare_pre"], atol=tol), hid
        if "eligible" in want:
            (mask,) = result.eligible_by_scheme.values()
            per = package.schemes[0].benefit.per
            got = int(mask[rows].sum()) if per == "person" else int(mask[rows].any())
            assert got == want["eligible"], hid
    assert result.value("cost_lcu", "value") == pytest.approx(exp["cost_lcu"], abs=tol)
    for name, cost in exp.get("scheme_costs", {}).items():
        assert result.value("cost_lcu", "value", scheme=name) == pytest.approx(cost, abs=tol)
    for row in exp.get("national", []):
        got = result.value(row["measure"], row["stage"], line=row.get("line"))
        assert got == pytest.approx(row["value"], abs=1e-9), row
