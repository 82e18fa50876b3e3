"""Per-partition work of the partitioned simulator (run on Dask workers, or here).

Every task reads one Parquet partition (whole households), builds that
partition's :class:`~sp2lnob.survey.Survey` and
:class:`~sp2lnob.simulate.SimulationBase` with the survey spec, and runs the
row-wise steps of :mod:`sp2lnob.simulate.engine` on it (step 0 replaced
programmes, 1 eligibility, 2 amounts, 4 household aggregation, 5 post-transfer
welfare). What is survey-wide arrives in the :class:`Context`: the values of
relative / quantile poverty lines, each partition's household offset in the
survey-wide household order, and the coverage cut-off of each scheme with
coverage below 1. Tasks return small partials that add up across partitions
(keys ``sum:``/``min:``/``max:``/``cat:``, merged by
:func:`sp2lnob.scale.tasks.merge`).

Coverage draws: the local engine draws ``u = Generator(PCG64(seed_s)).random(H)``
over the survey's ``H`` households in household-id order. ``random`` consumes one
64-bit output per draw, so a partition whose first household has survey-wide
index ``k`` gets exactly its slice with ``PCG64(seed_s).advance(k)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import polars as pl

from sp2lnob.scale.source import read_partition
from sp2lnob.scale.tasks import Partial, bucket_of
from sp2lnob.simulate import coverage
from sp2lnob.simulate.base import SimulationBase
from sp2lnob.simulate.engine import run, scheme_seed
from sp2lnob.simulate.kernels import fgt_terms, wdot
from sp2lnob.simulate.macro import Macro
from sp2lnob.simulate.prepare import prepare
from sp2lnob.simulate.scheme import Package, Scheme
from sp2lnob.survey import Survey, SurveySpec, read_survey
from sp2lnob.survey.welfare import period_factor

PARTITION_LOCAL_NOTE = "value labels of"   # sp2lnob.survey.readers.label_coverage: codes not in the data


@dataclass(frozen=True)
class Context:
    """What every partition task needs (small; sent with each task).

    ``lines``: survey-wide values of the relative / quantile lines (line -> value).
    ``offsets``: partition path -> survey-wide index of its first household.
    ``drawn``: schemes with coverage below 1, in package order.
    ``orders``: scheme -> its :class:`Order` (bucketing of the priority key, then the cut-off).
    """

    spec: SurveySpec
    macro: Macro
    package: Package
    seed: int
    lines: dict[str, float] = field(default_factory=dict)
    offsets: dict[str, int] = field(default_factory=dict)
    drawn: tuple[str, ...] = ()
    orders: dict[str, Order] = field(default_factory=dict)


def read_part(path: str, ctx: Context) -> Survey:
    """The partition as a validated survey (the same checks as ``read_survey`` on the whole file)."""
    return read_survey(ctx.spec, data=read_partition(path))


def build(path: str, ctx: Context) -> SimulationBase:
    """The partition's simulation base, with the survey-wide line values."""
    base = prepare(read_part(path, ctx), ctx.macro)
    if not ctx.lines:
        return base
    lines = dict(base.lines)
    for name, value in ctx.lines.items():
        a = np.full(base.n_persons, float(value))
        a.setflags(write=False)
        lines[name] = a
    return replace(base, lines=lines, cache={})


# --- pass: layout and the welfare range (for relative / quantile lines) --------------------------
def layout_task(path: str, ctx: Context) -> Partial:
    """Households, first and last household id; sum of weights, of ``w y``; range of ``y``."""
    survey = read_part(path, ctx)
    ids = survey.data[ctx.spec.roles.household_id]
    x, w = np.asarray(survey.welfare, dtype=float), np.asarray(survey.weights, dtype=float)
    layout = pl.DataFrame({"path": [path], "households": [survey.n_households], "rows": [survey.data.height]})
    layout = layout.with_columns(pl.Series("first", [ids.min()], dtype=ids.dtype),
                                 pl.Series("last", [ids.max()], dtype=ids.dtype))
    return {"cat:layout": layout, "sum:W": float(w.sum()), "sum:WX": float(wdot(w, x)),
            "min:lo": float(x.min()), "max:hi": float(x.max())}


def line_hist_task(path: str, ctx: Context, lo: float, scale: float, buckets: int) -> Partial:
    """Weight of pre-transfer survey welfare in each equal-width bucket."""
    survey = read_part(path, ctx)
    b = _bucket(np.asarray(survey.welfare, dtype=float), lo, scale, buckets)
    return {"sum:line_W": np.bincount(b, weights=survey.weights, minlength=buckets)}


def line_rows_task(path: str, ctx: Context, lo: float, scale: float, buckets: int, keep: np.ndarray) -> Partial:
    """The positive-weight rows (bucket, y, w) of the kept buckets."""
    survey = read_part(path, ctx)
    x, w = np.asarray(survey.welfare, dtype=float), np.asarray(survey.weights, dtype=float)
    b = _bucket(x, lo, scale, buckets)
    rows = keep[b] & (w > 0)
    return {"cat:line_rows": pl.DataFrame({"b": b[rows], "x": x[rows], "w": w[rows]})}


