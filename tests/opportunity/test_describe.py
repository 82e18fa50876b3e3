"""Rules in words, written from circumstance labels."""

from __future__ import annotations

import numpy as np

from sp2lnob.opportunity import CircumstanceData, analyse


def _designed(n=6000, seed=0):
    rng = np.random.default_rng(seed)
    urban = rng.integers(0, 2, n)
    b40 = rng.integers(0, 2, n)
    educ = rng.integers(0, 5, n)
    # access is low only for rural people in the bottom 40 %, and rises with education
    p = np.where((urban == 0) & (b40 == 1), 0.15, 0.75) + 0.04 * educ
    y = (rng.random(n) < p).astype(float)
    circs = [
        CircumstanceData("urban", urban, label="Area", value_labels={0: "Rural", 1: "Urban"}),
        CircumstanceData("wealth", b40, label="Wealth", value_labels={1: "Bottom 40 %", 0: "Top 60 %"}),
        CircumstanceData("educ", educ, kind="ordered", label="Education",
                         value_labels={0: "none", 1: "primary", 2: "lower secondary", 3: "upper secondary",
                                       4: "tertiary"}),
    ]
    return y, np.ones(n), circs


def test_furthest_behind_in_words():
    y, w, circs = _designed()
    res = analyse(y, w, circs, tree_params={"cp": 0.01}, shapley=None)
    parts = set(res.furthest_behind.rule.split(", "))
    assert {"Rural", "Bottom 40 %"} <= parts
    assert res.furthest_behind.rate < 0.35


def test_ordered_sets_and_paths_are_merged():
    y, w, circs = _designed(20_000, 1)
    res = analyse(y, w, circs, tree_params={"cp": 0.0005, "min_share": None}, shapley=None)
    for path in res.nodes["path"].to_list():
        # each circumstance appears at most once in a path, even when split twice
        labels = [p.split(":")[0] for p in path.split(", ") if ":" in p]
        assert len(labels) == len(set(labels))
    texts = " | ".join(res.nodes["path"].to_list())
    assert "Education:" in texts
