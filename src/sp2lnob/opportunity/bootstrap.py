"""Design-based bootstrap standard errors for an LNOB analysis (lnob.md §5).

Replicate weights: Rao–Wu rescaled bootstrap of the survey's PSUs within
strata (``sp2lnob.variance.rao_wu_psu_multipliers``; R survey's
``as.svrepdesign(type = "subbootstrap")``), drawn on the *whole* survey design
and then restricted to the analysis rows (domain estimation: a subpopulation's
PSUs are not re-sampled on their own), or the design's own replicate weights.
The variance is ``sp2lnob.variance.replicate_variance`` (bootstrap: Σ(θ_r − θ̄)²/(R − 1)).

Two modes, both labelled in the output:

* ``fixed`` — the groups (tree leaves, cells, or the logit probabilities) of the
  full sample are held fixed; each replicate recomputes group rates, D, HOI
  (and Shapley shares from the subset groupings of the full sample);
* ``refit`` — the tree (or logit) is re-grown in every replicate, so the SE
  also carries the uncertainty of the tree's shape; group rates are then the
  furthest-behind and furthest-ahead rates of each replicate's tree.

Leaves with fewer than ``small_leaf_rows`` unweighted rows are flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from sp2lnob.errors import DataError, InputError
from sp2lnob.opportunity.analysis import (
    CircumstanceData,
    codes_of,
    fit_tree,
    logit_probabilities,
    shapley_d,
)
from sp2lnob.opportunity.dindex import cell_codes, d_index, group_rates
from sp2lnob.opportunity.results import Estimate, LnobResult, Uncertainty
from sp2lnob.opportunity.shapley import shapley_values
from sp2lnob.survey.design import Design

MODES = ("fixed", "refit")


def replicate_factors(design: Design, rows: np.ndarray, replicates: int, seed: int | None
                      ) -> tuple[np.ndarray, str, str]:
    """(len(rows), R) weight multipliers for the analysis rows, the variance method and a label."""
    from sp2lnob.variance import psu_structure, rao_wu_psu_multipliers

    if design.replicate_weights is not None:
        base = design.weights[rows]
        with np.errstate(invalid="ignore", divide="ignore"):
            f = np.where(base[:, None] > 0, design.replicate_weights[rows, :] / base[:, None], 0.0)
        return f, str(design.replicate_method), f"design replicate weights ({design.replicate_method})"
    s = psu_structure(design)
    mult = rao_wu_psu_multipliers(s, replicates, np.random.default_rng(seed))
    return mult[s.row_psu[rows], :], "bootstrap", "Rao-Wu bootstrap of PSUs within strata"


def _groups_d(y: np.ndarray, w: np.ndarray, groups: np.ndarray) -> float:
    if groups.dtype.kind == "f":          # logit probabilities held fixed
        return d_index(groups, w)
    _, rate, weight, _ = group_rates(y, w, groups)
    keep = weight > 0
    return d_index(rate[keep], weight[keep])


def _subset_groupings(result: LnobResult, circs: Sequence[CircumstanceData], y, w, params) -> dict:
    """Full-sample groupings of every subset of circumstances (for fixed-mode Shapley)."""
    by_name = {c.name: c for c in circs}
    out: dict[frozenset, np.ndarray] = {}
    for s in result.shapley.subset_values:  # type: ignore[union-attr]
        if not s:
            continue
        sub = [by_name[n] for n in result.circumstances if n in s]
        if result.group_method == "leaves":
            out[s] = fit_tree(sub, y, w, params).leaf_of_row_
        elif result.group_method == "cells":
            out[s] = cell_codes([codes_of(c) for c in sub])
        else:
            out[s] = logit_probabilities(sub, y, w)[0]
    return out


def bootstrap_se(
    result: LnobResult,
    y,
    weights,
    circumstances: Sequence[CircumstanceData],
    *,
    design: Design | None = None,
    rows: np.ndarray | None = None,
    replicates: int = 100,
    seed: int | None = 12345,
    modes: Sequence[str] = MODES,
    tree_params: dict | None = None,
    shapley: bool = False,
    small_leaf_rows: int = 50,
) -> LnobResult:
    """``result`` with bootstrap standard errors (``result.uncertainty``) added.

    ``design`` is the survey's design and ``rows`` the survey row of each analysis row
    (default: a design of the analysis rows themselves, each row its own PSU).
    """
    y = np.asarray(y, dtype=float)
    w = np.asarray(weights, dtype=float)
    bad = [m for m in modes if m not in MODES]
    if bad or not modes:
        raise InputError("unknown bootstrap mode", expected=list(MODES), got=bad or list(modes))
    if shapley and result.shapley is None:
        raise InputError("Shapley standard errors need a result computed with shapley=...",
                         hint="run analyse(..., shapley='eliminate') first")
    if design is None:
        design = Design(weights=w)
        rows = np.arange(y.shape[0])
    elif rows is None:
        if design.n != y.shape[0]:
            raise DataError("give the survey row of each analysis row (rows=)", expected=design.n, got=y.shape[0])
        rows = np.arange(y.shape[0])
    factors, method, source = replicate_factors(design, np.asarray(rows), replicates, seed)
    n_rep = factors.shape[1]
    circs = [c for c in circumstances if c.name in result.circumstances]
    params = dict(tree_params or {})
    gm = result.group_method
    names = list(result.circumstances)

    full = {"mean_rate": result.mean_rate, "d_index": result.d_index, "hoi": result.hoi}
    reps: dict[tuple[str, str], list[float]] = {}

    def put(mode: str, name: str, value: float) -> None:
        reps.setdefault((mode, name), []).append(value)

    if "fixed" in modes:
        if gm == "leaves":
            groups = result.tree.leaf_of_row_
        elif gm == "cells":
            groups = cell_codes([codes_of(c) for c in circs])
        else:
            groups = logit_probabilities(circs, y, w)[0]
        leaf_ids = [n.node_id for n in result.tree.leaves_]
        subsets = _subset_groupings(result, circs, y, w, params) if shapley else {}
        for r in range(n_rep):
            wr = w * factors[:, r]
            pbar = float(wr @ y / wr.sum())
            d = _groups_d(y, wr, groups)
            put("fixed", "mean_rate", pbar)
            put("fixed", "d_index", d)
            put("fixed", "hoi", pbar * (1 - d))
            ids, rate, _, _ = group_rates(y, wr, result.tree.leaf_of_row_)
            by_leaf = dict(zip(ids.tolist(), rate.tolist(), strict=True))
            for leaf_id in leaf_ids:
                put("fixed", f"rate[leaf {leaf_id}]", by_leaf.get(leaf_id, float("nan")))
            if subsets:
                def value(s: frozenset, wr: np.ndarray = wr) -> float:
                    return _groups_d(y, wr, subsets[s])

                sh = shapley_values(names, value, variant=result.shapley.variant,  # type: ignore[union-attr]
                                    group_method=gm)
                for k, v in zip(sh.names, sh.shares, strict=True):
                    put("fixed", f"shapley_share[{k}]", v)
    if "refit" in modes:
        for r in range(n_rep):
            wr = w * factors[:, r]
            pbar = float(wr @ y / wr.sum())
            tree = fit_tree(circs, y, wr, params)
            if gm == "leaves":
                d = _groups_d(y, wr, tree.leaf_of_row_)
            elif gm == "cells":
                d = _groups_d(y, wr, cell_codes([codes_of(c) for c in circs]))
            else:
                d = d_index(logit_probabilities(circs, y, wr)[0], wr)
            put("refit", "mean_rate", pbar)
            put("refit", "d_index", d)
            put("refit", "hoi", pbar * (1 - d))
            leaf_rates = [n.rate for n in tree.leaves_]
            put("refit", "furthest_behind_rate", min(leaf_rates))
            put("refit", "furthest_ahead_rate", max(leaf_rates))
            if shapley:
                sh = shapley_d(circs, y, wr, group_method=gm, variant=result.shapley.variant,  # type: ignore[union-attr]
                               tree_params=params)
                for k, v in zip(sh.names, sh.shares, strict=True):
                    put("refit", f"shapley_share[{k}]", v)

    full["furthest_behind_rate"] = result.furthest_behind.rate
    full["furthest_ahead_rate"] = result.furthest_ahead.rate
    for leaf in result.tree.leaves_:
        full[f"rate[leaf {leaf.node_id}]"] = leaf.rate
    if result.shapley is not None:
        for k, v in zip(result.shapley.names, result.shapley.shares, strict=True):
            full[f"shapley_share[{k}]"] = v
    estimates = []
    for (mode, name), values in reps.items():
        estimates.append(Estimate(name=name, value=full[name], se=_se(values, method, design, full[name]), mode=mode))
    small = tuple(leaf.node_id for leaf in result.tree.leaves_ if leaf.n < small_leaf_rows)
    unc = Uncertainty(replicates=n_rep, seed=seed if design.replicate_weights is None else None, source=source,
                      estimates=tuple(estimates), small_leaves=small, small_leaf_threshold=small_leaf_rows)
    return replace(result, uncertainty=unc)


def _se(values: list[float], method: str, design: Design, full: float) -> float:
    from sp2lnob.variance import replicate_variance

    reps = np.asarray(values, dtype=float)
    reps = reps[np.isfinite(reps)]
    if reps.size < 2:
        return float("nan")
    scale = design.replicate_scale
    if method == "fay" and scale is None:
        from sp2lnob.variance import default_scale

        scale = default_scale("fay", reps.size, design.fay_rho)
    return float(np.sqrt(replicate_variance(full, reps, method, scale=scale)))
