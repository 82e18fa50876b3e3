"""sp2lnob.measures against R laeken 0.5.2 and R survey 4.1.1.

Golden values and input data come from ``tests/golden/laeken/make_fixtures.R``
(see ``provenance.json`` there for the R and package versions and each call).
The data were written with 17 significant digits and read back in R before
computing, so both sides work on identical doubles.

Tolerance: 1e-10 relative. Quantile rules return one of the data values (or
the average of two), so they must match exactly up to the ratio computations
that select them; sums (Gini, means, shares) may differ in the last bits
because R accumulates in long double and NumPy in pairwise double.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

import sp2lnob.measures as m

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "laeken"
RTOL = 1e-10


def _expected() -> list[dict[str, str]]:
    with open(GOLDEN / "expected.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def _data(name: str) -> tuple[np.ndarray, np.ndarray]:
    arr = np.loadtxt(GOLDEN / f"data_{name}.csv", delimiter=",", skiprows=1)
    return arr[:, 0], arr[:, 1]


def _compute(measure: str, x: np.ndarray, w: np.ndarray, p: float | None) -> float:
    match measure:
        case "gini":
            return m.gini(x, w)
        case "arpr":
            return m.arpr(x, w, share=p)
        case "arpt":
            return m.arpt(x, w, share=p)
        case "qsr":
            return m.s80_s20(x, w)
        case "rmpg":
            return m.rmpg(x, w, share=p)
        case "weightedMedian":
            return m.median(x, w, rule="laeken")
        case "weightedQuantile":
            return m.quantile(x, w, p, rule="laeken")
        case "svyquantile_math":
            return m.quantile(x, w, p, rule="math")
        case "svyquantile_school":
            return m.quantile(x, w, p, rule="school")
        case "svymean" | "weighted.mean":
            return m.mean(x, w)
    raise AssertionError(f"no mapping for R measure {measure!r}")


ROWS = _expected()


def test_fixture_provenance_is_recorded():
    prov = json.loads((GOLDEN / "provenance.json").read_text())
    assert prov["packages"]["laeken"] and prov["packages"]["survey"] and prov["r_version"].startswith("R ")
    assert len(ROWS) > 100
    assert {r["dataset"] for r in ROWS} == {
        "eusilc", "lognormal_ties", "integer_ties", "pareto_zeros", "exact_hits", "unit_weights"}


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['dataset']}-{r['measure']}-{r['p']}" for r in ROWS])
def test_matches_r(row):
    x, w = _data(row["dataset"])
    p = float(row["p"]) if row["p"] else None
    got = _compute(row["measure"], x, w, p)
    assert got == pytest.approx(float(row["value"]), rel=RTOL, abs=0.0)


def test_exact_hits_data_separate_the_rules():
    """The 'exact_hits' fixture must make math, school and laeken disagree (else the rules are untested)."""
    rows = {(r["measure"], r["p"]): float(r["value"]) for r in ROWS if r["dataset"] == "exact_hits"}
    probs = [p for (meas, p) in rows if meas == "svyquantile_school"]
    assert sum(rows[("svyquantile_school", p)] != rows[("svyquantile_math", p)] for p in probs) >= 5
    assert sum(rows[("weightedQuantile", p)] != rows[("svyquantile_math", p)] for p in probs) >= 5


@pytest.mark.parametrize("dataset", ["integer_ties", "exact_hits", "unit_weights"])
def test_gini_binned_path_matches_r(dataset, monkeypatch):
    """Whole-number data: the no-sort (binned) Gini path must also reproduce laeken."""
    from sp2lnob.measures import inequality

    monkeypatch.setattr(inequality, "DENSE_MIN_ROWS", 1)
    calls = []
    original = inequality.dense_key
    monkeypatch.setattr(inequality, "dense_key", lambda *a, **k: calls.append(1) or original(*a, **k))
    x, w = _data(dataset)
    expected = next(float(r["value"]) for r in ROWS if r["dataset"] == dataset and r["measure"] == "gini")
    assert m.gini(x, w) == pytest.approx(expected, rel=RTOL, abs=0.0)
    assert calls and original(x, max_bins=max(1 << 16, 4 * x.size)) is not None   # binned path taken
