"""Every validation rule raises a structured error (or reports a warning), with counts and hints."""

from __future__ import annotations

import numpy as np
import polars as pl
import pyreadstat
import pytest
from tests.survey._tiny import HOUSEHOLDS, PERSONS, spec_dict, write_spec

from sp2lnob.errors import DataError, SpecError
from sp2lnob.survey import read_survey


def build(spec=None, persons=PERSONS, households=HOUSEHOLDS):
    return read_survey(spec or spec_dict(), data={"persons": persons, "households": households})


def test_welfare_not_numeric():
    hh = HOUSEHOLDS.with_columns(pl.col("cons_total").cast(pl.String))
    with pytest.raises(DataError, match="'cons_total' \\(welfare.variable\\) is not numeric") as exc:
        build(households=hh)
    assert "'3000.0'" in exc.value.got and exc.value.hint


def test_welfare_missing_is_an_error_with_count_and_hint():
    hh = HOUSEHOLDS.with_columns(cons_total=pl.Series([3000.0, None, 500.0, float("nan")]))
    with pytest.raises(DataError, match="has missing values") as exc:
        build(households=hh)
    assert exc.value.got == "6 missing of 10 rows (2 households)"
    assert "missing: drop" in exc.value.hint


def test_welfare_missing_drop_excludes_and_reports():
    hh = HOUSEHOLDS.with_columns(cons_total=pl.Series([3000.0, None, 500.0, 8000.0]))
    s = build(spec_dict(welfare={"missing": "drop"}), households=hh)
    assert s.data.height == 8 and s.n_households == 3
    [w] = [w for w in s.report if "missing welfare" in w.what]
    assert (w.count, w.extra["households"]) == (2, 1)
    assert s.weights.sum() == 160 - 40


@pytest.mark.parametrize(
    ("weights", "message", "got"),
    [
        ([10.0, -20.0, 30.0, 15.0], "negative values", "2 negative of 10 rows (min -20)"),
        ([10.0, None, 30.0, 15.0], "missing values", "2 missing of 10 rows"),
    ],
)
def test_bad_weights(weights, message, got):
    hh = HOUSEHOLDS.with_columns(hhweight=pl.Series(weights))
    with pytest.raises(DataError, match=message) as exc:
        build(households=hh)
    assert exc.value.got == got
    assert exc.value.where == "column hhweight"


def test_zero_weights_are_kept_and_reported():
    hh = HOUSEHOLDS.with_columns(hhweight=pl.Series([10.0, 0.0, 30.0, 15.0]))
    s = build(households=hh)
    [w] = [w for w in s.report if "zero weight" in w.what]
    assert w.count == 2 and s.data.height == 10


def test_duplicate_ids():
    hh = pl.concat([HOUSEHOLDS, HOUSEHOLDS.head(1)])
    with pytest.raises(DataError, match="duplicate household ids in the household file") as exc:
        build(households=hh)
    assert "1 id(s) repeated on 2 rows" in exc.value.got
    persons = PERSONS.with_columns(pid=pl.Series([1, 1, 3, 1, 2, 1, 1, 2, 3, 4]))
    with pytest.raises(DataError, match=r"duplicate \(household id, person id\) pairs") as exc:
        build(persons=persons)
    assert "{'hhid': 1, 'pid': 1}" in exc.value.got
    spec = spec_dict()
    spec["roles"] = {"household_id": "hhid", "weight": "hhweight", "household_size": "n"}
    spec["programmes"] = []
    spec["poverty_lines"] = []
    flat = HOUSEHOLDS.with_columns(n=pl.lit(2)).with_columns(hhid=pl.Series([1, 2, 2, 4]))
    with pytest.raises(DataError, match="duplicate household ids in a household-level file"):
        read_survey(spec, data=flat)


def test_household_variables_must_not_vary_within_households():
    merged = PERSONS.join(HOUSEHOLDS, on="hhid")
    varied = merged.with_columns(
        urban=pl.Series([1, 0, 1, 0, 0, 0, 1, 1, 1, 1]),
        hhweight=pl.Series([10.0, 10, 10, 20, 21, 30, 15, 15, 15, 16]),
    )
    with pytest.raises(DataError) as exc:
        read_survey(spec_dict(), data=varied)
    err = exc.value
    whats = [d.what for d in err.details]
    assert "roles.weight (household weight) ('hhweight') varies within 2 household(s)" in whats
    assert "roles.urban ('urban') varies within 1 household(s)" in whats
    assert any("e.g. household 1" == d.got for d in err.details)
    welfare_varies = merged.with_columns(cons_total=pl.Series([3000.0, 3001, 3000, 1000, 1000, 500, 8000, 8000, 8000, 8000]))
    with pytest.raises(DataError, match="welfare.variable \\('cons_total'\\) varies within 1 household") as exc:
        read_survey(spec_dict(), data=welfare_varies)
    assert exc.value.got == "e.g. household 1"


def test_person_weights_may_vary_with_weight_type_person():
    merged = PERSONS.join(HOUSEHOLDS, on="hhid").with_columns(hhweight=pl.Series([10.0, 11, 10, 20, 21, 30, 15, 15, 15, 16]))
    spec = spec_dict()
    spec["roles"]["weight_type"] = "person"
    s = read_survey(spec, data=merged)
    assert s.weights.tolist() == merged["hhweight"].to_list()


