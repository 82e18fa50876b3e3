"""Registry of estimators: a point estimate from :mod:`sp2lnob.measures` plus its influence function.

``ESTIMATORS[name]`` pairs the measure that computes the number with the
linearised variable of :mod:`sp2lnob.variance.influence` that gives its
variance. Point estimates are never recomputed here: every ``point`` calls the
public function of :mod:`sp2lnob.measures`.

Estimators that are a ratio of weighted totals, ``theta = sum w a / sum w b``
(mean, total, ratio, FGT and Watts with a fixed line), declare ``linear_terms``
so that bootstrap and replicate variances are computed for all replicates at
once as matrix products instead of calling the measure once per replicate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sp2lnob import measures
from sp2lnob.errors import InputError, did_you_mean
from sp2lnob.variance import influence as inf

REQUIRED = object()  # sentinel: a parameter without default

Params = Mapping[str, Any]
PointFn = Callable[[np.ndarray, np.ndarray, Params], float]
InfluenceFn = Callable[[np.ndarray, np.ndarray, float, Params], np.ndarray]
LinearTermsFn = Callable[[np.ndarray, Params], tuple[np.ndarray, np.ndarray | None]]


@dataclass(frozen=True)
class Estimator:
    """One entry of :data:`ESTIMATORS`.

    ``params``: accepted keyword parameters and their defaults (``REQUIRED`` when
    there is none); ``row_params``: those that may be one value per row (they
    are restricted to the domain with the values); ``woodruff_p``: for quantiles,
    the probability whose linearised SE uses Woodruff's interval (as R survey).
    """

    name: str
    point: PointFn
    influence: InfluenceFn | None
    params: Mapping[str, Any] = field(default_factory=dict)
    row_params: tuple[str, ...] = ()
    linear_terms: LinearTermsFn | None = None
    woodruff_p: Callable[[Params], float] | None = None
    rule_param: str | None = None
    formula: str = ""

    def resolve(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The full parameter set: defaults filled in, unknown or missing names refused."""
        unknown = [k for k in given if k not in self.params]
        if unknown:
            raise InputError(f"unknown parameter(s) {unknown} for measure {self.name!r}",
                             where=f"estimate({self.name!r})", expected=sorted(self.params) or "none",
                             got=unknown, hint=did_you_mean(unknown[0], self.params))
        out = {k: given.get(k, v) for k, v in self.params.items()}
        missing = [k for k, v in out.items() if v is REQUIRED]
        if missing:
            raise InputError(f"measure {self.name!r} needs parameter(s) {missing}",
                             where=f"estimate({self.name!r})", expected=f"{missing[0]}=...",
                             got="not given")
        return out


def _ratio_point(y: np.ndarray, w: np.ndarray, p: Params) -> float:
    return measures.total(y, w) / measures.total(p["denominator"], w)


def _quantile_point(y: np.ndarray, w: np.ndarray, p: Params) -> float:
    return float(measures.quantile(y, w, p["p"], rule=p["rule"]))


def _quantile_if(y: np.ndarray, w: np.ndarray, est: float, p: Params) -> np.ndarray:
    return inf.influence_quantile(y, w, est)


def _fgt_relative_line(y: np.ndarray, w: np.ndarray, p: Params) -> tuple[float, float]:
    med = measures.median(y, w, rule=p["rule"])
    return p["share"] * med, med


def _fgt_relative_point(y: np.ndarray, w: np.ndarray, p: Params) -> float:
    line, _ = _fgt_relative_line(y, w, p)
    return measures.fgt(y, w, line, p["alpha"])


def _fgt_relative_if(y: np.ndarray, w: np.ndarray, est: float, p: Params) -> np.ndarray:
    line, med = _fgt_relative_line(y, w, p)
    return inf.influence_fgt_relative(y, w, est, line, med, p["share"], p["alpha"])


def _arpr_if(y: np.ndarray, w: np.ndarray, est: float, p: Params) -> np.ndarray:
    # measures.arpr: threshold = share x median under the laeken rule
    med = measures.median(y, w, rule="laeken")
    return inf.influence_fgt_relative(y, w, est, p["share"] * med, med, p["share"], 0.0)


def _watts_terms(y: np.ndarray, p: Params) -> tuple[np.ndarray, np.ndarray]:
    line = p["line"]
    poor = y < line
    ratio = np.divide(line, y, out=np.ones_like(y), where=poor)
    return np.where(poor, np.log(np.where(poor, ratio, 1.0)), 0.0), np.ones_like(y)


def _palma_if(y: np.ndarray, w: np.ndarray, est: float, p: Params) -> np.ndarray:
    q40, q90 = np.asarray(measures.quantile(y, w, [0.4, 0.9], rule=p["rule"])).tolist()
    return inf.influence_top_bottom_ratio(y, w, est, q90, q40)


def _s80_s20_if(y: np.ndarray, w: np.ndarray, est: float, p: Params) -> np.ndarray:
    q20, q80 = np.asarray(measures.quantile(y, w, [0.2, 0.8], rule="laeken")).tolist()  # as measures.s80_s20
    return inf.influence_top_bottom_ratio(y, w, est, q80, q20)


