"""Rao–Wu rescaled bootstrap (m_h = n_h - 1) and replicate-variance bookkeeping."""

from __future__ import annotations

import numpy as np
import pytest
from tests.variance.variance_samples import cluster_sample

from sp2lnob.survey.design import Design
from sp2lnob.variance import (
    estimate,
    psu_structure,
    rao_wu_bootstrap_weights,
    rao_wu_psu_multipliers,
    replicate_variance,
)

Y, DESIGN = cluster_sample(5, 6, 4, seed=3)  # 5 strata x 6 PSUs x 4 rows


def test_each_replicate_draws_n_h_minus_1_psus_per_stratum():
    s = psu_structure(DESIGN)
    mult = rao_wu_psu_multipliers(s, 300, np.random.default_rng(1))
    n_h = s.psu_per_stratum[s.psu_stratum]
    draws = mult * (n_h - 1)[:, None] / n_h[:, None]          # back to counts r_hj
    np.testing.assert_allclose(draws, np.round(draws))
    per_stratum = np.stack([np.bincount(s.psu_stratum, weights=draws[:, r]) for r in range(300)], 1)
    np.testing.assert_array_equal(per_stratum, np.repeat((s.psu_per_stratum - 1)[:, None], 300, 1))


def test_stratum_weight_totals_are_unbiased_on_average():
    s = psu_structure(DESIGN)
    rw = rao_wu_bootstrap_weights(DESIGN, replicates=4000, seed=11)
    row_stratum = s.psu_stratum[s.row_psu]
    full = np.bincount(row_stratum, weights=DESIGN.weights)
    reps = np.stack([np.bincount(row_stratum, weights=rw[:, r]) for r in range(rw.shape[1])], 1)
    mean = reps.mean(axis=1)
    se_of_mean = reps.std(axis=1, ddof=1) / np.sqrt(rw.shape[1])
    # unbiased: the average replicate total is within 4 Monte-Carlo SEs of the full total
    assert np.all(np.abs(mean - full) < 4 * se_of_mean)
    assert np.all(se_of_mean > 0)


def test_same_seed_same_se_and_seed_recorded():
    a = estimate("gini", Y, DESIGN, method="bootstrap", replicates=50, seed=123)
    b = estimate("gini", Y, DESIGN, method="bootstrap", replicates=50, seed=123)
    c = estimate("gini", Y, DESIGN, method="bootstrap", replicates=50, seed=124)
    assert a.se == b.se and a.seed == 123 and a.replicates == 50
    assert c.se != a.se


def test_no_seed_draws_one_and_records_it():
    a = estimate("mean", Y, DESIGN, method="bootstrap", replicates=40)
    assert isinstance(a.seed, int)
    again = estimate("mean", Y, DESIGN, method="bootstrap", replicates=40, seed=a.seed)
    assert again.se == a.se


def test_linear_fast_path_equals_replicate_loop():
    """Mean via PSU-total matrix products equals the mean recomputed on each replicate's weights."""
    e = estimate("mean", Y, DESIGN, method="bootstrap", replicates=60, seed=5)
    rw = rao_wu_bootstrap_weights(DESIGN, replicates=60, seed=5)
    reps = (rw * Y[:, None]).sum(0) / rw.sum(0)
    assert e.se == pytest.approx(np.sqrt(replicate_variance(e.estimate, reps, "bootstrap")), rel=1e-12)


def test_lonely_psu_stratum_keeps_multiplier_one():
    d = Design(weights=np.ones(5), strata=np.array([0, 0, 0, 1, 1]), psu=np.array([0, 1, 1, 2, 2]))
    rw = rao_wu_bootstrap_weights(d, replicates=20, seed=1)
    np.testing.assert_array_equal(rw[3:], 1.0)


def test_replicate_variance_mse_and_centre():
    reps = np.array([1.0, 2.0, 3.0, 6.0])
    assert replicate_variance(0.0, reps, "brr") == pytest.approx(np.sum((reps - 3.0) ** 2) / 4)
    assert replicate_variance(0.0, reps, "brr", mse=True) == pytest.approx(np.sum(reps**2) / 4)
    assert replicate_variance(0.0, reps, "jk1", rscales=np.full(4, 0.5), scale=2.0) == \
        pytest.approx(np.sum((reps - 3.0) ** 2))


def test_psu_codes_are_nested_in_strata():
    """PSU 0, 1, ... restarting in each stratum (R nest=TRUE) equals globally unique PSU codes."""
    s = psu_structure(DESIGN)
    local = s.row_psu - np.concatenate(([0], np.cumsum(s.psu_per_stratum)))[s.psu_stratum[s.row_psu]]
    nested = Design(weights=DESIGN.weights, strata=DESIGN.strata, psu=local)
    assert local.max() < s.n_psu - 1  # the codes really repeat across strata
    for method in ("linearization", "bootstrap"):
        a = estimate("gini", Y, DESIGN, method=method, replicates=30, seed=3)
        b = estimate("gini", Y, nested, method=method, replicates=30, seed=3)
        assert a.se == pytest.approx(b.se, rel=1e-12)