def test_missing_columns_list_the_closest_names():
    spec = spec_dict(welfare={"variable": "cons_totl"})
    spec["roles"]["age"] = "agee"
    with pytest.raises(SpecError, match="2 column\\(s\\) named in the spec are not in the data") as exc:
        build(spec)
    details = {d.what: d.hint for d in exc.value.details}
    assert details["column 'cons_totl' not found (spec key welfare.variable)"] == "closest: cons_total"
    assert details["column 'agee' not found (spec key roles.age)"].startswith("closest: age")


def test_psu_codes_in_several_strata():
    hh = HOUSEHOLDS.with_columns(psu=pl.Series([1, 2, 1, 2]))
    with pytest.raises(DataError, match="PSU codes appear in several strata") as exc:
        build(households=hh)
    assert "2 PSU code(s)" in exc.value.got and "nest: true" in exc.value.hint
    s = build(spec_dict(design={"nest": True}), households=hh)
    assert s.design.psu.tolist() == [0, 0, 0, 1, 1, 2, 3, 3, 3, 3]
    assert any("reused across strata" in w.what for w in s.report)


def test_persons_without_household_and_households_without_persons():
    persons = PERSONS.with_columns(hhid=pl.Series([1, 1, 1, 2, 2, 9, 4, 4, 8, 8]))
    with pytest.raises(DataError, match="person rows whose household is not in the household file") as exc:
        build(persons=persons)
    assert exc.value.got == "3 person row(s) in 2 household(s), e.g. 9"
    s = build(persons=PERSONS.filter(pl.col("hhid") != 3))
    [w] = [w for w in s.report if "no person rows" in w.what]
    assert w.count == 1


def test_household_id_types_must_match():
    with pytest.raises(DataError, match="different types"):
        build(households=HOUSEHOLDS.with_columns(pl.col("hhid").cast(pl.String)))


def test_household_level_file_needs_size_and_linear_scales_need_ages():
    spec = spec_dict()
    spec["roles"] = {"household_id": "hhid", "weight": "hhweight"}
    spec["programmes"] = []
    with pytest.raises(SpecError, match="needs roles.household_size"):
        read_survey(spec, data=HOUSEHOLDS)
    spec["roles"]["household_size"] = "n"
    spec["welfare"]["equivalence_scale"] = "oecd"
    with pytest.raises(SpecError, match="needs members' ages"):
        read_survey(spec, data=HOUSEHOLDS.with_columns(n=pl.lit(2)))
    persons = PERSONS.with_columns(age=pl.Series([40, None, 10, 70, 68, 30, 45, 44, 12, 5]))
    with pytest.raises(DataError, match="some are missing") as exc:
        build(spec_dict(welfare={"equivalence_scale": "oecd"}), persons=persons)
    assert exc.value.got == "1 missing ages"


def test_no_psu_uses_households_and_size_mismatch_is_reported():
    spec = spec_dict()
    del spec["roles"]["psu"]
    spec["roles"]["household_size"] = "n"
    s = build(spec, households=HOUSEHOLDS.with_columns(n=pl.Series([3, 2, 1, 5])))
    assert s.design.psu.tolist() == [0, 0, 0, 1, 1, 2, 3, 3, 3, 3]
    whats = [w.what for w in s.report]
    assert any("households are used as PSUs" in w for w in whats)
    [w] = [w for w in s.report if "differs from the number of person rows" in w.what]
    assert w.count == 1
    assert s.hh_size[-1] == 5


def test_dta_labels_with_codes_absent_from_data_are_reported_not_errors(tmp_path):
    pyreadstat.write_dta(
        PERSONS, tmp_path / "persons.dta",
        variable_value_labels={"sex": {1: "Male", 2: "Female", 9: "Not stated"}, "relation": {1: "Head", 2: "Spouse"}},
    )
    HOUSEHOLDS.write_parquet(tmp_path / "households.parquet")
    spec = spec_dict(files={"persons": "persons.dta"})
    s = read_survey(write_spec(tmp_path, spec))
    report = {w.what: w for w in s.report}
    unused = report["value labels of 'sex' have codes not found in the data"]
    assert (unused.count, unused.extra["codes"], unused.where) == (1, [9], "persons.dta: sex")
    unlabelled = report["codes of 'relation' found in the data have no value label"]
    assert unlabelled.extra["codes"] == [3]
    assert s.labels["sex"][9] == "Not stated"
    assert np.array_equal(s.column("sex"), PERSONS["sex"].to_numpy())


def test_nonpositive_welfare_is_reported():
    hh = HOUSEHOLDS.with_columns(cons_total=pl.Series([3000.0, 0.0, 500.0, 8000.0]))
    s = build(households=hh)
    [w] = [w for w in s.report if "welfare <= 0" in w.what]
    assert w.count == 2


def test_text_label_codes_and_urban_codes_that_cannot_match():
    spec = spec_dict()
    spec["labels"] = {"urban": {"0": "Rural", "1": "Urban"}}  # quoted codes in YAML
    s = build(spec)
    assert not [w for w in s.report if "urban" in (w.where or "")]
    assert s.column("urban").sum() == 7
    spec["labels"] = {"urban": {"R": "Rural", "U": "Urban"}}
    with pytest.raises(SpecError, match="do not match the numeric column 'urban'"):
        build(spec).column("urban")