def _bucket(x: np.ndarray, lo: float, scale: float, buckets: int) -> np.ndarray:
    return bucket_of(x, np.full(x.size, lo), np.full(x.size, scale), buckets)


# --- passes: coverage below 1 ----------------------------------------------------------------
def draws(scheme: Scheme, seed: int, offset: int, n: int) -> np.ndarray:
    """The scheme's draws for households ``offset .. offset + n - 1`` of the survey-wide stream."""
    bits = np.random.PCG64(scheme_seed(scheme, seed))
    bits.advance(offset)
    return np.random.Generator(bits).random(n)


def primary_key(kind: str, alloc: coverage.Allocation, u: np.ndarray) -> np.ndarray:
    """First key of the priority order of :func:`sp2lnob.simulate.coverage.priority` (then the draw,
    then the household index): the draw (random), welfare per unit (poorest_first) or the PMT score
    (pmt without noise; ``log(max(y, 1e-12))`` when the scheme has no score)."""
    if kind == "random":
        return u
    if kind == "poorest_first":
        return np.asarray(alloc.welfare, dtype=float)
    return alloc.score if alloc.score is not None else np.log(np.maximum(alloc.welfare, 1e-12))


def key_bucket(primary: np.ndarray, order: Order) -> np.ndarray:
    """Equal-width bucket of the primary key over the survey-wide finite range (values outside it
    in the first / last bucket): non-decreasing in the key."""
    x = np.clip(np.nan_to_num(primary, nan=order.lo, neginf=order.lo, posinf=order.hi), order.lo, order.hi)
    return _bucket(x, order.lo, order.scale, order.buckets)


@dataclass(frozen=True)
class Order:
    """Bucketing of a scheme's priority key; after the window pass, the last household reached.

    Reached: eligible and (primary-key bucket < ``first``, or ``(key, u, index) <= last``)."""

    lo: float
    hi: float
    scale: float
    buckets: int
    first: int = 0
    last: tuple[float, float, int] | None = None

    def reached(self, eligible: np.ndarray, primary: np.ndarray, u: np.ndarray, index: np.ndarray) -> np.ndarray:
        out = key_bucket(primary, self) < self.first
        if self.last is not None:
            p, v, i = self.last
            out |= (primary < p) | ((primary == p) & ((u < v) | ((u == v) & (index <= i))))
        return eligible & out


def _allocations(path: str, ctx: Context) -> list[tuple[coverage.Allocation, np.ndarray, np.ndarray, np.ndarray]]:
    """Per drawn scheme (in ``ctx.drawn`` order): allocation inputs, priority key, draws, household indices."""
    base = build(path, ctx)
    offset = ctx.offsets[path]
    index = offset + np.arange(base.n_households)
    seen = {}

    def record(alloc: coverage.Allocation, scheme: Scheme) -> np.ndarray:
        u = draws(scheme, ctx.seed, offset, base.n_households)
        seen[scheme.name] = (alloc, primary_key(scheme.coverage.allocation, alloc, u), u, index)
        return alloc.eligible.copy()

    run(base, ctx.package, ctx.seed, table_rows=False, allocators={name: record for name in ctx.drawn})
    return [seen[name] for name in ctx.drawn]


def key_range_task(path: str, ctx: Context) -> Partial:
    """Per drawn scheme: smallest and largest finite priority key of an eligible household."""
    parts = _allocations(path, ctx)
    lo, hi = np.full(len(parts), np.inf), np.full(len(parts), -np.inf)
    for s, (alloc, key, _, _) in enumerate(parts):
        k = key[alloc.eligible & np.isfinite(key)]
        if k.size:
            lo[s], hi[s] = k.min(), k.max()
    return {"min:key_lo": lo, "max:key_hi": hi}


def key_hist_task(path: str, ctx: Context) -> Partial:
    """Per drawn scheme: eligible unit weight in each bucket of its priority key."""
    parts = _allocations(path, ctx)
    buckets = max((ctx.orders[name].buckets for name in ctx.drawn), default=1)
    out = np.zeros((len(parts), buckets))
    for s, (alloc, key, _, _) in enumerate(parts):
        order = ctx.orders[ctx.drawn[s]]
        out[s, :order.buckets] = np.bincount(key_bucket(key, order), weights=alloc.unit_weight * alloc.eligible,
                                             minlength=order.buckets)
    return {"sum:key_W": out}


