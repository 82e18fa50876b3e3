"""Invariants of the indicators on random surveys (hypothesis)."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from sp2lnob.performance.compute import compute_indicators
from sp2lnob.performance.inputs import Grouping, PerformanceInput
from sp2lnob.performance.pretransfer import pretransfer_welfare
from sp2lnob.performance.programme_sets import ProgrammeInfo
from sp2lnob.survey.design import Design

CATEGORIES = ["conditional_cash_transfers", "social_pensions", "contributory_pensions",
              "passive_labour_market", "international_remittances", "public_works"]


def random_input(seed: int, n_hh: int, n_prog: int, extra_zero: bool = False) -> PerformanceInput:
    rng = np.random.default_rng(seed)
    size = rng.integers(1, 5, n_hh)
    hh = np.repeat(np.arange(n_hh), size)
    n = hh.size
    y = rng.lognormal(6, 0.7, n_hh)
    w = rng.uniform(1, 20, n_hh)
    psu = rng.integers(0, 8, n_hh)
    amounts, receipts, progs = [], [], []
    for j in range(n_prog):
        gets = rng.uniform(size=n_hh) < rng.uniform(0.05, 0.6)
        amt = np.where(gets, rng.uniform(0, 1.5, n_hh) * y, 0.0)  # may exceed welfare: floored
        amounts.append(amt[hh] / size[hh])
        receipts.append(gets[hh])
        progs.append(ProgrammeInfo(f"p{j}", f"P{j}", CATEGORIES[j % len(CATEGORIES)]))
    if extra_zero:
        amounts.append(np.zeros(n))
        receipts.append(np.zeros(n, dtype=bool))
        progs.append(ProgrammeInfo("zero", "Zero", "conditional_cash_transfers"))
    return PerformanceInput(
        household=hh, weight=w[hh], welfare=y[hh],
        design=Design(weights=w[hh], strata=(psu % 2)[hh], psu=psu[hh]),
        programmes=tuple(progs), amount_pc=np.column_stack(amounts), receipt=np.column_stack(receipts),
        groupings={"sex": Grouping("sex", rng.integers(0, 2, n), ("M", "F"))},
        lines={"z": np.full(n, float(np.exp(6)))},
    )


surveys = st.tuples(st.integers(0, 2**31), st.integers(40, 120), st.integers(1, 5))


@settings(max_examples=40, deadline=None)
@given(surveys)
def test_incidences_sum_to_one_over_quintiles(params):
    res = compute_indicators(random_input(*params), lonely_psu="adjust")
    f = res.to_frame().filter(pl.col("indicator").is_in(["beneficiary_incidence", "benefit_incidence"])
                              & (pl.col("group_var") == "quintile"))
    sums = f.group_by(["indicator", "programme", "set_type", "basis"]).agg(pl.col("value").sum())
    # a set nobody receives has no incidence (0/0 = NaN in every group): nothing to sum
    empty = res.to_frame().filter((pl.col("indicator") == "coverage") & (pl.col("group_var") == "all")
                                  & (pl.col("value") == 0)).select("programme", "set_type")
    sums = sums.join(empty, on=["programme", "set_type"], how="anti")
    assert np.allclose(sums["value"].to_numpy(), 1.0)


@settings(max_examples=40, deadline=None)
@given(surveys)
def test_all_spl_coverage_at_least_every_family(params):
    res = compute_indicators(random_input(*params), lonely_psu="adjust")
    cov = res.to_frame().filter(pl.col("indicator") == "coverage")
    spl = cov.filter(pl.col("set_type") == "all_spl").select("group_var", "group", "basis",
                                                             pl.col("value").alias("spl"))
    other = cov.filter(pl.col("set_type").is_in(["family", "category", "programme"])
                       & (pl.col("programme") != "international_remittances")
                       & ~pl.col("programme").is_in(["p4"]))  # private transfers are not SPL
    # pre-quintile rows rank by each set's own pre-transfer welfare: compare post / none only
    joined = other.filter(pl.col("basis") != "pre").join(spl, on=["group_var", "group", "basis"])
    assert joined.height > 0
    assert (joined["spl"] >= joined["value"] - 1e-12).all()


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 50), st.integers(1, 4))
def test_pre_transfer_welfare_at_most_post(seed, n, k):
    rng = np.random.default_rng(seed)
    y = rng.lognormal(5, 1, n)
    t = rng.uniform(0, 2, (n, k)) * y[:, None] * (rng.uniform(size=(n, k)) < 0.5)
    pre, floored = pretransfer_welfare(y, t)
    assert np.all(pre <= y[:, None])
    assert np.all(pre >= 0)
    assert np.array_equal(floored, y[:, None] - t < 0)


@settings(max_examples=30, deadline=None)
@given(surveys)
def test_a_programme_with_zero_transfers_changes_nothing(params):
    base = compute_indicators(random_input(*params), lonely_psu="adjust").to_frame()
    more = compute_indicators(random_input(*params, extra_zero=True), lonely_psu="adjust").to_frame()
    keys = ["indicator", "programme", "set_type", "group_var", "group", "basis", "line"]
    # every figure of the original sets is unchanged (the new programme only adds its own rows)
    drop = pl.col("programme").is_in(["zero"]) | pl.col("indicator").is_in(
        ["overlap_programmes", "overlap_pairwise"])
    a = base.filter(~drop)
    b = more.filter(~drop).join(a.select(keys), on=keys, how="semi", nulls_equal=True)
    a = a.sort(keys, nulls_last=True)
    b = b.sort(keys, nulls_last=True)
    assert a.height == b.height
    assert np.allclose(a["value"].to_numpy(), b["value"].to_numpy(), equal_nan=True)
    assert np.allclose(a["se"].to_numpy(), b["se"].to_numpy(), equal_nan=True)
