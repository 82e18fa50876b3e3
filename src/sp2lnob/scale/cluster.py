"""Choosing the engine and getting a Dask client.

``engine="local"`` (the default everywhere) computes in this process with
NumPy and Polars. ``engine="dask"`` sends the work to a ``dask.distributed``
cluster: the client the caller passes, a scheduler at ``address``, or a
``LocalCluster`` of worker *processes* started here on the loopback interface
(127.0.0.1) and closed when the work is done. The dashboard is off: nothing
listens beyond loopback and nothing is sent anywhere (microdata never leaves
the machines the user chose).

Dask is an optional extra (``pip install "sp2lnob[scale]"``); it is imported
only when ``engine="dask"`` is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sp2lnob.errors import InputError

ENGINES = ("local", "dask")


def check_engine(engine: str, where: str) -> str:
    """``engine`` if it is one of :data:`ENGINES`, else a structured error."""
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}", where=where, expected=" or ".join(ENGINES), got=engine,
                         hint='engine="local" computes here; engine="dask" on a Dask cluster')
    return engine


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise InputError("engine='dask' needs Dask's distributed scheduler, which is not installed",
                         where="engine", expected="the dask[distributed] package",
                         hint='pip install "sp2lnob[scale]"') from None
    return distributed


@contextmanager
def dask_client(client: Any = None, *, address: str | None = None, n_workers: int = 2,
                threads_per_worker: int = 1, memory_limit: str | int = "auto") -> Iterator[Any]:
    """A ``distributed.Client`` for the duration of a ``with`` block.

    ``client``: used as is and left open. ``address``: a running scheduler
    (``"tcp://host:8786"``), connected to and disconnected from at the end.
    Otherwise a ``LocalCluster`` of ``n_workers`` processes on 127.0.0.1 with
    ``threads_per_worker`` threads each and ``memory_limit`` per worker
    (Dask's default ``"auto"``: the machine's memory divided among workers),
    started here and shut down at the end.
    """
    if client is not None:
        yield client
        return
    distributed = _distributed()
    if address is not None:
        with distributed.Client(address) as connected:
            yield connected
        return
    import dask

    # No dashboard (it would need bokeh and listen on a port) and quiet logs.
    with dask.config.set({"distributed.admin.system-monitor.gil.enabled": False}), \
            distributed.LocalCluster(n_workers=n_workers, threads_per_worker=threads_per_worker,
                                     processes=True, host="127.0.0.1", dashboard_address=None,
                                     memory_limit=memory_limit, silence_logs=40,
                                     # the scheduler's small HTTP endpoint (health checks): loopback,
                                     # any free port (no clash with another cluster on 8787)
                                     scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster, \
            distributed.Client(cluster) as started:
        yield started


def client_workers(client: Any) -> int:
    """Number of workers the client sees (for results' metadata)."""
    return len(client.scheduler_info().get("workers", {}))
