"""Small, independent weighted statistics for the demo-survey tests.

The statistics are written here from their textbook formulas (not imported
from sp2lnob.measures) so the realism checks do not depend on the code they
help to test elsewhere.
"""

from __future__ import annotations

import numpy as np
import polars as pl


def weighted_gini(x: np.ndarray, w: np.ndarray) -> float:
    """Gini = 1 - sum_i (w_i / W)(L_i + L_{i-1}), L the Lorenz ordinates at sorted x (trapezoids)."""
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    lorenz = np.cumsum(x * w) / np.sum(x * w)
    previous = np.concatenate(([0.0], lorenz[:-1]))
    return float(1.0 - np.sum(w / w.sum() * (lorenz + previous)))


def pairwise_gini(x: np.ndarray, w: np.ndarray) -> float:
    """Gini = sum_ij w_i w_j |x_i - x_j| / (2 W^2 mean): the definition, O(n^2)."""
    mean = np.sum(w * x) / np.sum(w)
    return float(np.sum(np.outer(w, w) * np.abs(x[:, None] - x[None, :])) / (2 * np.sum(w) ** 2 * mean))


def weighted_rate(y: np.ndarray | pl.Series, w: np.ndarray | pl.Series) -> float:
    y, w = np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    return float(np.sum(y * w) / np.sum(w))


def person_quintile(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Quintile 1..5 of each row by x, cutting the cumulative weight share at 0.2, 0.4, ..."""
    order = np.argsort(x, kind="stable")
    share = np.cumsum(w[order]) / np.sum(w)
    q = np.empty(x.shape[0], dtype=np.int64)
    q[order] = np.minimum(np.ceil(share * 5 - 1e-9), 5).astype(np.int64)
    return np.maximum(q, 1)
