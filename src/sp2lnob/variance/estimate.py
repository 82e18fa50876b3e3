"""``estimate()``: a measure with its design-based standard error, overall, in a domain or by group.

Domains keep the full design: the point estimate uses the domain's rows, the
linearised variable is zero outside the domain, and replicate estimates use
the domain's rows of every replicate (R survey's ``svyby``/``subset``; Lumley
2010 §2.3). Subsetting the design instead would understate the variance.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sp2lnob.errors import DataError, InputError, Warning_
from sp2lnob.survey.design import Design
from sp2lnob.variance.estimators import Estimator, get_estimator
from sp2lnob.variance.methods import Domain, get_method
from sp2lnob.variance.results import Estimate, EstimateTable


def estimate(
    measure: str,
    values: Any,
    design: Design,
    *,
    method: str = "linearization",
    domain: Any = None,
    by: Any = None,
    level: float = 0.95,
    replicates: int = 200,
    seed: int | None = None,
    lonely_psu: str | None = None,
    mse: bool = False,
    **params: Any,
) -> Estimate | EstimateTable:
    """Estimate ``measure`` (a name in :data:`ESTIMATORS`) of ``values`` with its standard error.

    ``method``: ``"linearization"``, ``"bootstrap"`` (Rao–Wu over PSUs within
    strata; ``replicates`` and ``seed`` recorded; a seed is drawn and recorded
    when ``None``) or ``"replicate"`` (the design's replicate weights; ``mse``
    centres on the full estimate instead of the replicate mean).
    ``domain``: boolean mask, one per row. ``by``: group labels, one per row →
    :class:`EstimateTable` (rows with a missing label belong to no group and are
    counted in its warnings). ``lonely_psu``: handling of single-PSU strata
    (see :mod:`sp2lnob.variance.design_variance`). ``params`` go to the measure
    (``line=``, ``alpha=``, ``epsilon=``, ``p=``, ``rule=``, ``denominator=``...).
    """
    est = get_estimator(measure)
    resolved = est.resolve(params)
    y = _values(values, design.n)
    if not 0.0 < float(level) < 1.0:
        raise InputError("level must be in (0, 1)", where="estimate(level=...)", expected="e.g. 0.95",
                         got=level)
    base = np.ones(design.n, dtype=bool) if domain is None else _mask(domain, design.n)
    if domain is not None and not base.any():
        raise DataError("the domain has no rows", where="estimate(domain=...)",
                        expected="at least one row in the domain", got="0 rows selected",
                        hint="check the condition that built the domain mask")
    method_cls = get_method(method)
    prepared = method_cls(design, replicates=replicates, seed=seed, lonely_psu=lonely_psu, mse=mse)
    if by is None:
        return _one(est, y, design, base, resolved, prepared, float(level),
                    "domain" if domain is not None else None, lonely_psu)
    labels, by_name = _labels(by, design.n)
    missing = _missing(labels)
    groups = [g for g in _unique(labels[~missing])]
    rows = []
    for g in groups:
        mask = base & ~missing & (labels == g)
        if not mask.any():
            raise DataError(f"group {g!r} of {by_name} has no rows in the domain", where=f"by={by_name}",
                            got="0 rows", hint="drop empty groups or widen the domain")
        rows.append(_one(est, y, design, mask, resolved, prepared, float(level),
                         f"{by_name}={g}", lonely_psu))
    warnings: tuple[Warning_, ...] = ()
    if missing.any():
        warnings = (Warning_("rows with a missing group label are in no group",
                             count=int(missing.sum()), where=f"by={by_name}"),)
    return EstimateTable(by_name, tuple(groups), tuple(rows), warnings)


def _one(est: Estimator, y: np.ndarray, design: Design, mask: np.ndarray, params: dict[str, Any],
         prepared: Any, level: float, label: str | None, lonely_psu: str | None) -> Estimate:
    dom_params = {k: (_row_param(v, mask, design.n, k) if k in est.row_params else v)
                  for k, v in params.items()}
    w = design.weights[mask]
    if not w.sum() > 0:
        raise DataError("the domain has zero total weight", where=label or "estimate()",
                        got=f"{int(mask.sum())} rows, all with weight 0")
    dom = Domain(mask, y[mask], w, dom_params, label)
    theta = float(est.point(dom.y, dom.w, dom.params))
    iv = prepared.interval(est, dom, theta, level)
    shown = {k: ("per-row" if np.ndim(v) else v) for k, v in params.items()
             if k != est.rule_param and k != "denominator"}
    return Estimate(
        measure=est.name, estimate=theta, se=iv.se, ci_low=iv.ci_low, ci_high=iv.ci_high,
        level=level, n=int(mask.sum()), weighted_n=float(w.sum()), method=prepared.name,
        rule=params.get(est.rule_param) if est.rule_param else None, params=shown,
        replicates=prepared.replicates, seed=prepared.seed, df=iv.df, domain=label,
        lonely_psu=lonely_psu if prepared.name in ("linearization", "bootstrap") else None,
    )


def _values(values: Any, n: int, name: str = "values") -> np.ndarray:
    arr = np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values)
    if arr.dtype.kind not in "biuf":
        raise DataError(f"{name} must be numeric", where="estimate()", got=f"dtype {arr.dtype}")
    arr = arr.astype(float)
    if arr.shape != (n,):
        raise DataError(f"{name} must have one value per design row", where="estimate()",
                        expected=f"{n} values", got=f"shape {arr.shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        raise DataError(f"{name} contain {int(bad.sum())} missing or infinite entries",
                        where="estimate()", expected="finite values in every row",
                        got=f"{int(bad.sum())} of {n} rows",
                        hint="drop them explicitly, or restrict with domain= (the design is kept whole)")
    return arr


def _row_param(value: Any, mask: np.ndarray, n: int, name: str) -> Any:
    if np.ndim(value) == 0 and not hasattr(value, "to_numpy"):
        return value
    return _values(value, n, name)[mask]


def _mask(domain: Any, n: int) -> np.ndarray:
    m = np.asarray(domain.to_numpy() if hasattr(domain, "to_numpy") else domain)
    if m.dtype != bool or m.shape != (n,):
        raise InputError("domain must be a boolean mask with one value per design row",
                         where="estimate(domain=...)", expected=f"{n} booleans",
                         got=f"dtype {m.dtype}, shape {m.shape}")
    return m


def _labels(by: Any, n: int) -> tuple[np.ndarray, str]:
    name = str(getattr(by, "name", None) or "group")
    arr = np.asarray(by.to_numpy() if hasattr(by, "to_numpy") else by)
    if arr.shape != (n,):
        raise InputError("by must have one label per design row", where="estimate(by=...)",
                         expected=f"{n} labels", got=f"shape {arr.shape}")
    return arr, name


def _missing(labels: np.ndarray) -> np.ndarray:
    if labels.dtype.kind == "f":
        return np.isnan(labels)
    if labels.dtype.kind == "O":
        # None, or NaN (the only value not equal to itself)
        none = np.asarray(None, dtype=object)
        return np.asarray(np.equal(labels, none) | np.not_equal(labels, labels), dtype=bool)
    return np.zeros(labels.shape, dtype=bool)


def _unique(labels: np.ndarray) -> list[Any]:
    return [v.item() if hasattr(v, "item") else v for v in np.unique(labels)]
