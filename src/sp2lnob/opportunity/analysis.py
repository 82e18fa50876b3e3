"""One LNOB analysis on arrays: tree, groups, D-index/HOI, furthest behind and ahead, Shapley.

Input is an outcome y ∈ {0, 1} (1 = has the opportunity), weights, and
circumstances (:class:`CircumstanceData`). The tree is always grown (it
defines the furthest-behind and furthest-ahead groups, lnob.md §2); the
D-index and HOI use the requested ``group_method`` (lnob.md §3), and the other
methods can be added with ``also``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, InputError, Warning_
from sp2lnob.opportunity.describe import FeatureText, node_rules, split_texts
from sp2lnob.opportunity.dindex import (
    GROUP_METHODS,
    cell_codes,
    d_index,
    d_index_of_groups,
    design_matrix,
    group_rates,
    logistic,
    recalibrate_intercept,
    weighted_logit,
)
from sp2lnob.opportunity.results import Group, Inequality, LnobResult
from sp2lnob.opportunity.shapley import ShapleyResult, shapley_values
from sp2lnob.opportunity.tree import OpportunityTree

CircumstanceKind = Literal["ordered", "unordered", "continuous"]


@dataclass(frozen=True, eq=False)
class CircumstanceData:
    """One circumstance's values for the analysed rows, with its type and labels."""

    name: str
    values: np.ndarray
    kind: CircumstanceKind = "unordered"
    label: str = ""
    value_labels: Mapping[Any, str] = field(default_factory=dict)
    phrase: str | None = None     # how rules are written: "value", "label: value" or None (auto)

    def text(self) -> FeatureText:
        return FeatureText(label=self.label or self.name, value_labels=dict(self.value_labels),
                           ordered=self.kind != "unordered", phrase=self.phrase)


def check_outcome(y: np.ndarray, w: np.ndarray, where: str) -> None:
    """The outcome must be 0/1 and the population non-empty with positive weight."""
    if y.shape[0] == 0:
        raise DataError("the reference population is empty", where=where,
                        hint="check the population filter and that the outcome is observed")
    bad = ~np.isin(y, (0.0, 1.0))
    if bad.any():
        vals = np.unique(y[bad])[:5].tolist()
        raise DataError("the outcome is not binary (0/1)", where=where, expected="0 or 1",
                        got=f"{int(bad.sum())} rows with other values, e.g. {vals}",
                        hint="write the outcome as a condition, e.g. `electricity == 1`")
    if not w.sum() > 0:
        raise DataError("all weights are zero in the reference population", where=where)


def usable_circumstances(circs: Sequence[CircumstanceData], w: np.ndarray,
                         where: str) -> tuple[list[CircumstanceData], list[Warning_]]:
    """Drop (and report) circumstances with a single level among rows with positive weight."""
    keep, notes = [], []
    pos = w > 0
    for c in circs:
        if np.unique(c.values[pos]).shape[0] < 2:
            notes.append(Warning_(f"circumstance {c.name!r} has one level in this population; not used",
                                  where=where, hint="it cannot split anyone"))
        else:
            keep.append(c)
    if not keep:
        raise DataError("no circumstance has two or more levels in this population", where=where,
                        got=[c.name for c in circs])
    return keep, notes


def _frame(circs: Sequence[CircumstanceData]) -> pl.DataFrame:
    return pl.DataFrame({c.name: c.values for c in circs})


def fit_tree(circs: Sequence[CircumstanceData], y, w, params: Mapping[str, Any]) -> OpportunityTree:
    """The LNOB tree on these circumstances (unordered ones declared categorical)."""
    unordered = [c.name for c in circs if c.kind == "unordered"]
    return OpportunityTree(**params, categorical_features=unordered).fit(_frame(circs), y, w)


def codes_of(c: CircumstanceData) -> np.ndarray:
    """Integer codes 0..L−1 of a circumstance's values (sorted order)."""
    return np.unique(c.values, return_inverse=True)[1].reshape(-1)


