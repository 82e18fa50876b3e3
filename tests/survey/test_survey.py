"""The Survey object on the tiny survey of _tiny.py: every figure checked by hand."""

from __future__ import annotations

import dataclasses

import numpy as np
import polars as pl
import pytest
from numpy.testing import assert_allclose
from tests.survey._tiny import HOUSEHOLDS, PERSONS, SPEC, spec_dict

from sp2lnob.errors import SpecError
from sp2lnob.survey import Survey, read_survey

# per person row: household 1 x3, 2 x2, 3 x1, 4 x4
HH_OF_ROW = np.array([1, 1, 1, 2, 2, 3, 4, 4, 4, 4])


def per_row(by_household: dict[int, float]) -> np.ndarray:
    return np.array([by_household[h] for h in HH_OF_ROW], dtype=float)


def build(spec: dict, persons=PERSONS, households=HOUSEHOLDS) -> Survey:
    return read_survey(spec, data={"persons": persons, "households": households})


def test_counts_weights_and_design(tiny):
    assert (tiny.n_households, tiny.n_persons, tiny.level) == (4, 10, "person")
    assert_allclose(tiny.weights, per_row({1: 10, 2: 20, 3: 30, 4: 15}))
    assert_allclose(tiny.hh_weights, tiny.weights)
    assert_allclose(tiny.hh_size, per_row({1: 3, 2: 2, 3: 1, 4: 4}))
    assert tiny.weights.sum() == 160
    d = tiny.design
    assert_allclose(d.weights, tiny.weights)
    assert d.strata.tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    assert d.psu.tolist() == [0, 0, 0, 1, 1, 2, 3, 3, 3, 3]
    assert tiny.data.columns[:2] == ["hhid", "pid"] and "cons_total" in tiny.data.columns
    assert tiny.report == ()


def test_household_level_file_person_weight_is_household_weight_times_size():
    hh = HOUSEHOLDS.with_columns(hhsize=pl.Series([3, 2, 1, 4]))
    spec = spec_dict(files={"households": "h.parquet", "persons": None})
    spec["files"] = {"households": "h.parquet"}
    spec["roles"] = {"household_id": "hhid", "weight": "hhweight", "strata": "stratum", "psu": "psu",
                     "urban": "urban", "region": "region", "household_size": "hhsize"}
    spec["programmes"] = [SPEC["programmes"][1]]
    s = read_survey(spec, data=hh)
    assert s.level == "household" and (s.n_households, s.n_persons) == (4, 10)
    assert_allclose(s.weights, [30, 40, 30, 60])
    assert_allclose(s.hh_weights, [10, 20, 30, 15])
    assert_allclose(s.welfare, [1000, 500, 500, 2000])
    assert_allclose(s.programme_amount_pc("cash_transfer"), [0, 0, 0, 30])
    assert s.programme_receipt("cash_transfer").tolist() == [False, False, True, True]
    # population weight already x size
    spec["roles"]["weight_type"] = "population"
    s2 = read_survey(spec, data=hh.with_columns(pl.col("hhweight") * pl.col("hhsize")))
    assert_allclose(s2.weights, [30, 40, 30, 60])
    assert_allclose(s2.hh_weights, [10, 20, 30, 15])


def test_welfare_per_capita_from_household_totals(tiny):
    assert_allclose(tiny.welfare, per_row({1: 1000, 2: 500, 3: 500, 4: 2000}))
    assert_allclose(tiny.welfare_divisor, tiny.hh_size)


@pytest.mark.parametrize(
    ("welfare", "ae"),
    [
        # OECD 1/0.7/0.5: hh1 2 adults + child 10; hh2 2 adults; hh3 1; hh4 2 adults + 12, 5
        ({"equivalence_scale": "oecd"}, {1: 2.2, 2: 1.7, 3: 1.0, 4: 2.7}),
        ({"equivalence_scale": "modified_oecd"}, {1: 1.8, 2: 1.5, 3: 1.0, 4: 2.1}),
        ({"equivalence_scale": "square_root"}, {1: 3**0.5, 2: 2**0.5, 3: 1.0, 4: 2.0}),
        # child_max_age 11 makes the 12-year-old an adult: 1 + 0.7 x 2 + 0.5
        ({"equivalence_scale": "oecd", "child_max_age": 11}, {1: 2.2, 2: 1.7, 3: 1.0, 4: 2.9}),
        # custom 1 / 0.8 / 0.4, children <= 10: hh1 1 + 0.8 + 0.4; hh4 1 + 0.8 x 2 + 0.4
        ({"equivalence_scale": "custom",
          "custom_scale": {"first_adult": 1, "other_adult": 0.8, "child": 0.4, "child_max_age": 10}},
         {1: 2.2, 2: 1.8, 3: 1.0, 4: 3.0}),
    ],
)
def test_equivalence_scales_by_hand(welfare, ae):
    s = build(spec_dict(welfare=welfare))
    assert_allclose(s.welfare_divisor, per_row(ae))
    totals = per_row({1: 3000, 2: 1000, 3: 500, 4: 8000})
    assert_allclose(s.welfare, totals / per_row(ae))
    # programme amounts per adult equivalent, the unit of welfare
    assert_allclose(s.programme_amount_pc("cash_transfer"), per_row({1: 0, 2: 0, 3: 0, 4: 120}) / per_row(ae))


