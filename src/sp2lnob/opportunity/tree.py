"""A weighted regression tree with R rpart's ANOVA semantics (ESCAP's LNOB tree).

Growth follows rpart 4.1 ``src/partition.c`` exactly, so that with
``min_share=None`` the returned tree equals
``rpart(y ~ ., weights = w, method = "anova", control = rpart.control(maxdepth,
minbucket, cp, xval = 0, maxcompete = 0, maxsurrogate = 0))`` split for split:

* node value ȳ = Σwy / Σw, node deviance D = Σ w (y − ȳ)² (``anovass``);
* a node is not split when it has fewer than ``min_split`` rows, when its
  depth is ``max_depth`` (rpart: node number > 2^maxdepth − 1), or when its
  complexity bound is ≤ α = cp × D(root);
* the best split over the features (first feature on ties) is taken from
  :mod:`._split`; a node's complexity after growing its children is
  (D − Σ D(leaves below)) / (number of splits below), with rpart's
  "who collapses first" rule, and the split is undone when that complexity is
  ≤ α: this is the cp pruning rpart applies while growing (no later pruning
  happens with ``xval = 0``).

ESCAP's extra rule (``min_share``, 9 %): both children of a split must hold at
least that share of the total weight of the analysis; it restricts candidate
splits and is off with ``min_share=None`` or 0.

Variable importance is rpart's (``rpart:::importance`` with no surrogates):
for each feature, the sum over the splits using it of improve × D(node), i.e.
of the between-group sum of squares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sp2lnob.errors import DataError, InputError
from sp2lnob.opportunity._features import (
    FeatureCoding,
    code_features,
    code_new,
    columns_of,
    resolve_unordered,
)
from sp2lnob.opportunity._grow import Grower


@dataclass(frozen=True, eq=False)
class TreeNode:
    """One node of a fitted tree; ``node_id`` uses rpart's numbering (root 1, children 2k, 2k+1)."""

    node_id: int
    parent: int | None
    depth: int
    n: int                      # unweighted rows
    weight: float               # Σ w
    share: float                # Σ w / Σ w(root)
    rate: float                 # weighted mean of y (access rate for a 0/1 outcome)
    deviance: float             # Σ w (y − ȳ)²
    is_leaf: bool
    feature: str | None = None
    feature_index: int | None = None
    threshold: float | None = None          # continuous split point
    less_goes_left: bool = True             # continuous: x < threshold → left child
    left_values: tuple = ()                 # unordered: levels sent left
    right_values: tuple = ()                # unordered: levels sent right
    improve: float | None = None            # rpart's improve = between SS / deviance
    count: int | None = None                # rows with positive weight at the split

    @property
    def split_index(self) -> int:
        """Index of the split feature (internal nodes only)."""
        if self.feature_index is None:
            raise InputError(f"node {self.node_id} is a leaf: it has no split")
        return self.feature_index

    @property
    def left(self) -> int:
        return 2 * self.node_id

    @property
    def right(self) -> int:
        return 2 * self.node_id + 1


_INT_PARAMS = {"max_depth": (1, 30), "min_bucket": (1, None)}


