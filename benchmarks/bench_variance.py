"""Benchmark: design-based standard errors (sp2lnob.variance).

Generated stratified cluster samples: 50 strata, PSUs of 20 person rows,
lognormal welfare with a PSU effect, unequal weights. Cases: design + mean SE,
Gini SE and FGT(0) SE by linearisation at 10^4...10^7 rows; Rao–Wu bootstrap
with 200 replicates at 10^4...10^6 rows (mean: one matrix product over PSU
totals; Gini: the measure recomputed once per replicate).

The R comparison (issue target: design + SE in a tenth of R survey's time)
uses the same 1.5-million-row file:

    .venv/bin/python benchmarks/bench_variance.py --write-compare-data /tmp/variance_1.5M.csv
    Rscript benchmarks/r_compare_variance.R /tmp/variance_1.5M.csv
    .venv/bin/python benchmarks/bench_variance.py --time-compare-data /tmp/variance_1.5M.csv
"""

from __future__ import annotations

import sys
import time

import numpy as np

from benchmarks.harness import SIZES, Case
from sp2lnob.survey.design import Design
from sp2lnob.variance import estimate

ROWS_PER_PSU = 20
N_STRATA = 50


def generate(n: int, seed: int = 20261122) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    psu = np.arange(n) // ROWS_PER_PSU
    n_psu = int(psu[-1]) + 1
    stratum = psu % N_STRATA
    y = np.exp(9.0 + rng.normal(0.0, 0.3, n_psu)[psu] + rng.normal(0.0, 0.7, n))
    w = rng.uniform(50.0, 300.0, n_psu)[psu] * np.exp(rng.normal(0.0, 0.2, n))
    return {"y": y, "w": w, "stratum": stratum, "psu": psu}


def design_and_se(data: dict[str, np.ndarray], measure: str = "mean", **kw):
    """What a user times: build the design, then the estimate with its SE."""
    d = Design(weights=data["w"], strata=data["stratum"], psu=data["psu"])
    return estimate(measure, data["y"], d, **kw)


def cases() -> list[Case]:
    out: list[Case] = []
    for n in SIZES:
        repeat = 3 if n >= 10**7 else 5
        out.append(Case("variance", "design + mean SE (linearization)", n, lambda n=n: generate(n),
                        design_and_se, repeat=repeat,
                        target_seconds=None, note="Design() + estimate('mean')"))
        out.append(Case("variance", "design + gini SE (linearization)", n, lambda n=n: generate(n),
                        lambda d: design_and_se(d, "gini"), repeat=repeat))
        out.append(Case("variance", "design + fgt0 SE (linearization)", n, lambda n=n: generate(n),
                        lambda d: design_and_se(d, "fgt", line=6000.0), repeat=repeat))
    for n in SIZES[:3]:
        out.append(Case("variance", "mean SE, bootstrap 200", n, lambda n=n: generate(n),
                        lambda d: design_and_se(d, "mean", method="bootstrap", replicates=200,
                                                seed=1), repeat=3))
        out.append(Case("variance", "gini SE, bootstrap 200", n, lambda n=n: generate(n),
                        lambda d: design_and_se(d, "gini", method="bootstrap", replicates=200,
                                                seed=1), repeat=1 if n >= 10**6 else 3,
                        note="gini recomputed per replicate"))
    return out


def _write(path: str, n: int = 1_500_000) -> None:
    import polars as pl

    data = generate(n)
    pl.DataFrame(data).write_csv(path)
    print(f"wrote {n} rows to {path}")


def _time(path: str) -> None:
    import polars as pl

    df = pl.read_csv(path)
    data = {k: df[k].to_numpy() for k in ("y", "w", "stratum", "psu")}
    design_and_se(data)  # warm-up
    secs = []
    for _ in range(5):
        t0 = time.perf_counter()
        e = design_and_se(data)
        secs.append(time.perf_counter() - t0)
    print(f"sp2lnob design+mean rows={df.height} median_seconds={np.median(secs):.4f} "
          f"mean={e.estimate:.10g} se={e.se:.10g}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write-compare-data":
        _write(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "--time-compare-data":
        _time(sys.argv[2])
    else:
        print(__doc__)
