"""Parameter sweeps: a grid of scheme parameters run into one tidy table (spec §5).

A grid maps ``"<scheme>.<key path>"`` to a list of values, e.g.
``{"universal_child_benefit.benefit.share": [0.02, 0.04], "universal_child_benefit.coverage.rate":
[0.5, 1.0]}``; every combination is a scenario. All scenarios use the same seed (common random
numbers: a change in the table comes from the parameters, not from new draws). Scenarios run in
``workers`` processes (``concurrent.futures``, spawn start method), each holding one copy of the
prepared survey; ``progress(done, total)`` is called as scenarios finish.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing as mp
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from sp2lnob.errors import InputError, SpecError, did_you_mean
from sp2lnob.simulate.base import SimulationBase, defaults
from sp2lnob.simulate.scheme import Package

_STATE: dict[str, Any] = {}


@dataclass(frozen=True)
class SweepResult:
    """Long table (scenario, parameter columns, section, measure, scheme, line, stage, value),
    the grid, the seed, and throughput (scenarios per second, wall clock)."""

    table: pl.DataFrame
    grid: dict[str, list]
    seed: int
    seconds: float
    workers: int

    @property
    def scenarios(self) -> int:
        return int(math.prod(len(v) for v in self.grid.values()))

    @property
    def throughput(self) -> float:
        return self.scenarios / self.seconds if self.seconds > 0 else float("nan")

    def to_frame(self) -> pl.DataFrame:
        return self.table

    def wide(self, measures: tuple[str, ...] = ("cost_pct_gdp", "fgt0", "gini"), line: str | None = None) -> pl.DataFrame:
        """One row per scenario: parameters and the package's post-transfer value of ``measures``."""
        t = self.table.filter(pl.col("measure").is_in(list(measures))
                              & pl.col("stage").is_in(["post", "value"])
                              & (pl.col("scheme").is_null() | (pl.col("scheme") == "package")))
        if line is not None:
            t = t.filter(pl.col("line").is_null() | (pl.col("line") == line))
        t = t.with_columns(pl.when(pl.col("line").is_null()).then(pl.col("measure"))
                           .otherwise(pl.col("measure") + "@" + pl.col("line")).alias("name"))
        return t.pivot(on="name", index=["scenario", *self.grid], values="value")

    def summary(self) -> str:
        return (f"sweep of {self.scenarios} scenarios over {', '.join(self.grid)} in {self.seconds:.2f} s "
                f"({self.throughput:.1f} scenarios/s, {self.workers} worker(s), seed {self.seed})")

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        return {"grid": self.grid, "seed": self.seed, "seconds": self.seconds, "workers": self.workers,
                "throughput": self.throughput, "rows": self.table.to_dicts()}


def load_grid(path: str | Path) -> dict[str, list]:
    """A sweep file: ``grid: {"<scheme>.<key path>": [values...]}``."""
    p = Path(path)
    try:
        payload = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("sweep file not found", where=str(p)) from None
    if not isinstance(payload, dict) or set(payload) - {"grid", "date", "source", "description"} \
            or not isinstance(payload.get("grid"), dict):
        raise SpecError("a sweep file needs a `grid:` mapping of parameter -> list of values", where=str(p),
                        got=list(payload) if isinstance(payload, dict) else type(payload).__name__)
    return {str(k): list(v) if isinstance(v, list) else [v] for k, v in payload["grid"].items()}


def scenario_packages(package: Package, grid: dict[str, list]) -> list[tuple[dict[str, Any], Package]]:
    """Every combination of the grid as a validated package (errors name the grid key)."""
    if not grid:
        raise InputError("the sweep grid is empty", where="sweep", hint="e.g. {'<scheme>.benefit.share': [0.02, 0.04]}")
    targets = {}
    for key in grid:
        name, _, path = key.partition(".")
        if name not in package.names or not path:
            raise InputError(f"sweep parameter {key!r} must start with a scheme of the package", where="sweep grid",
                             expected="<scheme>.<key path>, schemes: " + ", ".join(package.names), got=key,
                             hint=did_you_mean(name, package.names))
        targets[key] = (name, path)
    out = []
    keys = list(grid)
    for values in itertools.product(*(grid[k] for k in keys)):
        params = dict(zip(keys, values, strict=True))
        pkg = package
        for name in package.names:
            updates = {targets[k][1]: v for k, v in params.items() if targets[k][0] == name}
            if updates:
                pkg = pkg.replace_scheme(pkg.scheme(name).with_values(updates))
        out.append((params, pkg))
    return out


