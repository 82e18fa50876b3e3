"""Vectorised random draws and household <-> member reductions for the demo generator.

Every draw takes the caller's :class:`numpy.random.Generator`; nothing touches
NumPy's global state. Members of a household are stored contiguously (persons
sorted by household), so household reductions are ``ufunc.reduceat`` over the
segment starts, never a Python loop over households.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def logistic(x: np.ndarray) -> np.ndarray:
    """Inverse logit: 1 / (1 + exp(-x))."""
    return 1.0 / (1.0 + np.exp(-x))


def bernoulli(p: np.ndarray | float, size: int, rng: np.random.Generator) -> np.ndarray:
    """0/1 draws with probability ``p`` (scalar or one per row)."""
    return (rng.random(size) < p).astype(np.int64)


def bernoulli_logit(eta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """0/1 draws from a logit model with linear predictor ``eta``."""
    return bernoulli(logistic(eta), eta.shape[0], rng)


def ordered_logit(eta: np.ndarray, thresholds: list[float], rng: np.random.Generator) -> np.ndarray:
    """Ordered-logit category 0..K: the number of thresholds below ``eta + logistic noise``."""
    u = rng.random(eta.shape[0])
    latent = eta + np.log(u / (1.0 - u))
    return np.searchsorted(np.asarray(thresholds, dtype=float), latent, side="right").astype(np.int64)


def multinomial_logit(utilities: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Index of the chosen column of an (n, K) utility matrix (Gumbel-max trick).

    argmax_k (V_k + Gumbel) is distributed as the multinomial logit with
    probabilities exp(V_k) / sum_j exp(V_j) (McFadden 1974).
    """
    gumbel = -np.log(-np.log(rng.random(utilities.shape)))
    return np.argmax(utilities + gumbel, axis=1).astype(np.int64)


def weighted_rank(score: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Share of total weight with a score at or below each row's score (0 < rank <= 1).

    Used for proxy-means-test cut-offs ("the poorest 30 % of households").
    """
    order = np.argsort(score, kind="stable")
    cum = np.cumsum(weight[order])
    rank = np.empty_like(cum)
    rank[order] = cum / cum[-1]
    return rank


@dataclass(frozen=True)
class Members:
    """Which household each person row belongs to (rows grouped by household)."""

    household: np.ndarray  # household index (0..n-1) of each person row
    starts: np.ndarray     # first person row of each household
    sizes: np.ndarray      # persons per household

    @classmethod
    def from_sizes(cls, sizes: np.ndarray) -> Members:
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
        household = np.repeat(np.arange(sizes.shape[0], dtype=np.int64), sizes)
        return cls(household=household, starts=starts, sizes=sizes)

    @property
    def position(self) -> np.ndarray:
        """0-based position of each person within the household."""
        return np.arange(self.household.shape[0], dtype=np.int64) - self.starts[self.household]

    def sum(self, values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, self.starts)

    def max(self, values: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(values, self.starts)

    def any(self, mask: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(mask.astype(np.int8), self.starts) > 0

    def count(self, mask: np.ndarray) -> np.ndarray:
        return np.add.reduceat(mask.astype(np.int64), self.starts)

    def to_persons(self, household_values: np.ndarray) -> np.ndarray:
        """Broadcast one value per household to its members."""
        return household_values[self.household]
