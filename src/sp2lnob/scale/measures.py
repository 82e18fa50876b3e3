"""Headline measures of a partitioned source, on one machine or on a Dask cluster.

``measures(source, welfare=..., weight=..., line=..., by=..., engine=...)``
returns one tidy table (group, measure, param, value, error_bound, method).

``engine="local"`` reads the columns into memory and calls
:mod:`sp2lnob.measures` (exact). ``engine="dask"`` never holds the data in one
place; it makes three or four passes over the partitions, each returning small
partial results (:mod:`sp2lnob.scale.tasks`):

1. per group: rows, sum of weights ``W``, of ``w y``, min and max;
2. per group, ``B`` equal-width buckets over ``[min, max]`` with each bucket's
   weight, ``w y``, min and max; FGT(0, 1, 2) and Watts sums at each line;
   generalised-entropy sums given the group mean;
3. the rows of the buckets where each needed quantile falls (and the nearest
   non-empty bucket on each side), sorted here: the weighted quantiles are then
   **exact** (the rows' true cumulative weight is the weight of all earlier
   buckets plus the running sum in their bucket, as in
   :mod:`sp2lnob.measures._windows`), and so are the income shares at those
   quantiles (Palma, S80/S20);
4. only for the at-risk-of-poverty rate: the weight below ``0.6 x median``.

Means, totals, FGT, Watts, Theil, MLD, GE(2), Atkinson are sums: **exact**
(up to the order of floating-point addition). The **Gini** is bounded:
``G = N / (2 W sum w y)`` with ``N = sum_ij w_i w_j |y_i - y_j|``; pairs in
different buckets give ``2 sum_b (WX_b C_<b - W_b CX_<b)`` exactly from the
bucket sums, and pairs inside bucket ``b`` add between 0 and
``W_b^2 (max_b - min_b) / 2``. The value reported is the middle of that
interval and ``error_bound`` its half-width, a guaranteed bound on
``|value - exact Gini|`` (0 when every bucket holds one distinct value).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, InputError, did_you_mean
from sp2lnob.measures import _sorting
from sp2lnob.measures._windows import window_buckets, window_cumulative
from sp2lnob.measures.quantiles import get_rule
from sp2lnob.scale import tasks
from sp2lnob.scale.cluster import check_engine, client_workers, dask_client
from sp2lnob.scale.runner import run_partitions
from sp2lnob.scale.source import ParquetSource, scan_parquet

MEASURES = ("mean", "total", "median", "headcount", "poverty_gap", "poverty_severity", "watts", "gini",
            "theil", "mld", "ge2", "atkinson", "palma", "s80_s20", "arpr")
LINE_MEASURES = ("headcount", "poverty_gap", "poverty_severity", "watts")
BUCKETS = 1 << 16          # per group when ungrouped; fewer per group when grouped (see _buckets)
_QUANTILE_NEEDS = {"median": ((0.5, "math"),), "arpr": ((0.5, "laeken"),),
                   "palma": ((0.4, "school"), (0.9, "school")), "s80_s20": ((0.2, "laeken"), (0.8, "laeken"))}
SCHEMA = {"group": pl.String, "measure": pl.String, "param": pl.Float64, "value": pl.Float64,
          "error_bound": pl.Float64, "method": pl.String}


@dataclass(frozen=True)
class ScaleMeasures:
    """Tidy table of measures with their error bounds, and how they were computed."""

    table: pl.DataFrame
    engine: str
    rows: int
    partitions: int
    seconds: float
    workers: int = 1
    passes: int = 0
    settings: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pl.DataFrame:
        return self.table

    def value(self, measure: str, group: str = "all", param: float | None = None) -> float:
        t = self.table.filter((pl.col("measure") == measure) & (pl.col("group") == group))
        if param is not None:
            t = t.filter(pl.col("param") == param)
        if t.height != 1:
            raise InputError(f"no single value for {measure!r} in group {group!r}", where="ScaleMeasures.value",
                             got=f"{t.height} rows")
        return float(t["value"][0])

    def summary(self) -> str:
        head = (f"{self.rows:,} rows in {self.partitions} partition(s), engine {self.engine!r}"
                f" ({self.workers} worker(s), {self.passes} pass(es)), {self.seconds:.2f} s")
        lines = [head]
        for r in self.table.iter_rows(named=True):
            p = "" if r["param"] is None else f"[{r['param']:g}]"
            bound = f" ± {r['error_bound']:.2g}" if r["error_bound"] else ""
            lines.append(f"  {r['group']:<16} {r['measure'] + p:<22} {r['value']:.6g}{bound}  ({r['method']})")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def measures(source: ParquetSource | str | Sequence[str], *, welfare: str, weight: str,
             line: float | Sequence[float] | None = None, by: str | None = None,
             measures: Sequence[str] = MEASURES, engine: str = "local", client: Any = None,
             buckets: int | None = None) -> ScaleMeasures:
    """Measures of ``welfare`` weighted by ``weight`` over every partition (and by group ``by``).

    ``line``: one or more absolute poverty lines (needed by headcount, poverty_gap,
    poverty_severity, watts). ``engine``: "local" or "dask" (``client``: a
    ``distributed.Client``; without one a LocalCluster is started and stopped).
    ``buckets``: histogram buckets per group for the Dask engine (more: tighter
    Gini bound, larger partial results).
    """
    check_engine(engine, "measures(engine=...)")
    src = source if isinstance(source, ParquetSource) else scan_parquet(source)
    src.require([welfare, weight] + ([by] if by else []), where="measures()")
    wanted = _check_measures(measures)
    lines = np.atleast_1d(np.asarray([] if line is None else line, dtype=float))
    if any(m in LINE_MEASURES for m in wanted) and lines.size == 0:
        raise InputError("a poverty line is needed", where="measures()", expected="line=<number or list>",
                         got=f"measures {', '.join(m for m in wanted if m in LINE_MEASURES)} without a line")
    if lines.size and not (np.all(np.isfinite(lines)) and np.all(lines > 0)):
        raise InputError("poverty lines must be positive numbers", where="measures(line=...)", got=lines.tolist())
    start = time.perf_counter()
    if engine == "local":
        table = _local_table(src, welfare, weight, lines, by, wanted)
        return ScaleMeasures(table, "local", src.n_rows, len(src.paths), time.perf_counter() - start,
                             settings={"welfare": welfare, "weight": weight, "by": by, "lines": lines.tolist()})
    with dask_client(client) as c:
        table, passes = distributed_table(c, src, welfare, weight, lines, by, wanted, buckets)
        workers = client_workers(c)
    return ScaleMeasures(table, "dask", src.n_rows, len(src.paths), time.perf_counter() - start, workers, passes,
                         settings={"welfare": welfare, "weight": weight, "by": by, "lines": lines.tolist(),
                                   "buckets": buckets or "auto"})


def _check_measures(names: Sequence[str]) -> tuple[str, ...]:
    if isinstance(names, str):
        names = (names,)
    for m in names:
        if m not in MEASURES:
            raise InputError(f"unknown measure {m!r}", where="measures(measures=...)", expected=", ".join(MEASURES),
                             got=m, hint=did_you_mean(m, MEASURES))
    return tuple(names)


def _row(group: Any, measure: str, param: float | None, value: float, bound: float, method: str) -> tuple:
    return (str(group), measure, param, float(value), float(bound), method)


def _local_table(src: ParquetSource, welfare: str, weight: str, lines: np.ndarray, by: str | None,
                 wanted: tuple[str, ...]) -> pl.DataFrame:
    from sp2lnob import measures as m

    df = src.read([welfare, weight] + ([by] if by else []))
    parts = [("all", df)] if by is None else [(k[0], g) for k, g in df.sort(by).group_by(by, maintain_order=True)]
    functions = {
        "mean": m.mean, "total": m.total, "median": m.median, "gini": m.gini, "theil": m.theil, "mld": m.mld,
        "ge2": lambda x, w: m.generalized_entropy(x, w, 2.0), "atkinson": m.atkinson, "palma": m.palma,
        "s80_s20": m.s80_s20, "arpr": m.arpr,
    }
    line_functions = {"headcount": lambda x, w, z: m.fgt(x, w, z, 0.0), "poverty_gap": lambda x, w, z: m.fgt(x, w, z, 1.0),
                      "poverty_severity": lambda x, w, z: m.fgt(x, w, z, 2.0), "watts": m.watts}
    rows = []
    for name, part in parts:
        x, w = part[welfare].to_numpy(), part[weight].to_numpy()
        for meas in wanted:
            if meas in LINE_MEASURES:
                for z in lines.tolist():
                    rows.append(_row(name, meas, z, line_functions[meas](x, w, z), 0.0, "exact (local)"))
            else:
                rows.append(_row(name, meas, None, functions[meas](x, w), 0.0, "exact (local)"))
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def _buckets(n_groups: int, requested: int | None) -> int:
    if requested is not None:
        if not isinstance(requested, int) or requested < 16:
            raise InputError("buckets must be an integer >= 16", where="measures(buckets=...)", got=requested)
        return requested
    return max(1 << 11, BUCKETS // max(1, n_groups))


def distributed_table(client: Any, src: ParquetSource, welfare: str, weight: str, lines: np.ndarray,
                      by: str | None, wanted: tuple[str, ...], buckets: int | None) -> tuple[pl.DataFrame, int]:
    """The Dask engine's table and the number of passes it made (``client=None``: run here)."""
    paths = src.paths
    # Pass 1: groups, totals, ranges.
    summary = run_partitions(client, tasks.summary_task, paths, welfare, weight, by)["cat:groups"]
    summary = summary.group_by("g").agg(pl.col("n", "n_pos", "W", "WX", "n_nonpos", "n_neg").sum(),
                                        pl.col("lo").min(), pl.col("hi").max()).sort("g")
    groups = summary["g"].to_list()
    W, WX = summary["W"].to_numpy(), summary["WX"].to_numpy()
    labels = ["all"] if by is None else [str(g) for g in groups]
    for i, label in enumerate(labels):
        if not W[i] > 0:
            raise DataError("all weights are zero", where=f"group {label}" if by else "measures()",
                            expected="at least one positive weight", got="sum of weights = 0",
                            hint="check the weight column or the group")
    mu = WX / W
    lo, hi = summary["lo"].to_numpy().astype(float), summary["hi"].to_numpy().astype(float)
    B = _buckets(len(groups), buckets)
    span = hi - lo
    scale = np.divide(B, span, out=np.zeros_like(span), where=span > 0)
    # Pass 2: histograms and sums.
    h = run_partitions(client, tasks.histogram_task, paths, welfare, weight, by, groups, lo, scale, B, lines, mu)
    passes = 2
    needs = sorted({need for m in wanted for need in _QUANTILE_NEEDS.get(m, ())})
    quant: dict[tuple[int, float, str], tuple[float, float, float]] = {}
    if needs:
        probs = np.array(sorted({p for p, _ in needs}))
        keep = np.concatenate([window_buckets(h["sum:bucket_W"][g], probs) for g in range(len(groups))])
        rows = run_partitions(client, tasks.window_task, paths, welfare, weight, by, groups, lo, scale, B, keep)
        passes += 1
        quant = _window_quantiles(rows["cat:rows"], h, needs, len(groups), lo, scale, B)
    below = None
    if "arpr" in wanted:
        thresholds = np.array([0.6 * quant[(g, 0.5, "laeken")][0] for g in range(len(groups))])
        below = run_partitions(client, tasks.below_task, paths, welfare, weight, by, groups, thresholds)["sum:below"]
        passes += 1
    out = []
    for g, label in enumerate(labels):
        out.extend(_group_rows(g, label, wanted, summary.row(g, named=True), h, lines, quant, below))
    return pl.DataFrame(out, schema=SCHEMA, orient="row"), passes


