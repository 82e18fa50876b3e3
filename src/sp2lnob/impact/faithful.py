"""Faithful mode (ESCAP SP2LNOB, spec simulator.md §4): re-route everyone through the fixed tree.

The tree grown on pre-transfer data is kept as it is. After the transfers each
person's money circumstance takes its post-transfer value (consumption per
capita; or the bottom-40 flag with the pre-transfer cut), every other
circumstance stays, and the person is routed again through the same splits
(:meth:`OpportunityTree.apply`). Their predicted access becomes the access
rate p_ℓ of the leaf ℓ they now reach (the leaf rates are not re-estimated).

For a pre-identified group g (a leaf of the pre-transfer tree) with members i
and weights w_i:

    access_pre(g)  = Σ_i w_i p_{ℓ_pre(i)} / Σ_i w_i   (= the leaf's observed rate),
    access_post(g) = Σ_i w_i p_{ℓ_post(i)} / Σ_i w_i,

nationally the same over everyone, and D before/after is the D-index of the
leaves with their fixed rates and pre/post population shares (lnob.md §3,
``leaves``). Since the furthest-behind leaf has the lowest rate of all, its
members can only move to leaves with a higher or equal rate: that group's
access never falls. Other people can move to a lower-rate leaf when the tree
is not monotone in consumption; their weighted share is reported.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sp2lnob.impact.prepare import FittedIndicator
from sp2lnob.impact.results import IndicatorImpact, group_table
from sp2lnob.impact.spec import MoneyCircumstance
from sp2lnob.opportunity.dindex import d_index


def money_values(m: MoneyCircumstance, welfare: np.ndarray, b40_cut: float | None) -> np.ndarray:
    """The post-transfer value of a money circumstance for rows with welfare ``welfare``."""
    if m.kind == "continuous":
        return np.asarray(welfare, dtype=float)
    return (np.asarray(welfare) <= b40_cut).astype(np.int64)


def reroute(fi: FittedIndicator, welfare: np.ndarray, b40_cut: float | None) -> np.ndarray:
    """The leaf of every analysis row once money circumstances take values from ``welfare``
    (one value per survey row)."""
    if not fi.splits_on_money:
        return fi.leaf_pre
    rows = np.asarray(welfare)[fi.survey_rows]
    new = {m.name: money_values(m, rows, b40_cut) for m in fi.money}
    # only rows whose money circumstance changed can change leaf (routing is deterministic)
    changed = np.zeros(rows.shape[0], dtype=bool)
    for name, values in new.items():
        changed |= values != fi.features[name].to_numpy()
    leaf = fi.leaf_pre.copy()
    if changed.any():
        x = fi.features.filter(pl.Series(changed)).with_columns(
            [pl.Series(name, values[changed]) for name, values in new.items()])
        leaf[changed] = fi.tree.apply(x)
    return leaf


def _d_of_leaves(rate_of_node: np.ndarray, leaf: np.ndarray, w: np.ndarray) -> float:
    share = np.bincount(leaf, weights=w, minlength=rate_of_node.shape[0])
    keep = share > 0
    return d_index(rate_of_node[keep], share[keep])


def plain_note(fi: FittedIndicator) -> tuple[str, tuple[str, ...]]:
    """What moves access for this indicator, in words, and the furthest-behind group's circumstances."""
    behind = fi.groups[0]
    deciding = fi.path_features(behind)
    money = {m.name for m in fi.money}
    if not fi.splits_on_money:
        used = ", ".join(fi.split_features) or "nothing (the tree has no split)"
        return (f"The {fi.label} tree does not split on consumption (it splits on {used}): "
                "in faithful mode transfers cannot change anyone's access.", deciding)
    if not money & set(deciding):
        return (f"The furthest-behind group ({fi.rule_of(behind)}) is set by {', '.join(deciding) or 'no split'}, "
                "not consumption: its access cannot move in faithful mode; other groups' can.", deciding)
    return (f"The furthest-behind group ({fi.rule_of(behind)}) is defined partly by consumption: "
            "members lifted past the consumption split move to better-served groups.", deciding)


def faithful_impact(fi: FittedIndicator, welfare_post: np.ndarray, b40_cut: float | None) -> IndicatorImpact:
    """Access before/after for each pre-identified group and nationally, D before/after (module docstring)."""
    leaf_post = reroute(fi, welfare_post, b40_cut)
    w = fi.weights
    p_pre = fi.rate_of_node[fi.leaf_pre]
    p_post = fi.rate_of_node[leaf_post]
    moved = (leaf_post != fi.leaf_pre).astype(float)
    groups = group_table(fi, {"access_pre": p_pre, "access_post": p_post, "moved_share": moved})
    wsum = w.sum()
    falls = float(w @ (p_post < p_pre - 1e-12) / wsum)
    note, deciding = plain_note(fi)
    if falls > 0:
        note += (f" {falls:.1%} of the population move to a group with lower access "
                 "(the tree is not monotone in consumption).")
    return IndicatorImpact(
        indicator=fi.name, label=fi.label, unit=fi.unit, mode="tree", groups=groups,
        national_pre=float(w @ p_pre / wsum), national_post=float(w @ p_post / wsum),
        d_pre=_d_of_leaves(fi.rate_of_node, fi.leaf_pre, w), d_post=_d_of_leaves(fi.rate_of_node, leaf_post, w),
        d_method="leaves (fixed rates, shares after re-routing)", splits_on_consumption=fi.splits_on_money,
        deciding=deciding, note=note, share_falling=falls, warnings=fi.warnings,
    )
