"""The scheme simulator on partitioned Parquet, here or on a Dask cluster.

``simulate_partitioned(source, spec, package, engine=...)`` returns the headline
table of a package (:class:`PartitionedSimulation`): per scheme and for the
package, yearly transfers, cost (with administration), cost in % of GDP and
beneficiaries; for the package, headcount, poverty gap and severity at every
poverty line of the spec, mean welfare and Gini, before and after the transfers.

``source`` is the survey's merged person rows (persons with their household's
variables) written as Parquet files that never split a household
(:func:`sp2lnob.scale.write_partitions` with ``by=`` the household id);
``spec`` the survey spec that describes its columns, as for ``read_survey``.

``engine="local"`` reads every file, builds the survey and calls
:func:`sp2lnob.simulate.simulate`: the reference. ``engine="dask"`` never holds
the survey in one place. Row-wise steps are partition maps (each task builds its
partition's survey and base and runs steps 0-5 of :mod:`sp2lnob.simulate.engine`),
survey-wide quantities are reductions (:mod:`sp2lnob.scale.simulate_tasks`):

1. layout (only when needed): households and household-id range per partition,
   survey welfare range and ``sum w``, ``sum w y``;
2. relative and quantile poverty lines (``share x median`` / ``mean``, ``p``-th
   quantile of survey welfare, person weights): the exact weighted quantile by
   the window method (bucket weights, then only the rows of the crossing
   buckets, sorted here; :mod:`sp2lnob.measures._windows`);
3. coverage below 1: households are taken in a priority order until
   ``sum_{k before h} v_k + v_h / 2 < rate x sum v`` (``v``: eligible unit weight;
   :mod:`sp2lnob.simulate.coverage`), a prefix of the order by the key
   ``(p_h, u_h, h)``: ``p`` the draw ``u`` (random), welfare per unit
   (poorest_first) or the PMT score (pmt); ``u`` the household's draw; ``h`` its
   index in household-id order. Every partition draws its slice of the
   survey-wide stream (``PCG64(seed).advance(index of its first household)``), so
   the draws are the local engine's. A histogram of ``p`` (over its survey-wide
   range) finds the buckets where the cumulative weight crosses the target; only
   their rows are sorted here, giving the last household reached;
4. sums (exact up to the order of floating-point addition): ``W = sum w``,
   ``sum w y`` pre/post, FGT sums ``sum w 1[y < z] (1 - y/z)^a``, transfers
   ``sum w b`` per scheme, beneficiaries;
5. Gini pre and post from ``B`` equal-width buckets by
   :func:`sp2lnob.scale.measures.gini_bounds`: the middle of a guaranteed interval,
   with its half-width as ``error_bound``.

Supported on ``engine="dask"``: coverage at any rate with random or
poorest_first allocation, pmt allocation without noise (``pmt_noise: 0``), any
allocation at rate 1; every benefit basis, caps, replaced programmes; absolute,
PPP, relative and quantile lines. Refused with a structured error before any
work starts: pmt with a noisy score below full coverage (its normal draws use a
variable number of random numbers, so they cannot be sliced by household),
inclusion errors, and eligibility rules that use ``welfare_percentile`` or
``welfare_decile`` (survey-wide ranks of every person). Coverage below 1 needs
partitions that hold consecutive ranges of household ids (write them from a
frame sorted by the id): otherwise a structured error. A household whose
cumulative weight equals the coverage target to the last bit may fall on the
other side of the cut-off (sums in a different order), and so may a relative /
quantile line's row; the results are otherwise the local engine's.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, InputError
from sp2lnob.expressions import referenced_names
from sp2lnob.measures._sorting import sort_pairs
from sp2lnob.measures._windows import window_buckets, window_cumulative
from sp2lnob.measures.quantiles import get_rule
from sp2lnob.scale import simulate_tasks as tasks
from sp2lnob.scale.cluster import check_engine, client_workers, dask_client
from sp2lnob.scale.measures import gini_bounds
from sp2lnob.scale.runner import run_partitions
from sp2lnob.scale.source import ParquetSource, scan_parquet
from sp2lnob.simulate.base import defaults
from sp2lnob.simulate.engine import scheme_seed
from sp2lnob.simulate.macro import Macro, load_macro
from sp2lnob.simulate.scheme import Package, Scheme, make_package
from sp2lnob.survey import SurveySpec, load_spec, parse_spec
from sp2lnob.survey.spec import QuantileLine, RelativeLine

GINI_BUCKETS = 1 << 16
KEY_BUCKETS = 1 << 14
LINE_BUCKETS = 1 << 13
RANKS = ("welfare_percentile", "welfare_decile")
SCHEMA = {"scheme": pl.String, "measure": pl.String, "line": pl.String, "stage": pl.String,
          "value": pl.Float64, "error_bound": pl.Float64}


@dataclass(frozen=True)
class PartitionedSimulation:
    """Headline table of a package (tidy: scheme, measure, line, stage, value, error_bound) and how it was run."""

    table: pl.DataFrame
    engine: str
    seed: int
    scheme_seeds: dict[str, Any]
    rows: int
    households: int
    partitions: int
    seconds: float
    workers: int = 1
    passes: int = 0
    lines: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def to_frame(self) -> pl.DataFrame:
        return self.table

    def value(self, measure: str, stage: str = "post", *, scheme: str = "package", line: str | None = None) -> float:
        t = self.table.filter((pl.col("measure") == measure) & (pl.col("stage") == stage)
                              & (pl.col("scheme") == scheme))
        t = t.filter(pl.col("line").is_null() if line is None else pl.col("line") == line)
        if t.height != 1:
            raise InputError(f"no single value for {measure!r}", where="PartitionedSimulation.value",
                             got=f"{t.height} rows for stage={stage}, scheme={scheme}, line={line}",
                             hint="measures: " + ", ".join(self.table["measure"].unique(maintain_order=True)))
        return float(t["value"][0])

    def summary(self) -> str:
        head = (f"{self.rows:,} persons, {self.households:,} households in {self.partitions} partition(s); "
                f"engine {self.engine!r} ({self.workers} worker(s), {self.passes} pass(es)), {self.seconds:.2f} s; "
                f"seed {self.seed}")
        out = [head]
        for r in self.table.iter_rows(named=True):
            label = r["measure"] + (f"[{r['line']}]" if r["line"] else "") + f" {r['stage']}"
            bound = f" ± {r['error_bound']:.2g}" if r["error_bound"] else ""
            out.append(f"  {r['scheme']:<28} {label:<36} {r['value']:.6g}{bound}")
        out += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(out)

    def __str__(self) -> str:
        return self.summary()


def simulate_partitioned(source: ParquetSource | str | Path | Sequence[str], spec: SurveySpec | str | Path | dict,
                         package: Package | Scheme | Sequence[Any], *, seed: int | None = None,
                         macro: Macro | str | Path | None = None, engine: str = "local", client: Any = None,
                         buckets: int = GINI_BUCKETS) -> PartitionedSimulation:
    """Simulate ``package`` on a partitioned survey (see the module docstring for what each engine does).

    ``seed``: default ``default_seed`` of ``parameters/schemes/_defaults.yaml``; recorded with each
    scheme's seed. ``macro``: as for :func:`sp2lnob.simulate.prepare`. ``client``: a
    ``distributed.Client`` for ``engine="dask"`` (without one a LocalCluster is started and stopped).
    ``buckets``: Gini buckets of the Dask engine (more: a tighter bound).
    """
    check_engine(engine, "simulate_partitioned(engine=...)")
    start = time.perf_counter()
    ctx, src = context(source, spec, package, seed, macro)
    seeds = {s.name: scheme_seed(s, ctx.seed) for s in ctx.package.schemes}
    if engine == "local":
        table, info = _local_table(src, ctx)
        return PartitionedSimulation(table, "local", ctx.seed, seeds, info["rows"], info["households"],
                                     len(src.paths), time.perf_counter() - start, lines=info["lines"],
                                     warnings=info["warnings"])
    check_supported(ctx)
    if not isinstance(buckets, int) or buckets < 16:
        raise InputError("buckets must be an integer >= 16", where="simulate_partitioned(buckets=...)", got=buckets)
    with dask_client(client) as c:
        table, info = partitioned_table(c, src, ctx, buckets)
        workers = client_workers(c)
    return PartitionedSimulation(table, "dask", ctx.seed, seeds, info["rows"], info["households"], len(src.paths),
                                 time.perf_counter() - start, workers, info["passes"], info["lines"],
                                 info["warnings"])


def context(source: Any, spec: Any, package: Any, seed: int | None,
            macro: Macro | str | Path | None) -> tuple[tasks.Context, ParquetSource]:
    """The task context and the source, from the user's arguments."""
    src = source if isinstance(source, ParquetSource) else scan_parquet(source)
    if isinstance(spec, dict):
        spec = parse_spec(spec, "spec")
    elif not isinstance(spec, SurveySpec):
        spec = load_spec(Path(spec))
    if isinstance(package, Scheme):
        package = Package((package,))
    elif not isinstance(package, Package):
        package = make_package(list(package))
    if macro is None:
        if not spec.survey.country:
            raise InputError("no macro data: the survey spec names no country", where="survey.country",
                             hint="pass macro=... with GDP per capita and population")
        macro = load_macro(spec.survey.country)
    elif not isinstance(macro, Macro):
        macro = load_macro(macro)
    seed = int(defaults()["default_seed"] if seed is None else seed)
    drawn = tuple(s.name for s in package.schemes if s.coverage.rate < 1.0)
    return tasks.Context(spec=spec, macro=macro, package=package, seed=seed, drawn=drawn), src