ESTIMATORS: dict[str, Estimator] = {
    e.name: e
    for e in (
        Estimator("total", lambda y, w, p: measures.total(y, w),
                  lambda y, w, est, p: inf.influence_total(y, w),
                  linear_terms=lambda y, p: (y, None), formula="sum w y"),
        Estimator("mean", lambda y, w, p: measures.mean(y, w),
                  lambda y, w, est, p: inf.influence_mean(y, w, est),
                  linear_terms=lambda y, p: (y, np.ones_like(y)), formula="sum w y / sum w"),
        Estimator("ratio", _ratio_point,
                  lambda y, w, est, p: inf.influence_ratio(y, p["denominator"], w, est),
                  params={"denominator": REQUIRED}, row_params=("denominator",),
                  linear_terms=lambda y, p: (y, np.asarray(p["denominator"], dtype=float)),
                  formula="sum w y / sum w x"),
        Estimator("quantile", _quantile_point, _quantile_if, params={"p": 0.5, "rule": "math"},
                  woodruff_p=lambda p: p["p"], rule_param="rule", formula="Q(p) under rule"),
        Estimator("median", lambda y, w, p: measures.median(y, w, rule=p["rule"]),
                  lambda y, w, est, p: inf.influence_quantile(y, w, est),
                  params={"rule": "math"}, woodruff_p=lambda p: 0.5, rule_param="rule",
                  formula="Q(0.5) under rule"),
        Estimator("fgt", lambda y, w, p: measures.fgt(y, w, p["line"], p["alpha"]),
                  lambda y, w, est, p: inf.influence_fgt(y, w, est, p["line"], p["alpha"]),
                  params={"line": REQUIRED, "alpha": 0.0}, row_params=("line",),
                  linear_terms=lambda y, p: (inf.fgt_terms(y, p["line"], p["alpha"]), np.ones_like(y)),
                  formula="sum w (1 - y/z)^a 1[y < z] / sum w, fixed line z"),
        Estimator("fgt_relative", _fgt_relative_point, _fgt_relative_if,
                  params={"share": 0.6, "alpha": 0.0, "rule": "laeken"}, rule_param="rule",
                  formula="FGT(a) with line z = share x median (median under rule)"),
        Estimator("arpr", lambda y, w, p: measures.arpr(y, w, p["share"]), _arpr_if,
                  params={"share": 0.6}, formula="share with y < share x median (laeken rule)"),
        Estimator("watts", lambda y, w, p: measures.watts(y, w, p["line"]),
                  lambda y, w, est, p: inf.influence_watts(y, w, est, p["line"]),
                  params={"line": REQUIRED}, row_params=("line",), linear_terms=_watts_terms,
                  formula="sum w ln(z/y) 1[y < z] / sum w"),
        Estimator("sen", lambda y, w, p: measures.sen(y, w, p["line"]), None,
                  params={"line": REQUIRED}, formula="H (I + (1 - I) G_p)"),
        Estimator("rmpg", lambda y, w, p: measures.rmpg(y, w, p["share"]), None,
                  params={"share": 0.6}, formula="(t - median of the poor) / t"),
        Estimator("gini", lambda y, w, p: measures.gini(y, w),
                  lambda y, w, est, p: inf.influence_gini(y, w, est),
                  formula="2 sum w y F_mid / (W T) - 1"),
        Estimator("generalized_entropy",
                  lambda y, w, p: measures.generalized_entropy(y, w, p["alpha"]),
                  lambda y, w, est, p: inf.influence_generalized_entropy(y, w, p["alpha"]),
                  params={"alpha": 1.0}, formula="[sum w (y/mu)^a / W - 1] / (a (a - 1))"),
        Estimator("theil", lambda y, w, p: measures.theil(y, w),
                  lambda y, w, est, p: inf.influence_generalized_entropy(y, w, 1.0),
                  formula="GE(1)"),
        Estimator("mld", lambda y, w, p: measures.mld(y, w),
                  lambda y, w, est, p: inf.influence_generalized_entropy(y, w, 0.0),
                  formula="GE(0)"),
        Estimator("atkinson", lambda y, w, p: measures.atkinson(y, w, p["epsilon"]),
                  lambda y, w, est, p: inf.influence_atkinson(y, w, p["epsilon"]),
                  params={"epsilon": 1.0}, formula="1 - M_eps / mu"),
        Estimator("palma", lambda y, w, p: measures.palma(y, w, rule=p["rule"]), _palma_if,
                  params={"rule": "school"}, rule_param="rule",
                  formula="sum_{y > Q(.9)} w y / sum_{y <= Q(.4)} w y"),
        Estimator("s80_s20", lambda y, w, p: measures.s80_s20(y, w), _s80_s20_if,
                  formula="sum_{y > Q(.8)} w y / sum_{y <= Q(.2)} w y (laeken rule)"),
    )
}


def get_estimator(measure: str) -> Estimator:
    """The registered estimator ``measure`` (structured error with a hint if unknown)."""
    try:
        return ESTIMATORS[measure]
    except (KeyError, TypeError):
        raise InputError(f"unknown measure {measure!r}", where="estimate()",
                         expected=sorted(ESTIMATORS), got=measure,
                         hint=did_you_mean(str(measure), ESTIMATORS)) from None
