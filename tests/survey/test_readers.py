"""Readers: each format round-trips; labels are carried (not applied); bad files are InputErrors."""

from __future__ import annotations

import polars as pl
import pyreadstat
import pytest
from polars.testing import assert_frame_equal

from sp2lnob.errors import InputError, SpecError
from sp2lnob.survey.readers import label_coverage, read_table

FRAME = pl.DataFrame(
    {
        "hhid": [1.0, 1.0, 2.0, 3.0],
        "sex": [1.0, 2.0, 2.0, None],
        "urban": [1.0, 1.0, 0.0, 0.0],
        "cons": [120.5, 120.5, 80.0, 95.25],
        "name": ["a", "b", "c", "d"],
    }
)
VALUE_LABELS = {"sex": {1: "Male", 2: "Female", 3: "Other"}, "urban": {0: "Rural", 1: "Urban"}}
VAR_LABELS = {"hhid": "Household identifier", "sex": "Sex of member", "urban": None, "cons": "Consumption", "name": None}


@pytest.mark.parametrize("suffix", [".dta", ".sav", ".zsav"])
def test_labelled_formats_keep_codes_and_carry_labels(tmp_path, suffix):
    path = tmp_path / f"people{suffix}"
    if suffix == ".dta":
        pyreadstat.write_dta(FRAME, path, variable_value_labels=VALUE_LABELS, column_labels=VAR_LABELS)
    else:
        pyreadstat.write_sav(FRAME, path, variable_value_labels=VALUE_LABELS, column_labels=VAR_LABELS,
                             compress=suffix == ".zsav")
    df, labels, var_labels = read_table(path)
    assert_frame_equal(df, FRAME, check_dtypes=False)
    assert df["sex"].to_list() == [1, 2, 2, None]  # codes, not "Male"/"Female"
    assert labels["sex"] == {1: "Male", 2: "Female", 3: "Other"}
    assert list(labels["sex"])[0] == 1 and isinstance(list(labels["sex"])[0], int)
    assert var_labels["hhid"] == "Household identifier" and "urban" not in var_labels


def test_label_codes_absent_from_data_and_unlabelled_codes_are_reported(tmp_path):
    path = tmp_path / "people.dta"
    frame = FRAME.with_columns(pl.Series("urban", [1.0, 1.0, 0.0, 2.0]))
    pyreadstat.write_dta(frame, path, variable_value_labels=VALUE_LABELS)
    df, labels, _ = read_table(path)
    report = label_coverage(df, labels, "people.dta")
    unused = [w for w in report if "not found in the data" in w.what]
    unlabelled = [w for w in report if "no value label" in w.what]
    assert [(w.where, w.count, w.extra["codes"]) for w in unused] == [("people.dta: sex", 1, [3])]
    assert [(w.where, w.count, w.extra["codes"]) for w in unlabelled] == [("people.dta: urban", 1, [2])]


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_plain_formats_round_trip(tmp_path, suffix):
    path = tmp_path / f"people{suffix}"
    if suffix == ".csv":
        FRAME.write_csv(path)
    elif suffix == ".parquet":
        FRAME.write_parquet(path)
    else:
        FRAME.write_excel(path)
    df, labels, var_labels = read_table(path)
    assert_frame_equal(df, FRAME, check_dtypes=False)
    assert labels == {} and var_labels == {}


def test_columns_subset_and_missing_columns(tmp_path):
    path = tmp_path / "people.parquet"
    FRAME.write_parquet(path)
    df, _, _ = read_table(path, columns=["cons", "hhid"])
    assert df.columns == ["cons", "hhid"]
    with pytest.raises(SpecError) as exc:
        read_table(path, columns=["hhidd"])
    assert "'hhid'" in exc.value.hint


def test_csv_missing_markers_are_nulls(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("hhid,cons\n1,10.5\n2,.\n3,NA\n4,\n", encoding="utf-8")
    df, _, _ = read_table(path)
    assert df["cons"].to_list() == [10.5, None, None, None]


def test_csv_unparsable_numbers_are_an_input_error(tmp_path):
    path = tmp_path / "people.csv"
    rows = "\n".join(f"{i},{i * 1.5}" for i in range(1, 200))
    path.write_text("hhid,cons\n" + rows + "\n200,12,5\n201,n/a\n", encoding="utf-8")
    with pytest.raises(InputError):  # ragged line 200 -> polars error, reported as a bad file
        read_table(path)
    path.write_text("hhid,cons\n" + rows + "\n200,1O.5\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_table(path)
    err = exc.value
    assert "'cons'" in err.what and "1 value(s)" in err.what
    assert "data row(s) 200" in err.where and "'1O.5'" in err.got


def test_unknown_extension_corrupt_and_truncated_files(tmp_path):
    with pytest.raises(InputError, match="cannot read files of type '.txt'") as exc:
        read_table(tmp_path / "survey.txt")
    assert ".dta" in exc.value.expected
    with pytest.raises(InputError, match="not found"):
        read_table(tmp_path / "absent.dta")
    good = tmp_path / "good.dta"
    pyreadstat.write_dta(FRAME, good)
    truncated = tmp_path / "truncated.dta"
    truncated.write_bytes(good.read_bytes()[:200])
    with pytest.raises(InputError, match="corrupt, truncated") as exc:
        read_table(truncated)
    assert exc.value.hint
    fake = tmp_path / "fake.parquet"
    fake.write_text("this is not parquet", encoding="utf-8")
    with pytest.raises(InputError, match="corrupt, truncated"):
        read_table(fake)
    fake_xlsx = tmp_path / "fake.xlsx"
    fake_xlsx.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(InputError, match="corrupt, truncated"):
        read_table(fake_xlsx)
