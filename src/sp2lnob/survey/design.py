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


@dataclass(frozen=True, eq=False)
class Design:
    """Sampling design of one analysis unit per row.

    weights: analysis weights (person weights for person-level measures).
    strata, psu: integer codes (``None`` = one stratum / each row its own PSU).
    fpc: per-row sampling fraction in [0, 1) of the row's stratum, or ``None``.
    replicate_weights: (n, R) matrix of user-supplied replicate weights, with
    ``replicate_method`` and, for Fay's BRR, ``fay_rho``; ``replicate_scale``
    overrides the method's default multiplier when given.
    """

    weights: np.ndarray
    strata: np.ndarray | None = None
    psu: np.ndarray | None = None
    fpc: np.ndarray | None = None
    replicate_weights: np.ndarray | None = None
    replicate_method: ReplicateMethod | None = None
    replicate_scale: float | None = None
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
                # integer codes, order of first appearance irrelevant
                _, codes = np.unique(arr, return_inverse=True)
                object.__setattr__(self, name, _frozen(codes, np.int64))
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
