"""Ratio estimates and their design-based standard errors, for many groups and sets at once.

Every rate and share of the indicator tables is a ratio of weighted totals
``R = Y / X`` with ``Y = sum_i w_i y_i 1[i in g]`` and ``X`` over the same group
(coverage, adequacy, average transfer) or over the whole population (incidences).
Its Taylor linearised variable is ``z_i = (y_i 1[i in g] - R x_i 1[i in D_X]) / X``
(Woodruff 1971; R survey ``svyratio`` / ``svyby``), and the variance of the
weighted total of ``z`` is that of :func:`sp2lnob.variance.linearization_variance`:

    V = sum_h c_h [ sum_j t_hj^2 - m_h (sum_j t_hj)^2 ],   c_h = (1 - f_h) n_h / (n_h - 1),  m_h = 1/n_h

with ``t_hj`` the PSU totals of ``w z``. Instead of building ``z`` for each of
thousands of (indicator, set, group) cells, the PSU totals of ``w y`` and
``w x`` are summed once per (PSU, group) and the sums of squares are expanded:
PSUs where a group is absent contribute ``t = 0`` (group domain) or
``t = -R x_p / X`` (whole-population denominator), which are accounted for in
closed form. The result equals ``linearization_variance`` on the explicit
``z`` (checked in ``tests/performance/test_se.py``). Lonely PSUs follow the
same options as the variance engine (R ``options(survey.lonely.psu=)``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sp2lnob.errors import DataError
from sp2lnob.variance.design_variance import PsuStructure, check_lonely_psu_option, lonely_strata


@dataclass(frozen=True, eq=False)
class GroupTable:
    """Weighted sums by (PSU, group): row j is one PSU × group pair present in the data."""

    psu: np.ndarray      # (J,) PSU index
    group: np.ndarray    # (J,) group code 0..G-1
    n_groups: int
    structure: PsuStructure

    def totals(self, rows: np.ndarray) -> np.ndarray:
        """Group totals (G,) or (G, K) of row sums ``rows`` (J,) or (J, K)."""
        return _bincount_cols(self.group, rows, self.n_groups)


def group_table(cell_psu: np.ndarray, cell_group: np.ndarray, n_groups: int,
                structure: PsuStructure) -> tuple[GroupTable, np.ndarray]:
    """The (PSU, group) rows present and, for each cell, the index of its row."""
    key = cell_psu.astype(np.int64) * n_groups + cell_group
    size = structure.n_psu * n_groups
    if size <= 4 * key.size + 1024:
        # dense bins, no sort: O(cells + PSUs x groups)
        present = np.bincount(key, minlength=size) > 0
        uniq = np.flatnonzero(present)
        inverse = (np.cumsum(present) - 1)[key]
    else:
        uniq, inverse = np.unique(key, return_inverse=True)
    table = GroupTable((uniq // n_groups).astype(np.int64), (uniq % n_groups).astype(np.int64),
                       n_groups, structure)
    return table, inverse.reshape(-1)


def sum_rows(inverse: np.ndarray, n_rows: int, values: np.ndarray) -> np.ndarray:
    """Sum cell values (C,) or (C, K) into table rows."""
    return _bincount_cols(inverse, values, n_rows)


def _bincount_cols(index: np.ndarray, values: np.ndarray, length: int) -> np.ndarray:
    """Column sums by ``index``: (C,) -> (length,), (C, K) -> (length, K) (column-major)."""
    if values.ndim == 1:
        return np.bincount(index, weights=values, minlength=length)
    return _bincount_rows(index, _rows_first(values), length).T


def _rows_first(values: np.ndarray) -> np.ndarray:
    """(C, K) -> (K, C) C-contiguous (free for column-major input): bincount needs contiguous rows."""
    return values.T if values.flags.f_contiguous else np.ascontiguousarray(values.T)


def _bincount_rows(index: np.ndarray, rows: np.ndarray, length: int) -> np.ndarray:
    out = np.empty((rows.shape[0], length))
    for k in range(rows.shape[0]):  # a loop over sets, not persons
        out[k] = np.bincount(index, weights=rows[k], minlength=length)
    return out


def _stratum_factors(s: PsuStructure, lonely_psu: str | None) -> tuple[np.ndarray, np.ndarray, float]:
    """Per-stratum multiplier c_h, centring m_h, and the 'average' rescaling."""
    check_lonely_psu_option(lonely_psu, where="indicators")
    n_h = s.psu_per_stratum.astype(float)
    lonely = lonely_strata(s, lonely_psu)
    fraction = np.zeros(n_h.size)
    fraction[s.psu_stratum] = s.psu_fraction
    c = (1.0 - fraction) * np.where(lonely, 1.0, n_h / np.maximum(n_h - 1.0, 1.0))
    m = 1.0 / n_h
    scale = 1.0
    if lonely.any():
        if lonely_psu == "adjust":
            m = np.where(lonely, 0.0, m)
        else:
            c = np.where(lonely, 0.0, c)
            if lonely_psu == "average":
                n_ok = int((~lonely).sum())
                if n_ok == 0:
                    raise DataError("every stratum has a single PSU", where="lonely_psu='average'")
                scale = n_h.size / n_ok
    return c, m, scale


@dataclass(frozen=True, eq=False)
class RatioEstimate:
    value: np.ndarray   # (G,) or (G, K)
    se: np.ndarray


def ratio(table: GroupTable, num: np.ndarray, den: np.ndarray, *, den_all: bool = False,
          lonely_psu: str | None = None) -> RatioEstimate:
    """``R_g = sum_{j in g} num_j / X_g`` with its linearisation SE, for every group (and set).

    ``num``/``den`` are (PSU, group) row sums of ``w y`` and ``w x``, (J,) or (J, K);
    a (J,) ``den`` is shared by all sets. With ``den_all`` the denominator is the
    total over all groups (shares such as incidences, which then sum to 1 over groups).
    Returns (G,) or (G, K) arrays.
    """
    s = table.structure
    squeeze = num.ndim == 1
    n_mat = _rows_first(num[:, None] if squeeze else num)     # (K, J)
    d_mat = _rows_first(den[:, None] if den.ndim == 1 else den)  # (1 or K, J)
    G = table.n_groups
    n_strata = s.psu_per_stratum.size
    num_g = _bincount_rows(table.group, n_mat, G)  # (K, G)
    den_g = _bincount_rows(table.group, d_mat, G)
    if den_all:
        den_g = np.repeat(den_g.sum(axis=1, keepdims=True), G, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(den_g > 0, num_g / den_g, np.nan)
    r0 = np.nan_to_num(r)
    hg = s.psu_stratum[table.psu] * G + table.group
    length = n_strata * G
    if den_all:
        den_p = _bincount_rows(table.psu, d_mat, s.n_psu)          # (Kd, P)
        b_row = den_p[:, table.psu]                                 # (Kd, J)
        e = n_mat - r0[:, table.group] * b_row
        b1_h = _bincount_rows(s.psu_stratum, den_p, n_strata)[:, :, None]
        b2_h = _bincount_rows(s.psu_stratum, den_p * den_p, n_strata)[:, :, None]
        b1_hg = _bincount_rows(hg, b_row, length).reshape(-1, n_strata, G)
        b2_hg = _bincount_rows(hg, b_row * b_row, length).reshape(-1, n_strata, G)
        s1 = _bincount_rows(hg, e, length).reshape(-1, n_strata, G)
        s2 = _bincount_rows(hg, e * e, length).reshape(-1, n_strata, G)
        # PSUs of stratum h without group g: t = -R b_p (their b totals are B_h minus the present ones)
        s1 = s1 - r0[:, None, :] * (b1_h - b1_hg)
        s2 = s2 + (r0 * r0)[:, None, :] * np.maximum(b2_h - b2_hg, 0.0)
    else:
        e = n_mat - r0[:, table.group] * d_mat
        s1 = _bincount_rows(hg, e, length).reshape(-1, n_strata, G)
        s2 = _bincount_rows(hg, e * e, length).reshape(-1, n_strata, G)
    c, m, scale = _stratum_factors(s, lonely_psu)
    ss = np.maximum(s2 - m[None, :, None] * s1 * s1, 0.0)
    var = scale * np.einsum("h,khg->kg", c, ss)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(den_g > 0, np.sqrt(var) / den_g, np.nan)
    if squeeze:
        return RatioEstimate(r[0], se[0])
    return RatioEstimate(r.T, se.T)