def test_adult_equivalents_column_and_household_without_adults():
    from sp2lnob.survey.welfare import adult_equivalents, get_scale

    ae = adult_equivalents(get_scale("oecd"), np.array([2.0, 2.0]), np.array([0, 0]), np.array([5.0, 8.0]))
    assert_allclose(ae, [1.5, 1.5])  # first child counted as the first adult: 1 + 0.5
    persons = PERSONS.with_columns(ae=pl.Series([2.5] * 3 + [1.5] * 2 + [1.0] + [3.0] * 4))
    spec = spec_dict(welfare={"equivalence_scale": "oecd"})
    spec["roles"]["adult_equivalents"] = "ae"
    s = build(spec, persons=persons)
    assert_allclose(s.welfare, per_row({1: 3000 / 2.5, 2: 1000 / 1.5, 3: 500, 4: 8000 / 3}))


def test_period_conversion_and_per_capita_basis():
    hh = HOUSEHOLDS.with_columns(cons_pc_month=pl.Series([1000 / 3, 500 / 2, 500, 2000]) / 12)
    s = build(spec_dict(welfare={"variable": "cons_pc_month", "basis": "per_capita", "period": "monthly"}), households=hh)
    assert_allclose(s.welfare, per_row({1: 1000 / 3, 2: 250, 3: 500, 4: 2000}))
    monthly = build(spec_dict(welfare={"output_period": "monthly"}))
    assert_allclose(monthly.welfare, per_row({1: 1000, 2: 500, 3: 500, 4: 2000}) / 12)
    daily = build(spec_dict(welfare={"output_period": "daily"}))
    assert_allclose(daily.welfare, per_row({1: 1000, 2: 500, 3: 500, 4: 2000}) / 365)


def test_lines_by_hand(tiny):
    assert tiny.lines == ["national", "by_area", "ppp_3", "half_median", "poorest_20"]
    assert_allclose(tiny.line_values("national"), np.full(10, 60 * 12))
    assert_allclose(tiny.line_values("by_area"), per_row({1: 900, 2: 600, 3: 600, 4: 900}))
    # int$ 3 a day -> LCU a year: 3 x factor 20 x cpi 1.25 x 365
    assert_allclose(tiny.line_values("ppp_3"), np.full(10, 3 * 20 * 1.25 * 365))
    # weighted median of per-capita welfare: 500 (w 70), 1000 (w 30), 2000 (w 60): F(1000) = 100/160
    assert_allclose(tiny.line_values("half_median"), np.full(10, 0.5 * 1000))
    assert_allclose(tiny.line_values("poorest_20"), np.full(10, 500))
    # welfare in int$ a day: LCU per year / 365 / cpi / factor
    assert_allclose(tiny.welfare_ppp, tiny.welfare / 365 / 1.25 / 20)


def test_lines_follow_output_period_and_mean_lines():
    monthly = build(spec_dict(welfare={"output_period": "monthly"}))
    assert_allclose(monthly.line_values("national"), np.full(10, 60.0))
    assert_allclose(monthly.line_values("ppp_3"), np.full(10, 3 * 20 * 1.25 * 365 / 12))
    spec = spec_dict()
    spec["poverty_lines"] = [{"name": "half_mean", "type": "relative", "share": 0.5, "of": "mean"},
                             {"name": "default", "type": "absolute", "value": 700,
                              "by": {"variable": "region", "values": {1: 800}}}]
    s = build(spec)
    mean = (30 * 1000 + 70 * 500 + 60 * 2000) / 160
    assert_allclose(s.line_values("half_mean"), np.full(10, mean / 2))
    assert_allclose(s.line_values("default"), per_row({1: 800, 2: 700, 3: 700, 4: 800}))


