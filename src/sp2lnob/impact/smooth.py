"""Smooth mode (an extension, labelled so everywhere): a weighted spline logit of access.

Faithful mode can only move people across the tree's consumption split, so a
transfer either changes nothing or moves a whole block. The smooth model gives
every person a predicted change in access:

    logit P(y_i = 1) = α + z_i'γ + s(x_i),     x_i = log max(c_i, c_min),

with z_i the other circumstances of the indicator (unordered: dummies;
ordered/continuous: linear, as ``opportunity``'s logit method), c_i consumption
(welfare) per capita, c_min the lowest positive pre-transfer value, and s a
restricted (natural) cubic spline in x — linear beyond the outer knots — with
Harrell's basis (Harrell 2015, *Regression Modeling Strategies*, 2nd ed.,
§2.4.5, eq. 2.25, and Table 2.3 for knot quantiles 0.05, 0.35, 0.65, 0.95 when
k = 4; knots are weighted quantiles of x):

    s(x) = β_1 x + Σ_{j=1}^{k−2} β_{j+1} f_j(x),
    f_j(x) = [(x−t_j)_+³ − (x−t_{k−1})_+³ (t_k−t_j)/(t_k−t_{k−1})
              + (x−t_k)_+³ (t_{k−1}−t_j)/(t_k−t_{k−1})] / (t_k − t_1)².

It is fitted by weighted IRLS (``opportunity.dindex.weighted_logit``; the
point estimates of R's ``glm(family = quasibinomial, weights = w)``).
Calibration on the survey: a group's access after = its observed rate +
the weighted mean of the predicted changes Δ_i = p̂_i(post) − p̂_i(pre).
Elasticity of a group's access to consumption (everyone's consumption up 1 %):

    E_g = Σ_{i∈g} w_i p̂_i (1 − p̂_i) s'(x_i) / Σ_{i∈g} w_i p̂_i.

Standard errors: Rao–Wu bootstrap of PSUs within strata (or the design's
replicate weights), refitting the model on every replicate; the seed is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sp2lnob.errors import DataError, InputError, Warning_
from sp2lnob.impact.prepare import FittedIndicator, ImpactBase
from sp2lnob.impact.results import IndicatorImpact, group_table
from sp2lnob.measures import quantile
from sp2lnob.opportunity.analysis import codes_of
from sp2lnob.opportunity.dindex import d_index, design_matrix, logistic, weighted_logit
from sp2lnob.parameters import load

# Harrell's default knot quantiles by number of knots (parameters/impact_smooth.yaml).
KNOT_QUANTILES: dict[int, tuple[float, ...]] = {
    int(k): tuple(float(q) for q in v) for k, v in load("impact_smooth.yaml")["knot_quantiles"].items()
}


def rcs_basis(x: np.ndarray, knots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Restricted cubic spline basis (x, f_1..f_{k−2}) and its derivative in x (module docstring)."""
    x = np.asarray(x, dtype=float)
    t = np.asarray(knots, dtype=float)
    k = t.shape[0]
    cols, ders = [x], [np.ones_like(x)]
    if k >= 3:
        norm = (t[-1] - t[0]) ** 2
        a = (t[-1] - t[:k - 2]) / (t[-1] - t[-2])
        b = (t[-2] - t[:k - 2]) / (t[-1] - t[-2])
        up_km1 = np.maximum(x - t[-2], 0.0)
        up_k = np.maximum(x - t[-1], 0.0)
        for j in range(k - 2):
            up_j = np.maximum(x - t[j], 0.0)
            cols.append((up_j ** 3 - up_km1 ** 3 * a[j] + up_k ** 3 * b[j]) / norm)
            ders.append(3 * (up_j ** 2 - up_km1 ** 2 * a[j] + up_k ** 2 * b[j]) / norm)
    return np.column_stack(cols), np.column_stack(ders)


