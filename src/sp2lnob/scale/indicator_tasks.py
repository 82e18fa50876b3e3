"""Per-partition work of the scale-out indicator table (run on Dask workers, or here).

A partition is one Parquet file of *person* rows that never splits a household
(:func:`sp2lnob.scale.source.write_partitions` with ``by=household``). Each task
reads only the columns it needs and returns small partials (``sum:``/``min:``/
``max:``/``cat:`` keys, merged by :func:`sp2lnob.scale.tasks.merge`):

* :func:`check_task`: validation, row count, range of each programme's pre-transfer
  welfare, persons floored at 0 and the households at the file's two ends (to
  detect a household split across files);
* :func:`histogram_task`: weight per equal-width bucket of pre-transfer welfare
  (and, only when fewer buckets than groups are non-empty, :func:`distinct_task`:
  up to ``n`` distinct values, to tell exactly whether there are ``n``);
* :func:`window_task`: the rows of the buckets where a cut-off can fall;
* :func:`sums_task`: per programme, sums by (stratum, PSU, n-tile group) of
  ``w``, persons, ``w r``, ``r``, ``w a``, ``w y r`` (at most strata x PSUs x groups
  rows: never person rows; households only when the design has no PSU, since the
  household is then the cluster).

Definitions are those of :mod:`sp2lnob.performance` (aspire.md §2-3): receipt
``r = a > 0`` with ``a`` the household's per-capita transfer of the programme, pre-
transfer welfare ``max(y - a, 0)`` (:func:`~sp2lnob.performance.pretransfer.pretransfer_welfare`),
n-tile ``g = #{j : Q(j/n) < y_pre}`` (0-based) of the cut-offs ``Q``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from sp2lnob.errors import DataError
from sp2lnob.performance.pretransfer import pretransfer_welfare
from sp2lnob.scale.source import read_partition
from sp2lnob.scale.tasks import Partial, bucket_of, numeric_column


@dataclass(frozen=True)
class IndicatorColumns:
    """Column names of the person rows (``strata``/``psu`` may be ``None``)."""

    welfare: str
    weight: str
    household: str
    amounts: tuple[str, ...]          # one per programme (a column may serve several)
    strata: str | None = None
    psu: str | None = None

    @property
    def read(self) -> list[str]:
        names = [self.welfare, self.weight, self.household, *self.amounts, self.strata, self.psu]
        return list(dict.fromkeys(n for n in names if n is not None))


@dataclass(frozen=True, eq=False)
class Rows:
    """Validated arrays of one frame of person rows."""

    welfare: np.ndarray        # (n,)
    weight: np.ndarray         # (n,)
    amount: np.ndarray         # (n, K) per-capita transfer of each programme
    household: pl.Series
    stratum: pl.Series         # constant 0 without strata
    psu: pl.Series             # the household without a PSU (households are the clusters)

    def pre(self) -> tuple[np.ndarray, np.ndarray]:
        """Pre-transfer welfare (n, K) and the rows floored at 0 (the local definition)."""
        return pretransfer_welfare(self.welfare, self.amount)


def _numbers(df: pl.DataFrame, name: str, where: str) -> np.ndarray:
    return numeric_column(df, name, where, hint_tail="; a household that receives nothing has amount 0")


def _codes(df: pl.DataFrame, name: str, where: str) -> pl.Series:
    s = df[name]
    if s.null_count():
        raise DataError(f"column {name!r} has {s.null_count()} missing value(s)", where=f"{where}, column {name}",
                        expected="a value in every row", hint="every person needs a household, stratum and PSU")
    return s


def checked_rows(df: pl.DataFrame, cols: IndicatorColumns, where: str) -> Rows:
    """Arrays of ``df`` with structured errors (non-numeric, missing, negative weights)."""
    x = _numbers(df, cols.welfare, where)
    w = _numbers(df, cols.weight, where)
    if w.size and w.min() < 0:
        raise DataError(f"{int((w < 0).sum())} negative weight(s)", where=f"{where}, column {cols.weight}",
                        expected="weights >= 0", got=f"minimum weight {w.min()}",
                        hint="survey weights cannot be negative; check the weight column")
    amounts = {c: _numbers(df, c, where) for c in dict.fromkeys(cols.amounts)}
    a = np.column_stack([amounts[c] for c in cols.amounts]) if cols.amounts else np.zeros((x.size, 0))
    hh = _codes(df, cols.household, where)
    stratum = _codes(df, cols.strata, where) if cols.strata else pl.zeros(x.size, pl.Int64, eager=True)
    psu = _codes(df, cols.psu, where) if cols.psu else hh
    return Rows(x, w, a, hh, stratum.alias("s"), psu.alias("p"))


def check_households(df: pl.DataFrame, cols: IndicatorColumns, where: str) -> None:
    """Welfare, transfers, stratum and PSU must be constant within a household (as the
    local engine assumes: it takes them from the household's first row).

    When each household's rows are contiguous (files written by ``write_partitions``),
    comparing each row with the previous one suffices; otherwise a group-by.
    """
    varying = [c for c in (cols.welfare, *dict.fromkeys(cols.amounts), cols.strata, cols.psu) if c]
    hh = df[cols.household]
    same = (hh.slice(1) == hh.slice(0, max(hh.len() - 1, 0))).to_numpy() if hh.len() else np.zeros(0, bool)
    contiguous = hh.len() - int(same.sum()) == hh.n_unique()
    for c in varying:  # a loop over columns
        if contiguous:
            v = df[c]
            differs = same & (v.slice(1) != v.slice(0, max(v.len() - 1, 0))).fill_null(True).to_numpy()
            bad = hh.slice(1).filter(pl.Series(differs)).unique(maintain_order=True)
        else:
            bad = df.group_by(cols.household).agg(pl.col(c).n_unique()).filter(pl.col(c) > 1)[cols.household]
        if bad.len():
            raise DataError(f"column {c!r} varies within {bad.len()} household(s)", where=f"{where}, column {c}",
                            expected="one value per household (per-capita welfare and transfers, stratum, PSU)",
                            got=f"household(s) {bad.head(5).to_list()}",
                            hint="welfare and transfers are household per-capita quantities; households "
                                 "must be nested in PSUs and strata")


def check_task(path: str, cols: IndicatorColumns) -> Partial:
    """Validation and pass-1 sums (see the module docstring)."""
    df = read_partition(path, cols.read)
    rows = checked_rows(df, cols, path)
    check_households(df, cols, path)
    pre, floored = rows.pre()
    K = pre.shape[1]
    pre_pos = pre[rows.weight > 0]
    lo = pre_pos.min(axis=0) if pre_pos.shape[0] else np.full(K, np.inf)
    hi = pre_pos.max(axis=0) if pre_pos.shape[0] else np.full(K, -np.inf)
    hh = rows.household
    ends = pl.DataFrame({"path": [path] * min(2, hh.len()), "household": hh.gather([0, hh.len() - 1][:hh.len()])})
    return {"sum:rows": rows.weight.size, "sum:floored": floored.sum(axis=0), "min:lo": lo, "max:hi": hi,
            "cat:ends": ends}


def distinct_task(path: str, cols: IndicatorColumns, n_groups: int) -> Partial:
    """Up to ``n_groups`` distinct positive-weight values of each programme's pre-transfer
    welfare (only run when the histogram cannot tell that there are enough)."""
    rows = checked_rows(read_partition(path, cols.read), cols, path)
    pre, _ = rows.pre()
    pre_pos = pre[rows.weight > 0]
    frames = []
    for k in range(pre.shape[1]):  # a loop over programmes
        v = pl.Series("v", pre_pos[:, k]).unique().sort().head(n_groups)
        frames.append(pl.DataFrame({"k": pl.Series(np.full(v.len(), k), dtype=pl.Int64), "v": v}))
    return {"cat:distinct": pl.concat(frames, how="vertical")}


def histogram_task(path: str, cols: IndicatorColumns, lo: np.ndarray, scale: np.ndarray, buckets: int) -> Partial:
    """(K, B) weight of each equal-width bucket of each programme's pre-transfer welfare."""
    rows = checked_rows(read_partition(path, cols.read), cols, path)
    pre, _ = rows.pre()
    K = pre.shape[1]
    out = np.empty((K, buckets))
    for k in range(K):  # a loop over programmes
        out[k] = np.bincount(bucket_of(pre[:, k], lo[k], scale[k], buckets), weights=rows.weight, minlength=buckets)
    return {"sum:bucket_W": out}


def window_task(path: str, cols: IndicatorColumns, lo: np.ndarray, scale: np.ndarray, buckets: int,
                keep: np.ndarray) -> Partial:
    """Positive-weight rows of the kept buckets ``keep`` (K, B): programme, bucket, value, weight."""
    rows = checked_rows(read_partition(path, cols.read), cols, path)
    pre, _ = rows.pre()
    frames = []
    for k in range(pre.shape[1]):  # a loop over programmes
        b = bucket_of(pre[:, k], lo[k], scale[k], buckets)
        sel = keep[k][b] & (rows.weight > 0)
        frames.append(pl.DataFrame({"k": np.full(int(sel.sum()), k, dtype=np.int64), "b": b[sel],
                                    "x": pre[sel, k], "w": rows.weight[sel]}))
    return {"cat:rows": pl.concat(frames, how="vertical")}


SUMS = ("W", "N", "Wr", "Nr", "Wa", "Wyr")


def sums_task(path: str, cols: IndicatorColumns, cuts: np.ndarray) -> Partial:
    """Per programme k, sums by (stratum, PSU, group) of ``w``, persons, ``w r``, ``r``,
    ``w a`` and ``w y r``, with group ``g = #{j : cuts[k, j] < y_pre}``."""
    rows = checked_rows(read_partition(path, cols.read), cols, path)
    pre, _ = rows.pre()
    w, x = rows.weight, rows.welfare
    n = cuts.shape[1] + 1
    design = pl.DataFrame([rows.stratum, rows.psu])
    pairs = design.unique(maintain_order=True).with_row_index("c")
    cell_of = design.join(pairs, on=["s", "p"], how="left", maintain_order="left")["c"].to_numpy().astype(np.int64)
    size = pairs.height * n
    frames = []
    for k in range(pre.shape[1]):  # a loop over programmes
        key = cell_of * n + np.searchsorted(cuts[k], pre[:, k], side="left")
        a = rows.amount[:, k]
        r = (a > 0).astype(np.float64)
        wr = w * r
        count = np.bincount(key, minlength=size)
        present = np.flatnonzero(count)
        stats = {"W": w, "N": None, "Wr": wr, "Nr": r, "Wa": w * a, "Wyr": wr * x}
        out = {name: (count[present].astype(np.float64) if v is None
                      else np.bincount(key, weights=v, minlength=size)[present]) for name, v in stats.items()}
        cell = pairs[["s", "p"]][present // n]
        frames.append(cell.with_columns(g=pl.Series(present % n, dtype=pl.Int64), k=pl.lit(k, pl.Int64))
                      .hstack(pl.DataFrame(out)))
    return {"cat:sums": pl.concat(frames, how="vertical")}