def test_line_errors():
    spec = spec_dict()
    spec["ppp"] = None
    spec["poverty_lines"].append({"name": "gaps", "type": "absolute",
                                  "by": {"variable": "region", "values": {1: 800}}})
    s = build(spec)
    with pytest.raises(SpecError, match="no `ppp:` section"):
        s.line_values("ppp_3")
    with pytest.raises(SpecError, match="no value for some 'region' codes") as exc:
        s.line_values("gaps")
    assert "[2]" in exc.value.got
    with pytest.raises(SpecError):
        s.welfare_ppp  # noqa: B018


def test_programmes_by_hand(tiny):
    assert [p.name for p in tiny.programmes] == ["social_pension", "cash_transfer"]
    assert tiny.programme_receipt("social_pension").tolist() == (HH_OF_ROW == 2).tolist()
    assert_allclose(tiny.programme_amount_hh("social_pension"), per_row({1: 0, 2: 120, 3: 0, 4: 0}))
    assert_allclose(tiny.programme_amount_pc("social_pension"), per_row({1: 0, 2: 60, 3: 0, 4: 0}))
    # household 3: flag without amount; household 4: 10 a month = 120 a year, 4 members
    assert tiny.programme_receipt("cash_transfer").tolist() == np.isin(HH_OF_ROW, [3, 4]).tolist()
    assert_allclose(tiny.programme_amount_hh("cash_transfer"), per_row({1: 0, 2: 0, 3: 0, 4: 120}))
    assert_allclose(tiny.programme_amount_pc("cash_transfer"), per_row({1: 0, 2: 0, 3: 0, 4: 30}))
    assert tiny.programme_receipt("cash_transfer").dtype == np.bool_


def test_missing_programme_amounts_read_as_zero_and_reported():
    persons = PERSONS.with_columns(sp_amount=pl.Series([None, 0.0, 0.0, 120.0, None] + [0.0] * 5))
    s = build(spec_dict(), persons=persons)
    assert_allclose(s.programme_amount_hh("social_pension"), per_row({1: 0, 2: 120, 3: 0, 4: 0}))
    [w] = [w for w in s.report if "social_pension" in w.what]
    assert w.count == 2


def test_frame_roles_and_derived_roles(tiny):
    f = tiny.frame(["age", "sex", "urban", "region", "is_head", "head_sex", "head_age", "head_education"], ["educ"])
    assert f.columns[:8] == ["hh_id", "person_id", "weight", "hh_weight", "hh_size", "welfare", "strata", "psu"]
    assert f["urban"].to_list() == np.isin(HH_OF_ROW, [1, 4]).tolist()
    assert f["is_head"].to_list() == [True, False, False, True, False, True, True, False, False, False]
    assert f["head_sex"].to_list() == per_row({1: 1, 2: 2, 3: 1, 4: 2}).tolist()
    assert f["head_age"].to_list() == per_row({1: 40, 2: 70, 3: 30, 4: 45}).tolist()
    assert f["head_education"].to_list() == per_row({1: 3, 2: 1, 3: 2, 4: 4}).tolist()
    assert f["educ"].to_list() == PERSONS["educ"].to_list()
    assert_allclose(tiny.column("age"), PERSONS["age"].to_numpy())
    assert tiny.column("urban").dtype == np.bool_
    assert_allclose(tiny.column("hh_size"), tiny.hh_size)
    assert_allclose(tiny.column("sp_amount"), PERSONS["sp_amount"].to_numpy())
    assert tiny.column("psu").tolist() == per_row({1: 11, 2: 12, 3: 21, 4: 22}).tolist()  # raw codes
    assert tiny.frame()["psu"].to_list() == tiny.design.psu.tolist()  # design codes
    assert_allclose(tiny.column("weight"), tiny.weights)


def test_frame_errors_have_hints(tiny):
    with pytest.raises(SpecError) as exc:
        tiny.frame(["agee"])
    assert "'age'" in exc.value.hint
    with pytest.raises(SpecError, match="map roles.disability"):
        tiny.frame(["disability"])
    with pytest.raises(SpecError) as exc:
        tiny.column("regoin")
    assert "'region'" in exc.value.hint


def test_urban_code_from_urban_value_or_labels():
    spec = spec_dict(labels={})
    spec["labels"] = {}
    with pytest.raises(SpecError, match="which code of 'urban' means urban"):
        build(spec).frame(["urban"])
    spec["roles"]["urban_value"] = 0
    assert build(spec).column("urban").tolist() == np.isin(HH_OF_ROW, [2, 3]).tolist()


