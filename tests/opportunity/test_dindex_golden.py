"""Cells and logit D-index against R (tests/golden/dindex/make_fixtures.R, base R 4 ``glm``
with ``family = quasibinomial, weights = w``; cells by ``interaction()``), on the rpart parity data.

Tolerances: cells 1e-12 (the same sums); logit coefficients 1e-7 and D 1e-8 (IRLS stopping rules
differ: R stops at relative deviance change 1e-8, we at 1e-10).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from sp2lnob.opportunity.analysis import CircumstanceData, inequality
from sp2lnob.opportunity.dindex import design_matrix, weighted_logit

GOLDEN = Path(__file__).parents[1] / "golden"


@pytest.fixture(scope="module")
def data():
    d = pl.read_csv(GOLDEN / "rpart" / "data_mixed5k.csv")
    return d, json.loads((GOLDEN / "dindex" / "dindex_mixed5k.json").read_text())


def test_cells_d_matches_r(data):
    d, gold = data
    circs = [CircumstanceData("x_f3", d["x_f3"].to_numpy()), CircumstanceData("x_ord", d["x_ord"].to_numpy(), "ordered")]
    res = inequality("cells", circs, d["y"].to_numpy().astype(float), d["w"].to_numpy())
    assert res.method == "cells"
    assert res.d_index == pytest.approx(gold["d_cells"], rel=1e-12)
    assert res.mean_rate == pytest.approx(gold["mean_rate"], rel=1e-12)


def test_logit_matches_r_glm(data):
    d, gold = data
    f3 = np.unique(d["x_f3"].to_numpy(), return_inverse=True)[1]
    X = design_matrix([f3, np.zeros(d.height), np.zeros(d.height)],
                      [None, d["x_ord"].to_numpy(), d["x_cont"].to_numpy()])
    beta, converged, _ = weighted_logit(X, d["y"].to_numpy().astype(float), d["w"].to_numpy())
    assert converged
    np.testing.assert_allclose(beta, gold["coef"], rtol=1e-7, atol=1e-9)
    circs = [CircumstanceData("x_f3", d["x_f3"].to_numpy()),
             CircumstanceData("x_ord", d["x_ord"].to_numpy(), "ordered"),
             CircumstanceData("x_cont", d["x_cont"].to_numpy(), "continuous")]
    res = inequality("logit", circs, d["y"].to_numpy().astype(float), d["w"].to_numpy())
    assert res.method == "logit" and res.n_groups is None
    assert res.d_index == pytest.approx(gold["d_logit"], rel=1e-8)
