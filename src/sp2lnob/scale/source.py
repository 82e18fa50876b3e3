"""Partitioned Parquet: the input of the scale-out engine.

A source is a list of Parquet files (a directory's ``*.parquet``, a glob or an
explicit list), read one file per task, only the columns a computation needs.
Row counts and the schema come from the files' footers, so describing a source
reads no data. Checks, with structured errors naming the file: the path
exists, there are files, every file has the same columns and types.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq

from sp2lnob.errors import DataError, InputError, did_you_mean


@dataclass(frozen=True)
class ParquetSource:
    """Parquet files read one per task; ``schema`` maps column -> Arrow type name."""

    paths: tuple[str, ...]
    rows: tuple[int, ...]
    schema: tuple[tuple[str, str], ...]

    @property
    def n_rows(self) -> int:
        return int(sum(self.rows))

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.schema)

    def require(self, columns: Sequence[str], *, where: str) -> None:
        """Structured error if a column is missing (with the closest names)."""
        for c in columns:
            if c not in self.columns:
                raise DataError(f"column {c!r} is not in the Parquet files", where=where,
                                expected=f"one of {', '.join(self.columns)}", got=c,
                                hint=did_you_mean(c, self.columns) or "check the column name in the files")

    def read(self, columns: Sequence[str] | None = None) -> pl.DataFrame:
        """Every file in one frame (the local engine; needs the memory for it)."""
        return pl.concat([read_partition(p, columns) for p in self.paths], how="vertical")

    def summary(self) -> str:
        return f"{len(self.paths)} Parquet file(s), {self.n_rows:,} rows, columns: {', '.join(self.columns)}"


def read_partition(path: str, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """One file, only ``columns`` (a structured error names a broken file)."""
    try:
        return pl.read_parquet(path, columns=list(columns) if columns is not None else None)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise DataError("a Parquet partition cannot be read", where=path, got=str(exc).splitlines()[0],
                        hint="the file may be truncated or not Parquet; rewrite or remove it") from None


def scan_parquet(source: str | Path | Sequence[str | Path]) -> ParquetSource:
    """A :class:`ParquetSource` from a directory, a glob or a list of files."""
    if isinstance(source, (str, Path)):
        p = Path(source)
        if p.is_dir():
            files = sorted(str(f) for f in p.rglob("*.parquet"))
        elif any(ch in str(source) for ch in "*?["):
            files = sorted(glob.glob(str(source), recursive=True))
        elif p.exists():
            files = [str(p)]
        else:
            raise InputError("no such file or directory", where=str(source),
                             hint="give a directory of .parquet files, a glob such as data/*.parquet, or a list")
    else:
        files = [str(f) for f in source]
        for f in files:
            if not Path(f).exists():
                raise InputError("no such file", where=f)
    if not files:
        raise InputError("no Parquet files found", where=str(source), expected="at least one *.parquet file")
    rows, schema = [], None
    for f in files:
        try:
            meta = pq.read_metadata(f)
            arrow = pq.read_schema(f)
        except (OSError, ValueError) as exc:
            raise DataError("a Parquet partition cannot be read", where=f, got=str(exc).splitlines()[0],
                            hint="the file may be truncated or not Parquet; rewrite or remove it") from None
        this = tuple((field.name, str(field.type)) for field in arrow)
        if schema is None:
            schema = this
        elif this != schema:
            raise DataError("the Parquet partitions do not share one schema", where=f,
                            expected=", ".join(f"{n}: {t}" for n, t in schema),
                            got=", ".join(f"{n}: {t}" for n, t in this),
                            hint="write every partition with the same columns and types")
        rows.append(int(meta.num_rows))
    assert schema is not None
    return ParquetSource(tuple(files), tuple(rows), schema)


def write_partitions(frame: pl.DataFrame, directory: str | Path, *, rows_per_file: int,
                     by: str | None = None) -> ParquetSource:
    """Write ``frame`` as numbered Parquet files of about ``rows_per_file`` rows.

    ``by`` (e.g. the household id): a file boundary never splits rows that share
    a value of ``by`` (the frame must be sorted or grouped by it).
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    n = frame.height
    cuts = list(range(0, n, max(1, rows_per_file))) + [n]
    if by is not None and n:
        keys = frame[by].to_numpy()
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        # move each cut forward to the first row of a new value of `by`
        moved = np.minimum(np.searchsorted(starts, np.array(cuts[:-1])), starts.size - 1)
        cuts = sorted({*(int(c) for c in starts[moved]), n})
    paths = []
    for i, (a, b) in enumerate(zip(cuts[:-1], cuts[1:], strict=True)):
        if b > a:
            path = out / f"part-{i:05d}.parquet"
            frame.slice(a, b - a).write_parquet(path)
            paths.append(str(path))
    return scan_parquet(paths)
