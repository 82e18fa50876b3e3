"""Survey-derived SPI inputs (spi.md section 4).

1. A hand-made survey of 4 households whose figures are worked out below.
2. The demo survey, cross-checked against a direct weighted cross-tabulation
   of the raw demo files written here independently (Polars group-bys on the
   raw household and person tables, not the Survey object).
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sp2lnob
from sp2lnob.errors import SpecError
from sp2lnob.spi import load_example, revised_spi
from sp2lnob.spi.from_survey import (
    _joint_counts,
    merge_with_register,
    survey_inputs,
    survey_inputs_from_arrays,
)


def close(a, b, tol=1e-12):
    return math.isclose(a, b, rel_tol=tol)


# ---- 1. hand-made survey --------------------------------------------------------------------------------------
# hh  weight  size  welfare  poor(<100)  pension (person, amount)   cash (household amount)  works (flag)
# 1   10      2     50       yes         -                          200                      member 1
# 2   20      3     80       yes         person 2 (woman): 300      100                      -
# 3   30      1     150      no          person 1 (man): 600        -                        -
# 4   40      2     500      no          person 1 (woman) 100,      -                        member 2
#                                        person 2 (man) 300
# Population 10x2 + 20x3 + 30 + 40x2 = 190; poor persons 20 + 60 = 80.
# pension (PEN, SI: households): households 20 + 30 + 40 = 90; poor households 20 -> poor_share 20/90;
#   poor_reached = poor persons in receiving households / poor = 60/80; amounts: 20x300 + 30x600 +
#   40x400 = 40,000, poor 6,000 -> 0.15; STR: women 20x300 + 40x100 = 10,000 / 40,000 = 0.25.
# cash (OSA, SA: persons): persons 20 + 60 = 80, all poor -> poor_share 1; poor_reached 80/80 = 1;
#   amounts 10x200 + 20x100 = 4,000, all poor -> 1.
# works (LMP: households): households 10 + 40 = 50; poor 10 -> 0.2; poor_reached 20/80 = 0.25.
# Combined PTR: all poor people are in a receiving household -> 1. Coverage: all 190 -> 1.
# Overlap pension (A, 150 persons: 60+30+80... = hh2 60, hh3 30, hh4 80 = 170) and cash (B, 80 persons):
#   both = hh2 = 60 -> OV = 60/80 = 0.75; among the poor: both 60 / cash-poor 80 = 0.75.

def hand_survey():
    persons = pl.DataFrame({
        "hh": [1, 1, 2, 2, 2, 3, 4, 4], "pid": [1, 2, 1, 2, 3, 1, 1, 2],
        "w": [10.0, 10, 20, 20, 20, 30, 40, 40], "cons": [50.0, 50, 80, 80, 80, 150, 500, 500],
        "sex": [1, 2, 1, 2, 2, 1, 2, 1],
        "pension": [0.0, 0, 0, 300, 0, 600, 100, 300],
        "cash": [200.0, 200, 100, 100, 100, 0, 0, 0],
        "works": [1, 0, 0, 0, 0, 0, 0, 1],
    })
    spec = {
        "survey": {"name": "Handland mini"},
        "roles": {"household_id": "hh", "person_id": "pid", "weight": "w", "weight_type": "household",
                  "sex": "sex"},
        "labels": {"sex": {1: "Male", 2: "Female"}},
        "welfare": {"variable": "cons", "kind": "consumption", "basis": "per_capita", "period": "yearly",
                    "equivalence_scale": "per_capita", "output_period": "yearly"},
        "poverty_lines": [{"name": "national", "type": "absolute", "value": 100, "period": "yearly"}],
        "programmes": [
            {"name": "pension", "amount": "pension", "unit": "person", "spi": "PEN"},
            {"name": "cash", "amount": "cash", "unit": "household", "spi": "OSA"},
            {"name": "works", "receipt": "works", "unit": "person", "spi": "LMP"},
        ],
    }
    return sp2lnob.read_survey(spec, data=persons)


@pytest.fixture(scope="module")
def hand():
    return survey_inputs(hand_survey())


def fig(inputs, programme, column):
    return inputs.programmes.filter(pl.col("programme") == programme)[column][0]


def test_hand_survey_beneficiaries_and_shares(hand):
    assert close(hand.population, 190) and close(hand.poor_population, 80)
    assert close(fig(hand, "pension", "beneficiaries"), 90) and fig(hand, "pension", "basis") == "households"
    assert close(fig(hand, "pension", "poor_share"), 20 / 90)
    assert close(fig(hand, "pension", "poor_reached"), 60 / 80)
    assert close(fig(hand, "pension", "amount_total"), 40_000)
    assert close(fig(hand, "pension", "amount_poor_share"), 0.15)
    assert close(fig(hand, "pension", "female_share"), 0.25)
    assert close(fig(hand, "cash", "beneficiaries"), 80) and fig(hand, "cash", "basis") == "persons"
    assert close(fig(hand, "cash", "poor_share"), 1.0) and close(fig(hand, "cash", "poor_reached"), 1.0)
    assert close(fig(hand, "cash", "amount_poor_share"), 1.0)
    assert fig(hand, "cash", "female_share") is None  # household amounts: who receives is unknown
    assert close(fig(hand, "works", "beneficiaries"), 50)
    assert close(fig(hand, "works", "poor_share"), 0.2) and close(fig(hand, "works", "poor_reached"), 0.25)
    # works is a flag on person rows: member 1 of hh 1 (man) and member 2 of hh 4 (man): 0 women.
    assert fig(hand, "works", "female_share") == 0.0
    assert close(hand.combined_ptr, 1.0) and close(hand.combined_coverage, 1.0)


def test_hand_survey_overlap(hand):
    row = hand.overlaps.filter((pl.col("programme_a") == "pension") & (pl.col("programme_b") == "cash")).row(
        0, named=True)
    assert close(row["i_a"], 170) and close(row["i_b"], 80) and close(row["i_ab"], 190)
    assert close(row["overlap"], 0.75) and close(row["overlap_poor"], 0.75)


def test_arrays_core_equals_adapter(hand):
    # The same households through the plain-array entry point.
    w = np.array([10.0, 10, 20, 20, 20, 30, 40, 40])
    hh = np.array([1, 1, 2, 2, 2, 3, 4, 4])
    poor = np.array([1, 1, 1, 1, 1, 0, 0, 0], bool)
    rec = {"cash": np.array([1, 1, 1, 1, 1, 0, 0, 0], bool)}
    out = survey_inputs_from_arrays(w, hh, poor, rec, {"cash": "OSA"},
                                    amounts={"cash": np.array([200.0, 200, 100, 100, 100, 0, 0, 0])})
    assert close(fig(out, "cash", "beneficiaries"), fig(hand, "cash", "beneficiaries"))
    assert close(fig(out, "cash", "amount_total"), 4000)
    with pytest.raises(SpecError, match="no SPI category"):
        survey_inputs_from_arrays(w, hh, poor, rec, {"cash": None})


def test_merge_keeps_register_figures_and_says_where_from(hand):
    stats, register, year = load_example("asiatica")
    merged = merge_with_register(register, hand, year, mapping={"pension": "7", "cash": "14"})
    src = merged.sources
    get = lambda i, f: src.filter((pl.col("id") == i) & (pl.col("figure") == f))["source"][0]  # noqa: E731
    assert get("7", "beneficiaries") == "survey" and get("7", "poor_share") == "survey (amounts)"
    assert get("7", "female_share") == "survey" and get("7", "expenditure") == "register"
    assert get("14", "female_share") == "register"  # household amounts: STR kept from the register
    assert get("1", "beneficiaries") == "register"   # absent from the survey
    frame, _, _ = merged.register.for_year(year)
    row7 = frame.filter(pl.col("id") == "7").row(0, named=True)
    assert close(row7["beneficiaries"], 90) and close(row7["poor_share"], 0.15)
    assert close(row7["expenditure"], 12583.4e6)
    row1 = frame.filter(pl.col("id") == "1").row(0, named=True)
    assert close(row1["beneficiaries"], 14e3) and close(row1["poor_share"], 1.0)
    # works is not in the register and has no amounts: reported, not added.
    assert any("not added" in w.what for w in merged.warnings)
    r = revised_spi(stats, merged.register, year)
    # E_p of the register is 9,978.56 m (exact); pension now 0.15 instead of 0.00, the SSN (14) 1.0 instead of 0.75.
    assert close(r.expenditure_poor, 9978.56e6 + 12583.4e6 * 0.15 + 7443.7e6 * (1.0 - 0.75))
    beneficiary_basis = merge_with_register(register, hand, year, mapping={"pension": "7"},
                                            poor_share_from="beneficiaries")
    frame, _, _ = beneficiary_basis.register.for_year(year)
    assert close(frame.filter(pl.col("id") == "7")["poor_share"][0], 20 / 90)


# ---- 2. demo survey vs an independent cross-tabulation ------------------------------------------------------
@pytest.fixture(scope="module")
def demo():
    from sp2lnob.demo import demo_spec_path, load_demo_frames

    households, persons = load_demo_frames()
    return survey_inputs(sp2lnob.read_survey(demo_spec_path())), households, persons


def test_demo_cross_tab(demo):
    inputs, households, persons = demo
    per_hh = persons.group_by("hhid").agg(
        (pl.col("pension_amount").fill_null(0) > 0).any().alias("pension"),
        (pl.col("scholarship_amount").fill_null(0) > 0).any().alias("scholarship"),
        (pl.col("skills_training").fill_null(0) != 0).any().alias("skills"),
        pl.len().alias("rows"),
        (pl.col("pension_amount").fill_null(0) * (pl.col("sex") == 2)).sum().alias("pension_women"),
        pl.col("pension_amount").fill_null(0).sum().alias("pension_total"),
    )
    h = households.join(per_hh, on="hhid").with_columns(
        (pl.col("cons_pc") < 25000).alias("poor"),
        (pl.col("cct_amount").fill_null(0) > 0).alias("cct"),
        (pl.col("hhweight") * pl.col("rows")).alias("pw"),
    )
    poor_pop = h.filter("poor")["pw"].sum()
    assert close(inputs.poor_population, poor_pop, 1e-9)
    assert close(inputs.population, h["pw"].sum(), 1e-9)
    # Pension (PEN): households basis.
    pen = h.filter("pension")
    assert close(fig(inputs, "contributory_pension", "beneficiaries"), pen["hhweight"].sum(), 1e-9)
    assert close(fig(inputs, "contributory_pension", "poor_share"),
                 pen.filter("poor")["hhweight"].sum() / pen["hhweight"].sum(), 1e-9)
    assert close(fig(inputs, "contributory_pension", "poor_reached"), pen.filter("poor")["pw"].sum() / poor_pop, 1e-9)
    assert close(fig(inputs, "contributory_pension", "amount_total"),
                 (pen["hhweight"] * pen["pension_total"]).sum(), 1e-9)
    assert close(fig(inputs, "contributory_pension", "female_share"),
                 (h["hhweight"] * h["pension_women"]).sum() / (h["hhweight"] * h["pension_total"]).sum(), 1e-9)
    # CCT (OSA): persons basis, household amounts.
    cct = h.filter("cct")
    assert close(fig(inputs, "cct", "beneficiaries"), cct["pw"].sum(), 1e-9)
    assert close(fig(inputs, "cct", "poor_share"), cct.filter("poor")["pw"].sum() / cct["pw"].sum(), 1e-9)
    amt = cct["hhweight"] * cct["cct_amount"]
    assert close(fig(inputs, "cct", "amount_poor_share"), amt.filter(cct["poor"]).sum() / amt.sum(), 1e-9)
    # Skills training (LMP): households basis, person-level flag.
    sk = h.filter("skills")
    assert close(fig(inputs, "skills_training", "beneficiaries"), sk["hhweight"].sum(), 1e-9)
    # Overlap CCT / scholarship on persons: OV = |both| / I_smaller.
    i_cct, i_sch = cct["pw"].sum(), h.filter("scholarship")["pw"].sum()
    both = h.filter(pl.col("cct") & pl.col("scholarship"))["pw"].sum()
    row = inputs.overlaps.filter(pl.col("programme_a").is_in(["cct", "scholarship"])
                                 & pl.col("programme_b").is_in(["cct", "scholarship"])).row(0, named=True)
    assert close(row["overlap"], both / min(i_cct, i_sch), 1e-9)


def test_demo_combined_ptr(demo):
    inputs, households, persons = demo
    # Any SPI programme of the spec (remittances and domestic transfers are not SPI programmes).
    per_hh = persons.group_by("hhid").agg(
        pl.any_horizontal([(pl.col(c).fill_null(0) > 0).any() for c in
                           ("pension_amount", "social_pension_amount", "scholarship_amount",
                            "disability_benefit_amount", "health_insurance", "skills_training")]).alias("p_any"),
        pl.len().alias("rows"))
    h = households.join(per_hh, on="hhid").with_columns(
        (pl.col("cons_pc") < 25000).alias("poor"), (pl.col("hhweight") * pl.col("rows")).alias("pw"),
        (pl.col("p_any") | pl.any_horizontal([pl.col(c).fill_null(0) > 0 for c in
                                              ("cct_amount", "public_works_amount", "disaster_relief_amount",
                                               "land_tax_exemption", "health_fee_waiver")])).alias("any"))
    poor = h.filter("poor")
    assert close(inputs.combined_ptr, poor.filter("any")["pw"].sum() / poor["pw"].sum(), 1e-9)
    assert any("without an SPI category" in w.what for w in inputs.warnings)


def test_survey_result_text_and_frame(hand):
    assert "combined PTR" in hand.summary()
    frame = hand.to_frame()
    assert set(frame["source"].unique()) == {"survey: Handland mini"}
    assert hand.to_dict()["programmes"][0]["programme"] == "pension"


# ---- joint counts: the bit-mask shortcut equals the direct products -----------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 8), st.integers(1, 200), st.integers(0, 2**32 - 1))
def test_joint_counts_match_direct_sums(k, n, seed):
    rng = np.random.default_rng(seed)
    receipts = [rng.random(n) < rng.random() for _ in range(k)]
    w, u = rng.random(n) * 100, rng.random(n) * 20
    poor = rng.random(n) < 0.3
    fast = _joint_counts(receipts, w, poor, u)
    for a in range(k):  # written out here, independently of both code paths
        assert math.isclose(fast["persons"][a], w[receipts[a]].sum(), rel_tol=1e-9, abs_tol=1e-9)
        assert math.isclose(fast["households_poor"][a], u[receipts[a] & poor].sum(), rel_tol=1e-9, abs_tol=1e-9)
        assert fast["rows"][a] == receipts[a].sum()
        for b in range(k):
            assert math.isclose(fast["both"][a, b], w[receipts[a] & receipts[b]].sum(), rel_tol=1e-9, abs_tol=1e-9)
            assert math.isclose(fast["both_poor"][a, b], w[receipts[a] & receipts[b] & poor].sum(), rel_tol=1e-9,
                                abs_tol=1e-9)
    slow = _joint_counts(receipts, w, poor, u, direct=True)
    for key in ("persons", "persons_poor", "households", "households_poor", "rows", "both", "both_poor"):
        np.testing.assert_allclose(fast[key], slow[key], rtol=1e-9, atol=1e-9)
    assert np.array_equal(fast["any"], np.logical_or.reduce(receipts))
    assert np.array_equal(slow["any"], fast["any"])


def test_joint_counts_many_programmes():
    rng = np.random.default_rng(7)
    w, poor = rng.random(50), rng.random(50) < 0.5
    for k in (20, 64):  # sorted codes (k > 16) and masked sums (k > 62)
        receipts = [rng.random(50) < 0.5 for _ in range(k)]
        t = _joint_counts(receipts, w, poor)
        assert math.isclose(t["both"][3, k - 4], w[receipts[3] & receipts[k - 4]].sum(), rel_tol=1e-12)
        assert math.isclose(t["persons"][k - 1], w[receipts[k - 1]].sum(), rel_tol=1e-12)


def test_survey_file_override(tmp_path):
    import yaml

    from sp2lnob.spi.from_survey import read_survey_for_spi

    hand_survey().data.write_csv(tmp_path / "mini.csv")
    spec = {
        "survey": {"name": "Handland mini"}, "files": {"data": "does_not_exist.csv"},
        "roles": {"household_id": "hh", "person_id": "pid", "weight": "w", "weight_type": "household",
                  "sex": "sex"},
        "labels": {"sex": {1: "Male", 2: "Female"}},
        "welfare": {"variable": "cons", "kind": "consumption", "basis": "per_capita", "period": "yearly",
                    "equivalence_scale": "per_capita", "output_period": "yearly"},
        "poverty_lines": [{"name": "national", "type": "absolute", "value": 100, "period": "yearly"}],
        "programmes": [{"name": "cash", "amount": "cash", "unit": "household", "spi": "OSA"}],
    }
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec))
    inputs = survey_inputs(read_survey_for_spi(tmp_path / "spec.yaml", tmp_path / "mini.csv"))
    assert close(fig(inputs, "cash", "beneficiaries"), 80)
