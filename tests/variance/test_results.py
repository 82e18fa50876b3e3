"""Result objects: frozen, tidy frames, readable summaries."""

from __future__ import annotations

import dataclasses

import numpy as np
import polars as pl
import pytest
from tests.variance.variance_samples import cluster_sample

from sp2lnob.variance import Estimate, EstimateTable, estimate

Y, DESIGN = cluster_sample(3, 4, 5, seed=2)


def test_estimate_is_frozen_and_tidy():
    e = estimate("quantile", Y, DESIGN, p=0.25, rule="school")
    assert isinstance(e, Estimate)
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.se = 0.0  # type: ignore[misc]
    f = e.to_frame()
    assert f.height == 1
    assert {"estimate", "se", "ci_low", "ci_high", "n", "weighted_n", "method", "rule"} <= set(f.columns)
    assert f["rule"][0] == "school" and f["params"][0] == "p=0.25"
    assert e.to_dict()["n"] == Y.size
    assert e.weighted_n == pytest.approx(DESIGN.weights.sum())


def test_summary_is_text_and_str_does_not_print(capsys):
    e = estimate("gini", Y, DESIGN, method="bootstrap", replicates=30, seed=9)
    text = str(e)
    assert capsys.readouterr().out == ""
    assert "gini" in text and "SE" in text and "seed=9" in text and "30 replicates" in text


def test_table_group_column_first():
    groups = np.where(np.arange(Y.size) % 2 == 0, "even", "odd")
    t = estimate("mean", Y, DESIGN, by=pl.Series("parity", groups))
    assert isinstance(t, EstimateTable)
    f = t.to_frame()
    assert f.columns[0] == "parity" and f["parity"].to_list() == ["even", "odd"]
    assert t["odd"].domain == "parity=odd"
    assert "parity" in t.summary()


def test_domain_point_estimate_comes_from_the_domain_rows():
    from sp2lnob import measures

    dom = Y > np.median(Y)
    e = estimate("gini", Y, DESIGN, domain=dom)
    assert e.estimate == measures.gini(Y[dom], DESIGN.weights[dom])
    assert e.n == int(dom.sum())


def test_per_row_line_is_restricted_to_each_group():
    from sp2lnob import measures

    line = np.where(np.arange(Y.size) % 2 == 0, 3000.0, 5000.0)
    groups = np.where(np.arange(Y.size) < Y.size // 2, "first", "second")
    t = estimate("fgt", Y, DESIGN, by=groups, line=line, alpha=1.0)
    first = np.arange(Y.size) < Y.size // 2
    assert t["first"].estimate == measures.fgt(Y[first], DESIGN.weights[first], line[first], 1.0)
    assert t["first"].params["line"] == "per-row"


def test_polars_inputs_are_accepted():
    e1 = estimate("mean", pl.Series(Y), DESIGN, domain=pl.Series(Y > 3000))
    e2 = estimate("mean", Y, DESIGN, domain=Y > 3000)
    assert e1.se == e2.se


def test_bootstrap_groups_share_the_replicates():
    """One set of replicates per call: a by-table with a single group equals the overall estimate."""
    one = np.full(Y.size, "all")
    t = estimate("gini", Y, DESIGN, by=one, method="bootstrap", replicates=25, seed=4)
    e = estimate("gini", Y, DESIGN, method="bootstrap", replicates=25, seed=4)
    assert t["all"].se == e.se and t["all"].seed == 4