def check_supported(ctx: tasks.Context) -> None:
    """Structured error for what the Dask engine cannot do exactly (see the module docstring)."""
    supported = ("random or poorest_first allocation at any rate, pmt without noise, or any allocation at rate 1; "
                 "no inclusion errors")
    for s in ctx.package.schemes:
        cov = s.coverage
        if cov.rate < 1.0 and cov.allocation == "pmt" and cov.pmt_noise > 0:
            raise InputError("pmt allocation with a noisy score below full coverage is not supported on "
                             "engine='dask'", where=s.where("coverage.pmt_noise"), expected=supported,
                             got=f"pmt_noise {cov.pmt_noise:g}, rate {cov.rate:g}",
                             hint="its normal draws cannot be split by household across partitions; use "
                                  "engine='local', or pmt_noise: 0")
        if cov.inclusion_error > 0:
            raise InputError("coverage.inclusion_error is not supported on engine='dask'",
                             where=s.where("coverage.inclusion_error"), expected=supported,
                             got=f"inclusion_error {cov.inclusion_error:g}", hint="use engine='local'")
        used = referenced_names(s.eligibility.when, where=s.where("eligibility.when")) & set(RANKS)
        if used:
            raise InputError(f"eligibility by {', '.join(sorted(used))} is not supported on engine='dask'",
                             where=s.where("eligibility.when"),
                             expected="rules on person and household variables, welfare or poverty lines",
                             got=s.eligibility.when,
                             hint="survey-wide ranks of every person need the whole survey in one place; "
                                  "use engine='local', or a welfare threshold (e.g. 'welfare < 30000')")


