"""The ASPIRE indicator table of a partitioned source, on one machine or on a Dask cluster.

``indicator_table(source, welfare=..., weight=..., household=..., programmes={name: column})``
returns, for each programme, coverage, beneficiary incidence, benefit incidence,
adequacy and average per-capita transfer by n-tile (quintile) of the programme's
**pre-transfer** welfare per capita, and for the whole population, with
design-based standard errors. Definitions are those of :mod:`sp2lnob.performance`
(aspire.md §2-3):

* ``programmes[name]`` is the column of the household's per-capita transfer ``a``
  (welfare units, 0 for non-recipients); receipt ``r = a > 0``; everyone in a
  receiving household is a beneficiary;
* pre-transfer welfare ``y_pre = max(y - a, 0)`` (first order, ASPIRE / ADePT SP);
* n-tile ``g = 1 + #{j : Q(j/n) < y_pre}`` with ``Q`` the weighted quantiles of
  ``y_pre`` over persons by R survey's ``qrule="school"`` (Stata ``xtile`` with
  weights; ties stay together), as :func:`sp2lnob.performance.pretransfer.distribution`;
* ratios and Taylor-linearised SEs (Woodruff 1971; R ``svyratio``/``svyby``) from
  sums by (stratum, PSU, group), :func:`sp2lnob.performance.se.ratio`; without a
  PSU the household is the cluster; lonely PSUs as R ``survey.lonely.psu``.

``engine="local"`` reads the columns and calls the local performance engine
(:func:`sp2lnob.performance.compute_indicators`). ``engine="dask"`` never holds the
person rows in one place; it makes four passes over the partitions
(:mod:`sp2lnob.scale.indicator_tasks`), each returning small partials:

1. validation, ranges of each programme's ``y_pre``, persons floored at 0;
2. weight per equal-width bucket of ``y_pre`` (``B`` buckets per programme; when
   fewer than ``n`` buckets are non-empty, an extra pass counts distinct values:
   fewer than ``n`` is an error, as in the local engine);
3. the rows of the buckets where a cut-off can fall, sorted here: the cut-offs are
   **exact** (:mod:`sp2lnob.measures._windows`: true cumulative weight = weight of
   earlier buckets + running sum in the bucket), so every row gets the same group
   as in the local engine;
4. per programme, sums of ``w``, persons, ``w r``, ``r``, ``w a``, ``w y r`` by
   (stratum, PSU, group); the ratios and SEs are then computed here by the same
   functions as the local engine (:func:`~sp2lnob.performance.indicators.distribution_indicators`).

Values and SEs therefore equal the local engine's up to the order of
floating-point addition (tested to a relative 1e-9). The partials are at most
(strata x PSUs x groups x programmes) rows, except without a PSU, when the
households are the clusters and the last pass returns one row per household.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, InputError, did_you_mean
from sp2lnob.measures._sorting import sort_pairs
from sp2lnob.measures._windows import window_buckets, window_cumulative
from sp2lnob.measures.quantiles import get_rule
from sp2lnob.performance.compute import compute_indicators, ntile_name
from sp2lnob.performance.indicators import (
    DISTRIBUTION_INDICATORS,
    Sums,
    distribution_indicators,
    marginal,
)
from sp2lnob.performance.inputs import PerformanceInput
from sp2lnob.performance.pretransfer import distribution, households, school_quantiles
from sp2lnob.performance.programme_sets import ProgrammeInfo
from sp2lnob.performance.se import group_table, sum_rows
from sp2lnob.scale import indicator_tasks as tasks
from sp2lnob.scale.cluster import check_engine, client_workers, dask_client
from sp2lnob.scale.runner import run_partitions
from sp2lnob.scale.source import ParquetSource, scan_parquet
from sp2lnob.survey.design import Design
from sp2lnob.variance.design_variance import PsuStructure

BUCKETS = 1 << 16   # histogram buckets shared among the programmes (at least 2048 each)
COLUMNS = ("programme", "group", "indicator", "value", "se", "n", "weighted_n")


@dataclass(frozen=True)
class ScaleIndicators:
    """Tidy indicator table (programme, group, indicator, value, se, n, weighted_n), the
    pre-transfer cut-offs (programme, p, value), and how it was computed."""

    table: pl.DataFrame
    cutoffs: pl.DataFrame
    engine: str
    rows: int
    partitions: int
    seconds: float
    workers: int = 1
    passes: int = 0
    floored: dict[str, int] = field(default_factory=dict)   # persons with y - a < 0, per programme
    settings: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pl.DataFrame:
        return self.table

    def value(self, indicator: str, programme: str, group: str = "all", column: str = "value") -> float:
        t = self.table.filter((pl.col("indicator") == indicator) & (pl.col("programme") == programme)
                              & (pl.col("group") == group))
        if t.height != 1:
            raise InputError(f"no single {indicator!r} for {programme!r} in group {group!r}",
                             where="ScaleIndicators.value", got=f"{t.height} rows",
                             hint=did_you_mean(indicator, DISTRIBUTION_INDICATORS))
        return float(t[column][0])

    def summary(self) -> str:
        lines = [f"{self.rows:,} person rows in {self.partitions} partition(s), engine {self.engine!r}"
                 f" ({self.workers} worker(s), {self.passes} pass(es)), {self.seconds:.2f} s",
                 f"groups: {self.settings.get('quantiles', '?')}-tiles of pre-transfer welfare per capita"]
        for name, count in self.floored.items():
            if count:
                lines.append(f"  note: {name}: {count:,} person(s) with transfers above welfare, floored at 0")
        for r in self.table.iter_rows(named=True):
            lines.append(f"  {r['programme']:<14} {r['indicator']:<22} {r['group']:<4} {r['value']:>12.6g}"
                         f"  (se {r['se']:.3g}, n {r['n']:,})")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def indicator_table(source: ParquetSource | str | Sequence[str], *, welfare: str, weight: str, household: str,
                    programmes: Mapping[str, str], strata: str | None = None, psu: str | None = None,
                    quantiles: int = 5, lonely_psu: str | None = None, engine: str = "local", client: Any = None,
                    buckets: int | None = None) -> ScaleIndicators:
    """ASPIRE indicators of each programme by n-tile of pre-transfer welfare (module docstring).

    ``source``: Parquet files of person rows, households never split across files.
    ``programmes``: programme name -> column of the household per-capita transfer.
    ``quantiles``: number of groups (5: quintiles Q1..Q5). ``lonely_psu``: as
    :func:`sp2lnob.variance.linearization_variance`. ``engine``: "local" or "dask"
    (``client``: a ``distributed.Client``, or ``None`` to start a LocalCluster).
    ``buckets``: histogram buckets per programme for the Dask engine (more: smaller
    windows to sort; the result does not depend on it).
    """
    check_engine(engine, "indicator_table(engine=...)")
    if isinstance(quantiles, bool) or not isinstance(quantiles, int) or quantiles < 2:
        raise InputError("quantiles must be an integer of at least 2", where="indicator_table(quantiles=...)",
                         got=quantiles, hint="5 for quintiles, 10 for deciles")
    if not isinstance(programmes, Mapping) or not programmes:
        raise InputError("at least one programme is needed", where="indicator_table(programmes=...)",
                         expected="a mapping programme name -> column of its per-capita transfer",
                         got=programmes)
    names = [str(k) for k in programmes]
    cols = tasks.IndicatorColumns(welfare, weight, household, tuple(str(v) for v in programmes.values()), strata, psu)
    src = source if isinstance(source, ParquetSource) else scan_parquet(source)
    src.require(cols.read, where="indicator_table()")
    settings = {"welfare": welfare, "weight": weight, "household": household, "programmes": dict(programmes),
                "strata": strata, "psu": psu, "quantiles": quantiles, "lonely_psu": lonely_psu}
    start = time.perf_counter()
    if engine == "local":
        table, cutoffs, floored = _local(src, cols, names, quantiles, lonely_psu)
        return ScaleIndicators(table, cutoffs, "local", src.n_rows, len(src.paths), time.perf_counter() - start,
                               floored=floored, settings=settings)
    B = _buckets(len(names), buckets)
    with dask_client(client) as c:
        table, cutoffs, floored, passes = distributed_indicators(c, src, cols, names, quantiles, lonely_psu, B)
        workers = client_workers(c)
    return ScaleIndicators(table, cutoffs, "dask", src.n_rows, len(src.paths), time.perf_counter() - start, workers,
                           passes, floored, {**settings, "buckets": B})


def _buckets(n_programmes: int, requested: int | None) -> int:
    if requested is None:
        return max(1 << 11, BUCKETS // max(1, n_programmes))
    if isinstance(requested, bool) or not isinstance(requested, int) or requested < 16:
        raise InputError("buckets must be an integer >= 16", where="indicator_table(buckets=...)", got=requested)
    return requested


def _tidy(frame: pl.DataFrame, names: Sequence[str], labels: Sequence[str]) -> pl.DataFrame:
    """The rows of the table in a fixed order: programme, indicator, group (n-tiles, then all)."""
    order = {"programme": names, "indicator": DISTRIBUTION_INDICATORS, "group": [*labels, "all"]}
    keys = [pl.col(c).replace_strict(list(v), list(range(len(v))), return_dtype=pl.Int64).alias(f"_{c}")
            for c, v in order.items()]
    return frame.with_columns(keys).sort("_programme", "_indicator", "_group").select(COLUMNS)


def _cutoff_frame(names: Sequence[str], cuts: np.ndarray) -> pl.DataFrame:
    n = cuts.shape[1] + 1
    return pl.DataFrame({"programme": np.repeat(list(names), n - 1),
                         "p": np.tile(np.arange(1, n) / n, len(names)), "value": cuts.reshape(-1)})


# --- local engine ------------------------------------------------------------------------------

def _local(src: ParquetSource, cols: tasks.IndicatorColumns, names: Sequence[str], n: int,
           lonely_psu: str | None) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, int]]:
    """The local performance engine on the whole frame (:func:`compute_indicators`)."""
    df = src.read(cols.read)
    rows = tasks.checked_rows(df, cols, "indicator_table()")
    tasks.check_households(df, cols, "indicator_table()")
    design = Design(weights=rows.weight, strata=df[cols.strata].to_numpy() if cols.strata else None,
                    psu=df[cols.psu].to_numpy() if cols.psu else None)
    inp = PerformanceInput(household=rows.household.to_numpy(), weight=rows.weight, welfare=rows.welfare,
                           design=design, programmes=tuple(ProgrammeInfo(p, p) for p in names),
                           amount_pc=rows.amount, receipt=rows.amount > 0)
    result = compute_indicators(inp, ntiles=n, lonely_psu=lonely_psu)
    qname, labels = ntile_name(n)
    f = result.frame.filter(
        (pl.col("set_type") == "programme") & pl.col("indicator").is_in(DISTRIBUTION_INDICATORS)
        & (((pl.col("group_var") == qname) & (pl.col("basis") == "pre")) | (pl.col("group_var") == "all")))
    # The cut-offs the local engine used (its n-tile rule on each programme's pre-transfer welfare).
    hh = households(inp)
    pre, floored = rows.pre()
    pre_hh = pre[hh.first]
    p = np.arange(1, n) / n
    cuts = np.empty((len(names), n - 1))
    for k, name in enumerate(names):  # a loop over programmes
        d = distribution(pre_hh[:, k], hh.weight, n, where=f"pre-transfer welfare without {name}")
        cuts[k] = school_quantiles(d.sorted_values, np.cumsum(d.sorted_weights), p)
    counts = {name: int(c) for name, c in zip(names, floored.sum(axis=0), strict=True)}
    return _tidy(f, names, labels), _cutoff_frame(names, cuts), counts


# --- Dask engine -------------------------------------------------------------------------------

def distributed_indicators(client: Any, src: ParquetSource, cols: tasks.IndicatorColumns, names: Sequence[str],
                           n: int, lonely_psu: str | None,
                           buckets: int) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, int], int]:
    """Table, cut-offs, floored persons and the number of passes over the partitions
    (four, or five when the distinct values must be counted; ``client=None``: here)."""
    paths = src.paths
    first = run_partitions(client, tasks.check_task, paths, cols)
    _check_split(first["cat:ends"], cols.household)
    lo, hi = first["min:lo"], first["max:hi"]
    span = hi - lo
    lo = np.where(np.isfinite(lo), lo, 0.0)   # no positive weight: caught by the distinct count
    scale = np.divide(buckets, span, out=np.zeros_like(span), where=(span > 0) & np.isfinite(span))
    bucket_w = run_partitions(client, tasks.histogram_task, paths, cols, lo, scale, buckets)["sum:bucket_W"]
    # n non-empty buckets hold n distinct values; with fewer, count them exactly (an extra pass).
    passes = 4
    if ((bucket_w > 0).sum(axis=1) < n).any():
        _check_distinct(run_partitions(client, tasks.distinct_task, paths, cols, n)["cat:distinct"], names, n)
        passes += 1
    p = np.arange(1, n) / n
    keep = np.stack([window_buckets(bucket_w[k], p) for k in range(len(names))])
    window = run_partitions(client, tasks.window_task, paths, cols, lo, scale, buckets, keep)["cat:rows"]
    cuts = window_cutoffs(window, bucket_w, lo, scale, buckets, p)
    sums = run_partitions(client, tasks.sums_task, paths, cols, cuts)["cat:sums"]
    table = indicators_from_sums(sums, names, n, lonely_psu)
    floored = {name: int(c) for name, c in zip(names, first["sum:floored"], strict=True)}
    return table, _cutoff_frame(names, cuts), floored, passes


def _check_split(ends: pl.DataFrame, household: str) -> None:
    """A household at the end of one file and the start of another was split by the writer."""
    split = ends.group_by("household").agg(pl.col("path").unique().sort()).filter(pl.col("path").list.len() > 1)
    if split.height:
        row = split.row(0, named=True)
        raise DataError(f"{split.height} household(s) split across Parquet files", where=", ".join(row["path"]),
                        expected="all persons of a household in one file",
                        got=f"household {row['household']!r} in {len(row['path'])} files",
                        hint=f"rewrite with write_partitions(frame, dir, rows_per_file=..., by={household!r}) "
                             "on a frame sorted by household")


def _check_distinct(distinct: pl.DataFrame, names: Sequence[str], n: int) -> None:
    counts = dict(distinct.group_by("k").agg(pl.col("v").n_unique()).iter_rows())
    for k, name in enumerate(names):  # a loop over programmes
        if counts.get(k, 0) < n:
            where = f"pre-transfer welfare without {name}"
            raise DataError(f"the {where} has fewer distinct values than groups", where=where,
                            expected=f"at least {n} distinct welfare values for {n} groups",
                            got=f"{counts.get(k, 0)} distinct value(s)",
                            hint="use fewer groups (quantiles=) or check the welfare variable and transfers")


def window_cutoffs(window: pl.DataFrame, bucket_w: np.ndarray, lo: np.ndarray, scale: np.ndarray, buckets: int,
                   p: np.ndarray) -> np.ndarray:
    """(K, n-1) exact school-rule quantiles of each programme from its window rows."""
    school = get_rule("school", where="indicator_table()")
    cuts = np.empty((bucket_w.shape[0], p.size))
    for k in range(bucket_w.shape[0]):  # a loop over programmes
        part = window.filter(pl.col("k") == k)
        xs, ws = sort_pairs(part["x"].to_numpy(), part["w"].to_numpy())
        b_sorted = tasks.bucket_of(xs, lo[k], scale[k], buckets)
        cw = window_cumulative(ws, b_sorted, bucket_w[k])
        cuts[k] = school(xs, ws, cw, float(np.cumsum(bucket_w[k])[-1]), p)
    return cuts


def psu_table(sums: pl.DataFrame) -> tuple[pl.DataFrame, PsuStructure]:
    """PSU index ``j`` of each (stratum, PSU) pair (PSUs nested in strata, R ``nest=TRUE``)
    and the :class:`PsuStructure` the SEs need (no fpc)."""
    strata = sums.select("s").unique().sort("s").with_row_index("h")
    pairs = (sums.select("s", "p").unique().sort("s", "p").with_row_index("j").join(strata, on="s")
             .sort("j").with_columns(pl.col("j", "h").cast(pl.Int64)))
    psu_stratum = pairs["h"].to_numpy()
    structure = PsuStructure(np.empty(0, dtype=np.int64), psu_stratum,
                             np.bincount(psu_stratum, minlength=strata.height), np.zeros(psu_stratum.size))
    return pairs.select("s", "p", "j"), structure


def indicators_from_sums(sums: pl.DataFrame, names: Sequence[str], n: int, lonely_psu: str | None) -> pl.DataFrame:
    """The tidy table from the merged (programme, stratum, PSU, group) sums, by the local engine's
    functions (:func:`distribution_indicators` on :class:`Sums`; the whole population via :func:`marginal`)."""
    sums = sums.group_by("k", "s", "p", "g").agg(pl.col(tasks.SUMS).sum())
    pairs, structure = psu_table(sums)
    sums = sums.join(pairs, on=["s", "p"], how="left")
    qname, labels = ntile_name(n)
    frames = []
    for k, name in enumerate(names):  # a loop over programmes
        part = sums.filter(pl.col("k") == k)
        table, inverse = group_table(part["j"].to_numpy(), part["g"].to_numpy(), n, structure)
        J = table.psu.size

        def col(c: str, part: pl.DataFrame = part, inverse: np.ndarray = inverse, J: int = J) -> np.ndarray:
            return sum_rows(inverse, J, part[c].to_numpy())

        s = Sums(table, col("W"), col("N"), {"wr": col("Wr")[:, None], "nr": col("Nr")[:, None],
                                             "wa": col("Wa")[:, None], "wyr": col("Wyr")[:, None]},
                 {"wr": np.zeros((J, 0)), "nr": np.zeros((J, 0))})
        one = np.array([True])
        frames.append(distribution_indicators(s, qname, labels, [name], ["programme"], one, basis="pre",
                                              lonely_psu=lonely_psu))
        everyone = marginal(s, np.zeros(n, dtype=np.int64), 1)
        frames.append(distribution_indicators(everyone, "all", ("all",), [name], ["programme"], one,
                                              basis="none", lonely_psu=lonely_psu))
    return _tidy(pl.concat(frames, how="vertical"), names, labels)
