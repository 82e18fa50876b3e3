"""Several groupings in one pass: a joint code per row, and each grouping's code per joint group."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def joint_codes(codes: Sequence[np.ndarray], sizes: Sequence[int]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Joint code 0..J-1 of each row, and for each grouping its code (-1 = missing) per joint code.

    Missing codes (-1) are a level of their own in the joint code, so a row missing
    one grouping still counts in the others.
    """
    n = codes[0].size if codes else 0
    joint = np.zeros(n, dtype=np.int64)
    for c, size in zip(codes, sizes, strict=True):
        level = np.where(c < 0, size, c).astype(np.int64)
        if (int(joint.max(initial=0)) + 1) * (size + 1) > 2**62:
            joint = _compress(joint)
        joint = joint * (size + 1) + level
    joint = _compress(joint)
    rep = np.empty(int(joint.max(initial=-1)) + 1, dtype=np.int64)
    rep[joint] = np.arange(n)  # any row of the joint group: all share the same codes
    return joint, [np.asarray(c)[rep] for c in codes]


def _compress(key: np.ndarray) -> np.ndarray:
    top = int(key.max(initial=0)) + 1
    if top <= 4 * key.size + 1024:  # dense: no sort
        present = np.bincount(key, minlength=top) > 0
        return (np.cumsum(present) - 1)[key]
    return np.unique(key, return_inverse=True)[1].reshape(-1)