# --- the local reference --------------------------------------------------------------------------
def _local_table(src: ParquetSource, ctx: tasks.Context) -> tuple[pl.DataFrame, dict]:
    from sp2lnob.simulate import simulate
    from sp2lnob.survey import read_survey

    survey = read_survey(ctx.spec, data=src.read())
    r = simulate(survey, ctx.package, seed=ctx.seed, macro=ctx.macro, groups=False)
    money = {name: [r.value(m, "value", scheme=name) for m in ("transfers_lcu", "cost_lcu", "cost_pct_gdp",
                                                                  "beneficiaries")]
             for name in (*ctx.package.names, "package")}
    lines = list(r.lines)
    fgt = {ln: [[r.value(f"fgt{a}", stage, line=ln) for a in range(3)] for stage in ("pre", "post")]
           for ln in lines}
    means = [r.value("mean_welfare", stage) for stage in ("pre", "post")]
    ginis = [(r.value("gini", stage), 0.0) for stage in ("pre", "post")]
    table = _table(money, fgt, means, ginis)
    line_values = {ln: float(survey.line_values(ln)[0]) for ln in lines if _is_survey_wide(ctx.spec, ln)}
    info = {"rows": survey.data.height, "households": survey.n_households, "lines": line_values,
            "warnings": tuple(_warning_text(w.what, w.where, w.count) for w in r.warnings)}
    return table, info


def _table(money: dict[str, list[float]], fgt: dict[str, list[list[float]]], means: list[float],
           ginis: list[tuple[float, float]]) -> pl.DataFrame:
    rows: list[tuple[str, str, str | None, str, float, float]] = []
    for name, (transfers, cost, pct, benef) in money.items():
        rows += [(name, "transfers_lcu", None, "value", transfers, 0.0), (name, "cost_lcu", None, "value", cost, 0.0),
                 (name, "cost_pct_gdp", None, "value", pct, 0.0),
                 (name, "beneficiaries", None, "value", benef, 0.0)]
    for ln, stages in fgt.items():
        for stage, values in zip(("pre", "post"), stages, strict=True):
            for measure, v in zip(("headcount", "poverty_gap", "poverty_severity"), values, strict=True):
                rows.append(("package", measure, ln, stage, v, 0.0))
    for stage, mean, (gini, bound) in zip(("pre", "post"), means, ginis, strict=True):
        rows += [("package", "mean_welfare", None, stage, mean, 0.0), ("package", "gini", None, stage, gini, bound)]
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def _is_survey_wide(spec: SurveySpec, name: str) -> bool:
    return isinstance(spec.line(name), (RelativeLine, QuantileLine))