def _window_quantiles(rows: pl.DataFrame, h: dict, needs: list[tuple[float, str]], n_groups: int,
                      lo: np.ndarray, scale: np.ndarray, B: int) -> dict[tuple[int, float, str], tuple[float, float, float]]:
    """For each group and (p, rule): the exact quantile, and the ``w y`` at or below it and above it."""
    out = {}
    for g in range(n_groups):
        part = rows.filter(pl.col("g") == g)
        xs, ws = _sorting.sort_pairs(part["x"].to_numpy(), part["w"].to_numpy())
        b_sorted = tasks.bucket_of(xs, np.full(xs.size, lo[g]), np.full(xs.size, scale[g]), B)
        bucket_w, bucket_wx = h["sum:bucket_W"][g], h["sum:bucket_WX"][g]
        cw = window_cumulative(ws, b_sorted, bucket_w)
        total = float(np.cumsum(bucket_w)[-1])
        wx_total = float(bucket_wx.sum())
        for p, rule in needs:
            q = float(get_rule(rule, where="measures()")(xs, ws, cw, total, np.array([p]))[0])
            bq = int(tasks.bucket_of(np.array([q]), np.array([lo[g]]), np.array([scale[g]]), B)[0])
            in_bucket = b_sorted == bq
            at_or_below = float(bucket_wx[:bq].sum() + np.dot(ws[in_bucket & (xs <= q)], xs[in_bucket & (xs <= q)]))
            out[(g, p, rule)] = (q, at_or_below, wx_total - at_or_below)
    return out


