"""OpportunityTree: scikit-learn contract, ESCAP's share rule, input types, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sp2lnob.errors import DataError, InputError
from sp2lnob.opportunity import OpportunityTree
from sp2lnob.parameters import load


def _data(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2, n)
    region = rng.choice(np.array(["N", "S", "E", "W", "C"]), n)
    educ = rng.integers(0, 5, n)
    p = 0.15 + 0.3 * a + 0.1 * educ / 4 + 0.2 * (region == "C")
    y = (rng.random(n) < p).astype(float)
    w = rng.uniform(0.5, 4, n)
    return pl.DataFrame({"a": a, "region": region, "educ": educ}), y, w


def test_defaults_are_the_parameter_file():
    tree = OpportunityTree()
    yaml_tree = load("lnob_tree.yaml")["tree"]
    for key in ("max_depth", "min_bucket", "min_share", "cp", "min_split"):
        assert tree.get_params()[key] == yaml_tree[key], key


def test_estimator_contract():
    X, y, w = _data()
    tree = OpportunityTree(cp=0.001)
    assert not hasattr(tree, "nodes_")
    with pytest.raises(InputError):
        tree.predict(X)
    assert tree.fit(X, y, sample_weight=w) is tree
    assert tree.n_features_in_ == 3
    assert list(tree.feature_names_in_) == ["a", "region", "educ"]
    assert tree.set_params(cp=0.5) is tree and tree.cp == 0.5
    with pytest.raises(InputError):
        tree.set_params(depth=3)
    assert "OpportunityTree(" in repr(tree)
    np.testing.assert_allclose(tree.feature_importances_.sum(), 1.0)


@pytest.mark.parametrize("bad", [dict(max_depth=0), dict(max_depth=31), dict(min_bucket=0), dict(cp=-0.1),
                                 dict(min_share=0.6), dict(min_split=1), dict(max_depth=2.5)])
def test_parameters_validated(bad):
    X, y, w = _data(500)
    with pytest.raises(InputError):
        OpportunityTree(**bad).fit(X, y, w)


def test_apply_and_predict_agree_with_training_leaves():
    X, y, w = _data()
    tree = OpportunityTree(min_share=None, min_bucket=30, cp=0.002).fit(X, y, w)
    np.testing.assert_array_equal(tree.apply(X), tree.leaf_of_row_)
    rates = {n.node_id: n.rate for n in tree.leaves_}
    np.testing.assert_allclose(tree.predict(X), [rates[i] for i in tree.leaf_of_row_])
    # leaf rates are the weighted means of their rows
    for leaf in tree.leaves_:
        m = tree.leaf_of_row_ == leaf.node_id
        assert leaf.rate == pytest.approx(np.average(y[m], weights=w[m]), rel=1e-12)
        assert leaf.n == int(m.sum())


def test_unseen_category_follows_larger_child():
    X, y, w = _data()
    tree = OpportunityTree(min_share=None, min_bucket=30, cp=0.002, categorical_features=["region"]).fit(X, y, w)
    new = X.head(5).with_columns(pl.lit("Z").alias("region"))
    leaves = tree.apply(new)
    assert set(leaves.tolist()) <= {n.node_id for n in tree.leaves_}


@pytest.mark.parametrize("kind", ["polars", "pandas", "numpy"])
def test_input_types_give_the_same_tree(kind):
    X, y, w = _data()
    ref = OpportunityTree(min_share=None, cp=0.002, categorical_features=[1]).fit(X, y, w)
    if kind == "pandas":
        Xk = X.to_pandas()
    elif kind == "numpy":
        Xk = X.to_numpy()  # object array: region stays unordered via categorical_features=[1]
    else:
        Xk = X
    tree = OpportunityTree(min_share=None, cp=0.002, categorical_features=[1]).fit(Xk, y, w)
    assert [(n.node_id, n.n) for n in tree.nodes_] == [(n.node_id, n.n) for n in ref.nodes_]
    assert isinstance(Xk, (pl.DataFrame, pd.DataFrame, np.ndarray))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([0.05, 0.09, 0.2]))
def test_every_leaf_respects_both_size_rules(seed, share):
    X, y, w = _data(3000, seed)
    tree = OpportunityTree(min_share=share, min_bucket=40, cp=0.0005).fit(X, y, w)
    for leaf in tree.leaves_:
        assert leaf.n >= 40
        assert leaf.share >= share - 1e-12


def test_depth_and_cp_rules():
    X, y, w = _data()
    deep = OpportunityTree(min_share=None, min_bucket=5, cp=0.0, max_depth=3).fit(X, y, w)
    assert max(n.depth for n in deep.nodes_) <= 3
    # every kept split explains at least cp x root deviance (the pruning rule, per split)
    tree = OpportunityTree(min_share=None, min_bucket=20, cp=0.01).fit(X, y, w)
    root = tree.nodes_[0].deviance
    for node in tree.nodes_:
        if not node.is_leaf and all(tree.nodes_[i].is_leaf for i in range(len(tree.nodes_))
                                    if tree.nodes_[i].parent == node.node_id):
            assert node.improve * node.deviance > 0.01 * root


def test_zero_weight_rows_never_make_an_all_zero_node():
    X, y, w = _data()
    w = w.copy()
    w[::3] = 0.0   # a third of the rows carry no weight
    tree = OpportunityTree(min_share=None, min_bucket=30, cp=0.001).fit(X, y, w)
    for node in tree.nodes_:
        assert node.weight > 0
    # zero-weight rows are still counted in n (rpart's frame counts them) and assigned a leaf
    assert sum(n.n for n in tree.leaves_) == X.height


def test_bad_input_errors():
    X, y, w = _data(300)
    with pytest.raises(DataError, match="missing"):
        OpportunityTree().fit(X.with_columns(pl.lit(None, dtype=pl.Int64).alias("educ")), y, w)
    with pytest.raises(DataError, match="all weights are zero"):
        OpportunityTree().fit(X, y, np.zeros_like(w))
    with pytest.raises(DataError, match="non-negative"):
        OpportunityTree().fit(X, y, -w)
    with pytest.raises(DataError, match="one value per row"):
        OpportunityTree().fit(X, y[:-1], w)
    with pytest.raises(DataError, match="not numeric"):
        OpportunityTree(categorical_features=[]).fit(X, y, w)
    with pytest.raises(InputError, match="not a column"):
        OpportunityTree(categorical_features=["regoin"]).fit(X, y, w)


def test_single_node_when_nothing_splits():
    X, y, w = _data(300)
    tree = OpportunityTree().fit(X, np.ones_like(y), w)  # no variation: no split
    assert len(tree.nodes_) == 1 and tree.nodes_[0].is_leaf
    assert tree.variable_importance_ == {}


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 6))
def test_unordered_root_split_is_the_best_subset(seed, n_levels):
    """The mean-ordering shortcut finds the best of all 2^(L−1) − 1 subset splits (brute force)."""
    from itertools import combinations

    rng = np.random.default_rng(seed)
    n = 600
    g = rng.integers(0, n_levels, n)
    y = (rng.random(n) < rng.random(n_levels)[g]).astype(float)
    w = rng.uniform(0.2, 5, n)
    tree = OpportunityTree(max_depth=1, min_bucket=1, min_share=None, cp=0.0, categorical_features=[0])
    tree.fit(g.reshape(-1, 1), y, w)
    if tree.nodes_[0].is_leaf:
        return
    ybar = np.average(y, weights=w)

    def between(left_levels):
        m = np.isin(g, left_levels)
        wl, wr = w[m].sum(), w[~m].sum()
        sl, sr = (w[m] * (y[m] - ybar)).sum(), (w[~m] * (y[~m] - ybar)).sum()
        return sl * sl / wl + sr * sr / wr

    levels = np.unique(g)
    best = max(between(list(c)) for r in range(1, len(levels)) for c in combinations(levels, r))
    root = tree.nodes_[0]
    assert root.improve * root.deviance == pytest.approx(best, rel=1e-9)