def _warning_text(what: str, where: str | None, count: int | None) -> str:
    return what + (f" ({count})" if count else "") + (f" [{where}]" if where else "")


# --- the partitioned engine ------------------------------------------------------------------------
def partitioned_table(client: Any, src: ParquetSource, ctx: tasks.Context,
                      buckets: int = GINI_BUCKETS) -> tuple[pl.DataFrame, dict]:
    """The Dask engine's table and facts about the run (``client=None``: the same tasks run here)."""
    check_supported(ctx)
    paths = src.paths
    passes = 0
    wide = [ln.name for ln in ctx.spec.poverty_lines if _is_survey_wide(ctx.spec, ln.name)]
    if wide or ctx.drawn:
        layout = run_partitions(client, tasks.layout_task, paths, ctx)
        passes += 1
        if wide:
            line_values, more = _line_values(client, paths, ctx, layout, wide)
            ctx, passes = replace(ctx, lines=line_values), passes + more
        if ctx.drawn:
            ctx = replace(ctx, offsets=_offsets(layout["cat:layout"]))
            orders, more = _orders(client, paths, ctx)
            ctx, passes = replace(ctx, orders=orders), passes + more
    line_names = tuple(ln.name for ln in ctx.spec.poverty_lines)
    s = run_partitions(client, tasks.sums_task, paths, ctx, line_names)
    lo, hi = s["min:lo"], s["max:hi"]
    span = hi - lo
    scale = np.divide(buckets, span, out=np.zeros_like(span), where=span > 0)
    h = run_partitions(client, tasks.gini_task, paths, ctx, lo, scale, buckets)
    passes += 2
    W = s["sum:W"]
    names = (*ctx.package.names, "package")
    gdp = ctx.macro.gdp_per_capita * W               # as sp2lnob.simulate.impacts: GDP per capita x population
    money = {name: [t, cost, cost / gdp * 100.0, benef] for name, (t, cost, benef) in zip(names, s["sum:money"].tolist(),
                                                                                         strict=True)}
    fgt = {ln: (s["sum:fgt"][j] / W).tolist() for j, ln in enumerate(line_names)}
    means = (s["sum:WX"] / W).tolist()
    ginis = [gini_bounds(h["sum:bucket_W"][k], h["sum:bucket_WX"][k], h["min:bucket_lo"][k], h["max:bucket_hi"][k])
             for k in range(2)]
    table = _table(money, fgt, means, ginis)
    notes = s["cat:notes"].group_by("what", "where", maintain_order=True).agg(pl.col("count").sum())
    warnings = tuple(_warning_text(r["what"], r["where"], r["count"]) for r in notes.iter_rows(named=True))
    return table, {"rows": int(s["sum:rows"]), "households": int(s["sum:households"]), "passes": passes,
                   "lines": dict(ctx.lines), "warnings": warnings}


def _line_values(client: Any, paths: Sequence[str], ctx: tasks.Context, layout: dict,
                 wide: list[str]) -> tuple[dict[str, float], int]:
    """Survey-wide values of relative / quantile lines (exact windowed quantiles; means from sums)."""
    needs: dict[str, tuple[float, str, float]] = {}        # line -> (p, rule, share); p = nan: the mean
    for name in wide:
        line = ctx.spec.line(name)
        if isinstance(line, QuantileLine):
            needs[name] = (line.p, line.rule, 1.0)
            continue
        assert isinstance(line, RelativeLine)
        if line.of == "median":
            needs[name] = (0.5, line.rule, line.share)
        else:
            needs[name] = (np.nan, line.rule, line.share)
    out = {name: share * layout["sum:WX"] / layout["sum:W"] for name, (p, _, share) in needs.items() if np.isnan(p)}
    probs = sorted({p for p, _, _ in needs.values() if not np.isnan(p)})
    if not probs:
        return out, 0
    lo, hi = float(layout["min:lo"]), float(layout["max:hi"])
    B = LINE_BUCKETS
    scale = B / (hi - lo) if hi > lo else 0.0
    bucket_w = run_partitions(client, tasks.line_hist_task, paths, ctx, lo, scale, B)["sum:line_W"]
    keep = window_buckets(bucket_w, np.array(probs))
    rows = run_partitions(client, tasks.line_rows_task, paths, ctx, lo, scale, B, keep)["cat:line_rows"]
    xs, ws = sort_pairs(rows["x"].to_numpy(), rows["w"].to_numpy())
    b_sorted = tasks._bucket(xs, lo, scale, B)
    cw = window_cumulative(ws, b_sorted, bucket_w)
    total = float(np.cumsum(bucket_w)[-1])
    for name, (p, rule, share) in needs.items():
        if not np.isnan(p):
            q = get_rule(rule, where=f"poverty_lines[{name}].rule")(xs, ws, cw, total, np.array([p]))[0]
            out[name] = share * float(q)
    return out, 2


