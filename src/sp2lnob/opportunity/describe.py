"""Rules in words: the conditions that define a node, written from circumstance labels.

For every node the path of splits from the root is reduced, circumstance by
circumstance, to the set of values still allowed (two splits on age become
one interval), then written with the value labels: a two-level circumstance
by its value label alone ("Rural", "Bottom 40 %"), others as
"Label: value or value", and an unlabelled numeric one as an interval
("25 ≤ Age < 36"). The conditions are joined in the order the circumstances
were first used ("Rural, Bottom 40 %, Head education: none").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from sp2lnob.opportunity.tree import OpportunityTree, TreeNode


@dataclass(frozen=True)
class FeatureText:
    """How to write conditions on one feature."""

    label: str
    value_labels: Mapping = field(default_factory=dict)   # value → text
    ordered: bool = True                                   # order of values is meaningful
    phrase: str | None = None    # "value": write the value label alone; "label: value"; None: auto


def _fmt_number(x: float) -> str:
    return f"{x:g}"


def _label_of(value, text: FeatureText) -> str:
    for key in (value, str(value)):
        if key in text.value_labels:
            return str(text.value_labels[key])
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        iv = int(value)
        for key in (iv, str(iv)):
            if key in text.value_labels:
                return str(text.value_labels[key])
        return str(iv)
    return str(value)


def _describe_set(allowed: np.ndarray, all_values: np.ndarray, text: FeatureText) -> str:
    labels = [_label_of(v, text) for v in allowed]
    if text.phrase == "value" or (text.phrase is None and all_values.shape[0] == 2 and allowed.shape[0] == 1
                                  and text.value_labels):
        return " or ".join(labels)
    if text.ordered and allowed.shape[0] > 3:
        return f"{text.label}: {labels[0]} to {labels[-1]}"
    if allowed.shape[0] > 2 and text.ordered:
        return f"{text.label}: {', '.join(labels[:-1])} or {labels[-1]}"
    others = all_values[~np.isin(all_values, allowed)]
    if not text.ordered and allowed.shape[0] > 2 and others.shape[0] <= 2:
        return f"{text.label}: other than {' or '.join(_label_of(v, text) for v in others)}"
    return f"{text.label}: {' or '.join(labels)}"


def _describe_interval(lo: float | None, hi: float | None, text: FeatureText) -> str:
    if lo is not None and hi is not None:
        return f"{_fmt_number(lo)} ≤ {text.label} < {_fmt_number(hi)}"
    if lo is not None:
        return f"{text.label} ≥ {_fmt_number(lo)}"
    return f"{text.label} < {_fmt_number(hi if hi is not None else float('inf'))}"


def node_rules(tree: OpportunityTree, texts: Mapping[str, FeatureText] | None = None) -> dict[int, str]:
    """Text of the conditions defining each node (root: "Everyone")."""
    texts = dict(texts or {})
    by_id = {node.node_id: node for node in tree.nodes_}
    out: dict[int, str] = {}
    for node in tree.nodes_:
        path = _path(node, by_id)
        if not path:
            out[node.node_id] = "Everyone"
            continue
        order: list[int] = []
        allowed: dict[int, np.ndarray] = {}
        bounds: dict[int, list[float | None]] = {}
        for parent, went_left in path:
            j = parent.split_index
            coding = tree.features_[j]
            if j not in order:
                order.append(j)
                allowed[j] = coding.values
                bounds[j] = [None, None]
            if parent.threshold is not None:
                below = went_left == parent.less_goes_left
                vals = allowed[j]
                allowed[j] = vals[vals < parent.threshold] if below else vals[vals >= parent.threshold]
                lo, hi = bounds[j]
                if below:
                    bounds[j][1] = parent.threshold if hi is None else min(hi, parent.threshold)
                else:
                    bounds[j][0] = parent.threshold if lo is None else max(lo, parent.threshold)
            else:
                side = parent.left_values if went_left else parent.right_values
                allowed[j] = allowed[j][np.isin(allowed[j], np.asarray(side, dtype=allowed[j].dtype))]
        parts = []
        for j in order:
            coding = tree.features_[j]
            text = texts.get(coding.name, FeatureText(label=coding.name, ordered=not coding.unordered))
            if not coding.unordered and not text.value_labels and coding.values.shape[0] > 12:
                parts.append(_describe_interval(bounds[j][0], bounds[j][1], text))
            else:
                parts.append(_describe_set(allowed[j], coding.values, text))
        out[node.node_id] = ", ".join(parts)
    return out


def split_texts(tree: OpportunityTree, texts: Mapping[str, FeatureText] | None = None) -> dict[int, str]:
    """For each internal node, its split in words ("Urban: Rural | Urban")."""
    texts = dict(texts or {})
    out: dict[int, str] = {}
    for node in tree.nodes_:
        if node.is_leaf:
            continue
        coding = tree.features_[node.split_index]
        text = texts.get(coding.name, FeatureText(label=coding.name, ordered=not coding.unordered))
        if node.threshold is not None:
            lt, ge = f"< {_fmt_number(node.threshold)}", f"≥ {_fmt_number(node.threshold)}"
            left, right = (lt, ge) if node.less_goes_left else (ge, lt)
            out[node.node_id] = f"{text.label} {left} | {right}"
        else:
            left = " or ".join(_label_of(v, text) for v in node.left_values)
            right = " or ".join(_label_of(v, text) for v in node.right_values)
            out[node.node_id] = f"{text.label}: {left} | {right}"
    return out


def _path(node: TreeNode, by_id: Mapping[int, TreeNode]) -> list[tuple[TreeNode, bool]]:
    steps: list[tuple[TreeNode, bool]] = []
    current = node
    while current.parent is not None:
        parent = by_id[current.parent]
        steps.append((parent, current.node_id == parent.left))
        current = parent
    return steps[::-1]


def branch_texts(tree: OpportunityTree, texts: Mapping[str, FeatureText] | None = None) -> dict[int, str]:
    """For each non-root node, the condition on the branch leading to it ("Rural", "Age < 35")."""
    texts = dict(texts or {})
    out: dict[int, str] = {}
    for node in tree.nodes_:
        if node.is_leaf:
            continue
        coding = tree.features_[node.split_index]
        text = texts.get(coding.name, FeatureText(label=coding.name, ordered=not coding.unordered))
        if node.threshold is not None:
            vals = coding.values
            below, above = vals[vals < node.threshold], vals[vals >= node.threshold]
            if text.value_labels:
                lt, ge = _describe_set(below, vals, text), _describe_set(above, vals, text)
            else:
                lt = f"{text.label} < {_fmt_number(node.threshold)}"
                ge = f"{text.label} ≥ {_fmt_number(node.threshold)}"
            left, right = (lt, ge) if node.less_goes_left else (ge, lt)
        else:
            dtype = coding.values.dtype
            left = _describe_set(np.asarray(node.left_values, dtype=dtype), coding.values, text)
            right = _describe_set(np.asarray(node.right_values, dtype=dtype), coding.values, text)
        out[node.left], out[node.right] = left, right
    return out
