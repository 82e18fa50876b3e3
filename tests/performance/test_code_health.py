"""Code health: every indicator produced has a definition (label, unit, formula, source)."""

from __future__ import annotations

from tests.performance._scenarios import scenario_input

from sp2lnob.parameters import load
from sp2lnob.performance.compute import compute_indicators

REQUIRED = ("label", "unit", "formula", "source")


def test_definitions_are_complete():
    defs = load("indicator_definitions.yaml")
    assert defs["source"] and defs["date"]
    for name, d in defs["indicators"].items():
        for key in REQUIRED:
            assert isinstance(d.get(key), str) and d[key].strip(), f"{name}: {key}"


def test_every_produced_indicator_is_defined():
    defs = load("indicator_definitions.yaml")["indicators"]
    res = compute_indicators(scenario_input("five_households.yaml"))
    produced = set(res.to_frame()["indicator"].unique())
    assert produced <= set(defs), produced - set(defs)


def test_age_groups_parameters_are_consistent():
    g = load("indicator_definitions.yaml")["groupings"]["age_groups"]
    assert len(g["breaks"]) == len(g["labels"]) and g["breaks"] == sorted(g["breaks"])
