"""Faithful mode on hand-built data: the tree, the transfer and the re-routing worked out by hand.

Data (200 people, weight 1): rows 0-99 have consumption 50 and access for 20 of them (rate 0.2);
rows 100-199 have consumption 150 and access for 80 (rate 0.8). ``urban`` alternates 0/1 and has
the same rates in both halves, so it never improves a split. The tree (min_bucket 10, no share
rule, cp 0.01) splits once, at consumption < 100 (rpart's midpoint): leaf 2 (rate 0.2, the
furthest behind) and leaf 3 (rate 0.8).

Transfer: +60 to rows 0-49 (50 → 110 ≥ 100: they move to leaf 3), +30 to rows 50-99 (→ 80: they
stay), nothing to the others. By hand:
* furthest-behind group: 0.5 · 0.2 + 0.5 · 0.8 = 0.5 (change +0.3), half of it moved;
* the other group: 0.8, unchanged;
* national: 0.5 → (50 · 0.2 + 150 · 0.8) / 200 = 0.65;
* D before: shares (0.5, 0.5), rates (0.2, 0.8), p̄ 0.5 → (0.5·0.3 + 0.5·0.3)/(2·0.5) = 0.3;
  D after: shares (0.25, 0.75), p̄ 0.65 → (0.25·0.45 + 0.75·0.15)/(2·0.65) = 0.225/1.3.
"""

from __future__ import annotations

import numpy as np
import pytest

from sp2lnob.impact.faithful import faithful_impact
from sp2lnob.impact.prepare import fit_indicator
from sp2lnob.impact.spec import MoneyCircumstance
from sp2lnob.opportunity.analysis import CircumstanceData

PARAMS = {"min_bucket": 10, "min_share": None, "cp": 0.01, "max_depth": 3}


def _data():
    n = 200
    consumption = np.where(np.arange(n) < 100, 50.0, 150.0)
    y = np.zeros(n)
    urban = np.arange(n) % 2
    # 20 of the first 100 and 80 of the second 100, split evenly between urban and rural
    y[:20] = 1
    y[100:180] = 1
    w = np.ones(n)
    post = consumption.copy()
    post[:50] += 60.0
    post[50:100] += 30.0
    return y, w, consumption, urban, post


def _fitted(money_kind: str):
    y, w, consumption, urban, post = _data()
    if money_kind == "continuous":
        money = CircumstanceData("consumption", consumption, kind="continuous", label="Consumption")
    else:  # the bottom-40 flag with the pre-transfer cut 100
        money = CircumstanceData("consumption", (consumption <= 100).astype(np.int64), kind="unordered")
    circs = [money, CircumstanceData("urban", urban, kind="unordered", label="Urban")]
    fi = fit_indicator("access", y, w, circs, [MoneyCircumstance("consumption", money_kind)], tree_params=PARAMS)
    return fi, post


@pytest.mark.parametrize("kind", ["continuous", "b40"])
def test_tree_is_the_hand_built_one(kind):
    fi, _ = _fitted(kind)
    internal = [n for n in fi.tree.nodes_ if not n.is_leaf]
    assert [n.feature for n in internal] == ["consumption"]
    if kind == "continuous":
        assert internal[0].threshold == pytest.approx(100.0)
    assert len(fi.groups) == 2
    assert fi.rate_of_node[fi.groups[0]] == pytest.approx(0.2)
    assert fi.rate_of_node[fi.groups[1]] == pytest.approx(0.8)


@pytest.mark.parametrize("kind", ["continuous", "b40"])
def test_rerouting_matches_the_hand_computation(kind):
    fi, post = _fitted(kind)
    res = faithful_impact(fi, post, 100.0 if kind == "b40" else None)
    g = res.groups
    assert g["access_pre"].to_list() == pytest.approx([0.2, 0.8])
    assert g["access_post"].to_list() == pytest.approx([0.5, 0.8])
    assert g["change"].to_list() == pytest.approx([0.3, 0.0])
    assert g["moved_share"].to_list() == pytest.approx([0.5, 0.0])
    assert g["share"].to_list() == pytest.approx([0.5, 0.5])
    assert res.national_pre == pytest.approx(0.5)
    assert res.national_post == pytest.approx(0.65)
    assert res.d_pre == pytest.approx(0.3)
    assert res.d_post == pytest.approx(0.225 / 1.3)
    assert res.splits_on_consumption
    assert res.deciding == ("consumption",)
    assert res.share_falling == 0.0
    assert "defined partly by consumption" in res.note


def test_exactly_at_the_threshold_counts_as_crossing():
    fi, post = _fitted("continuous")
    post = post.copy()
    post[:50] = 100.0          # x < 100 goes left in rpart: 100 goes right
    res = faithful_impact(fi, post, None)
    assert res.groups["access_post"][0] == pytest.approx(0.5)


def test_a_tree_without_a_consumption_split_cannot_move():
    """Access set by urban (rates 0.1 / 0.9), consumption unrelated: nobody moves, and we say so."""
    rng = np.random.default_rng(5)
    n = 400
    urban = np.repeat([0, 1], n // 2)
    y = np.zeros(n)
    y[:20] = 1                      # 20 of 200 rural
    y[200:380] = 1                  # 180 of 200 urban
    consumption = rng.permutation(np.tile([40.0, 60.0, 80.0, 120.0], n // 4))
    circs = [CircumstanceData("consumption", consumption, kind="continuous"),
             CircumstanceData("urban", urban, kind="unordered", label="Area")]
    fi = fit_indicator("x", y, np.ones(n), circs, [MoneyCircumstance("consumption", "continuous")],
                       tree_params=PARAMS)
    assert not fi.splits_on_money
    res = faithful_impact(fi, consumption * 3.0, None)
    assert res.groups["change"].to_list() == [0.0, 0.0]
    assert res.national_post == res.national_pre
    assert res.d_post == res.d_pre
    assert "does not split on consumption" in res.note
    assert res.deciding == ("urban",)


def test_transfer_to_the_wrong_people_changes_nothing():
    """Only the better-off half gets money: nobody in the furthest-behind leaf crosses the split."""
    fi, _ = _fitted("continuous")
    y, w, consumption, urban, _ = _data()
    post = consumption + np.where(consumption > 100, 1000.0, 0.0)
    res = faithful_impact(fi, post, None)
    assert res.groups["change"].to_list() == [0.0, 0.0]
