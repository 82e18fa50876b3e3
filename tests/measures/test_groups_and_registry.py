"""by_group tables, decompositions and the MEASURES registry (code health)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import sp2lnob.measures as m

RNG = np.random.default_rng(20261122)
N = 600
X = np.round(RNG.lognormal(7, 0.7, N), 1)
W = RNG.uniform(0.5, 5.0, N)
REGION = RNG.choice(["north", "south", "east"], N)
URBAN = RNG.integers(0, 2, N)
LINE = float(np.median(X))


def test_by_group_single_variable_matches_subsets():
    t = m.by_group(m.gini, X, W, REGION)
    assert t.columns == ["group", "value", "n", "weighted_n"]
    assert t["group"].to_list() == ["east", "north", "south"]
    for row in t.iter_rows(named=True):
        sel = REGION == row["group"]
        assert row["value"] == m.gini(X[sel], W[sel])
        assert row["n"] == int(sel.sum())
        assert row["weighted_n"] == pytest.approx(W[sel].sum(), rel=1e-12)
    assert t["n"].sum() == N      # nothing dropped


def test_by_group_crossed_and_per_row_line_and_named_measure():
    lines = np.where(URBAN == 1, LINE * 1.2, LINE * 0.8)
    t = m.by_group("headcount", X, W, {"region": REGION, "urban": URBAN}, line=lines)
    assert t.columns == ["region", "urban", "value", "n", "weighted_n"]
    assert t.height == 6
    for row in t.iter_rows(named=True):
        sel = (REGION == row["region"]) & (URBAN == row["urban"])
        assert row["value"] == pytest.approx(m.fgt(X[sel], W[sel], line=lines[sel], alpha=0), rel=1e-15)


def test_by_group_polars_groups():
    t = m.by_group(m.mean, pl.Series(X), pl.Series(W), pl.Series("r", REGION))
    assert t["value"].to_list() == m.by_group(m.mean, X, W, REGION)["value"].to_list()


def test_fgt_decomposition_columns():
    t = m.fgt_decomposition(X, W, {"region": REGION}, LINE, 1.0)
    assert t.columns == ["region", "n", "weighted_n", "population_share", "fgt", "contribution",
                         "contribution_share"]


def test_theil_decomposition_result_object():
    d = m.theil_decomposition(X, W, REGION)
    assert d.total == pytest.approx(m.theil(X, W), rel=1e-12)
    assert d.to_frame()["component"].to_list() == ["within", "between", "total"]
    assert "between" in str(d) and "within" in d.summary()
    with pytest.raises(AttributeError):
        d.total = 0.0  # frozen


def test_registry_is_complete_and_documented():
    public = {"fgt", "watts", "sen", "poverty_gap_money", "gini", "theil", "mld", "ge2",
              "generalized_entropy", "atkinson", "palma", "s80_s20", "arpr", "arpt", "rmpg",
              "mean", "median", "total", "shares", "top_share", "bottom_share", "quantile"}
    assert public <= set(m.MEASURES)
    for name, info in m.MEASURES.items():
        assert info.name == name
        assert info.label and info.unit and info.formula and info.source, name
        assert info.returns in ("scalar", "array")
        params = dict(info.params)
        if info.needs_line:
            params["line"] = LINE
        value = info.function(X, W, **params)
        if info.returns == "scalar":
            assert isinstance(value, float) and np.isfinite(value), name
        else:
            assert isinstance(value, np.ndarray)


def test_quantile_rules_registry():
    assert set(m.QUANTILE_RULES) == {"math", "school", "laeken", "interpolated"}
    from sp2lnob.measures import quantiles

    for rule in m.QUANTILE_RULES:   # each rule's formula and source is in the module docstring
        assert f"``{rule}``" in quantiles.__doc__
