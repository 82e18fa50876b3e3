"""Input handling: accepted types, and structured errors for bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

import sp2lnob.measures as m
from sp2lnob.errors import DataError, InputError

X = [3.0, 10.0, 1.0, 4.0, 2.0]
W = [1.0, 3.0, 1.0, 1.0, 2.0]


@pytest.mark.parametrize(
    "convert",
    [np.array, list, pl.Series, pd.Series, lambda v: pl.Series(v).cast(pl.Float32),
     lambda v: pd.Series(v, index=[10, 20, 30, 40, 50])],
    ids=["numpy", "list", "polars", "pandas", "polars-f32", "pandas-index"],
)
def test_input_types_agree(convert):
    assert m.gini(convert(X), convert(W)) == pytest.approx(8 / 21, rel=1e-12)
    assert m.quantile(convert(X), convert(W), 0.5, rule="school") == 3.5
    assert m.fgt(convert(X), convert(W), line=3.5) == 0.5


def test_pandas_nullable_columns_accepted():
    assert m.mean(pd.Series([1, 2, 3], dtype="Int64"), pd.Series([1.0, 1.0, 2.0], dtype="Float64")) == 2.25


def test_integer_and_bool_columns_accepted():
    assert m.mean(np.array([1, 2, 3], dtype=np.int32), np.array([1, 1, 2], dtype=np.int64)) == 2.25
    assert m.mean([True, False, True, True]) == 0.75


def test_zero_weights_ignore_row():
    with_zero = m.quantile([1.0, 2.0, 100.0], [1.0, 1.0, 0.0], 1.0)
    assert with_zero == 2.0
    assert m.gini([1.0, 2.0, 100.0], [1.0, 1.0, 0.0]) == pytest.approx(m.gini([1.0, 2.0]), rel=1e-15)


@pytest.mark.parametrize(
    ("values", "weights", "fragment"),
    [
        ([1.0, np.nan, 3.0], None, "missing"),
        (pd.Series([1.0, None, 3.0]), None, "missing"),
        (pl.Series([1.0, None, 3.0]), None, "missing"),
        (pd.Series([1, None, 3], dtype="Int64"), None, "missing"),
        (pl.Series([1, None, 3]), None, "missing"),
        ([1.0, 2.0, 3.0], [1.0, np.nan, 1.0], "missing"),
        ([1.0, np.inf, 3.0], None, "infinite"),
        ([1.0, 2.0, 3.0], [1.0, -1.0, 1.0], "negative weight"),
        ([1.0, 2.0, 3.0], [0.0, 0.0, 0.0], "all weights are zero"),
        ([1.0, 2.0, 3.0], [1.0, 1.0], "different lengths"),
        (["a", "b"], None, "not numeric"),
        (np.array(["1", "2"], dtype=object), None, "not numeric"),
        (pl.Series(["1.5", "2"]), None, "not numeric"),
        ([], None, "no rows"),
        (np.ones((2, 2)), None, "one-dimensional"),
    ],
)
@pytest.mark.parametrize("fn", [m.gini, m.mean, m.median, lambda x, w: m.fgt(x, w, line=2.0)],
                         ids=["gini", "mean", "median", "fgt"])
def test_bad_input_raises_structured_error(fn, values, weights, fragment):
    with pytest.raises(DataError) as err:
        fn(values, weights)
    assert fragment in err.value.what
    d = err.value.to_dict()
    assert d["kind"] == "data" and d["where"] and ("expected" in d or "got" in d)


def test_nan_count_is_reported():
    with pytest.raises(DataError) as err:
        m.mean([1.0, np.nan, np.nan, 4.0])
    assert "2 missing" in err.value.what and "2 of 4" in err.value.got


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: m.theil([1.0, -2.0, 3.0]), "negative"),
        (lambda: m.mld([0.0, 2.0, 3.0]), "non-positive"),
        (lambda: m.atkinson([0.0, 2.0], epsilon=1), "non-positive"),
        (lambda: m.watts([0.0, 5.0], line=2.0), "non-positive"),
        (lambda: m.sen([-1.0, 1.0, 5.0], line=2.0), "negative"),
        (lambda: m.theil_decomposition([0.0, 5.0], None, ["a", "b"]), "non-positive"),
        (lambda: m.gini([0.0, 0.0]), "positive weighted total"),
        (lambda: m.fgt(X, W, line=np.ones(3)), "wrong length"),
        (lambda: m.rmpg([5.0, 5.0, 5.0]), "no one is below"),
        (lambda: m.by_group(m.gini, X, W, ["a", None, "a", "b", "b"]), "missing"),
        (lambda: m.by_group(m.gini, X, W, ["a", "b"]), "wrong length"),
    ],
)
def test_domain_errors(call, fragment):
    with pytest.raises(DataError) as err:
        call()
    assert fragment in err.value.what
    assert err.value.hint or err.value.expected


def test_watts_only_needs_positive_poor():
    # A zero above the line? impossible (z > 0); a zero-income poor row is refused, non-poor rows unrestricted.
    assert m.watts([1.0, 5.0], line=2.0) == pytest.approx(np.log(2.0) / 2, rel=1e-15)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: m.quantile(X, W, 0.5, rule="mathh"), "unknown quantile rule"),
        (lambda: m.quantile(X, W, 1.5), "p must be in"),
        (lambda: m.fgt(X, W, line=None), "poverty line is required"),
        (lambda: m.fgt(X, W, line=-1.0), "positive"),
        (lambda: m.fgt(X, W, line=2.0, alpha=-1), "alpha"),
        (lambda: m.atkinson(X, W, epsilon=-0.5), "epsilon"),
        (lambda: m.arpr(X, W, of="medain"), "unknown threshold base"),
        (lambda: m.ntile(X, W, 0), "positive integer"),
        (lambda: m.sen(X, W, np.ones(5)), "single poverty line"),
        (lambda: m.by_group("ginni", X, W, ["a"] * 5), "unknown measure"),
        (lambda: m.by_group("shares", X, W, ["a"] * 5), "returns an array"),
        (lambda: m.theil_decomposition(X, W, ["a"] * 5, alpha=2), "alpha 0"),
    ],
)
def test_argument_errors(call, fragment):
    with pytest.raises(InputError) as err:
        call()
    assert fragment in err.value.what


def test_misspelt_rule_gets_a_hint():
    with pytest.raises(InputError) as err:
        m.quantile(X, W, 0.5, rule="schol")
    assert "school" in err.value.hint


def test_by_group_names_the_failing_group():
    with pytest.raises(DataError) as err:
        m.by_group(m.mld, [1.0, 2.0, 0.0, 4.0], None, ["a", "a", "b", "b"])
    assert "group='b'" in err.value.what and "non-positive" in err.value.what
