"""``sp2lnob scale ...`` — measures of partitioned Parquet, here or on a Dask cluster (thin)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from sp2lnob.cli._common import JSON_OPTION, emit_json, handle_errors, progress

app = typer.Typer(help="Census-size files and many runs: partitioned Parquet, optionally on Dask.",
                  no_args_is_help=True)

ENGINE_OPTION = typer.Option("--engine", help="local (this process) or dask (a Dask cluster).")
SCHEDULER_OPTION = typer.Option("--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786; "
                                "default: start a local cluster on 127.0.0.1.")
DASK_WORKERS_OPTION = typer.Option("--dask-workers", min=1, max=256,
                                   help="Worker processes of the local Dask cluster (ignored with --scheduler).")


@contextmanager
def engine_client(engine: str, scheduler: str | None, workers: int) -> Iterator[Any]:
    """The Dask client for ``engine="dask"`` (None for local), closed at the end."""
    from sp2lnob.scale import check_engine, dask_client

    check_engine(engine, "--engine")
    if engine == "local":
        yield None
        return
    with dask_client(address=scheduler, n_workers=workers) as client:
        yield client


@app.command("measures")
def measures_cmd(
    source: Annotated[str, typer.Argument(help="Directory of .parquet files, a glob, or one file.")],
    welfare: Annotated[str, typer.Option("--welfare", help="Welfare column.")],
    weight: Annotated[str, typer.Option("--weight", help="Weight column (person weights).")],
    line: Annotated[list[float] | None, typer.Option("--line", help="Absolute poverty line; repeatable.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Group column (e.g. region).")] = None,
    measure: Annotated[list[str] | None, typer.Option("--measure", "-m", help="Measure name; repeatable (default: all).")] = None,
    engine: Annotated[str, ENGINE_OPTION] = "local",
    scheduler: Annotated[str | None, SCHEDULER_OPTION] = None,
    dask_workers: Annotated[int, DASK_WORKERS_OPTION] = 2,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the table (.csv, .parquet, .json, .xlsx).")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """Headline poverty and inequality measures (with error bounds) of partitioned Parquet files."""
    from sp2lnob.exports import write_table
    from sp2lnob.scale import MEASURES, measures

    with handle_errors(as_json):
        wanted = tuple(measure) if measure else tuple(m for m in MEASURES if line or m not in
                                                      ("headcount", "poverty_gap", "poverty_severity", "watts"))
        with progress("computing measures", enabled=not as_json), engine_client(engine, scheduler, dask_workers) as c:
            result = measures(source, welfare=welfare, weight=weight, line=line or None, by=by, measures=wanted,
                              engine=engine, client=c)
        written = str(write_table(result.to_frame(), out)) if out is not None else None
        if as_json:
            emit_json({"engine": result.engine, "rows": result.rows, "partitions": result.partitions,
                       "workers": result.workers, "passes": result.passes, "seconds": result.seconds,
                       "settings": result.settings, "out": written,
                       "table": None if written else result.to_frame()})
        else:
            typer.echo(result.summary())
            if written:
                typer.echo(f"wrote {written}")
