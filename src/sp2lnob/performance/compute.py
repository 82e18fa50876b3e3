"""The complete indicator set of a survey: sets × indicators × groupings × lines.

Orchestration only (explicit ordered steps); the formulas live in
:mod:`~sp2lnob.performance.indicators`, :mod:`~sp2lnob.performance.impact`,
:mod:`~sp2lnob.performance.overlap` and :mod:`~sp2lnob.performance.se`.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, InputError, Warning_
from sp2lnob.performance.groupings import joint_codes
from sp2lnob.performance.impact import gini_impact, poverty_impact
from sp2lnob.performance.indicators import (
    HouseholdStats,
    cell_sums,
    distribution_indicators,
    household_cells,
    marginal,
    person_cells,
)
from sp2lnob.performance.inputs import PerformanceInput
from sp2lnob.performance.overlap import count_flags, overlap_count_rows, overlap_pairwise
from sp2lnob.performance.pretransfer import (
    Distribution,
    Households,
    changed_distribution,
    distribution,
    households,
    pretransfer_welfare,
    set_transfers,
)
from sp2lnob.performance.programme_sets import ProgrammeSet, build_sets
from sp2lnob.performance.results import IndicatorResult


def ntile_name(n: int) -> tuple[str, tuple[str, ...]]:
    """Grouping name and group labels of n-tiles (quintile Q1..Q5, decile D1..D10, else G1..Gn)."""
    if n == 5:
        return "quintile", tuple(f"Q{i}" for i in range(1, 6))
    if n == 10:
        return "decile", tuple(f"D{i}" for i in range(1, 11))
    return f"ntile{n}", tuple(f"G{i}" for i in range(1, n + 1))


@dataclass(frozen=True)
class _Spec:
    name: str
    labels: tuple[str, ...]
    codes: np.ndarray       # per household (household level) or per person
    basis: str = "none"


def compute_indicators(inp: PerformanceInput, *, ntiles: int = 5, lonely_psu: str | None = None,
                       pre_ntiles: bool = True) -> IndicatorResult:
    """Every indicator of aspire.md §3 for every programme set, grouping and line.

    ``ntiles``: number of welfare groups (5 = quintiles). ``pre_ntiles``: also
    rank people by each set's pre-transfer welfare. ``lonely_psu``: as in
    :func:`sp2lnob.variance.linearization_variance`.
    """
    if not isinstance(ntiles, int) or ntiles < 2:
        raise DataError("ntiles must be an integer of at least 2", where="ntiles", got=ntiles)
    warnings: list[Warning_] = list(inp.warnings)
    hh = households(inp)
    if hh.psu_is_household:
        warnings.append(Warning_("no PSU in the design: households are used as the clusters for SEs"))
    if inp.design.replicate_weights is not None:
        warnings.append(Warning_("the design's replicate weights are not used: SEs are by linearisation "
                                 "on strata and PSUs"))
    sets, set_warnings = build_sets(inp.programmes)
    warnings.extend(set_warnings)
    if not sets:
        raise DataError("the survey spec declares no programmes", where="programmes",
                        hint="add the programmes found in the survey to the spec's `programmes:` list")

    # 1. Sets with identical members (a category of one programme...) are computed once.
    unique_members = list(dict.fromkeys(tuple(sorted(s.members)) for s in sets))
    usets = [ProgrammeSet(f"__set{j}", "", "programme", m) for j, m in enumerate(unique_members)]
    ukeys = [u.name for u in usets]
    utypes = ["programme"] * len(usets)
    amount_of = {p.name: p.has_amount for p in inp.programmes}
    has_amount = np.array([any(amount_of[m] for m in u.members) for u in usets])
    receipt, amount = set_transfers(inp, hh, usets)
    key_of = {s.name + "/" + s.set_type: unique_members.index(tuple(sorted(s.members))) for s in sets}
    family_cols = [key_of[s.name + "/family"] for s in sets if s.set_type == "family"]
    prog_cols = [key_of[s.name + "/programme"] for s in sets if s.set_type == "programme"]
    flag_blocks = (["overlap_families"] if family_cols else []) + ["overlap_programmes"]
    flags = np.column_stack(([count_flags(receipt[:, family_cols])] if family_cols else [])
                            + [count_flags(receipt[:, prog_cols])])
    stats = HouseholdStats(receipt, amount, hh.welfare, flags)

    # 2. Pre-transfer welfare, floored at 0 and counted.
    pre, floored = pretransfer_welfare(hh.welfare, amount)
    floored_persons = (hh.persons[:, None] * floored).sum(axis=0)
    if floored_persons.any():
        detail = ", ".join(f"{'+'.join(u.members)}: {int(c)}"
                           for u, c in zip(usets, floored_persons, strict=True) if c)
        warnings.append(Warning_("pre-transfer welfare below 0 floored at 0 (persons per set)",
                                 count=int(floored_persons.max()), where=detail,
                                 hint="transfers larger than welfare: check amounts' period and unit"))
    no_amount = [s.name for s in sets if not any(amount_of[m] for m in s.members)]
    if no_amount:
        warnings.append(Warning_("sets with receipt flags only: amount-based indicators not computed",
                                 count=len(no_amount), where=", ".join(no_amount)))

    # 3. N-tiles of post- and pre-transfer welfare.
    qname, qlabels = ntile_name(ntiles)
    post = distribution(hh.welfare, hh.weight, ntiles, where="post-transfer welfare")
    pre_dists = _pre_distributions(pre, amount, hh.weight, ntiles, usets, post)

    # 4. Groupings: household-level ones in one pass over households, person-level ones in
    #    one pass over (household × group) cells.
    hh_specs = [_Spec("all", ("all",), np.zeros(hh.n, dtype=np.int64)),
                _Spec(qname, qlabels, post.ntile - 1, "post")]
    person_specs = []
    for g in inp.groupings.values():
        if g.name in ("all", qname, "with_programme"):
            raise InputError(f"grouping name {g.name!r} is reserved", where="--by",
                             hint="rename the column or pass a different variable")
        codes_hh = g.codes[hh.first]
        if np.array_equal(codes_hh[inp.household], g.codes):  # constant within households
            hh_specs.append(_Spec(g.name, g.labels, codes_hh))
            missing = int(hh.persons[codes_hh < 0].sum())
        else:
            person_specs.append(_Spec(g.name, g.labels, g.codes))
            missing = int((g.codes < 0).sum())
        if missing:
            warnings.append(Warning_(f"persons with a missing {g.name!r} left out of that grouping",
                                     count=missing, where=g.name))
    frames = []
    for specs, level in ((hh_specs, "household"), (person_specs, "person")):
        if not specs:
            continue
        joint, group_of = joint_codes([s.codes for s in specs], [len(s.labels) for s in specs])
        n_joint = int(joint.max()) + 1
        cells = household_cells(hh, joint, n_joint) if level == "household" else \
            person_cells(inp.household, inp.weight, joint, hh.n, n_joint)
        sums = cell_sums(cells, hh, stats)
        for spec, g_of in zip(specs, group_of, strict=True):
            m = marginal(sums, g_of, len(spec.labels))
            frames.append(distribution_indicators(m, spec.name, spec.labels, ukeys, utypes, has_amount,
                                                  basis=spec.basis, lonely_psu=lonely_psu))
            frames.append(overlap_count_rows(m, flag_blocks, spec.name, spec.labels, basis=spec.basis,
                                             lonely_psu=lonely_psu))
    if pre_ntiles:
        for k, d in enumerate(pre_dists):  # a loop over sets: each has its own pre-transfer ranking
            sums = cell_sums(household_cells(hh, d.ntile - 1, ntiles), hh, stats, [k], with_flags=False)
            frames.append(distribution_indicators(sums, qname, qlabels, [ukeys[k]], [utypes[k]],
                                                  has_amount[[k]], basis="pre", lonely_psu=lonely_psu))

    # 5. Poverty and inequality impact, whole population.
    frames.append(poverty_impact(hh, pre, amount, _household_lines(inp, hh), ukeys, utypes,
                                 has_amount, lonely_psu=lonely_psu))
    frames.append(gini_impact(hh, pre, pre_dists, post, ukeys, utypes, has_amount, lonely_psu=lonely_psu))

    # 6. Unique sets -> every named set (programme, category, family, private, all SPL).
    expand = pl.DataFrame({"programme": [ukeys[key_of[s.name + "/" + s.set_type]] for s in sets],
                           "_name": [s.name for s in sets], "_type": [s.set_type for s in sets],
                           "_order": list(range(len(sets)))})
    per_set = pl.concat([f for f in frames if f.get_column("set_type").first() != "overlap"
                         or f.is_empty()], how="vertical")
    overlap = [f for f in frames if not f.is_empty() and f.get_column("set_type").first() == "overlap"]
    per_set = (per_set.with_row_index("_row").join(expand, on="programme", how="inner")
               .sort("_order", "_row")
               .with_columns(pl.col("_name").alias("programme"), pl.col("_type").alias("set_type"))
               .drop("_name", "_type", "_order", "_row"))
    pairwise = overlap_pairwise(hh, receipt[:, prog_cols], [s.name for s in sets if s.set_type == "programme"],
                                lonely_psu=lonely_psu)
    frame = pl.concat([per_set, *overlap, pairwise], how="vertical")

    meta = dict(inp.meta)
    meta.update({
        "ntiles": ntiles, "groupings": [s.name for s in hh_specs + person_specs],
        "lines": list(inp.lines), "line_labels": dict(inp.line_labels),
        "variance": "Taylor linearisation, ultimate-cluster (with-replacement PSUs within strata)",
        "lonely_psu": lonely_psu, "persons": int(hh.persons.sum()), "households": hh.n,
    })
    set_frame = pl.DataFrame({"programme": [s.name for s in sets], "set_type": [s.set_type for s in sets],
                              "label": [s.label for s in sets],
                              "members": [" + ".join(s.members) for s in sets]})
    return IndicatorResult(frame, set_frame, tuple(warnings), meta)


def _pre_distributions(pre: np.ndarray, amount: np.ndarray, weight: np.ndarray, n: int,
                       usets: list[ProgrammeSet], post: Distribution) -> list[Distribution]:
    """N-tiles and Gini of each set's pre-transfer welfare (identical columns computed once).

    Sets are independent, and NumPy's sorts and searches release the GIL, so two
    threads share the work (the machine has two cores; the result does not depend on it).
    """
    changed = amount != 0
    source: list[int | None] = []  # the set whose distribution each set shares (None: = post)
    first_of: dict[bytes, int] = {}
    for k in range(pre.shape[1]):  # a loop over sets
        if not changed[:, k].any():
            source.append(None)
            continue
        source.append(first_of.setdefault(pre[:, k].tobytes(), k))
    todo = list(first_of.values())

    def one(k: int) -> Distribution:
        where = f"pre-transfer welfare without {' + '.join(usets[k].members)}"
        return changed_distribution(post, pre[:, k], changed[:, k], weight, n, where=where)

    workers = max(1, min(2, os.cpu_count() or 1, len(todo)))
    if workers > 1 and weight.size >= 50_000:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sp2lnob-pre") as pool:
            done = dict(zip(todo, pool.map(one, todo), strict=True))
    else:
        done = {k: one(k) for k in todo}
    return [post if k is None else done[k] for k in source]


def _household_lines(inp: PerformanceInput, hh: Households) -> dict[str, np.ndarray]:
    out = {}
    for name, z in inp.lines.items():
        z = np.asarray(z, dtype=float)
        z_hh = z[hh.first]
        if not np.array_equal(z_hh[inp.household], z):
            raise DataError(f"poverty line {name!r} varies within a household", where=name,
                            expected="one line per household (lines by region / urban are fine)")
        if not np.all(z_hh > 0):
            raise DataError(f"poverty line {name!r} has non-positive values", where=name,
                            got=int((z_hh <= 0).sum()))
        out[name] = z_hh
    return out