class OpportunityTree:
    """Weighted ANOVA regression tree (rpart parity) with ESCAP's minimum-share rule.

    Parameters (defaults: ESCAP's LNOB specification, ``parameters/lnob_tree.yaml``)
    ----------
    max_depth : maximum depth of a leaf (root = 0), rpart ``maxdepth``.
    min_bucket : minimum unweighted rows (with positive weight) in each child, rpart ``minbucket``.
    min_share : minimum weighted share of the root in each child (ESCAP 0.09); None/0 = off.
    cp : rpart's complexity parameter; a split must lower the deviance by ≥ cp × D(root)
        (per split, over the subtree it heads).
    min_split : minimum rows in a node to try a split; None = 3 × min_bucket, as
        ``rpart.control`` does when only ``minbucket`` is given.
    categorical_features : names/indices of unordered features, or "auto" (non-numeric columns).
    """

    def __init__(
        self,
        max_depth: int = 6,
        min_bucket: int = 49,
        min_share: float | None = 0.09,
        cp: float = 0.01,
        min_split: int | None = None,
        categorical_features: Sequence[Any] | str = "auto",
    ) -> None:
        self.max_depth = max_depth
        self.min_bucket = min_bucket
        self.min_share = min_share
        self.cp = cp
        self.min_split = min_split
        self.categorical_features = categorical_features

    # -- scikit-learn estimator protocol -------------------------------------------------
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {k: getattr(self, k) for k in
                ("max_depth", "min_bucket", "min_share", "cp", "min_split", "categorical_features")}

    def set_params(self, **params: Any) -> OpportunityTree:
        valid = self.get_params()
        for key, value in params.items():
            if key not in valid:
                raise InputError(f"unknown parameter {key!r}", expected=sorted(valid), got=key)
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"OpportunityTree({args})"

    def _validate_params(self) -> tuple[int, int, float, float, int]:
        for name, (lo, hi) in _INT_PARAMS.items():
            v = getattr(self, name)
            if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < lo or (hi is not None and v > hi):
                raise InputError(f"{name} must be an integer in [{lo}, {hi if hi else '∞'})",
                                 where=name, got=repr(v))
        share = 0.0 if self.min_share is None else self.min_share
        if not isinstance(share, (int, float)) or not 0 <= share < 0.5:
            raise InputError("min_share must be None or a share in [0, 0.5)", where="min_share",
                             got=repr(self.min_share), hint="0.09 is ESCAP's rule; None switches it off")
        if not isinstance(self.cp, (int, float)) or not 0 <= self.cp <= 1:
            raise InputError("cp must be a number in [0, 1]", where="cp", got=repr(self.cp))
        min_split = 3 * int(self.min_bucket) if self.min_split is None else self.min_split
        if not isinstance(min_split, (int, np.integer)) or isinstance(min_split, bool) or min_split < 2:
            raise InputError("min_split must be None or an integer ≥ 2", where="min_split", got=repr(self.min_split))
        return int(self.max_depth), int(self.min_bucket), float(share), float(self.cp), int(min_split)

    # -- fitting ---------------------------------------------------------------------------
    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> OpportunityTree:
        max_depth, min_bucket, share, cp, min_split = self._validate_params()
        names, arrays = columns_of(X)
        if not names:
            raise InputError("X has no features")
        n = arrays[0].shape[0]
        yv = np.asarray(y, dtype=float).reshape(-1)
        if yv.shape[0] != n:
            raise DataError("y must have one value per row of X", expected=n, got=yv.shape[0])
        if not np.all(np.isfinite(yv)):
            raise DataError("y has missing or infinite values", got=f"{int((~np.isfinite(yv)).sum())} rows",
                            hint="restrict the analysis to rows where the outcome is observed")
        w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float).reshape(-1)
        if w.shape[0] != n:
            raise DataError("sample_weight must have one value per row", expected=n, got=w.shape[0])
        if not np.all(np.isfinite(w)) or np.any(w < 0):
            raise DataError("sample_weight must be finite and non-negative",
                            got=f"{int((~np.isfinite(w) | (w < 0)).sum())} bad rows")
        if not w.sum() > 0:
            raise DataError("all weights are zero", hint="check the weight column and the reference population")
        unordered = resolve_unordered(names, arrays, self.categorical_features)
        codings, codes = code_features(names, arrays, unordered)

        self.feature_names_in_ = np.array(names, dtype=object)
        self.n_features_in_ = len(names)
        self.features_ = tuple(codings)
        nodes, where = _grow(codings, codes, yv, w, max_depth, min_bucket, share * float(w.sum()), cp, min_split)
        self.nodes_ = nodes
        self.leaf_of_row_ = where
        self.root_deviance_ = nodes[0].deviance
        imp = np.zeros(len(names))
        for node in nodes:
            if not node.is_leaf and node.improve is not None:
                imp[node.split_index] += node.improve * node.deviance
        self.variable_importance_ = {names[j]: float(imp[j]) for j in np.argsort(-imp, kind="stable") if imp[j] > 0}
        total = imp.sum()
        self.feature_importances_ = imp / total if total > 0 else imp
        return self

    # -- using a fitted tree ---------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "nodes_"):
            raise InputError("this OpportunityTree is not fitted yet", hint="call fit(X, y, sample_weight) first")

    def apply(self, X: Any) -> np.ndarray:
        """The leaf (rpart node number) each row of ``X`` falls in.

        A level of an unordered feature that the split did not see (absent from
        the node when it was fitted) follows the child with more rows, as
        rpart's prediction does with ``usesurrogate = 2`` and no surrogates.
        """
        self._check_fitted()
        names, arrays = columns_of(X)
        if len(names) != self.n_features_in_:
            raise DataError("X has a different number of features than at fit",
                            expected=self.n_features_in_, got=len(names))
        by_id = {node.node_id: node for node in self.nodes_}
        where = np.ones(arrays[0].shape[0], dtype=np.int64)
        coded: dict[int, np.ndarray] = {}
        for node in self.nodes_:  # preorder: a parent is always handled before its children
            if node.is_leaf:
                continue
            j = node.split_index
            if j not in coded:
                coded[j] = code_new(self.features_[j], arrays[j])
            here = where == node.node_id
            x = coded[j][here]
            if node.threshold is not None:
                goes_left = (x < node.threshold) == node.less_goes_left
            else:
                lv = np.searchsorted(self.features_[j].values, np.asarray(node.left_values))
                rv = np.searchsorted(self.features_[j].values, np.asarray(node.right_values))
                goes_left = np.isin(x, lv)
                unseen = ~goes_left & ~np.isin(x, rv)
                if unseen.any():
                    goes_left = goes_left | (unseen & (by_id[node.left].n >= by_id[node.right].n))
            where[here] = np.where(goes_left, node.left, node.right)
        return where

    def predict(self, X: Any) -> np.ndarray:
        """Predicted value (the leaf's weighted mean: access rate) for each row."""
        leaves = self.apply(X)
        ids = np.array([node.node_id for node in self.nodes_])
        rates = np.array([node.rate for node in self.nodes_])
        order = np.argsort(ids)
        return rates[order][np.searchsorted(ids[order], leaves)]

    @property
    def leaves_(self) -> tuple[TreeNode, ...]:
        self._check_fitted()
        return tuple(node for node in self.nodes_ if node.is_leaf)