def key_rows_task(path: str, ctx: Context, keep: np.ndarray) -> Partial:
    """The eligible households (scheme, key, draw, survey-wide index, unit weight) of the kept buckets."""
    frames = []
    for s, (alloc, key, u, index) in enumerate(_allocations(path, ctx)):
        rows = alloc.eligible & keep[s][key_bucket(key, ctx.orders[ctx.drawn[s]])]
        frames.append(pl.DataFrame({"s": np.full(int(rows.sum()), s, dtype=np.int64), "p": key[rows], "u": u[rows],
                                    "i": index[rows].astype(np.int64), "w": alloc.unit_weight[rows]}))
    return {"cat:key_rows": pl.concat(frames, how="vertical")}


# --- pass: the simulation and its sums ---------------------------------------------------------
def _simulate(path: str, ctx: Context) -> tuple[SimulationBase, np.ndarray, list, np.ndarray, list]:
    """(base after step 0, post welfare, outcomes, T_h, notes) with the survey-wide coverage cut-offs."""
    base = build(path, ctx)
    offset = ctx.offsets.get(path, 0)

    def reach(alloc: coverage.Allocation, scheme: Scheme) -> np.ndarray:
        u = draws(scheme, ctx.seed, offset, base.n_households)
        index = offset + np.arange(base.n_households)
        key = primary_key(scheme.coverage.allocation, alloc, u)
        return ctx.orders[scheme.name].reached(alloc.eligible, key, u, index)

    post, outcomes, transfers, _, notes = run(base, ctx.package, ctx.seed, table_rows=False,
                                              allocators={name: reach for name in ctx.drawn})
    return base.without_programmes(ctx.package.replaces), post, outcomes, transfers, notes


def sums_task(path: str, ctx: Context, line_names: tuple[str, ...]) -> Partial:
    """Sums of the headline table: weights, ``w y`` pre/post, FGT(0, 1, 2) sums pre/post at
    each line, per scheme (and package) yearly transfers, cost and beneficiaries; ranges."""
    base, post, outcomes, transfers, notes = _simulate(path, ctx)
    w, pre, hh = base.weight, base.welfare, base.hh_index
    fgt = np.zeros((len(line_names), 2, 3))
    for j, ln in enumerate(line_names):
        z = base.lines[ln]
        for k, x in enumerate((pre, post)):
            fgt[j, k] = [wdot(w, t) for t in fgt_terms(x, z)]
    to_year = period_factor(base.period, "yearly")
    money = np.zeros((len(outcomes) + 1, 3))           # transfers, cost (with admin), beneficiaries
    for s, o in enumerate(outcomes):
        t_year = o.total * to_year
        paid = float(w[o.paid_person].sum()) if o.per == "person" else float(base.hh_weight[o.transfers_hh > 0].sum())
        money[s] = (t_year, (1.0 + o.admin) * t_year, paid)
    money[-1] = (money[:-1, 0].sum(), money[:-1, 1].sum(), wdot(w, (transfers > 0).astype(float)[hh]))
    # A labelled code missing from one partition may be in another: that survey-reading note is
    # partition-local (the local engine reports it on the whole survey); the others are row counts.
    notes = [n for n in notes if not n.what.startswith(PARTITION_LOCAL_NOTE)]
    table = pl.DataFrame({"what": [n.what for n in notes], "where": [n.where for n in notes],
                          "count": [n.count for n in notes]}, schema={"what": pl.String, "where": pl.String,
                                                                      "count": pl.Int64})
    return {"sum:W": float(w.sum()), "sum:WX": np.array([wdot(w, pre), wdot(w, post)]), "sum:fgt": fgt,
            "sum:money": money, "sum:rows": base.n_persons, "sum:households": base.n_households,
            "min:lo": np.array([pre.min(), post.min()]), "max:hi": np.array([pre.max(), post.max()]),
            "cat:notes": table}


def gini_task(path: str, ctx: Context, lo: np.ndarray, scale: np.ndarray, buckets: int) -> Partial:
    """Pre and post welfare in equal-width buckets: weight, ``w y``, min and max per bucket."""
    base, post, *_ = _simulate(path, ctx)
    out: Partial = {}
    dense = {name: np.full((2, buckets), fill) for name, fill in
             (("W", 0.0), ("WX", 0.0), ("lo", np.inf), ("hi", -np.inf))}
    for k, x in enumerate((base.welfare, post)):
        b = _bucket(x, float(lo[k]), float(scale[k]), buckets)
        cells = pl.DataFrame({"b": b, "x": x, "w": base.weight}).group_by("b").agg(
            W=pl.col("w").sum(), WX=(pl.col("w") * pl.col("x")).sum(), lo=pl.col("x").min(), hi=pl.col("x").max())
        idx = cells["b"].to_numpy()
        for name in dense:
            dense[name][k, idx] = cells[name].to_numpy()
    for name, op in (("W", "sum"), ("WX", "sum"), ("lo", "min"), ("hi", "max")):
        out[f"{op}:bucket_{name}"] = dense[name]
    return out


__all__ = ["Context", "Order", "build", "draws", "gini_task", "key_hist_task", "key_range_task", "key_rows_task",
           "layout_task", "line_hist_task", "line_rows_task", "primary_key", "sums_task"]
