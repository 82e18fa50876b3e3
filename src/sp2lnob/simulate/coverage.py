"""Step 3: which eligible households are reached (coverage allocation).

Coverage is allocated to households (a programme reaches a household; every
eligible member of a reached household is paid). ``rate`` is the weighted share
of eligible units reached: eligible persons for ``per: person`` benefits,
eligible households for ``per: household`` ones. Households are taken in a
priority order until the cumulative eligible weight reaches ``rate`` x the
eligible total (a household is in when the mid-point of its weight falls below
the target, so the realised share is the closest achievable):

- random: a uniform draw per household from ``numpy.random.Generator(seed)``;
- poorest_first: pre-transfer welfare per unit, ascending (ties by the draw);
- pmt: the household's PMT score (mean of ``pmt_score`` over members) plus a
  normal error of sd ``pmt_noise``, ascending.

``inclusion_error`` e adds non-eligible households, in the same priority order,
until they make up the share e of beneficiary households (weighted):
included weight = e / (1 - e) x reached eligible weight.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ALLOCATIONS = ("random", "poorest_first", "pmt")


@dataclass(frozen=True)
class Allocation:
    """Inputs of one allocation, all household arrays (length H)."""

    eligible: np.ndarray      # bool: household has an eligible unit
    unit_weight: np.ndarray   # weighted eligible units in the household
    hh_weight: np.ndarray     # household weight (for inclusion errors)
    welfare: np.ndarray       # pre-transfer welfare per unit
    score: np.ndarray | None  # PMT score (pmt only)


def _prefix(candidates: np.ndarray, priority_order: np.ndarray, weight: np.ndarray, target: float) -> np.ndarray:
    """Candidates (bool, H) taken in ``priority_order`` until their weight reaches ``target``."""
    idx = priority_order[candidates[priority_order]]
    w = weight[idx]
    take = (np.cumsum(w) - w / 2.0) < target
    out = np.zeros(candidates.shape, dtype=bool)
    out[idx[take]] = True
    return out


def priority(kind: str, a: Allocation, rng: np.random.Generator, pmt_noise: float) -> np.ndarray:
    """Household order (indices, first reached first) for an allocation rule."""
    u = np.asarray(rng.random(a.eligible.shape[0]), dtype=float)
    if kind == "random":
        return np.argsort(u, kind="stable")
    if kind == "poorest_first":
        return np.lexsort((u, a.welfare))
    score = a.score if a.score is not None else np.log(np.maximum(a.welfare, 1e-12))
    if pmt_noise > 0:
        score = score + rng.normal(0.0, pmt_noise, size=score.shape)
    return np.lexsort((u, score))


def allocate(kind: str, a: Allocation, rate: float, rng: np.random.Generator, *,
             inclusion_error: float = 0.0, pmt_noise: float = 0.0) -> np.ndarray:
    """Reached households (bool, H)."""
    if rate >= 1.0 and inclusion_error == 0.0:
        return a.eligible.copy()
    order = priority(kind, a, rng, pmt_noise)
    total = float(a.unit_weight[a.eligible].sum())
    reached = _prefix(a.eligible, order, a.unit_weight, rate * total) if rate < 1.0 else a.eligible.copy()
    if inclusion_error > 0.0:
        reached_w = float(a.hh_weight[reached].sum())
        target = inclusion_error / (1.0 - inclusion_error) * reached_w
        others = ~a.eligible & (a.hh_weight > 0)
        reached |= _prefix(others, order, a.hh_weight, target)
    return reached