def test_households_without_head_are_reported():
    persons = PERSONS.with_columns(relation=pl.Series([1, 2, 3, 2, 2, 1, 1, 1, 3, 3]))
    s = build(spec_dict(), persons=persons)
    whats = {w.what.split(" (")[0]: w.count for w in s.report}
    assert whats["households without a head"] == 1
    assert whats["households with several heads"] == 1
    assert s.frame(["head_age"])["head_age"].to_list()[3:5] == [None, None]


def test_estimate_uses_lines_and_design(tiny):
    est = tiny.estimate("fgt", line="national", alpha=0.0)
    # poor at 720 a year: households 2 and 3 (per-capita 500), weights 2 x 20 + 1 x 30
    assert est.estimate == pytest.approx(70 / 160)
    assert est.se > 0
    by = tiny.estimate("fgt", line="national", by="urban")
    frame = by.to_frame()
    assert frame.height == 2


def test_immutable_and_with_data(tiny):
    assert not tiny.weights.flags.writeable and not tiny.welfare.flags.writeable
    with pytest.raises(ValueError):
        tiny.welfare[0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        tiny.level = "household"  # type: ignore[misc]
    doubled = tiny.with_data(tiny.data.with_columns(pl.col("cons_total") * 2))
    assert_allclose(doubled.welfare, 2 * tiny.welfare)
    assert_allclose(tiny.welfare, per_row({1: 1000, 2: 500, 3: 500, 4: 2000}))
    assert doubled is not tiny and doubled.spec is tiny.spec


def test_single_merged_file_and_text(tmp_path):
    merged = PERSONS.join(HOUSEHOLDS, on="hhid")
    merged.write_parquet(tmp_path / "all.parquet")
    spec = spec_dict()
    spec["files"] = {"data": "all.parquet"}
    s = read_survey(spec, base_dir=tmp_path)
    assert_allclose(s.welfare, per_row({1: 1000, 2: 500, 3: 500, 4: 2000}))
    text = str(s)
    assert "4 households, 10 persons" in text and "Tiny test survey" in text
    assert s.to_dict()["population"] == 160


@pytest.mark.parametrize("layout", ["sorted", "shuffled", "text_ids"])
def test_merge_and_grouping_do_not_depend_on_row_order_or_id_type(layout):
    persons, households = PERSONS, HOUSEHOLDS
    if layout != "sorted":
        persons = persons.sample(fraction=1.0, shuffle=True, seed=3)
        households = households.sample(fraction=1.0, shuffle=True, seed=4)
    if layout == "text_ids":
        persons = persons.with_columns(pl.format("H{}", "hhid").alias("hhid"))
        households = households.with_columns(pl.format("H{}", "hhid").alias("hhid"))
    s = build(spec_dict(welfare={"equivalence_scale": "oecd"}), persons=persons, households=households)
    out = s.frame(["age", "head_age"]).with_columns(
        pl.Series("pension_pc", s.programme_amount_pc("social_pension")),
        pl.Series("cash", s.programme_receipt("cash_transfer")),
    ).sort("hh_id", "person_id")
    # the same figures as the sorted numeric layout, row for row
    assert_allclose(out["welfare"].to_numpy(), per_row({1: 3000 / 2.2, 2: 1000 / 1.7, 3: 500, 4: 8000 / 2.7}))
    assert_allclose(out["weight"].to_numpy(), per_row({1: 10, 2: 20, 3: 30, 4: 15}))
    assert out["head_age"].to_list() == per_row({1: 40, 2: 70, 3: 30, 4: 45}).tolist()
    assert_allclose(out["pension_pc"].to_numpy(), per_row({1: 0, 2: 120 / 1.7, 3: 0, 4: 0}))
    assert out["cash"].to_list() == np.isin(HH_OF_ROW, [3, 4]).tolist()
    assert s.n_households == 4


def test_orphan_persons_with_text_ids():
    from sp2lnob.errors import DataError

    persons = PERSONS.with_columns(pl.format("H{}", "hhid").alias("hhid"))
    households = HOUSEHOLDS.with_columns(pl.format("H{}", "hhid").alias("hhid")).filter(pl.col("hhid") != "H4")
    with pytest.raises(DataError, match="household is not in the household file") as exc:
        build(spec_dict(), persons=persons, households=households)
    assert exc.value.got == "4 person row(s) in 1 household(s), e.g. 'H4'"
