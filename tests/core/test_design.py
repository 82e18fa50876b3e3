"""The frozen Design: validation, read-only arrays, dense codes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sp2lnob.errors import DataError
from sp2lnob.survey.design import Design, dense_codes


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(-10**6, 10**6), min_size=1, max_size=200))
def test_dense_codes_equal_numpy_unique_inverse(values):
    arr = np.array(values)
    _, expected = np.unique(arr, return_inverse=True)
    assert np.array_equal(dense_codes(arr), expected.reshape(-1))


def test_dense_codes_strings_and_floats():
    assert dense_codes(np.array(["b", "a", "b"])).tolist() == [1, 0, 1]
    assert dense_codes(np.array([2.5, 1.0, 2.5])).tolist() == [1, 0, 1]


def test_design_arrays_are_read_only_and_copied():
    w = np.array([1.0, 2.0, 3.0])
    d = Design(weights=w, strata=np.array([5, 5, 9]), psu=np.array([1, 2, 3]))
    w[0] = 100.0
    assert d.weights[0] == 1.0
    with pytest.raises(ValueError):
        d.weights[0] = 3.0
    assert d.strata.tolist() == [0, 0, 1]


@pytest.mark.parametrize(
    ("weights", "fragment"),
    [([1.0, np.nan], "missing or infinite"), ([1.0, -2.0], "negative"), ([[1.0, 2.0]], "one-dimensional")],
)
def test_bad_weights(weights, fragment):
    with pytest.raises(DataError, match=fragment):
        Design(weights=np.array(weights))


def test_replicate_rscales_shape_checked():
    with pytest.raises(DataError, match="one factor per replicate"):
        Design(weights=np.ones(3), replicate_weights=np.ones((3, 4)), replicate_method="jkn", replicate_rscales=[1.0])


def test_design_carried_mse_and_rscales_equal_explicit_arguments():
    from sp2lnob.variance import estimate

    rng = np.random.default_rng(3)
    n, r = 400, 30
    y = rng.lognormal(size=n)
    w = rng.uniform(1, 3, n)
    reps = w[:, None] * rng.uniform(0.5, 1.5, (n, r))
    rs = rng.uniform(0.5, 1.0, r)
    base = Design(weights=w, replicate_weights=reps, replicate_method="bootstrap")
    carried = Design(weights=w, replicate_weights=reps, replicate_method="bootstrap", replicate_mse=True)
    explicit = estimate("mean", y, base, method="replicate", mse=True)
    assert estimate("mean", y, carried, method="replicate").se == pytest.approx(explicit.se, rel=1e-12)
    assert explicit.se != pytest.approx(estimate("mean", y, base, method="replicate").se, rel=1e-9)
    scaled = Design(weights=w, replicate_weights=reps, replicate_method="jk1", replicate_rscales=rs, replicate_scale=1.0)
    # with rscales the variance is scale * sum(rs_r * (t_r - centre)^2)
    from sp2lnob import measures

    t = np.array([measures.mean(y, reps[:, k]) for k in range(r)])
    expected = np.sqrt(np.sum(rs * (t - t.mean()) ** 2))
    assert estimate("mean", y, scaled, method="replicate").se == pytest.approx(expected, rel=1e-10)