def _offsets(layout: pl.DataFrame) -> dict[str, int]:
    """Survey-wide index of each partition's first household (households in id order)."""
    t = layout.sort("first")
    first, last = t["first"].to_list(), t["last"].to_list()
    for i in range(1, t.height):
        if not last[i - 1] < first[i]:
            raise DataError("random coverage needs partitions that hold consecutive ranges of household ids",
                            where=f"{t['path'][i - 1]} and {t['path'][i]}",
                            expected="the last household id of one file below the first id of the next",
                            got=f"ids {first[i - 1]}..{last[i - 1]} and {first[i]}..{last[i]} overlap",
                            hint="sort the frame by household id before write_partitions(..., by=<household id>)")
    starts = np.cumsum(t["households"].to_numpy()) - t["households"].to_numpy()
    return dict(zip(t["path"].to_list(), (int(v) for v in starts), strict=True))


def _orders(client: Any, paths: Sequence[str], ctx: tasks.Context) -> tuple[dict[str, tasks.Order], int]:
    """Per scheme with coverage below 1: the bucketing of its priority key and its cut-off; passes made."""
    B, passes = KEY_BUCKETS, 2
    kinds = [ctx.package.scheme(name).coverage.allocation for name in ctx.drawn]
    ranges = None
    if any(kind != "random" for kind in kinds):
        ranges = run_partitions(client, tasks.key_range_task, paths, ctx)
        passes += 1
    orders = {}
    for s, (name, kind) in enumerate(zip(ctx.drawn, kinds, strict=True)):
        lo, hi = (0.0, 1.0) if ranges is None or kind == "random" else \
            (float(ranges["min:key_lo"][s]), float(ranges["max:key_hi"][s]))
        if not lo <= hi:                     # no eligible household with a finite key
            lo = hi = 0.0
        orders[name] = tasks.Order(lo, hi, B / (hi - lo) if hi > lo else 0.0, B)
    ctx = replace(ctx, orders=orders)
    bucket_w = run_partitions(client, tasks.key_hist_task, paths, ctx)["sum:key_W"]
    keep = np.zeros(bucket_w.shape, dtype=bool)
    targets, before = [], []
    for s, name in enumerate(ctx.drawn):
        # households are reached while sum_{k before h} v_k + v_h / 2 < rate x sum v (coverage._prefix)
        target = ctx.package.scheme(name).coverage.rate * float(bucket_w[s].sum())
        cum = np.cumsum(bucket_w[s])
        start = cum - bucket_w[s]
        slack = 1e-9 * max(target, 1.0)
        keep[s] = (start <= target + slack) & (cum >= target - slack)   # buckets where the target can fall
        first = int(np.argmax(keep[s])) if keep[s].any() else B
        targets.append(target)
        before.append((first, float(start[first]) if first < B else float(cum[-1])))
    rows = run_partitions(client, tasks.key_rows_task, paths, ctx, keep)["cat:key_rows"]
    for s, name in enumerate(ctx.drawn):
        first, c0 = before[s]
        part = rows.filter(pl.col("s") == s).sort("p", "u", "i")
        w = part["w"].to_numpy()
        take = np.flatnonzero((c0 + np.cumsum(w) - w / 2.0) < targets[s])
        last = None if take.size == 0 else (float(part["p"][int(take[-1])]), float(part["u"][int(take[-1])]),
                                            int(part["i"][int(take[-1])]))
        orders[name] = replace(orders[name], first=first, last=last)
    return orders, passes
