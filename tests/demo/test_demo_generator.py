"""The generator: deterministic, sizes as asked, structurally sound at any size and seed."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from sp2lnob.demo import generate_asiatica
from sp2lnob.errors import InputError
from sp2lnob.parameters import load

HOUSEHOLD_AMOUNTS = [
    "cct_amount",
    "public_works_amount",
    "disaster_relief_amount",
    "remittances_amount",
    "domestic_transfers_amount",
]
PERSON_AMOUNTS = ["pension_amount", "social_pension_amount", "scholarship_amount", "disability_benefit_amount"]


def test_same_seed_same_frames_and_other_seed_differs():
    h1, p1 = generate_asiatica(1_500, seed=7)
    h2, p2 = generate_asiatica(1_500, seed=7)
    assert_frame_equal(h1, h2)
    assert_frame_equal(p1, p2)
    h3, p3 = generate_asiatica(1_500, seed=8)
    assert not h1["cons_pc"].equals(h3["cons_pc"])
    assert not p1.equals(p3)


@pytest.mark.parametrize("n", [1, 2, 11, 12, 999, 3_001])
def test_sizes_as_requested(n):
    h, p = generate_asiatica(n, seed=1)
    assert h.height == n
    assert h["hhid"].to_list() == list(range(1, n + 1))
    assert p.height == h["hhsize"].sum()


@pytest.mark.parametrize("bad", [0, -5, 2.5, "10", True, 10**8])
def test_bad_size_is_a_structured_error(bad):
    with pytest.raises(InputError) as info:
        generate_asiatica(bad)
    assert info.value.where == "n_households"


@pytest.mark.parametrize("bad", [-1, 1.5, "x"])
def test_bad_seed_is_a_structured_error(bad):
    with pytest.raises(InputError):
        generate_asiatica(100, seed=bad)


def check_structure(h: pl.DataFrame, p: pl.DataFrame) -> None:
    """Invariants every generated survey must satisfy, whatever its size and seed."""
    params = load("demo_asiatica.yaml")
    # persons <-> households
    assert set(p["hhid"].unique().to_list()) == set(h["hhid"].to_list())
    counts = p.group_by("hhid").agg(pl.len().alias("n"), pl.col("pid").max().alias("maxpid"))
    merged = h.join(counts, on="hhid")
    assert (merged["n"] == merged["hhsize"]).all()
    assert (merged["maxpid"] == merged["hhsize"]).all()
    assert p.select(pl.struct("hhid", "pid").is_unique().all()).item()
    assert p.equals(p.sort("hhid", "pid"))
    # one head per household, member 1; spouses are of the other sex
    heads = p.filter(pl.col("relation") == 1)
    assert heads.height == h.height and (heads["pid"] == 1).all()
    couples = p.filter(pl.col("relation") == 2).join(heads.select("hhid", head_sex="sex"), on="hhid")
    assert (couples["sex"] != couples["head_sex"]).all()
    assert (heads["age"] >= 18).all()
    # design: weights positive, PSUs nested in strata, strata in regions x urban
    assert (h["hhweight"] > 0).all() and h["hhweight"].is_finite().all()
    assert h.group_by("psu").agg(pl.col("stratum").n_unique()).get_column("stratum").max() == 1
    assert h.group_by("stratum").agg(pl.col("region").n_unique(), pl.col("urban").n_unique()).select(
        (pl.col("region") == 1) & (pl.col("urban") == 1)
    ).to_series().all()
    assert h.group_by("psu").len()["len"].max() <= params["design"]["households_per_psu"]
    # reference populations: null exactly outside them
    age = p["age"]
    for col, valid in {
        "disability": age >= 5,
        "educ": age >= 6,
        "in_school": (age >= 6) & (age <= 24),
        "lstatus": age >= 15,
        "empstatus": p["lstatus"] == 1,
        "sector": p["lstatus"] == 1,
        "internet_use": age >= 15,
        "bank_account": age >= 15,
        "secondary_complete": age >= 20,
        "higher_education": age >= 25,
        "recent_birth": (p["sex"] == 2) & (age >= 15) & (age <= 49),
        "skilled_birth": p["recent_birth"] == 1,
    }.items():
        valid = valid.fill_null(False)
        assert (p[col].is_not_null() == valid).all(), col
    assert (p.filter(pl.col("stunted").is_not_null())["age"] < 5).all()
    # codes in their ranges
    for col, codes in {
        "relation": range(1, 7), "sex": (1, 2), "disability": range(4), "educ": range(5),
        "lstatus": (1, 2, 3), "empstatus": range(1, 5), "sector": (1, 2, 3),
    }.items():
        assert set(p[col].drop_nulls().unique().to_list()) <= set(codes), col
    for col in ["urban", "electricity", "clean_fuel", "basic_water", "basic_sanitation",
                "land_tax_exemption", "health_fee_waiver"]:
        assert set(h[col].unique().to_list()) <= {0, 1}, col
    # education cannot run ahead of age; graduates are consistent with educ
    assert (p.filter(pl.col("educ") >= 2)["age"] >= 12).all()
    assert (p.filter(pl.col("educ") == 4)["age"] >= 19).all()
    grads = p.filter(pl.col("secondary_complete").is_not_null())
    assert (grads["secondary_complete"] == (grads["educ"] >= 3).cast(pl.Int64)).all()
    # programmes: eligibility respected
    assert (p.filter(pl.col("pension_amount") > 0)["age"] >= 60).all()
    social = p.filter(pl.col("social_pension_amount") > 0)
    assert (social["age"] >= 65).all() and (social["pension_amount"] == 0).all()
    assert (p.filter(pl.col("scholarship_amount") > 0)["age"].is_between(6, 18)).all()
    assert (p.filter(pl.col("disability_benefit_amount") > 0)["disability"] >= 2).all()
    with_children = p.group_by("hhid").agg((pl.col("age") <= 17).any().alias("kids"))
    cct = h.filter(pl.col("cct_amount") > 0).join(with_children, on="hhid")
    assert cct["kids"].all()
    for col in HOUSEHOLD_AMOUNTS:
        assert (h[col] >= 0).all(), col
    for col in PERSON_AMOUNTS:
        assert (p[col] >= 0).all(), col
    # welfare: cons_pc = pre-transfer + transfers / size, pre-transfer strictly positive
    person_transfers = p.group_by("hhid").agg(pl.sum_horizontal(PERSON_AMOUNTS).sum().alias("pt"))
    w = h.join(person_transfers, on="hhid").with_columns(
        pre=pl.col("cons_pc") - (pl.sum_horizontal(HOUSEHOLD_AMOUNTS) + pl.col("pt")) / pl.col("hhsize")
    )
    assert (w["pre"] > 0).all()


def test_structure_of_a_mid_size_sample():
    check_structure(*generate_asiatica(4_000, seed=99))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(min_value=1, max_value=400), seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_structure_at_any_size_and_seed(n, seed):
    check_structure(*generate_asiatica(n, seed=seed))


def test_weights_sum_to_the_frame_in_every_sampled_stratum():
    params = load("demo_asiatica.yaml")
    h, _ = generate_asiatica(2_000, seed=3)
    total = params["design"]["frame_households"]
    assert np.isclose(h["hhweight"].sum(), total, rtol=1e-9)
    regions = params["regions"]
    share = {
        (i * 2 + 1 + u): r["pop_share"] * (r["urban_share"] if u else 1 - r["urban_share"])
        for i, r in enumerate(regions)
        for u in (0, 1)
    }
    by = h.group_by("stratum").agg(pl.col("hhweight").sum())
    for stratum, weight in by.iter_rows():
        assert np.isclose(weight, total * share[stratum] / sum(share.values()), rtol=1e-9)


def test_weights_vary_within_and_between_strata(shipped):
    h = shipped[0]
    between = h.group_by("stratum").agg(pl.col("hhweight").mean())["hhweight"]
    assert between.max() / between.min() > 1.5
    within = h.group_by("stratum").agg(pl.col("hhweight").n_unique())["hhweight"]
    assert (within > 1).all()


def test_scales_to_a_hundred_thousand_households():
    # column operations only: 100,000 households (~440,000 persons) in a few seconds
    h, p = generate_asiatica(100_000, seed=2)
    assert h.height == 100_000
    assert p.height == h["hhsize"].sum()
    assert h["psu"].n_unique() >= 100_000 // 20
