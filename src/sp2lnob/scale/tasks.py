"""Per-partition work of the scale-out measures (run on Dask workers, or here).

Each task reads one Parquet file (only the columns it needs) and returns small
partial results (sums per group, histograms, a few rows) that add up across
partitions. Keys say how partials combine: ``sum:``, ``min:``, ``max:`` or
``cat:`` (frames concatenated).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import DataError
from sp2lnob.scale.source import read_partition

Partial = dict[str, Any]


def merge(a: Partial | None, b: Partial) -> Partial:
    """Combine two partials key by key (``sum:``/``min:``/``max:``/``cat:``)."""
    if a is None:
        return dict(b)
    out = dict(a)
    for key, value in b.items():
        op = key.split(":", 1)[0]
        if op == "sum":
            out[key] = out[key] + value
        elif op == "min":
            out[key] = np.minimum(out[key], value)
        elif op == "max":
            out[key] = np.maximum(out[key], value)
        else:
            out[key] = pl.concat([out[key], value], how="vertical")
    return out


def numeric_column(df: pl.DataFrame, name: str, where: str, *, hint_tail: str = "") -> np.ndarray:
    """Column ``name`` as finite float64, or a structured error naming the file and column."""
    s = df[name]
    if not s.dtype.is_numeric():
        raise DataError(f"column {name!r} is not numeric", where=f"{where}, column {name}", expected="numbers",
                        got=str(s.dtype), hint="convert the column to numbers when writing the Parquet files")
    a = s.cast(pl.Float64).to_numpy()
    bad = ~np.isfinite(a)
    if bad.any():
        raise DataError(f"column {name!r} has {int(bad.sum())} missing or infinite value(s)",
                        where=f"{where}, column {name}", expected="a finite number in every row",
                        got=f"{int(bad.sum())} of {a.size} rows",
                        hint=f"drop or impute the rows with missing {name} (and report how many){hint_tail}")
    return a


def _columns(path: str, welfare: str, weight: str, by: str | None) -> tuple[np.ndarray, np.ndarray, pl.Series | None]:
    cols = [welfare, weight] + ([by] if by else [])
    df = read_partition(path, cols)
    x, w = (numeric_column(df, name, path) for name in (welfare, weight))
    if w.size and w.min() < 0:
        raise DataError(f"{int((w < 0).sum())} negative weight(s)", where=f"{path}, column {weight}",
                        expected="weights >= 0", got=f"minimum weight {w.min()}",
                        hint="survey weights cannot be negative; check the weight column")
    groups = None
    if by:
        groups = df[by]
        if groups.null_count():
            raise DataError(f"group column {by!r} has {groups.null_count()} missing value(s)",
                            where=f"{path}, column {by}", expected="a group in every row",
                            hint="fill the missing groups (e.g. 'unknown') so no row is silently left out")
    return x, w, groups


def _codes(groups: pl.Series | None, values: Sequence[Any], n: int) -> np.ndarray:
    if groups is None:
        return np.zeros(n, dtype=np.int64)
    lookup = pl.DataFrame({"g": pl.Series(list(values), dtype=groups.dtype), "code": np.arange(len(values))})
    return pl.DataFrame({"g": groups}).join(lookup, on="g", how="left", maintain_order="left")["code"].to_numpy()


def summary_task(path: str, welfare: str, weight: str, by: str | None) -> Partial:
    """Per group: rows, positive-weight rows, sum of weights and of ``w y``, min and max of ``y``."""
    x, w, groups = _columns(path, welfare, weight, by)
    if groups is None:
        values, codes = pl.Series("g", [0]), np.zeros(x.size, dtype=np.int64)
    else:
        values = groups.unique().sort()
        codes = _codes(groups, values.to_list(), x.size)
    pos = w > 0
    # Counts, minima and maxima do not depend on the order of rows: Polars' group-by is fine.
    stats = pl.DataFrame({"code": codes, "x": x, "pos": pos}).group_by("code").agg(
        n=pl.len(), n_pos=pl.col("pos").sum(), lo=pl.col("x").min(), hi=pl.col("x").max(),
        n_nonpos=((pl.col("x") <= 0) & pl.col("pos")).sum(), n_neg=((pl.col("x") < 0) & pl.col("pos")).sum())
    order = np.argsort(stats["code"].to_numpy())
    table = pl.DataFrame({"g": values, **_group_sums(codes, values.len(), W=w, WX=w * x)})
    table = table.with_columns(stats.drop("code")[order])
    return {"cat:groups": table}


def _group_sums(codes: np.ndarray, n: int, **columns: np.ndarray) -> dict[str, np.ndarray]:
    # np.bincount adds in row order: the same sums whatever the threads of the process
    # (Polars' parallel group-by and multi-threaded BLAS dot products do not promise that).
    return {k: np.bincount(codes, weights=v, minlength=n) for k, v in columns.items()}


def bucket_of(x: np.ndarray, lo: np.ndarray, scale: np.ndarray, buckets: int) -> np.ndarray:
    """Equal-width bucket of each value within its group's range (non-decreasing in ``x``)."""
    b = ((x - lo) * scale).astype(np.int64)
    np.clip(b, 0, buckets - 1, out=b)
    return b


