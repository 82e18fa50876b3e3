"""The survey design: a frozen value object kept apart from the data.

A changed design is a new copy (``dataclasses.replace``), as in svy's
``core/design.py``. Arrays are stored read-only so no computation can alter
the weights it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from sp2lnob.errors import DataError

ReplicateMethod = Literal["bootstrap", "jackknife", "jk1", "jkn", "brr", "fay", "sdr"]


def _frozen(a: np.ndarray | None, dtype=None) -> np.ndarray | None:
    if a is None:
        return None
    arr = np.array(a, dtype=dtype, copy=True)
    arr.setflags(write=False)
    return arr


def dense_codes(values: np.ndarray) -> np.ndarray:
    """Codes 0..k-1 in the order of the sorted distinct values.

    Integer labels within a modest range are relabelled in O(n) with a lookup
    table (the common case: strata and PSU numbers); anything else falls back
    to ``np.unique`` (O(n log n)).
    """
    arr = np.asarray(values)
    if arr.dtype.kind in "iu" and arr.size:
        lo, hi = int(arr.min()), int(arr.max())
        span = hi - lo + 1
        if span <= 4 * arr.size + 1024:
            shifted = arr - lo
            present = np.zeros(span, dtype=bool)
            present[shifted] = True
            lookup = np.cumsum(present) - 1
            return lookup[shifted].astype(np.int64)
    _, codes = np.unique(arr, return_inverse=True)
    return codes.reshape(-1).astype(np.int64)


@dataclass(frozen=True, eq=False)
class Design:
    """Sampling design of one analysis unit per row.

    weights: analysis weights (person weights for person-level measures).
    strata, psu: integer codes (``None`` = one stratum / each row its own PSU).
    fpc: per-row sampling fraction in [0, 1) of the row's stratum, or ``None``.
    replicate_weights: (n, R) matrix of user-supplied replicate weights, with
    ``replicate_method`` and, for Fay's BRR, ``fay_rho``; ``replicate_scale``
    overrides the method's default multiplier when given; ``replicate_rscales``
    are per-replicate factors (R survey's ``rscales``, e.g. JKn's (n_h − 1)/n_h)
    and ``replicate_mse`` centres the replicates on the full-sample estimate
    (R's ``mse = TRUE``) instead of their mean.
    """

    weights: np.ndarray
    strata: np.ndarray | None = None
    psu: np.ndarray | None = None
    fpc: np.ndarray | None = None
    replicate_weights: np.ndarray | None = None
    replicate_method: ReplicateMethod | None = None
    replicate_scale: float | None = None
    replicate_rscales: np.ndarray | None = None
    replicate_mse: bool = False
    fay_rho: float = 0.0
    labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        w = np.asarray(self.weights, dtype=float)
        if w.ndim != 1:
            raise DataError("weights must be one-dimensional", got=f"shape {w.shape}")
        n = w.shape[0]
        if not np.all(np.isfinite(w)):
            raise DataError(
                "weights contain missing or infinite values",
                got=f"{int((~np.isfinite(w)).sum())} of {n} rows",
                hint="impute or drop those rows explicitly before building the design",
            )
        if np.any(w < 0):
            raise DataError(
                "weights must not be negative",
                got=f"{int((w < 0).sum())} negative of {n} rows (min {w.min():g})",
            )
        object.__setattr__(self, "weights", _frozen(w, float))
        for name in ("strata", "psu"):
            arr = getattr(self, name)
            if arr is not None:
                arr = np.asarray(arr)
                if arr.shape != (n,):
                    raise DataError(f"{name} must have one value per row", expected=n, got=arr.shape)
                object.__setattr__(self, name, _frozen(dense_codes(arr), np.int64))
        if self.fpc is not None:
            f = np.asarray(self.fpc, dtype=float)
            if f.shape != (n,) or np.any((f < 0) | (f >= 1)):
                raise DataError("fpc must be a per-row sampling fraction in [0, 1)", got=f"shape {f.shape}")
            object.__setattr__(self, "fpc", _frozen(f, float))
        if self.replicate_weights is not None:
            r = np.asarray(self.replicate_weights, dtype=float)
            if r.ndim != 2 or r.shape[0] != n:
                raise DataError("replicate weights must be an (n, R) matrix", expected=f"({n}, R)", got=r.shape)
            if self.replicate_method is None:
                raise DataError("replicate weights need a replicate_method", hint="bootstrap, jackknife, brr, fay or sdr")
            object.__setattr__(self, "replicate_weights", _frozen(r, float))
            if self.replicate_rscales is not None:
                rs = np.asarray(self.replicate_rscales, dtype=float)
                if rs.shape != (r.shape[1],):
                    raise DataError("replicate_rscales needs one factor per replicate", expected=r.shape[1], got=rs.shape)
                object.__setattr__(self, "replicate_rscales", _frozen(rs, float))

    @property
    def n(self) -> int:
        return int(self.weights.shape[0])

    def subset(self, mask: np.ndarray) -> Design:
        """The design restricted to rows in ``mask`` (for domain *point* estimates only;
        domain variances keep the full design and zero the influence outside)."""
        m = np.asarray(mask, dtype=bool)
        return replace(
            self,
            weights=self.weights[m],
            strata=None if self.strata is None else self.strata[m],
            psu=None if self.psu is None else self.psu[m],
            fpc=None if self.fpc is None else self.fpc[m],
            replicate_weights=None if self.replicate_weights is None else self.replicate_weights[m],
        )

    def with_weights(self, weights: np.ndarray) -> Design:
        return replace(self, weights=weights)
