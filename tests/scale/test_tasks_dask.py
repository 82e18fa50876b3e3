"""Sweeps and LNOB batches as task graphs on a real Dask LocalCluster: same tables as local."""

from __future__ import annotations

import pytest

from sp2lnob.errors import InputError

UCB = "universal_child_benefit"


def test_sweep_on_dask_equals_local(dask_cluster_client):
    from tests.simulate.synth import synthetic_base

    from sp2lnob.simulate import make_package, sweep

    base = synthetic_base(800, seed=3)
    pkg = make_package([UCB])
    grid = {f"{UCB}.benefit.share": [0.0, 0.02, 0.04], f"{UCB}.coverage.rate": [0.5, 1.0]}
    calls = []
    local = sweep(base, pkg, grid, seed=4)
    dask = sweep(base, pkg, grid, seed=4, engine="dask", client=dask_cluster_client,
                 progress=lambda d, t: calls.append((d, t)))
    assert dask.table.equals(local.table)       # same seed, same draws, same order
    assert dask.workers == 2 and calls[-1] == (6, 6)
    with pytest.raises(InputError, match="unknown engine"):
        sweep(base, pkg, grid, engine="ray")


def test_lnob_batch_on_dask_equals_local(tmp_path, dask_cluster_client):
    from sp2lnob.demo import write_demo
    from sp2lnob.opportunity.batch import run_batch
    from sp2lnob.opportunity.spec import parse_lnob_spec

    surveys = {}
    for k in range(3):
        paths = write_demo(tmp_path / f"c{k}", regenerate=True, n_households=800, seed=20 + k)
        surveys[f"C{k}"] = next(p for p in paths if p.suffix == ".yaml")
    spec = parse_lnob_spec({
        "circumstances": [{"name": "wealth", "builtin": "wealth_b40"}, {"name": "area", "builtin": "urban"}],
        "indicators": [{"name": "water", "outcome": "basic_water == 1", "unit": "household"}],
    })
    local = run_batch(surveys, spec, workers=1)
    dask = run_batch(surveys, spec, engine="dask", client=dask_cluster_client)
    assert dask.settings["engine"] == "dask" and dask.settings["workers"] == 2
    assert dask.to_frame()["country"].to_list() == ["C0", "C1", "C2"]     # the caller's order
    assert dask.to_frame().equals(local.to_frame())