def _init_worker(base: SimulationBase, seed: int) -> None:
    _STATE["base"] = base
    _STATE["seed"] = seed


def _run_chunk(chunk: list[tuple[int, Package]]) -> list[tuple[int, list]]:
    return run_scenarios(_STATE["base"], _STATE["seed"], chunk)


def run_scenarios(base: SimulationBase, seed: int, chunk: list[tuple[int, Package]]) -> list[tuple[int, list]]:
    """The table rows of each (index, package) of ``chunk`` (a task of a sweep)."""
    from sp2lnob.simulate.engine import run

    return [(i, run(base, pkg, seed, groups=False)[3]) for i, pkg in chunk]


def _sweep_on_dask(client: Any, base: SimulationBase, seed: int, items: list[tuple[int, Package]],
                   results: dict[int, list], progress: Callable[[int, int], None] | None) -> int:
    """Scenarios as Dask tasks; returns the number of workers used."""
    from sp2lnob.scale.cluster import client_workers, dask_client

    with dask_client(client) as c:
        from distributed import as_completed as dask_completed

        workers = max(1, client_workers(c))
        size = max(1, math.ceil(len(items) / (workers * 8)))
        shared = c.scatter(base, broadcast=True)
        futures = [c.submit(run_scenarios, shared, seed, items[i:i + size], pure=False)
                   for i in range(0, len(items), size)]
        try:
            for _, rows in dask_completed(futures, with_results=True):
                results.update(rows)
                if progress:
                    progress(len(results), len(items))
        except BaseException:
            c.cancel(futures)
            raise
    return workers


def sweep(base: SimulationBase, package: Package, grid: dict[str, list], *, seed: int | None = None,
          workers: int = 1, progress: Callable[[int, int], None] | None = None, engine: str = "local",
          client: Any = None) -> SweepResult:
    """Run every scenario of ``grid`` and return one tidy table.

    ``engine="local"``: ``workers`` processes here. ``engine="dask"``: scenarios in
    chunks as tasks of a Dask cluster (``client``, or a LocalCluster started and
    stopped here), the prepared survey sent once to every worker.
    """
    from sp2lnob.scale.cluster import check_engine

    check_engine(engine, "sweep(engine=...)")
    seed = int(defaults()["default_seed"] if seed is None else seed)
    scenarios = scenario_packages(package, grid)
    total = len(scenarios)
    start = time.perf_counter()
    results: dict[int, list] = {}
    items = [(i, pkg) for i, (_, pkg) in enumerate(scenarios)]
    if engine == "dask":
        workers = _sweep_on_dask(client, replace(base, cache={}), seed, items, results, progress)
    elif workers <= 1 or total < 4:
        _init_worker(base, seed)
        for item in items:
            results.update(_run_chunk([item]))
            if progress:
                progress(len(results), total)
        workers = 1
    else:
        size = max(1, math.ceil(total / (workers * 8)))
        chunks = [items[i:i + size] for i in range(0, total, size)]
        shipped = replace(base, cache={})
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                                 initializer=_init_worker, initargs=(shipped, seed)) as pool:
            futures = [pool.submit(_run_chunk, c) for c in chunks]
            for fut in as_completed(futures):
                results.update(fut.result())
                if progress:
                    progress(len(results), total)
    seconds = time.perf_counter() - start
    keys = list(grid)
    records = []
    for i, (params, _) in enumerate(scenarios):
        for r in results[i]:
            records.append((i, *(params[k] for k in keys), r[0], r[1], r[2], r[3], r[6], r[7]))
    columns = ["scenario", *keys, "section", "measure", "scheme", "line", "stage", "value"]
    table = pl.DataFrame(records, schema=columns, orient="row", infer_schema_length=None)
    return SweepResult(table, {k: list(v) for k, v in grid.items()}, seed, seconds, workers)
