"""The simulation: explicit ordered steps, all column operations.

For a package on a prepared survey (:func:`simulate`):

0. remove the replaced programmes: ``y_pre = y - sum_p amount_p / size`` (per unit);
1. eligibility (person rule, :mod:`eligibility`);
2. amount per eligible person or household (:mod:`benefit`), period-checked;
3. coverage: which households are reached (:mod:`coverage`, seeded);
4. household aggregation: ``T_sh = sum_{i in h} b_i 1[eligible_i] 1[reached_h]`` (``np.bincount``),
   capped per household; ``T_h = sum_s T_sh``;
5. post-transfer welfare ``y_post,i = y_pre,i + T_h / s_h`` (``s_h`` household size, or adult
   equivalents when welfare is equivalised) and the impacts (:mod:`impacts`).

No behavioural response: the full transfer is consumed (spec §2).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from sp2lnob.errors import Warning_
from sp2lnob.simulate import benefit, coverage, eligibility, impacts
from sp2lnob.simulate.base import SimulationBase, defaults
from sp2lnob.simulate.kernels import wdot
from sp2lnob.simulate.results import SimulationResult
from sp2lnob.simulate.scheme import Package, Scheme
from sp2lnob.survey.welfare import PERIODS_PER_YEAR

if TYPE_CHECKING:
    from sp2lnob.simulate.macro import Macro


def scheme_seed(scheme: Scheme, seed: int) -> int | list[int]:
    """The seed of a scheme's draws: its own ``coverage.seed``, else (package seed, CRC32 of its name)
    so that adding a scheme does not change the others' draws."""
    if scheme.coverage.seed is not None:
        return scheme.coverage.seed
    return [int(seed), zlib.crc32(scheme.name.encode())]


# A replacement for step 3 (used by the scale-out engine): (allocation inputs, scheme) -> reached households.
Allocator = Callable[[coverage.Allocation, Scheme], np.ndarray]


def _run_scheme(base: SimulationBase, scheme: Scheme, seed: int, notes: list[Warning_],
                allocator: Allocator | None = None) -> impacts.SchemeOutcome:
    where = scheme.where("eligibility.when")
    notes.extend(benefit.check_period(base, scheme))
    elig, more = eligibility.eligible(base, scheme.eligibility.when, where)        # step 1
    notes.extend(more)
    amount = benefit.unit_amounts(base, scheme)                                     # step 2
    hh = base.hh_index
    elig_hh = base.hh_sum(elig) > 0
    per_person = scheme.benefit.per == "person"
    unit_w = base.hh_sum(base.weight * elig) if per_person else base.hh_weight * elig_hh
    cov = scheme.coverage
    score = None
    if cov.allocation == "pmt":
        score = eligibility.household_score(base, cov.pmt_score, scheme.where("coverage.pmt_score"))
    alloc = coverage.Allocation(elig_hh, unit_w, base.hh_weight, base.hh_welfare, score)
    if allocator is not None:
        reached = allocator(alloc, scheme)
    else:
        rng = np.random.default_rng(scheme_seed(scheme, seed))
        reached = coverage.allocate(cov.allocation, alloc, cov.rate, rng,            # step 3
                                    inclusion_error=cov.inclusion_error, pmt_noise=cov.pmt_noise)
    cap = scheme.benefit.cap_per_household
    cap = None if cap is None else cap * benefit.to_welfare_period(base, scheme.benefit.period)
    if per_person:                                                                    # step 4
        paid = elig & reached[hh] & (amount > 0)
        person_amount = np.where(paid, amount, 0.0)
        t = base.hh_sum(person_amount)
        if cap is not None:
            capped = np.minimum(t, cap)
            person_amount = person_amount * np.divide(capped, t, out=np.zeros_like(t), where=t > 0)[hh]
            t = capped
        # paid to persons: weighted by the recipient's own weight (equal to sum_h w_h T_h when
        # weights are constant within households, as in a survey; not after age re-weighting)
        total = wdot(base.weight, person_amount)
    else:
        paid = np.zeros(base.n_persons, dtype=bool)
        t = np.where(reached, amount, 0.0)
        if cap is not None:
            t = np.minimum(t, cap)
        total = wdot(base.hh_weight, t)
    return impacts.SchemeOutcome(
        name=scheme.name, per=scheme.benefit.per, admin=scheme.admin_cost,
        payments_per_year=PERIODS_PER_YEAR[scheme.payment_period], transfers_hh=t, total=total, eligible=elig,
        reached_hh=reached, paid_person=paid,
    )


