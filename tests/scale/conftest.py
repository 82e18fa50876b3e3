"""A real Dask LocalCluster (worker processes on 127.0.0.1), one per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def dask_cluster_client():
    from sp2lnob.scale import dask_client

    with dask_client(n_workers=2, threads_per_worker=1, memory_limit="2GiB") as client:
        yield client
