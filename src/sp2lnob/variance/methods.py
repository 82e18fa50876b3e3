"""Variance methods chosen by name (``VARIANCE_METHODS``, as linearmodels' ``COVARIANCE_ESTIMATORS``).

Each method is prepared once per call of :func:`sp2lnob.variance.estimate`
(PSU bookkeeping, bootstrap multipliers drawn once so that every group of a
``by`` table uses the same replicates) and then applied to each domain.

``linearization``
    Taylor linearisation: the influence function of the estimator, set to 0
    outside the domain, through :func:`linearization_variance` (strata, PSUs,
    fpc). Quantiles use Woodruff's (1952) interval as R survey
    ``svyquantile(interval.type="mean")``: a CI for ``F(q)`` from the SE of the
    mean of ``1[y <= q]``, mapped back through the quantile function, with
    ``t(df = PSUs - strata)``; ``se = (upper - lower) / (2 t)``.
``bootstrap``
    Rao–Wu rescaled bootstrap over PSUs within strata (``m_h = n_h - 1``),
    ``replicates`` draws from ``numpy.random.default_rng(seed)``.
``replicate``
    The design's own replicate weights and method (BRR, Fay, jackknife, bootstrap, SDR).

Intervals other than Woodruff's are normal: ``estimate +/- z_(1+level)/2 se``
(R ``confint`` default).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sp2lnob import measures
from sp2lnob.errors import DataError, InputError, did_you_mean
from sp2lnob.survey.design import Design
from sp2lnob.variance._distributions import normal_quantile, t_quantile
from sp2lnob.variance.design_variance import (
    PsuStructure,
    check_lonely_psu_option,
    linearization_variance,
    lonely_strata,
    psu_structure,
)
from sp2lnob.variance.estimators import Estimator, Params
from sp2lnob.variance.replicates import (
    check_replicate_method,
    jkn_rscales,
    rao_wu_psu_multipliers,
    replicate_variance,
)


@dataclass(frozen=True)
class Domain:
    """Rows of one domain and the values, weights and parameters restricted to them."""

    mask: np.ndarray
    y: np.ndarray
    w: np.ndarray
    params: Params
    label: str | None


@dataclass(frozen=True)
class Interval:
    se: float
    ci_low: float
    ci_high: float
    df: int | None = None


def normal_interval(theta: float, se: float, level: float) -> Interval:
    z = normal_quantile(0.5 + level / 2.0)
    return Interval(se, theta - z * se, theta + z * se)


class Linearization:
    name = "linearization"

    def __init__(self, design: Design, *, lonely_psu: str | None = None, **_: object) -> None:
        self.design = design
        self.structure: PsuStructure = psu_structure(design)
        self.lonely_psu = lonely_psu
        self.replicates: int | None = None
        self.seed: int | None = None

    def _variance(self, dom: Domain, z_domain: np.ndarray) -> float:
        z = np.zeros(self.design.n)
        z[dom.mask] = z_domain
        return linearization_variance(z, self.design, lonely_psu=self.lonely_psu,
                                      structure=self.structure)

    def interval(self, est: Estimator, dom: Domain, theta: float, level: float) -> Interval:
        if est.woodruff_p is not None:
            return self._woodruff(est, dom, theta, level)
        if est.influence is None:
            raise InputError(f"no linearised variance for {est.name!r}", where="estimate()",
                             expected="method='bootstrap' or 'replicate' for this measure",
                             got="method='linearization'",
                             hint=f"{est.name} has no influence function here; use method='bootstrap'")
        z = est.influence(dom.y, dom.w, theta, dom.params)
        return normal_interval(theta, float(np.sqrt(max(self._variance(dom, z), 0.0))), level)

    def _woodruff(self, est: Estimator, dom: Domain, theta: float, level: float) -> Interval:
        below = (dom.y <= theta).astype(float)
        big_w = dom.w.sum()
        f_hat = float(np.dot(dom.w, below) / big_w)
        se_f = float(np.sqrt(max(self._variance(dom, (below - f_hat) / big_w), 0.0)))
        df = self.structure.degrees_of_freedom
        t = t_quantile(0.5 + level / 2.0, df)
        p_low, p_high = f_hat - t * se_f, f_hat + t * se_f

        def quantile_at(p: float) -> float:
            if not 0.0 <= p <= 1.0:  # R survey returns NaN outside [0, 1]
                return float("nan")
            return float(measures.quantile(dom.y, dom.w, p, rule=dom.params["rule"]))

        low, high = quantile_at(p_low), quantile_at(p_high)
        return Interval((high - low) / (2.0 * t), low, high, df)


class RaoWuBootstrap:
    name = "bootstrap"

    def __init__(self, design: Design, *, replicates: int = 200, seed: int | None = None,
                 lonely_psu: str | None = None, **_: object) -> None:
        self.design = design
        self.structure = psu_structure(design)
        # A stratum with one PSU cannot be resampled: its PSU keeps multiplier 1 and adds
        # no variance, which is R's "certainty"/"remove". Say so instead of a silent 0.
        check_lonely_psu_option(lonely_psu, where="estimate(lonely_psu=...)")
        if lonely_psu in ("adjust", "average"):
            raise InputError(f"the bootstrap cannot apply lonely_psu={lonely_psu!r}", where="estimate(method='bootstrap')",
                             expected="lonely_psu='certainty' or 'remove' (the stratum adds no variance)",
                             got=lonely_psu, hint="use method='linearization' for 'adjust' or 'average'")
        lonely_strata(self.structure, lonely_psu)
        self.lonely_psu = lonely_psu
        if seed is None:  # still reproducible: draw a seed and record it
            seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(1))
        self.seed = int(seed)
        self.replicates = int(replicates) if isinstance(replicates, int | np.integer) else replicates
        self.multipliers = rao_wu_psu_multipliers(self.structure, replicates,
                                                  np.random.default_rng(self.seed))

    def replicate_estimates(self, est: Estimator, dom: Domain) -> np.ndarray:
        row_psu = self.structure.row_psu[dom.mask]
        if est.linear_terms is not None:
            a, b = est.linear_terms(dom.y, dom.params)
            num = self.multipliers.T @ np.bincount(row_psu, weights=dom.w * a,
                                                   minlength=self.structure.n_psu)
            if b is None:
                return num
            den = self.multipliers.T @ np.bincount(row_psu, weights=dom.w * b,
                                                   minlength=self.structure.n_psu)
            return num / den
        return _loop_replicates(est, dom, lambda r: dom.w * self.multipliers[row_psu, r],
                                self.multipliers.shape[1])

    def interval(self, est: Estimator, dom: Domain, theta: float, level: float) -> Interval:
        reps = self.replicate_estimates(est, dom)
        se = float(np.sqrt(replicate_variance(theta, reps, "bootstrap")))
        return normal_interval(theta, se, level)


class ReplicateWeights:
    name = "replicate"

    def __init__(self, design: Design, *, mse: bool = False, **_: object) -> None:
        if design.replicate_weights is None:
            raise DataError("the design has no replicate weights", where="method='replicate'",
                            expected="Design(replicate_weights=..., replicate_method=...)",
                            got="replicate_weights=None",
                            hint="use method='bootstrap' to draw Rao-Wu bootstrap replicates")
        self.design = design
        self.weights: np.ndarray = design.replicate_weights
        self.kind = check_replicate_method(str(design.replicate_method))
        self.replicates = int(design.replicate_weights.shape[1])
        self.seed = None
        self.mse = mse or design.replicate_mse
        self.rscales: np.ndarray | None
        if design.replicate_rscales is not None:  # given with the replicate weights (survey files do)
            self.rscales = design.replicate_rscales
        elif self.kind == "jkn" and design.replicate_scale is None:
            self.rscales = jkn_rscales(design)  # inferred from the zeroed PSUs
        else:
            self.rscales = None

    def replicate_estimates(self, est: Estimator, dom: Domain) -> np.ndarray:
        rw = self.weights[dom.mask]
        if est.linear_terms is not None:
            a, b = est.linear_terms(dom.y, dom.params)
            num = rw.T @ a
            return num if b is None else num / (rw.T @ b)
        return _loop_replicates(est, dom, lambda r: rw[:, r], rw.shape[1])

    def interval(self, est: Estimator, dom: Domain, theta: float, level: float) -> Interval:
        reps = self.replicate_estimates(est, dom)
        d = self.design
        var = replicate_variance(theta, reps, self.kind, scale=d.replicate_scale,
                                 rscales=self.rscales, fay_rho=d.fay_rho, mse=self.mse)
        return normal_interval(theta, float(np.sqrt(var)), level)


def _loop_replicates(est: Estimator, dom: Domain, weights_of, replicates: int) -> np.ndarray:
    """Call the measure once per replicate (a loop over replicates, not rows).

    Values are sorted once so the measure's own sort works on ordered data.
    """
    order = np.argsort(dom.y, kind="stable") if not est.row_params else np.arange(dom.y.size)
    ys = dom.y[order]
    out = np.empty(replicates)
    for r in range(replicates):
        out[r] = est.point(ys, weights_of(r)[order], dom.params)
    return out


VARIANCE_METHODS: dict[str, type] = {
    "linearization": Linearization,
    "bootstrap": RaoWuBootstrap,
    "replicate": ReplicateWeights,
}


def get_method(name: str) -> type:
    try:
        return VARIANCE_METHODS[name]
    except (KeyError, TypeError):
        raise InputError(f"unknown variance method {name!r}", where="estimate(method=...)",
                         expected=sorted(VARIANCE_METHODS), got=name,
                         hint=did_you_mean(str(name), VARIANCE_METHODS)) from None