def histogram_task(path: str, welfare: str, weight: str, by: str | None, groups: Sequence[Any],
                   lo: np.ndarray, scale: np.ndarray, buckets: int, lines: np.ndarray,
                   mu: np.ndarray) -> Partial:
    """Per group and bucket: weight, ``w y``, min and max of ``y``; per group and line the
    FGT(0, 1, 2) and Watts sums; per group the entropy sums given the group means ``mu``."""
    x, w, gcol = _columns(path, welfare, weight, by)
    g = _codes(gcol, groups, x.size)
    G = len(groups)
    b = bucket_of(x, lo[g], scale[g], buckets)
    flat = g * buckets + b
    out: Partial = {f"sum:bucket_{k}": v.reshape(G, buckets)
                    for k, v in _group_sums(flat, G * buckets, W=w, WX=w * x).items()}
    # Minima and maxima do not depend on the order of rows: Polars' group-by is fine here.
    # Zero-weight rows count for nothing: they must not widen a bucket's range.
    pos = w > 0
    cells = pl.DataFrame({"k": flat[pos], "x": x[pos]}).group_by("k").agg(lo=pl.col("x").min(), hi=pl.col("x").max())
    k = cells["k"].to_numpy()
    for name, fill, op in (("lo", np.inf, "min"), ("hi", -np.inf, "max")):
        dense = np.full(G * buckets, fill)
        dense[k] = cells[name].to_numpy()
        out[f"{op}:bucket_{name}"] = dense.reshape(G, buckets)
    pos = w > 0
    fgt = np.zeros((G, lines.size, 4))
    for j, z in enumerate(lines.tolist()):
        poor = (x < z) & pos
        gap = np.where(poor, 1.0 - x / z, 0.0)
        fgt[:, j, 0] = np.bincount(g, weights=w * poor, minlength=G)
        fgt[:, j, 1] = np.bincount(g, weights=w * gap, minlength=G)
        fgt[:, j, 2] = np.bincount(g, weights=w * gap * gap, minlength=G)
        ok = poor & (x > 0)
        fgt[:, j, 3] = np.bincount(g, weights=w * np.log(np.divide(z, x, out=np.ones_like(x), where=ok)),
                                   minlength=G)
    r = x / mu[g]
    positive = x > 0
    safe = np.where(positive, r, 1.0)
    ent = np.zeros((G, 3))
    ent[:, 0] = np.bincount(g, weights=w * np.log(safe), minlength=G)          # GE(0), Atkinson(1)
    ent[:, 1] = np.bincount(g, weights=w * np.where(positive, r * np.log(safe), 0.0), minlength=G)  # GE(1)
    ent[:, 2] = np.bincount(g, weights=w * r * r, minlength=G)                 # GE(2)
    out["sum:fgt"] = fgt
    out["sum:entropy"] = ent
    return out


def window_task(path: str, welfare: str, weight: str, by: str | None, groups: Sequence[Any],
                lo: np.ndarray, scale: np.ndarray, buckets: int, keep: np.ndarray) -> Partial:
    """The positive-weight rows of the kept (group, bucket) cells: group code, bucket, y, w."""
    x, w, gcol = _columns(path, welfare, weight, by)
    g = _codes(gcol, groups, x.size)
    b = bucket_of(x, lo[g], scale[g], buckets)
    rows = keep[g * buckets + b] & (w > 0)
    return {"cat:rows": pl.DataFrame({"g": g[rows], "b": b[rows], "x": x[rows], "w": w[rows]})}


def below_task(path: str, welfare: str, weight: str, by: str | None, groups: Sequence[Any],
               thresholds: np.ndarray) -> Partial:
    """Per group: the weight of rows with ``y`` below the group's threshold."""
    x, w, gcol = _columns(path, welfare, weight, by)
    g = _codes(gcol, groups, x.size)
    return {"sum:below": np.bincount(g, weights=w * (x < thresholds[g]), minlength=len(groups))}