def gini_bounds(bucket_w: np.ndarray, bucket_wx: np.ndarray, bucket_lo: np.ndarray,
                bucket_hi: np.ndarray) -> tuple[float, float]:
    """(value, error bound) of the Gini from bucket sums (see the module docstring).

    Written with the buckets' shares of weight ``p_b = W_b / W`` and of welfare
    ``q_b = WX_b / sum w y`` (no products of totals that could under- or overflow):
    pairs in different buckets give ``sum_b (q_b P_<b - p_b Q_<b)``, pairs inside
    bucket ``b`` between 0 and ``p_b^2 (max_b - min_b) / (4 mu)``.
    """
    W, WX = float(bucket_w.sum()), float(bucket_wx.sum())
    if not WX > 0:
        raise DataError("Gini needs a positive weighted total of welfare", where="gini (dask)",
                        expected="sum(w * y) > 0", got=f"sum(w * y) = {WX}")
    p, q = bucket_w / W, bucket_wx / WX
    between = float(np.sum(q * (np.cumsum(p) - p) - p * (np.cumsum(q) - q)))
    width = np.where(bucket_w > 0, bucket_hi - bucket_lo, 0.0)
    half = float(np.sum(p * p * width)) / (8.0 * (WX / W))
    return between + half, half


def _group_rows(g: int, label: str, wanted: tuple[str, ...], s: dict, h: dict, lines: np.ndarray,
                quant: dict, below: np.ndarray | None) -> list[tuple]:
    W, WX, mu = s["W"], s["WX"], s["WX"] / s["W"]
    fgt, ent = h["sum:fgt"][g], h["sum:entropy"][g]
    exact, windowed = "exact (sums)", "exact (windowed quantile)"
    rows = []

    def positive(measure: str, strict: bool) -> None:
        bad = s["n_nonpos"] if strict else s["n_neg"]
        if bad:
            raise DataError(f"{measure} needs {'positive' if strict else 'non-negative'} welfare",
                            where=f"group {label}", expected="y > 0" if strict else "y >= 0",
                            got=f"{bad} row(s) with positive weight and y {'<=' if strict else '<'} 0",
                            hint="drop or recode those rows, or choose another measure")

    for m in wanted:
        if m == "mean":
            rows.append(_row(label, m, None, mu, 0.0, exact))
        elif m == "total":
            rows.append(_row(label, m, None, WX, 0.0, exact))
        elif m in LINE_MEASURES:
            col = {"headcount": 0, "poverty_gap": 1, "poverty_severity": 2, "watts": 3}[m]
            for j, z in enumerate(lines.tolist()):
                rows.append(_row(label, m, z, fgt[j, col] / W, 0.0, exact))
        elif m == "gini":
            value, bound = gini_bounds(h["sum:bucket_W"][g], h["sum:bucket_WX"][g], h["min:bucket_lo"][g],
                                       h["max:bucket_hi"][g])
            method = "exact (one value per bucket)" if bound == 0 else "bounded (histogram)"
            rows.append(_row(label, m, None, value, bound, method))
        elif m == "mld":
            positive(m, True)
            rows.append(_row(label, m, None, -ent[0] / W, 0.0, exact))
        elif m == "theil":
            positive(m, False)
            rows.append(_row(label, m, None, ent[1] / W, 0.0, exact))
        elif m == "ge2":
            positive(m, False)
            rows.append(_row(label, m, None, (ent[2] / W - 1.0) / 2.0, 0.0, exact))
        elif m == "atkinson":
            positive(m, True)
            rows.append(_row(label, m, None, 1.0 - np.exp(ent[0] / W), 0.0, exact))
        elif m == "median":
            rows.append(_row(label, m, None, quant[(g, 0.5, "math")][0], 0.0, windowed))
        elif m == "palma":
            top, bottom = quant[(g, 0.9, "school")][2], quant[(g, 0.4, "school")][1]
            rows.append(_row(label, m, None, top / bottom, 0.0, windowed))
        elif m == "s80_s20":
            top, bottom = quant[(g, 0.8, "laeken")][2], quant[(g, 0.2, "laeken")][1]
            rows.append(_row(label, m, None, top / bottom, 0.0, windowed))
        elif m == "arpr":
            assert below is not None
            rows.append(_row(label, m, None, below[g] / W, 0.0, windowed))
    return rows
