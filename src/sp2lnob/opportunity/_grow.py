"""Growing the tree: split search level by level, then rpart's depth-first cp recursion.

rpart (``src/partition.c``) visits nodes depth-first and decides, with the
complexity bounds it passes down, whether to look for a split at all. The
*best split* of a node, however, depends only on the rows in the node, not on
cp. So the search is done first, breadth-first and vectorised — for every
feature, one pass over all rows of a level: a combined key
``slot(node) · 2L + 2·code + y`` and two ``np.bincount`` calls give every
node's per-value sums at once (no per-node gathering) — for every node that
could be split (enough rows, depth below the maximum, deviance above α).
Then :meth:`Grower.partition` replays rpart's recursion on these precomputed
nodes, so the returned tree is exactly rpart's (same visits, same complexity
arithmetic, same "all was in vain" collapses).

Node statistics are computed per level with ``bincount`` as well: n, Σw,
ȳ = Σwy/Σw and the two-pass deviance Σ w (y − ȳ)² (rpart's ``anovass``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sp2lnob.opportunity._features import FeatureCoding
from sp2lnob.opportunity._split import Candidate, best_split_continuous, best_split_unordered


@dataclass(frozen=True)
class NodeStats:
    n: int
    weight: float
    mean: float
    deviance: float


class Grower:
    def __init__(self, codings: list[FeatureCoding], codes: list[np.ndarray], y: np.ndarray, w: np.ndarray,
                 max_depth: int, min_bucket: int, min_weight: float, cp: float, min_split: int) -> None:
        self.codings, self.codes, self.y, self.w = codings, codes, y, w
        self.max_depth, self.min_bucket, self.min_weight = max_depth, min_bucket, min_weight
        self.cp, self.min_split = cp, min_split
        self.max_node = 2**max_depth - 1
        self.n_rows = y.shape[0]
        self.positive = w > 0
        self.binary = bool(np.all((y == 0) | (y == 1)))
        self.stats: dict[int, NodeStats] = {}
        self.best: dict[int, Candidate | None] = {}
        self.levels: list[tuple[np.ndarray, list[int]]] = []   # (slot of each row, node ids) per depth
        self.wy = w * y
        self.all_positive = bool(self.positive.all())
        # a 0/1 outcome lets the split search use two bincounts on keys 2·code + y
        self.yi = y.astype(np.int64) if self.binary else None
        self.keys = [2 * c + self.yi for c in codes] if self.yi is not None else None

    # -- phase 1: statistics and best splits, level by level ---------------------------------
    # Rows are tracked by a dense "slot": slot i is the i-th node of the current level's
    # frontier, slot len(frontier) collects rows of nodes that were not split.
    def _level_stats(self, slot: np.ndarray, ids: list[int]) -> None:
        k = len(ids) + 1
        if self.yi is not None:
            # 0/1 outcome: one key 2·slot + y gives n, Σw and Σwy; D = Σwy − (Σwy)²/Σw exactly
            key = 2 * slot + self.yi
            cnt = np.bincount(key, minlength=2 * k).reshape(k, 2)
            ws = np.bincount(key, weights=self.w, minlength=2 * k).reshape(k, 2)
            n, sw, swy = cnt.sum(axis=1), ws.sum(axis=1), ws[:, 1]
        else:
            n = np.bincount(slot, minlength=k)
            sw = np.bincount(slot, weights=self.w, minlength=k)
            swy = np.bincount(slot, weights=self.wy, minlength=k)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(sw > 0, swy / np.where(sw > 0, sw, 1.0), np.nan)
        if self.yi is not None:
            dev = np.maximum(swy * (1 - np.nan_to_num(mean)), 0.0)
        else:  # two passes, as rpart's anovass
            resid = self.y - np.nan_to_num(mean)[slot]
            dev = np.bincount(slot, weights=self.w * resid * resid, minlength=k)
        for i, node_id in enumerate(ids):
            self.stats[node_id] = NodeStats(int(n[i]), float(sw[i]), float(mean[i]), float(dev[i]))

    def _search(self, slot: np.ndarray, ids: list[int], searched: list[int]) -> None:
        """Best split of every node in ``searched`` (a subset of this level's ``ids``), one pass per feature."""
        if not searched:
            return
        k = len(searched)
        lut = np.full(len(ids) + 1, k, dtype=np.int64)
        index = {node_id: i for i, node_id in enumerate(ids)}
        for s, node_id in enumerate(searched):
            lut[index[node_id]] = s
        srow = lut[slot]
        if not self.all_positive:
            srow = np.where(self.positive, srow, k)    # rpart's bsplit skips zero weights
        means = np.array([self.stats[i].mean for i in searched] + [0.0])
        single = k == 1 and bool((srow == 0).all())
        buf = np.empty(self.n_rows, dtype=np.int64)
        best: dict[int, Candidate | None] = {i: None for i in searched}
        for j, coding in enumerate(self.codings):
            n_values = coding.values.shape[0]
            if self.keys is not None:
                if single:
                    key = self.keys[j]          # one node holding every row: no offset needed
                else:
                    key = np.multiply(srow, 2 * n_values, out=buf)
                    key += self.keys[j]
                size = (k + 1) * 2 * n_values
                cnt = np.bincount(key, minlength=size).reshape(k + 1, n_values, 2)
                ws = np.bincount(key, weights=self.w, minlength=size).reshape(k + 1, n_values, 2)
                counts = cnt.sum(axis=2)
                wts = ws.sum(axis=2)
                sums = ws[:, :, 1] - means[:, None] * wts
            else:
                key = srow * n_values + self.codes[j]
                size = (k + 1) * n_values
                counts = np.bincount(key, minlength=size).reshape(k + 1, n_values)
                wts = np.bincount(key, weights=self.w, minlength=size).reshape(k + 1, n_values)
                sums = np.bincount(key, weights=self.wy, minlength=size).reshape(k + 1, n_values)
                sums = sums - means[:, None] * wts
            for s, node_id in enumerate(searched):
                if coding.unordered:
                    cand = best_split_unordered(j, counts[s], wts[s], sums[s], self.min_bucket, self.min_weight)
                else:
                    cand = best_split_continuous(j, counts[s], wts[s], sums[s], coding.values,
                                                 self.min_bucket, self.min_weight)
                current = best[node_id]
                # strictly larger replaces: the first feature wins ties (rpart's insert_split)
                if cand is not None and (current is None or cand.between_ss > current.between_ss):
                    best[node_id] = cand
        for node_id, cand in best.items():
            dev = self.stats[node_id].deviance
            # rpart keeps a split only when improve = B / D(node) > 1e-10 (bsplit.c)
            self.best[node_id] = cand if cand is not None and dev > 0 and cand.between_ss / dev > 1e-10 else None

    def _children(self, slot: np.ndarray, ids: list[int], split_ids: list[int],
                  new_ids: list[int]) -> np.ndarray:
        """Slot of each row among ``new_ids`` (the children of ``split_ids``); others get len(new_ids)."""
        sentinel = len(new_ids)
        new_index = {node_id: i for i, node_id in enumerate(new_ids)}
        index = {node_id: i for i, node_id in enumerate(ids)}
        new_slot = np.full(self.n_rows, sentinel, dtype=np.int64)
        by_feature: dict[int, list[int]] = {}
        for node_id in split_ids:
            by_feature.setdefault(self.best[node_id].feature, []).append(node_id)  # type: ignore[union-attr]
        for j, nodes in by_feature.items():
            n_values = self.codings[j].values.shape[0]
            table = np.full((len(ids) + 1, n_values), sentinel, dtype=np.int64)
            for node_id in nodes:
                child = self._child_of_code(self.best[node_id], n_values, node_id)  # type: ignore[arg-type]
                table[index[node_id]] = np.where(child == 2 * node_id, new_index[2 * node_id],
                                                 new_index[2 * node_id + 1])
            np.minimum(new_slot, table[slot, self.codes[j]], out=new_slot)
        return new_slot

    def _child_of_code(self, cand: Candidate, n_values: int, node_id: int) -> np.ndarray:
        left, right = 2 * node_id, 2 * node_id + 1
        if cand.threshold is not None:
            # by value, not by code: a zero-weight row may hold a value between the two that
            # define the midpoint (rpart's nodesplit compares x < split)
            below = self.codings[cand.feature].values < cand.threshold
            return np.where(below == cand.less_goes_left, left, right)
        out = np.zeros(n_values, dtype=np.int64)
        out[cand.left_codes] = left
        out[cand.right_codes] = right
        # a level without positive weight in the node (only zero-weight rows can carry it)
        # follows the child with more rows, like rpart's default direction
        unseen = out == 0
        if unseen.any():
            out[unseen] = left if 2 * cand.left_count >= cand.count else right
        return out

    def search_all(self) -> None:
        slot = np.zeros(self.n_rows, dtype=np.int64)
        ids = [1]
        self._level_stats(slot, ids)
        self.alpha = self.cp * self.stats[1].deviance   # rpart: alpha = cp × root risk
        while True:
            self.levels.append((slot, ids))
            searched = [i for i in ids if self.stats[i].n >= self.min_split
                        and i <= self.max_node and self.stats[i].deviance > self.alpha]
            self._search(slot, ids, searched)
            for i in ids:
                self.best.setdefault(i, None)
            split_ids = [i for i in searched if self.best[i] is not None]
            if not split_ids:
                break
            new_ids = sorted(c for i in split_ids for c in (2 * i, 2 * i + 1))
            slot = self._children(slot, ids, split_ids, new_ids)
            ids = new_ids
            self._level_stats(slot, ids)

    # -- phase 2: rpart's depth-first recursion with cp ----------------------------------------
    def partition(self, node_id: int, complexity: dict[int, float], kept: set[int]) -> tuple[int, float]:
        st = self.stats[node_id]
        risk = st.deviance
        tempcp = risk if node_id == 1 else min(risk, complexity[node_id])
        cand = self.best.get(node_id)
        if st.n < self.min_split or tempcp <= self.alpha or node_id > self.max_node or cand is None:
            complexity[node_id] = self.alpha
            return 0, risk
        left_id, right_id = 2 * node_id, 2 * node_id + 1
        complexity[left_id] = tempcp - self.alpha
        left_split, left_risk = self.partition(left_id, complexity, kept)
        tempcp = max((risk - left_risk) / (left_split + 1), risk - self.stats[left_id].deviance)
        tempcp = min(tempcp, complexity[node_id])
        complexity[right_id] = tempcp - self.alpha
        right_split, right_risk = self.partition(right_id, complexity, kept)

        # who collapses first: the node itself, its left or its right child (partition.c)
        c_left, c_right = complexity[left_id], complexity[right_id]
        tempcp = (risk - (left_risk + right_risk)) / (left_split + right_split + 1)
        if c_right > c_left:
            if tempcp > c_left:
                left_risk, left_split = self.stats[left_id].deviance, 0
                tempcp = (risk - (left_risk + right_risk)) / (left_split + right_split + 1)
                if tempcp > c_right:
                    right_risk, right_split = self.stats[right_id].deviance, 0
        elif tempcp > c_right:
            right_risk, right_split = self.stats[right_id].deviance, 0
            tempcp = (risk - (left_risk + right_risk)) / (left_split + right_split + 1)
            if tempcp > c_left:
                left_risk, left_split = self.stats[left_id].deviance, 0
        complexity[node_id] = (risk - (left_risk + right_risk)) / (left_split + right_split + 1)
        if complexity[node_id] <= self.alpha:
            _discard_below(node_id, kept)   # "all was in vain": the node stays a leaf
            return 0, risk
        kept.add(node_id)
        return left_split + right_split + 1, left_risk + right_risk

    def leaf_of_row(self, kept: set[int]) -> np.ndarray:
        """Leaf of each row in the final (cp-pruned) tree, from the per-level node ids."""
        leaf = np.zeros(self.n_rows, dtype=np.int64)
        for slot, ids in self.levels:
            # per slot: the node id if it is a leaf of the final tree, else 0 (small lookup table)
            final = np.asarray([0 if i in kept else i for i in ids] + [0], dtype=np.int64)
            here = final[slot]
            np.copyto(leaf, here, where=(leaf == 0) & (here > 0))
        return leaf


def _discard_below(node_id: int, kept: set[int]) -> None:
    stack = [2 * node_id, 2 * node_id + 1]
    while stack:
        i = stack.pop()
        if i in kept:
            kept.discard(i)
            stack += [2 * i, 2 * i + 1]
