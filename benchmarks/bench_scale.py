"""Scale-out benchmark (``make bench-scale``): 10^8 person rows as Parquet partitions on Dask.

1. Generates ``--rows`` person rows (default 10^8) as ``--files`` Parquet files
   in ``--dir`` (households of 1-8 persons never split; columns: household id,
   stratum, PSU, region, weight, welfare per capita and two programme transfers),
   skipping generation when the files are already there. Not timed.
2. Times the headline measures (mean, median, FGT at two lines, Watts, Gini,
   Theil, MLD, GE(2), Atkinson, Palma, S80/S20, ARPR) on a LocalCluster of 2
   worker processes, and one indicator table (coverage, incidences, adequacy by
   pre-transfer quintile with SEs) when ``sp2lnob.scale.indicators`` is present.
3. Times a sweep of 1,000 scenarios of the universal child benefit on the demo
   survey across the worker processes.

Peak memory is the largest sum, sampled every 0.1 s, of the resident memory of
this process and all its children (the scheduler runs in this process, the
workers are children). Writes ``benchmarks/scale.md`` (appended to
``docs/benchmarks.md`` by ``benchmarks.run``).
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

HERE = Path(__file__).parent
SEED = 20261122


def generate(directory: Path, rows: int, files: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    per_file = rows // files
    hh_offset = 0
    for k in range(files):
        path = directory / f"part-{k:05d}.parquet"
        rng = np.random.default_rng([SEED, k])
        sizes = rng.integers(1, 9, per_file // 4 + 16)
        sizes = sizes[: np.searchsorted(np.cumsum(sizes), per_file) + 1]
        n = int(sizes.sum())
        hh = np.repeat(np.arange(hh_offset, hh_offset + sizes.size, dtype=np.int64), sizes)
        hh_offset += sizes.size
        if path.exists():
            continue
        h_welfare = rng.lognormal(9.0, 0.8, sizes.size)
        h_weight = rng.uniform(50.0, 300.0, sizes.size)
        psu = (hh // 2000).astype(np.int64)   # enumeration-area-sized PSUs (about 9,000 persons)
        poor = h_welfare < np.quantile(h_welfare, 0.3)
        cash = np.where(rng.random(sizes.size) < np.where(poor, 0.6, 0.1), 600.0 / sizes, 0.0)
        pension = np.where(rng.random(sizes.size) < 0.15, 1500.0 / sizes, 0.0)
        pl.DataFrame({
            "hh": hh, "stratum": (psu % 40).astype(np.int16), "psu": psu,
            "region": np.repeat(rng.integers(1, 21, sizes.size).astype(np.int8), sizes),
            "weight": np.repeat(h_weight, sizes), "welfare": np.repeat(h_welfare, sizes),
            "cash_transfer": np.repeat(cash, sizes), "social_pension": np.repeat(pension, sizes),
        }).slice(0, n).write_parquet(path, row_group_size=256_000)


class PeakMemory:
    """Largest resident memory of this process + children, sampled on a thread."""

    def __init__(self) -> None:
        import psutil

        self._proc = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _total(self) -> int:
        total = self._proc.memory_info().rss
        for child in self._proc.children(recursive=True):
            try:
                total += child.memory_info().rss
            except Exception:  # noqa: BLE001 - a child may exit between listing and reading
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            time.sleep(0.1)

    def __enter__(self) -> PeakMemory:
        self.peak = self._total()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def timed(label: str, fn, results: list, repeats: int = 1) -> object:
    times, out = [], None
    with PeakMemory() as mem:
        for _ in range(repeats):
            t0 = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t0)
    results.append((label, float(np.median(times)), mem.peak / 2**30, len(times)))
    print(f"{label}: {np.median(times):.1f} s, peak {mem.peak / 2**30:.2f} GiB", flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000_000)
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/sp2lnob-scale-bench"))
    ap.add_argument("--scenarios", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--out", type=Path, default=HERE / "scale.md")
    args = ap.parse_args()

    from benchmarks.run import machine
    from sp2lnob.scale import dask_client, measures, scan_parquet

    t0 = time.perf_counter()
    generate(args.dir, args.rows, args.files)
    print(f"data ready in {time.perf_counter() - t0:.0f} s", flush=True)
    src = scan_parquet(args.dir)
    disk = sum(os.path.getsize(p) for p in src.paths) / 2**30
    results: list = []
    load = os.getloadavg()[0]
    with dask_client(n_workers=2, threads_per_worker=1, memory_limit="3.5GiB") as client:
        res = timed("headline measures (15 measures, 2 lines)", lambda: measures(
            src, welfare="welfare", weight="weight", line=[4000.0, 8000.0], engine="dask", client=client),
            results, args.repeats)
        gini = res.table.filter(pl.col("measure") == "gini")
        note_gini = f"Gini {gini['value'][0]:.6f} ± {gini['error_bound'][0]:.1e}"
        timed("headline measures by region (20 groups)", lambda: measures(
            src, welfare="welfare", weight="weight", line=[4000.0], by="region", engine="dask", client=client,
            measures=["mean", "median", "headcount", "gini"]), results, args.repeats)
        try:
            from sp2lnob.scale.indicators import indicator_table
        except ImportError:
            indicator_table = None
        if indicator_table is not None:
            timed("indicator table (2 programmes x quintiles, with SEs)", lambda: indicator_table(
                src, welfare="welfare", weight="weight", household="hh", strata="stratum", psu="psu",
                programmes={"cash_transfer": "cash_transfer", "social_pension": "social_pension"},
                engine="dask", client=client), results, args.repeats)
        sweep_line = sweep_benchmark(client, args.scenarios, results)
    lines = [
        "## Scale-out on Dask (10^8 person rows)" if args.rows == 100_000_000 else f"## Scale-out on Dask ({args.rows:,} rows)",
        "",
        f"Generated by `python -m benchmarks.bench_scale` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        f"{machine()}; load average {load:.1f} at start. "
        f"Data: {src.n_rows:,} person rows in {len(src.paths)} Parquet files ({disk:.1f} GiB on disk). "
        "LocalCluster: 2 worker processes x 1 thread, 3.5 GiB memory limit each. Peak memory: largest sum of "
        "the resident memory of this process (client and scheduler) and the workers, sampled every 0.1 s "
        "(target: under 8 GiB).",
        "",
        "| computation | seconds | peak memory | runs |",
        "|---|---:|---:|---:|",
    ]
    for label, secs, peak, n in results:
        lines.append(f"| {label} | {secs:.1f} | {peak:.2f} GiB | {n} |")
    lines += ["", f"{note_gini} (bounded method; see docs/scale-out.md). {sweep_line}", ""]
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


def sweep_benchmark(client, scenarios: int, results: list) -> str:
    from sp2lnob import read_survey
    from sp2lnob.demo import demo_spec_path
    from sp2lnob.simulate import make_package, prepare, sweep

    base = prepare(read_survey(demo_spec_path()))
    ucb = "universal_child_benefit"
    shares = np.round(np.linspace(0.0, 0.10, scenarios // 4), 6).tolist()
    grid = {f"{ucb}.benefit.share": shares, f"{ucb}.coverage.rate": [0.25, 0.5, 0.75, 1.0]}
    res = timed(f"sweep of {len(shares) * 4:,} scenarios (demo survey)", lambda: sweep(
        base, make_package([ucb]), grid, seed=1, engine="dask", client=client), results)
    return (f"Sweep throughput: {res.throughput:.1f} scenarios/s on {res.workers} worker processes "
            f"({res.scenarios:,} scenarios, demo survey of 44,056 persons).")


if __name__ == "__main__":
    raise SystemExit(main())