def run(base: SimulationBase, package: Package, seed: int, *, groups: bool = True,
        table_rows: bool = True, allocators: Mapping[str, Allocator] | None = None,
        ) -> tuple[np.ndarray, list[impacts.SchemeOutcome], np.ndarray, list, list]:
    """Steps 0-5 on a base; returns (post welfare, outcomes, T_h, rows, warnings).

    ``allocators``: scheme name -> a function that replaces step 3 for that scheme (the
    scale-out engine allocates coverage from survey-wide draws)."""
    base = base.without_programmes(package.replaces)                                  # step 0
    notes: list[Warning_] = list(base.notes)
    allocators = allocators or {}
    outcomes = [_run_scheme(base, s, seed, notes, allocators.get(s.name)) for s in package.schemes]
    transfers = np.sum([o.transfers_hh for o in outcomes], axis=0)
    post = base.welfare + (transfers / base.hh_scale)[base.hh_index]                  # step 5
    table = impacts.Table()
    if table_rows:
        impacts.compute(base, post, outcomes, transfers, table, groups=groups)
    return post, outcomes, transfers, table.rows, notes


def simulate(
    survey_or_base: Any,
    package: Package | Scheme | list,
    *,
    seed: int | None = None,
    macro: Macro | str | None = None,
    groups: bool = True,
    bootstrap: int = 0,
    bootstrap_seed: int | None = None,
) -> SimulationResult:
    """Simulate ``package`` on a survey (or a prepared :class:`SimulationBase`).

    ``seed`` (default ``default_seed`` of ``parameters/schemes/_defaults.yaml``) drives every
    random allocation and is recorded. ``groups``: compute the by-group tables. ``bootstrap``:
    number of Rao-Wu bootstrap replicates for standard errors (0 = none; the whole simulation,
    allocation included, is re-run on each replicate's weights).
    """
    from sp2lnob.simulate.prepare import prepare

    base = survey_or_base if isinstance(survey_or_base, SimulationBase) else prepare(survey_or_base, macro)
    if isinstance(package, Scheme):
        package = Package((package,))
    elif isinstance(package, (list, tuple)):
        from sp2lnob.simulate.scheme import make_package

        package = make_package(list(package))
    seed = int(defaults()["default_seed"] if seed is None else seed)
    post, outcomes, transfers, rows, notes = run(base, package, seed, groups=groups)
    se: dict[tuple, float] = {}
    boot = None
    if bootstrap:
        from sp2lnob.simulate.bootstrap import bootstrap_se

        se, boot = bootstrap_se(base, package, seed, rows, bootstrap, bootstrap_seed)
    pre_base = base.without_programmes(package.replaces)
    return SimulationResult(
        package=package, seed=seed, scheme_seeds={s.name: scheme_seed(s, seed) for s in package.schemes},
        rows=tuple(rows), welfare_pre=_ro(pre_base.welfare), welfare_post=_ro(post), weights=base.weight,
        hh_index=base.hh_index, transfers_hh=_ro(transfers),
        transfers_by_scheme={o.name: _ro(o.transfers_hh) for o in outcomes}, lines=tuple(base.lines),
        macro=base.macro, currency=base.currency, period=base.period, survey_name=base.survey_name,
        warnings=tuple(_unique(notes)), se=se, bootstrap=boot,
        eligible_by_scheme={o.name: _ro(o.eligible) for o in outcomes},
        reached_by_scheme={o.name: _ro(o.reached_hh) for o in outcomes},
    )


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    a.setflags(write=False)
    return a


def _unique(notes: list[Warning_]) -> list[Warning_]:
    seen, out = set(), []
    for n in notes:
        key = (n.what, n.where, n.count)
        if key not in seen:
            seen.add(key)
            out.append(n)
    return out
