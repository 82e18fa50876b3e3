"""Impact of each programme set on poverty and inequality (aspire.md §3), whole population.

Pre = welfare without the set (:func:`~sp2lnob.performance.pretransfer.pretransfer_welfare`),
post = the survey's welfare; the poverty line is held fixed at its value on the
post-transfer distribution (ASPIRE practice, also for relative lines).

* poverty headcount reduction ``(FGT0_pre - FGT0_post) / FGT0_pre = 1 - sum w 1[y<z] / sum w 1[y_pre<z]``
* poverty gap reduction ``(FGT1_pre - FGT1_post) / FGT1_pre``, FGT1 with gaps ``(1 - y/z) 1[y<z]``
* benefit–cost ratio ``sum w (max(z - y_pre, 0) - max(z - y, 0)) / sum w a``: poverty gap
  closed (money) per unit transferred (World Bank ASPIRE / ADePT SP)
* Gini reduction ``(G_pre - G_post) / G_pre``; its SE linearises the Gini (Deville 1999
  influence function, :func:`sp2lnob.variance.influence.influence_gini`, as R convey
  ``svygini``) and the ratio: ``z = (G_post z_pre - G_pre z_post) / G_pre^2``

FGT (Foster, Greer & Thorbecke 1984) and Gini as in :mod:`sp2lnob.measures`. The
reductions are ratios of totals, so their SEs come from the same linearisation
(:mod:`sp2lnob.performance.se`); they are 1 − R, with the SE of R.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from sp2lnob.performance.indicators import long_rows
from sp2lnob.performance.pretransfer import Distribution, Households
from sp2lnob.performance.se import group_table, ratio, sum_rows


def poverty_impact(
    hh: Households, pre: np.ndarray, amount: np.ndarray, lines: dict[str, np.ndarray],
    set_names: Sequence[str], set_types: Sequence[str], has_amount: np.ndarray,
    *, lonely_psu: str | None = None,
) -> pl.DataFrame:
    """Headcount and gap pre/post, their reductions and the benefit–cost ratio, per set and line.

    Sets without amounts (receipt flags only) get the post values only.

    ``lines`` holds one line per household (welfare units).
    """
    table, inverse = group_table(hh.psu, np.zeros(hh.n, dtype=np.int64), 1, hh.structure)
    rows = table.psu.size
    K = len(set_names)
    w, y, y_pre, a = hh.weight, hh.welfare, pre, amount
    n_all = np.full((1, K), float(hh.persons.sum()))
    w_all = np.full((1, K), float(w.sum()))
    W = sum_rows(inverse, rows, w)

    def psu_sums(values: np.ndarray) -> np.ndarray:
        return np.bincount(inverse, weights=values, minlength=rows)

    Wa = np.empty((rows, K), order="F")
    for k in range(K):  # loops over sets: contiguous columns, no (households x sets) temporaries
        Wa[:, k] = psu_sums(w * a[:, k])
    frames = []

    def emit(name, value, se, basis, line, keep=None):
        frames.append(long_rows(name, np.atleast_2d(value), np.atleast_2d(se), n_all, w_all,
                                set_names, set_types, "all", ("all",), basis, keep, line))

    for line_name, z in lines.items():
        gap_post = np.where(y < z, 1.0 - y / z, 0.0)
        h_post = psu_sums(w * (y < z))
        g_post = psu_sums(w * gap_post)
        h_pre, g_pre, closed = (np.empty((rows, K), order="F") for _ in range(3))
        for k in range(K):
            yk = y_pre[:, k]
            poor = yk < z
            gap = np.where(poor, 1.0 - yk / z, 0.0)
            h_pre[:, k] = psu_sums(w * poor)
            g_pre[:, k] = psu_sums(w * gap)
            closed[:, k] = psu_sums(w * (gap - gap_post) * z)  # money gap closed
        for stem, post, pre_ in (("poverty_headcount", h_post, h_pre), ("poverty_gap", g_post, g_pre)):
            e_pre = ratio(table, pre_, W, lonely_psu=lonely_psu)
            e_post = ratio(table, post, W, lonely_psu=lonely_psu)
            emit(stem, e_pre.value, e_pre.se, "pre", line_name, has_amount)
            emit(stem, np.broadcast_to(e_post.value[:, None], (1, K)),
                 np.broadcast_to(e_post.se[:, None], (1, K)), "post", line_name)
            kept = ratio(table, np.asfortranarray(np.broadcast_to(post[:, None], pre_.shape)), pre_,
                         lonely_psu=lonely_psu)
            emit(f"{stem}_reduction", 1.0 - kept.value, kept.se, "none", line_name, has_amount)
        bcr = ratio(table, closed, Wa, lonely_psu=lonely_psu)
        emit("benefit_cost_ratio", bcr.value, bcr.se, "none", line_name, np.asarray(has_amount))
    return pl.concat(frames, how="vertical") if frames else _empty()


def gini_impact(hh: Households, pre: np.ndarray, pre_dists: Sequence[Distribution], post: Distribution,
                set_names: Sequence[str], set_types: Sequence[str], has_amount: np.ndarray,
                *, lonely_psu: str | None = None) -> pl.DataFrame:
    """Gini pre/post and ``(G_pre - G_post) / G_pre`` per set, with linearised SEs.

    Households carry their person weight ``W_h`` (welfare is per capita, the same for every
    member), so ``sum_h W_h z_h`` by PSU is the persons' linearised total. The influence
    values come from each distribution's sorted rows (no new sort).
    """
    from sp2lnob.variance.design_variance import psu_totals_variance
    from sp2lnob.variance.influence import influence_gini_sorted

    K = len(set_names)
    w = hh.weight

    def se(z: np.ndarray) -> float:
        t = np.bincount(hh.psu, weights=w * z, minlength=hh.structure.n_psu)
        return float(np.sqrt(psu_totals_variance(t, hh.structure, lonely_psu=lonely_psu)))

    def influence(d: Distribution) -> np.ndarray:
        # Influence values of the sorted rows, put back on their households (weight-0
        # households are in no distribution: z = 0, and their weight is 0 anyway).
        assert d.order is not None   # every distribution keeps its household order
        z = np.zeros(hh.n)
        z[d.order] = influence_gini_sorted(d.sorted_values, d.sorted_weights, d.gini)
        return z

    gini_post = post.gini
    z_post = influence(post)
    pre_g = np.array([d.gini for d in pre_dists], dtype=float)
    se_pre, se_red = np.full(K, np.nan), np.full(K, np.nan)
    done: dict[int, tuple[float, float]] = {}   # sets with the same pre-transfer welfare share one
    for k, d in enumerate(pre_dists):  # a loop over sets (a few dozen at most)
        if not has_amount[k]:
            continue
        if id(d) not in done:
            z_pre = influence(d)
            reduction_se = se((gini_post * z_pre - d.gini * z_post) / d.gini ** 2) if d.gini > 0 else np.nan
            done[id(d)] = (se(z_pre), reduction_se)
        se_pre[k], se_red[k] = done[id(d)]
    n_all, w_all = np.full((1, K), float(hh.persons.sum())), np.full((1, K), float(w.sum()))
    post_row = np.full((1, K), gini_post)
    with np.errstate(divide="ignore", invalid="ignore"):
        reduction = np.where(pre_g > 0, (pre_g - gini_post) / pre_g, np.nan)[None, :]
    return pl.concat([
        long_rows("gini", pre_g[None, :], se_pre[None, :], n_all, w_all, set_names, set_types, "all", ("all",),
                  "pre", has_amount),
        long_rows("gini", post_row, np.full((1, K), se(z_post)), n_all, w_all, set_names, set_types, "all",
                  ("all",), "post"),
        long_rows("gini_reduction", reduction, se_red[None, :], n_all, w_all, set_names, set_types, "all",
                  ("all",), "none", has_amount),
    ], how="vertical")


def _empty() -> pl.DataFrame:
    return long_rows("poverty_headcount", np.zeros((1, 0)), np.zeros((1, 0)), np.zeros((1, 0)),
                     np.zeros((1, 0)), [], [], "all", ("all",), "pre")
