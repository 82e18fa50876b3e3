"""YAML household scenarios -> PerformanceInput (unknown keys rejected)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from sp2lnob.performance.inputs import Grouping, PerformanceInput
from sp2lnob.performance.programme_sets import ProgrammeInfo
from sp2lnob.survey.design import Design

SCENARIOS = Path(__file__).parent / "scenarios"
_TOP = {"description", "lines", "programmes", "households"}
_HH = {"id", "weight", "welfare", "sexes", "amounts", "receipts", "psu", "stratum"}
_PROG = {"name", "aspire", "receipt_only"}


def _check_keys(d: dict, allowed: set, where: str) -> None:
    unknown = set(d) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)} (allowed {sorted(allowed)})")


def scenario_input(name: str) -> PerformanceInput:
    """Person rows of a scenario: one row per entry of ``sexes``, per-capita amounts = total / size."""
    spec = yaml.safe_load((SCENARIOS / name).read_text())
    _check_keys(spec, _TOP, name)
    progs = spec["programmes"]
    for p in progs:
        _check_keys(p, _PROG, f"{name}: programme")
    names = [p["name"] for p in progs]
    rows = {"hh": [], "w": [], "y": [], "sex": [], "psu": [], "stratum": []}
    amount_rows, receipt_rows = [], []
    for h in spec["households"]:
        _check_keys(h, _HH, f"{name}: household {h.get('id')}")
        size = len(h["sexes"])
        amounts = h.get("amounts") or {}
        receipts = set(h.get("receipts") or [])
        for bad in (set(amounts) | receipts) - set(names):
            raise ValueError(f"{name}: household {h['id']} names unknown programme {bad}")
        for sex in h["sexes"]:
            rows["hh"].append(h["id"])
            rows["w"].append(h["weight"])
            rows["y"].append(h["welfare"])
            rows["sex"].append(0 if sex == "M" else 1)
            rows["psu"].append(h.get("psu", h["id"]))
            rows["stratum"].append(h.get("stratum", 0))
            amount_rows.append([amounts.get(n, 0) / size for n in names])
            receipt_rows.append([n in receipts for n in names])
    w = np.array(rows["w"], dtype=float)
    n = w.size
    return PerformanceInput(
        household=np.array(rows["hh"]), weight=w, welfare=np.array(rows["y"], dtype=float),
        design=Design(weights=w, strata=np.array(rows["stratum"]), psu=np.array(rows["psu"])),
        programmes=tuple(ProgrammeInfo(p["name"], p["name"], p.get("aspire"), not p.get("receipt_only", False))
                         for p in progs),
        amount_pc=np.array(amount_rows, dtype=float).reshape(n, len(names)),
        receipt=np.array(receipt_rows, dtype=bool).reshape(n, len(names)),
        groupings={"sex": Grouping("sex", np.array(rows["sex"]), ("Male", "Female"))},
        lines={k: np.full(n, float(v)) for k, v in (spec.get("lines") or {}).items()},
    )
