"""Batch runner: many surveys (countries) × indicators (× regions), in parallel.

Each survey is one task run in a worker process (``ProcessPoolExecutor``, started with
"spawn": Polars' thread pool does not survive ``fork``);
a survey given as a path is read inside the worker, so only paths and results
cross process boundaries. The outcome is one :class:`~.run.LnobRun` whose
``to_frame()`` is the tidy table of lnob.md §6 (country, region, indicator,
group method, D, HOI, p̄, furthest-behind/ahead rule and rate, n) and whose
results keep every tree.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from sp2lnob.errors import InputError, Sp2lnobError
from sp2lnob.opportunity.run import LnobRun, run_lnob
from sp2lnob.opportunity.spec import LnobSpec, load_lnob_spec


def _run_one(country: str, survey: Any, spec: LnobSpec, options: dict[str, Any]) -> LnobRun:
    if isinstance(survey, (str, Path)):
        from sp2lnob.survey import read_survey

        survey = read_survey(survey)
    try:
        return run_lnob(survey, spec, country=country, **options)
    except Sp2lnobError as err:  # a broken survey fails alone, reported in the table's errors
        return LnobRun(results=(), errors=({"country": country, "region": None, "indicator": None,
                                            "error": err.to_dict()},), spec_name=spec.name)


def _batch_on_dask(client: Any, surveys: Mapping[str, Any], spec: LnobSpec, options: dict[str, Any],
                   runs: dict[str, LnobRun], progress: Callable[[int], None] | None) -> int:
    """One Dask task per survey; returns the number of workers."""
    from sp2lnob.scale.cluster import client_workers, dask_client

    with dask_client(client) as c:
        from distributed import as_completed as dask_completed

        shared_spec = c.scatter(spec, broadcast=True)
        futures = {c.submit(_run_one, country, survey, shared_spec, options, pure=False): country
                   for country, survey in surveys.items()}
        try:
            for fut, run in dask_completed(futures, with_results=True):
                runs[futures[fut]] = run
                if progress is not None:
                    progress(1)
        except BaseException:
            c.cancel(list(futures))
            raise
        return max(1, client_workers(c))


def run_batch(
    surveys: Mapping[str, Any],
    spec: LnobSpec | str | Path,
    *,
    indicators: Sequence[str] | None = None,
    group_method: str = "leaves",
    by_region: bool = False,
    shapley: str | None = None,
    replicates: int = 0,
    seed: int | None = 12345,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    engine: str = "local",
    client: Any = None,
) -> LnobRun:
    """Run ``spec`` on every survey of ``surveys`` (country → ``Survey`` or survey-spec path).

    ``workers``: processes (default: the CPU count, at most the number of surveys);
    1 runs in this process. ``progress(k)`` is called as surveys finish.
    Shapley decompositions are off by default in batch runs (2^K trees per indicator).
    ``engine="dask"``: one task per survey on a Dask cluster (``client``, or a
    LocalCluster started and stopped here); surveys given as paths are read by the
    workers, so only paths, the spec and results cross the network.
    """
    from sp2lnob.scale.cluster import check_engine

    check_engine(engine, "run_batch(engine=...)")
    if not surveys:
        raise InputError("no surveys given to the batch runner")
    if not isinstance(spec, LnobSpec):
        spec = load_lnob_spec(spec)
    options = dict(indicators=indicators, group_method=group_method, by_region=by_region, shapley=shapley,
                   replicates=replicates, seed=seed)
    n_workers = min(workers or os.cpu_count() or 1, len(surveys))
    runs: dict[str, LnobRun] = {}
    if engine == "dask":
        n_workers = _batch_on_dask(client, surveys, spec, options, runs, progress)
    elif n_workers <= 1:
        for country, survey in surveys.items():
            runs[country] = _run_one(country, survey, spec, options)
            if progress is not None:
                progress(1)
    else:
        # "spawn", not fork: forking a process whose Polars/NumPy thread pools are running can deadlock
        with ProcessPoolExecutor(max_workers=n_workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(_run_one, c, s, spec, options): c for c, s in surveys.items()}
            for fut in as_completed(futures):
                runs[futures[fut]] = fut.result()
                if progress is not None:
                    progress(1)
    ordered = [runs[c] for c in surveys]  # keep the caller's country order
    return LnobRun(
        results=tuple(r for run in ordered for r in run.results),
        errors=tuple(e for run in ordered for e in run.errors),
        spec_name=spec.name,
        settings={**options, "countries": list(surveys), "workers": n_workers, "engine": engine},
    )
