"""Run one task per partition and combine the partial results.

With a Dask client, tasks go to the cluster (``client.map``) and partials are
merged in partition order as they become available (a partial that arrives early
waits for its turn), so the result is the same, to the last bit, on every run and
whatever the number of workers; the first error cancels the rest and is raised as
it was (a structured error naming the file).
Without a client the same tasks run here, one after the other (used by tests
of the algorithms and for small sources).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sp2lnob.scale.tasks import Partial, merge


def run_partitions(client: Any, fn: Callable[..., Partial], paths: Sequence[str], *args: Any) -> Partial:
    """``merge`` of ``fn(path, *args)`` over every path."""
    acc: Partial | None = None
    if client is None:
        for path in paths:
            acc = merge(acc, fn(path, *args))
        assert acc is not None
        return acc
    from distributed import as_completed

    n = len(paths)
    shared = [client.scatter(a, broadcast=True) if _large(a) else a for a in args]
    futures = client.map(fn, list(paths), *[[a] * n for a in shared], pure=False)
    index = {f.key: i for i, f in enumerate(futures)}
    # Merge in partition order (holding early arrivals until their turn) so that sums are
    # added in the same order on every run and on every cluster: byte-identical results.
    waiting: dict[int, Partial] = {}
    turn = 0
    try:
        for future, result in as_completed(futures, with_results=True):
            waiting[index[future.key]] = result
            while turn in waiting:
                acc = merge(acc, waiting.pop(turn))
                turn += 1
    except BaseException:
        client.cancel(futures)
        raise
    assert acc is not None
    return acc


def _large(arg: Any) -> bool:
    nbytes = getattr(arg, "nbytes", 0)
    return isinstance(nbytes, int) and nbytes > 1_000_000