def _grow(codings: list[FeatureCoding], codes: list[np.ndarray], y: np.ndarray, w: np.ndarray,
          max_depth: int, min_bucket: int, min_weight: float, cp: float,
          min_split: int) -> tuple[tuple[TreeNode, ...], np.ndarray]:
    """Grow (see :mod:`._grow`) and export the nodes in rpart's frame order (preorder, left first)."""
    g = Grower(codings, codes, y, w, max_depth, min_bucket, min_weight, cp, min_split)
    g.search_all()
    kept: set[int] = set()
    g.partition(1, {1: g.stats[1].deviance}, kept)
    total = g.stats[1].weight
    nodes: list[TreeNode] = []
    stack: list[tuple[int, int | None, int]] = [(1, None, 0)]
    while stack:
        node_id, parent, depth = stack.pop()
        st = g.stats[node_id]
        common: dict[str, Any] = dict(node_id=node_id, parent=parent, depth=depth, n=st.n, weight=st.weight,
                                      share=st.weight / total, rate=st.mean, deviance=st.deviance)
        if node_id not in kept:
            nodes.append(TreeNode(is_leaf=True, **common))
            continue
        cand = g.best[node_id]
        assert cand is not None  # kept nodes always have a split
        coding = codings[cand.feature]
        split: dict[str, Any] = dict(feature=coding.name, feature_index=cand.feature,
                                     improve=cand.between_ss / st.deviance, count=cand.count)
        if cand.threshold is not None:
            split.update(threshold=cand.threshold, less_goes_left=cand.less_goes_left)
        else:
            split.update(left_values=tuple(coding.values[cand.left_codes].tolist()),
                         right_values=tuple(coding.values[cand.right_codes].tolist()))
        nodes.append(TreeNode(is_leaf=False, **common, **split))
        stack.append((2 * node_id + 1, node_id, depth + 1))
        stack.append((2 * node_id, node_id, depth + 1))
    return tuple(nodes), g.leaf_of_row(kept)