@dataclass(frozen=True, eq=False)
class SmoothFit:
    """A fitted spline logit for one indicator: knots (in log consumption), coefficients and the
    pre-transfer design (other circumstances + spline)."""

    knots: np.ndarray
    floor: float
    beta: np.ndarray
    other: np.ndarray           # intercept + other circumstances (rows × q)
    x_pre: np.ndarray           # log consumption before
    converged: bool

    def spline(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return rcs_basis(x, self.knots)

    def eta(self, x: np.ndarray, beta: np.ndarray | None = None) -> np.ndarray:
        b = self.beta if beta is None else beta
        q = self.other.shape[1]
        return self.other @ b[:q] + self.spline(x)[0] @ b[q:]

    def slope(self, x: np.ndarray, beta: np.ndarray | None = None) -> np.ndarray:
        """s'(x) = d logit / d log consumption."""
        b = self.beta if beta is None else beta
        return self.spline(x)[1] @ b[self.other.shape[1]:]

    def log_consumption(self, c: np.ndarray) -> np.ndarray:
        return np.log(np.maximum(np.asarray(c, dtype=float), self.floor))

    def is_monotone(self, x_low: float, x_high: float) -> bool:
        """s' ≥ 0 on [x_low, x_high], exactly: s' is a quadratic between knots, so its minimum on
        each piece is at an end or at the vertex of the parabola through three of its points."""
        breaks = np.unique(np.concatenate([[x_low, x_high], self.knots[(self.knots > x_low) & (self.knots < x_high)]]))
        if breaks.shape[0] < 2:
            return bool(self.slope(breaks)[0] >= -1e-12)
        a, b = breaks[:-1], breaks[1:]
        m = (a + b) / 2
        fa, fm, fb = self.slope(a), self.slope(m), self.slope(b)
        h = (b - a) / 2
        curv = (fa - 2 * fm + fb) / (2 * h ** 2)          # q(t) = fm + lin (t − m) + curv (t − m)²
        lin = (fb - fa) / (2 * h)
        with np.errstate(invalid="ignore", divide="ignore"):
            vertex = np.where(curv > 0, m - lin / (2 * curv), m)
        inside = (vertex > a) & (vertex < b)
        candidates = np.concatenate([fa, fb, self.slope(vertex[inside])])
        return bool(np.all(candidates >= -1e-12))

def fit_smooth(fi: FittedIndicator, welfare: np.ndarray, *, knots: int = 4, weights: np.ndarray | None = None,
               template: SmoothFit | None = None) -> SmoothFit:
    """Fit the spline logit for ``fi`` on pre-transfer ``welfare`` (one value per survey row).

    ``template``: reuse its knots and floor (bootstrap replicates keep the same basis).
    """
    if knots not in KNOT_QUANTILES:
        raise InputError("knots must be 3, 4 or 5", where="knots", got=knots)
    money = {m.name for m in fi.money}
    others = [c for c in fi.circumstances if c.name not in money]
    w = fi.weights if weights is None else weights
    c = np.asarray(welfare, dtype=float)[fi.survey_rows]
    if template is None:
        positive = c[c > 0]
        if positive.size == 0:
            raise DataError("no positive consumption to take logs of", where=f"indicator {fi.name}")
        floor = float(positive.min())
        x = np.log(np.maximum(c, floor))
        t = np.unique(np.asarray(quantile(x, fi.weights, np.array(KNOT_QUANTILES[knots]), rule="math")))
        if t.shape[0] < 3:
            t = t[:0]   # too few distinct values for a spline: linear in log consumption
    else:
        floor, t = template.floor, template.knots
        x = np.log(np.maximum(c, floor))
    if others:
        other = design_matrix([codes_of(o) for o in others],
                              [None if o.kind == "unordered" else np.asarray(o.values, dtype=float) for o in others])
    else:
        other = np.ones((x.shape[0], 1))
    X = np.column_stack([other, rcs_basis(x, t)[0]])
    beta, converged, _ = weighted_logit(X, fi.y, w)
    return SmoothFit(knots=t, floor=floor, beta=beta, other=other, x_pre=x, converged=bool(converged))


def _per_row(fit: SmoothFit, x_post: np.ndarray, beta: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p_pre = logistic(fit.eta(fit.x_pre, beta))
    p_post = logistic(fit.eta(x_post, beta))
    elastic_num = p_pre * (1 - p_pre) * fit.slope(fit.x_pre, beta)
    return p_pre, p_post, elastic_num


def smooth_fit_cached(base: ImpactBase, fi: FittedIndicator, knots: int = 4) -> SmoothFit:
    """The indicator's spline logit, fitted once per prepared base (the app moves sliders)."""
    key = f"smooth:{fi.name}:{knots}"
    if key not in base.cache:
        base.cache[key] = fit_smooth(fi, base.simulation.welfare, knots=knots)
    return base.cache[key]


def smooth_impact(base: ImpactBase, fi: FittedIndicator, welfare_post: np.ndarray, *, knots: int = 4,
                  replicates: int = 0, seed: int | None = 12345) -> IndicatorImpact:
    """Predicted change in access per person, aggregated by the pre-identified groups (module docstring);
    the model is fitted once per prepared base."""
    return smooth_indicator_impact(fi, smooth_fit_cached(base, fi, knots), base.simulation.welfare, welfare_post,
                                   design=base.simulation.design, knots=knots, replicates=replicates, seed=seed)


def smooth_indicator_impact(fi: FittedIndicator, fit: SmoothFit, welfare_pre: np.ndarray, welfare_post: np.ndarray,
                            *, design: Any = None, knots: int = 4, replicates: int = 0,
                            seed: int | None = 12345) -> IndicatorImpact:
    """:func:`smooth_impact` on arrays: ``fit`` from :func:`fit_smooth` on ``welfare_pre``; welfare
    arrays have one value per survey row; ``design`` is needed for ``replicates`` > 0."""
    from sp2lnob.impact.faithful import plain_note

    x_post = fit.log_consumption(np.asarray(welfare_post)[fi.survey_rows])
    p_pre, p_post, e_num = _per_row(fit, x_post)
    delta = p_post - p_pre
    table = group_table(fi, {"access_pre": fi.y, "model_pre": p_pre, "delta": delta, "e_num": e_num})
    table = table.with_columns(
        (table["access_pre"] + table["delta"]).clip(0.0, 1.0).alias("access_post"),
        (table["e_num"] / table["model_pre"]).alias("elasticity")).drop("e_num")
    table = table.with_columns((table["access_post"] - table["access_pre"]).alias("change")).drop("delta")
    w = fi.weights
    wsum = w.sum()
    observed = float(w @ fi.y / wsum)
    nat_post = float(np.clip(observed + w @ delta / wsum, 0.0, 1.0))
    lo, hi = float(min(fit.x_pre.min(), x_post.min())), float(max(fit.x_pre.max(), x_post.max()))
    monotone = fit.is_monotone(lo, hi)
    details = {"knots_log_consumption": fit.knots.tolist(), "consumption_floor": fit.floor,
               "converged": fit.converged, "monotone_in_consumption": monotone,
               "model": "weighted logit, restricted cubic spline in log consumption + other circumstances"}
    national_se = None
    if replicates:
        ses, national_se, boot = _bootstrap(fi, fit, welfare_pre, design, x_post, replicates, seed, knots)
        table = table.with_columns(**ses)
        details["bootstrap"] = boot
    note, deciding = plain_note(fi)
    note = ("Extension (smooth model): every person's access responds to consumption through the fitted "
            f"spline ({'monotone' if monotone else 'NOT monotone'} over the observed range). Tree: " + note)
    falls = float(w @ (delta < -1e-12) / wsum)
    return IndicatorImpact(
        indicator=fi.name, label=fi.label, unit=fi.unit, mode="smooth", groups=table, national_pre=observed,
        national_post=nat_post, d_pre=d_index(p_pre, w), d_post=d_index(p_post, w),
        d_method="logit-spline (person probabilities)", splits_on_consumption=fi.splits_on_money,
        deciding=deciding, note=note, share_falling=falls, national_se=national_se, details=details,
        warnings=fi.warnings + (() if fit.converged else (
            Warning_("the smooth model did not converge (separation?)", where=f"indicator {fi.name}"),)),
    )


def _bootstrap(fi: FittedIndicator, fit: SmoothFit, welfare_pre: np.ndarray, design: Any, x_post: np.ndarray,
               replicates: int, seed: int | None, knots: int) -> tuple[dict[str, np.ndarray], float, dict]:
    """SEs of each group's change and elasticity and of the national change (refit per replicate)."""
    from sp2lnob.opportunity.bootstrap import replicate_factors
    from sp2lnob.variance.replicates import default_scale

    if design is None:
        raise InputError("bootstrap standard errors need the survey design", where="replicates")
    factors, method, source = replicate_factors(design, fi.survey_rows, replicates, seed)
    k = len(fi.groups)
    changes = np.empty((factors.shape[1], k))
    elastic = np.empty((factors.shape[1], k))
    national = np.empty(factors.shape[1])
    pos = np.full(fi.rate_of_node.shape[0], -1, dtype=np.int64)
    pos[np.asarray(fi.groups)] = np.arange(k)
    g = pos[fi.leaf_pre]
    for r in range(factors.shape[1]):
        wr = fi.weights * factors[:, r]
        rep = fit_smooth(fi, welfare_pre, knots=knots, weights=wr, template=fit)
        p_pre, p_post, e_num = _per_row(rep, x_post)
        wg = np.bincount(g, weights=wr, minlength=k)
        with np.errstate(invalid="ignore", divide="ignore"):
            changes[r] = np.bincount(g, weights=wr * (p_post - p_pre), minlength=k) / wg
            elastic[r] = np.bincount(g, weights=wr * e_num, minlength=k) / np.bincount(g, weights=wr * p_pre,
                                                                                       minlength=k)
        national[r] = float(wr @ (p_post - p_pre) / wr.sum())
    scale = default_scale(method, factors.shape[1])

    def se(a: np.ndarray) -> np.ndarray:
        return np.sqrt(scale * np.nansum((a - np.nanmean(a, axis=0)) ** 2, axis=0))

    boot = {"replicates": int(factors.shape[1]), "seed": seed, "source": source}
    return {"se_change": se(changes), "se_elasticity": se(elastic)}, float(se(national[:, None])[0]), boot
