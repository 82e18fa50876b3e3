"""Benchmarks for sp2lnob.measures: each measure at 10^4 … 10^7 person rows.

Data: lognormal welfare (log-mean 9, log-sd 0.8) rounded to 1 currency unit
(so ties exist), uniform weights on [1, 500], 20 regions; generated once per
size with a fixed seed. R's timing on the same data: ``benchmarks/r_compare_measures.R``
(write its input with ``python -m benchmarks.bench_measures --write-compare-data PATH``).
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

import numpy as np

from benchmarks.harness import SIZES, Case

SEED = 20261122
COMPARE_ROWS = 1_500_000


@cache
def _data(rows: int) -> dict[str, Any]:
    rng = np.random.default_rng(SEED)
    x = np.round(rng.lognormal(9.0, 0.8, rows))
    w = rng.uniform(1.0, 500.0, rows)
    region = rng.integers(0, 20, rows)
    return {"x": x, "w": w, "region": region, "line": float(np.median(x)) * 0.6}


def _cases_for(rows: int) -> list[Case]:
    from sp2lnob import measures as m

    repeat = 3 if rows >= 10**7 else 5
    setup = lambda: _data(rows)  # noqa: E731 - cached: built once per size
    fns = {
        "mean": lambda d: m.mean(d["x"], d["w"]),
        "median": lambda d: m.median(d["x"], d["w"]),
        "deciles": lambda d: m.quantile(d["x"], d["w"], np.arange(1, 10) / 10),
        "gini": lambda d: m.gini(d["x"], d["w"]),
        "theil": lambda d: m.theil(d["x"], d["w"]),
        "mld": lambda d: m.mld(d["x"], d["w"]),
        "atkinson_2": lambda d: m.atkinson(d["x"], d["w"], 2.0),
        "fgt_1": lambda d: m.fgt(d["x"], d["w"], line=d["line"], alpha=1.0),
        "watts": lambda d: m.watts(d["x"], d["w"], d["line"]),
        "sen": lambda d: m.sen(d["x"], d["w"], d["line"]),
        "palma": lambda d: m.palma(d["x"], d["w"]),
        "s80_s20": lambda d: m.s80_s20(d["x"], d["w"]),
        "decile_shares": lambda d: m.shares(d["x"], d["w"], 10),
        "ntile_5": lambda d: m.ntile(d["x"], d["w"], 5),
        "arpr": lambda d: m.arpr(d["x"], d["w"]),
        "rmpg": lambda d: m.rmpg(d["x"], d["w"]),
        "gini_by_20_regions": lambda d: m.by_group(m.gini, d["x"], d["w"], d["region"]),
        "fgt_decomposition_20": lambda d: m.fgt_decomposition(d["x"], d["w"], d["region"], d["line"], 1.0),
    }
    return [Case("measures", name, rows, setup, fn, repeat=repeat) for name, fn in fns.items()]


def cases() -> list[Case]:
    return [case for rows in SIZES for case in _cases_for(rows)]


def write_compare_data(path: str, rows: int = COMPARE_ROWS, continuous: bool = False) -> None:
    """Write the benchmark data (x, w) as CSV for ``r_compare_measures.R``.

    ``continuous=True`` writes unrounded welfare instead (no ties: the Gini then
    needs a full sort; whole-number welfare lets it skip the sort).
    """
    d = _data(rows)
    x = d["x"]
    if continuous:
        x = np.random.default_rng(SEED).lognormal(9.0, 0.8, rows)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("x,w\n")
        np.savetxt(fh, np.column_stack((x, d["w"])), delimiter=",", fmt="%.17g")


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) in (2, 3) and args[0] == "--write-compare-data" and args[2:] in ([], ["--continuous"]):
        write_compare_data(args[1], continuous=args[2:] == ["--continuous"])
    else:
        sys.exit("usage: python -m benchmarks.bench_measures --write-compare-data PATH [--continuous]")