def _logit_design(circs: Sequence[CircumstanceData]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Design matrix and, per circumstance, the columns it owns (for the ``fix`` variant)."""
    codes = [codes_of(c) for c in circs]
    numeric = [None if c.kind == "unordered" else np.asarray(c.values, dtype=float) for c in circs]
    X = design_matrix(codes, numeric)
    owned, start = [], 1
    for c, x in zip(codes, numeric, strict=True):
        width = 1 if x is not None else np.unique(c).shape[0] - 1
        owned.append(np.arange(start, start + width))
        start += width
    return X, owned


def logit_probabilities(circs: Sequence[CircumstanceData], y, w) -> tuple[np.ndarray, bool]:
    X, _ = _logit_design(circs)
    beta, converged, _ = weighted_logit(X, y, w)
    return logistic(X @ beta), converged


def inequality(method: str, circs: Sequence[CircumstanceData], y, w,
               tree: OpportunityTree | None = None) -> Inequality:
    """D-index and HOI with groups defined by ``method``."""
    if method == "leaves":
        if tree is None:
            raise InputError("the leaves method needs a fitted tree")
        groups = tree.leaf_of_row_
        d = d_index_of_groups(y, w, groups)
        n_groups, note = len(tree.leaves_), ""
    elif method == "cells":
        groups = cell_codes([codes_of(c) for c in circs])
        d = d_index_of_groups(y, w, groups)
        n_groups, note = int(groups.max()) + 1, ""
    elif method == "logit":
        p_hat, converged = logit_probabilities(circs, y, w)
        d = d_index(p_hat, w)
        n_groups, note = None, "" if converged else "logit did not converge (separation?)"
    else:
        raise InputError(f"unknown group method {method!r}", expected=list(GROUP_METHODS), got=method)
    pbar = float(w @ y / w.sum())
    return Inequality(method=method, d_index=d, hoi=pbar * (1 - d), mean_rate=pbar, n_groups=n_groups, note=note)


def node_table(tree: OpportunityTree, circs: Sequence[CircumstanceData]) -> pl.DataFrame:
    """id, parent, depth, split in words, path of conditions, n, weighted n, share, rate, leaf flag."""
    texts = {c.name: c.text() for c in circs}
    rules = node_rules(tree, texts)
    splits = split_texts(tree, texts)
    nodes = tree.nodes_
    return pl.DataFrame({
        "node": [n.node_id for n in nodes],
        "parent": [n.parent for n in nodes],
        "depth": [n.depth for n in nodes],
        "split": [splits.get(n.node_id) for n in nodes],
        "path": [rules[n.node_id] for n in nodes],
        "n": [n.n for n in nodes],
        "weighted_n": [n.weight for n in nodes],
        "share": [n.share for n in nodes],
        "rate": [n.rate for n in nodes],
        "is_leaf": [n.is_leaf for n in nodes],
    }, schema_overrides={"parent": pl.Int64, "split": pl.String})


def extreme_leaves(nodes: pl.DataFrame) -> tuple[Group, Group]:
    """Lowest- and highest-rate leaves; ties go to the larger population share (lnob.md §2)."""
    leaves = nodes.filter(pl.col("is_leaf"))
    behind = leaves.sort(["rate", "share"], descending=[False, True]).row(0, named=True)
    ahead = leaves.sort(["rate", "share"], descending=[True, True]).row(0, named=True)

    def group(r: dict) -> Group:
        return Group(node_id=r["node"], rule=r["path"], rate=r["rate"], share=r["share"], n=r["n"],
                     weight=r["weighted_n"])

    return group(behind), group(ahead)


def shapley_d(circs: Sequence[CircumstanceData], y, w, *, group_method: str, variant: str,
              tree_params: Mapping[str, Any]) -> ShapleyResult:
    """Exact Shapley decomposition of D over circumstances (lnob.md §4)."""
    by_name = {c.name: c for c in circs}
    names = [c.name for c in circs]
    if variant == "fix":
        if group_method != "logit":
            raise InputError("the 'fix' Shapley variant is defined for the logit method only",
                             where="shapley", hint="use variant 'eliminate' for leaves or cells")
        X, owned = _logit_design(circs)
        beta, _, _ = weighted_logit(X, y, w)
        pbar = float(w @ y / w.sum())
        means = (w @ X) / w.sum()

        def value(s: frozenset) -> float:
            Xs = X.copy()
            for k, name in enumerate(names):
                if name not in s:
                    Xs[:, owned[k]] = means[owned[k]]
            return d_index(logistic(recalibrate_intercept(Xs @ beta, w, pbar)), w)
    elif variant == "eliminate":
        def value(s: frozenset) -> float:
            sub = [by_name[n] for n in names if n in s]
            if group_method == "leaves":
                return d_index_of_groups(y, w, fit_tree(sub, y, w, tree_params).leaf_of_row_)
            return inequality(group_method, sub, y, w).d_index
    else:
        raise InputError(f"unknown Shapley variant {variant!r}", expected=["eliminate", "fix"], got=variant)
    return shapley_values(names, value, variant=variant, group_method=group_method)


def analyse(
    y: Any,
    weights: Any,
    circumstances: Sequence[CircumstanceData],
    *,
    indicator: str = "outcome",
    label: str | None = None,
    unit: str = "person",
    barrier: bool = False,
    group_method: str = "leaves",
    also: Sequence[str] = (),
    tree_params: Mapping[str, Any] | None = None,
    shapley: str | None = "eliminate",
    warnings: Sequence[Warning_] = (),
    context: Mapping[str, str | None] | None = None,
) -> LnobResult:
    """Grow the LNOB tree and measure inequality of opportunity for one outcome.

    ``y`` is 1 for people who have the opportunity (barriers already complemented);
    ``tree_params`` are :class:`OpportunityTree` parameters (ESCAP defaults when omitted);
    ``shapley`` is "eliminate", "fix" (logit only) or None.
    """
    y = np.asarray(y, dtype=float).reshape(-1)
    w = np.asarray(weights, dtype=float).reshape(-1)
    if group_method not in GROUP_METHODS:
        raise InputError(f"unknown group method {group_method!r}", expected=list(GROUP_METHODS), got=group_method)
    for c in circumstances:
        if np.asarray(c.values).shape[0] != y.shape[0]:
            raise DataError(f"circumstance {c.name!r} has a different length from the outcome",
                            expected=y.shape[0], got=np.asarray(c.values).shape[0])
    check_outcome(y, w, indicator)
    circs, notes = usable_circumstances(circumstances, w, indicator)
    params = dict(tree_params or {})
    tree = fit_tree(circs, y, w, params)
    nodes = node_table(tree, circs)
    behind, ahead = extreme_leaves(nodes)
    main = inequality(group_method, circs, y, w, tree)
    others = tuple(inequality(m, circs, y, w, tree) for m in also if m != group_method)
    shap = None
    if shapley is not None:
        shap = shapley_d(circs, y, w, group_method=group_method, variant=shapley, tree_params=params)
    return LnobResult(
        indicator=indicator, label=label or indicator, unit=unit, barrier=barrier, group_method=group_method,
        inequality=main, other_methods=others, tree=tree, nodes=nodes, furthest_behind=behind,
        furthest_ahead=ahead, importance=dict(tree.variable_importance_),
        circumstances=tuple(c.name for c in circs), n=int(y.shape[0]), weight_total=float(w.sum()),
        shapley=shap, warnings=(*warnings, *notes), context=dict(context or {}),
        feature_texts={c.name: c.text() for c in circs},
    )


__all__ = ["CircumstanceData", "analyse", "group_rates", "inequality", "shapley_d"]
