"""Parity of OpportunityTree with R's rpart (ANOVA, weighted), split for split and leaf for leaf.

Golden values: ``tests/golden/rpart/make_fixtures.R`` (rpart 4.1.19, Debian r-cran-rpart) generates
the data sets ``data_*.csv`` with a fixed seed and fits, for each control in the script,
``rpart(y ~ . - w, data, weights = w, method = "anova", control = rpart.control(maxdepth, minbucket,
cp, xval = 0, maxcompete = 0, maxsurrogate = 0))``; ``fit_*.json`` hold its frame, splits, csplit,
variable importance and the leaf of every row. ESCAP's weighted-share rule is off (``min_share=None``).
Data sets: continuous (with ties), ordered integer and unordered factor predictors (3, 5, 8 levels),
unequal weights (lognormal, uniform, four strata values) and one with a seventh of the weights zero
(rpart counts those rows in n but skips them in the split search).

Tolerances: rates and weighted sizes 1e-10 (relative for sizes; rpart and we add the same numbers
in a different order), improve and importance 1e-8 relative (they are ratios of such sums).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from sp2lnob.opportunity import OpportunityTree

GOLDEN = Path(__file__).parents[1] / "golden" / "rpart"
FITS = sorted(GOLDEN.glob("fit_*.json"))


def _fit(path: Path):
    golden = json.loads(path.read_text())
    data = pl.read_csv(GOLDEN / f"data_{path.stem.split('__')[0][4:]}.csv")
    c = golden["control"]
    tree = OpportunityTree(max_depth=c["maxdepth"], min_bucket=c["minbucket"], cp=c["cp"], min_share=None)
    tree.fit(data.drop("y", "w"), data["y"].to_numpy(), sample_weight=data["w"].to_numpy())
    return tree, golden


def test_fixtures_present():
    assert len(FITS) >= 12, "run tests/golden/rpart/make_fixtures.R"


@pytest.mark.parametrize("path", FITS, ids=lambda p: p.stem)
def test_frame_matches_rpart(path):
    tree, golden = _fit(path)
    fr = golden["frame"]
    assert [n.node_id for n in tree.nodes_] == fr["node"]
    assert [n.feature or "<leaf>" for n in tree.nodes_] == fr["var"]
    assert [n.n for n in tree.nodes_] == fr["n"]
    np.testing.assert_allclose([n.weight for n in tree.nodes_], fr["wt"], rtol=1e-10)
    np.testing.assert_allclose([n.rate for n in tree.nodes_], fr["yval"], rtol=0, atol=1e-10)
    np.testing.assert_allclose([n.deviance for n in tree.nodes_], fr["dev"], rtol=1e-9)


@pytest.mark.parametrize("path", FITS, ids=lambda p: p.stem)
def test_splits_match_rpart(path):
    tree, golden = _fit(path)
    sp, csplit, levels = golden["splits"], golden["csplit"], golden["levels"]
    internal = [n for n in tree.nodes_ if not n.is_leaf]
    assert [n.feature for n in internal] == sp["var"]
    assert [n.count for n in internal] == sp["count"]
    np.testing.assert_allclose([n.improve for n in internal], sp["improve"], rtol=1e-8)
    for node, ncat, index in zip(internal, sp["ncat"], sp["index"], strict=True):
        if node.threshold is not None:
            assert node.threshold == pytest.approx(index, abs=1e-12)
            assert ncat == (-1 if node.less_goes_left else 1)
        else:
            row = csplit[int(index) - 1]
            lev = levels[node.feature]
            assert ncat == len(lev)
            assert sorted(node.left_values) == [v for v, c in zip(lev, row, strict=False) if c == 1]
            assert sorted(node.right_values) == [v for v, c in zip(lev, row, strict=False) if c == 3]


@pytest.mark.parametrize("path", FITS, ids=lambda p: p.stem)
def test_leaf_of_every_row_and_importance(path):
    tree, golden = _fit(path)
    np.testing.assert_array_equal(tree.leaf_of_row_, golden["where"])
    data = pl.read_csv(GOLDEN / f"data_{path.stem.split('__')[0][4:]}.csv")
    np.testing.assert_array_equal(tree.apply(data.drop("y", "w")), golden["where"])
    imp = golden["importance"]
    assert list(tree.variable_importance_) == list(imp)
    np.testing.assert_allclose(list(tree.variable_importance_.values()), list(imp.values()), rtol=1e-8)
