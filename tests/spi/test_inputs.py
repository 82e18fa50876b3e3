"""Inputs: magnitudes, mid-year adjustment, fiscal years, readers, and every validation message."""

from __future__ import annotations

import math

import polars as pl
import pytest

from sp2lnob.errors import DataError, InputError
from sp2lnob.spi import (
    basic_statistics_from_dict,
    closest_fiscal_year,
    mid_year_population,
    read_basic_statistics,
    read_register,
    register_from_frame,
    revised_spi,
)
from sp2lnob.spi.units import parse_unit


def base_register(**overrides):
    cols = {"id": ["1", "2", "3"], "name": ["Pension", "Cash transfer", "Public works"],
            "category": ["PEN", "OSA", "LMP"], "exp_unit": ["LCU millions"] * 3, "ben_unit": ["thousands"] * 3,
            "exp_2009": ["100", "50", "20"], "ben_2009": ["10", "200", "30"],
            "poor_share": ["0.1", "0.8", "0.6"], "female_share": ["0.3", "0.6", "0.4"]}
    cols.update(overrides)
    return pl.DataFrame(cols)


# ---- units -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,kind,scale", [
    ("LCU", "money", 1.0), ("LCU millions", "money", 1e6), ("LCU '000", "money", 1e3), ("lcu billions", "money", 1e9),
    ("persons", "count", 1.0), ("thousands", "count", 1e3), ("millions", "count", 1e6),
    ("LCU per year", "money", 1.0),
])
def test_parse_unit(text, kind, scale):
    assert parse_unit(text, kind=kind, where="t").scale == scale


@pytest.mark.parametrize("text,kind,message", [
    ("", "money", "a magnitude is missing"), (None, "count", "a magnitude is missing"),
    ("LCU zillions", "money", "unknown unit"), ("millions", "money", "is not a money unit"),
    ("LCU millions", "count", "is a money unit for a head count"),
])
def test_parse_unit_errors(text, kind, message):
    with pytest.raises(InputError, match=message) as err:
        parse_unit(text, kind=kind, where="gdp")
    assert err.value.where == "gdp" and err.value.expected


# ---- basic statistics --------------------------------------------------------------------------------------
def test_asiatica_basic_statistics_normalised(asiatica):
    stats = asiatica[0]
    assert stats.values["gdp"] == 900000e6 and stats.values["population"] == 10e6
    assert stats.values["poverty_line_per_capita"] == 25000 and stats.values["household_size"] == 4.5


def test_basic_statistics_missing_unit_is_an_error():
    with pytest.raises(InputError, match="a magnitude is missing") as err:
        basic_statistics_from_dict({"reference_year": 2009, "gdp": 900000})
    assert "field gdp" in err.value.where


def test_unknown_basic_statistic_suggests_a_name():
    with pytest.raises(DataError, match="unknown basic statistic 'populaton'") as err:
        basic_statistics_from_dict({"reference_year": 2009, "populaton": {"value": 1, "unit": "persons"}})
    assert "population" in err.value.hint


def test_basic_statistics_row_without_a_field_name(tmp_path):
    """Found by fuzzing: a line break inside a cell leaves a row with an empty field."""
    path = tmp_path / "stats.csv"
    path.write_text(
        "field,value,unit,source\nreference_year,2009,,\ngdp,900000,LCU millions,NA\n"
        "disabled,0.5,millions\n,Ministry estimate\n"
    )
    with pytest.raises(DataError, match="a basic-statistics row has no field name") as err:
        read_basic_statistics(path)
    assert err.value.got == "1 row(s) with an empty field"


def test_register_csv_headers_that_normalise_alike(tmp_path):
    """Found by fuzzing: a NUL byte in the header row made two headers normalise to the same name."""
    path = tmp_path / "register.csv"
    path.write_bytes(b"id,name,category,exp 2009,exp_2009\n1,A,LMP,1,2\n")
    with pytest.raises(InputError, match="duplicated column headers") as err:
        read_register(path)
    assert err.value.got == "exp_2009"


def test_year_mismatch_is_an_error(asiatica):
    from sp2lnob.spi.examples import example_paths

    with pytest.raises(DataError, match="are for 2009, not 2010"):
        read_basic_statistics(example_paths("asiatica")[0], 2010)


def test_mid_year_adjustment(tmp_path):
    # p_n = p_0 (1 + r)^n: 9.9 m on 1 January growing 2 % a year, 183/365 of a year to mid-year.
    assert math.isclose(mid_year_population(9.9e6, 0.02, 183 / 365), 9.9e6 * 1.02 ** (183 / 365), rel_tol=1e-15)
    path = tmp_path / "bs.csv"
    path.write_text("field,value,unit,source,growth_rate,years_to_mid_year\nreference_year,2009,,,,\n"
                    "population,9.9,millions,census 1 Jan,0.02,0.5013698630136987\ngdp,1000,LCU millions,,,\n")
    stats = read_basic_statistics(path)
    assert math.isclose(stats.values["population"], 9.9e6 * 1.02 ** (183 / 365), rel_tol=1e-12)
    assert any("mid-year" in n for n in stats.notes)


def test_basic_statistics_yaml(tmp_path):
    path = tmp_path / "bs.yaml"
    path.write_text("country: Yamlia\nreference_year: 2009\ngdp: {value: 900000, unit: LCU millions, source: NA}\n"
                    "population: {value: 10, unit: millions}\n")
    stats = read_basic_statistics(path, 2009)
    assert stats.country == "Yamlia" and stats.values["gdp"] == 9e11 and stats.values["population"] == 1e7


# ---- fiscal years ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("month,expected", [(1, (2009, 2009)), (7, (2008, 2009)), (4, (2009, 2010)),
                                            (10, (2008, 2009)), (6, (2009, 2010))])
def test_closest_fiscal_year(month, expected):
    # July-June countries use FY(t-1)/t; April-March countries FY t/(t+1) (ADB 2012, ch. 3).
    assert closest_fiscal_year(2009, month) == expected


def test_register_fiscal_year_columns_are_aligned(asiatica):
    stats = asiatica[0]
    df = base_register(**{"exp_2008/09": ["100", "50", "20"], "exp_2009/10": ["200", "100", "40"],
                          "ben_2008/09": ["10", "200", "30"], "ben_2009/10": ["10", "200", "30"]})
    df = df.drop("exp_2009", "ben_2009")
    reg = register_from_frame(df)
    from dataclasses import replace

    r_july = revised_spi(replace(stats, fiscal_year_start_month=7), reg, 2009)
    r_april = revised_spi(replace(stats, fiscal_year_start_month=4), reg, 2009)
    assert r_july.period == "2008/09" and r_july.expenditure == 170e6
    assert r_april.period == "2009/10" and r_april.expenditure == 340e6


def test_single_year_labels_with_fiscal_year_warn(asiatica):
    from dataclasses import replace

    stats, register, _ = asiatica
    r = revised_spi(replace(stats, fiscal_year_start_month=7), register, 2009)
    assert any("fiscal year closest to 2009" in w.what for w in r.warnings)


# ---- register readers ----------------------------------------------------------------------------------------
def test_numbers_as_text_and_percent():
    reg = register_from_frame(base_register(exp_2009=["1,000.5", " 50 ", "20"], poor_share=["10%", "0.8", "60 %"]))
    frame, _, _ = reg.for_year(2009)
    assert frame["expenditure"].to_list() == [1000.5e6, 50e6, 20e6]
    assert frame["poor_share"].to_list() == pytest.approx([0.1, 0.8, 0.6])


def test_register_yaml(tmp_path, asiatica):
    path = tmp_path / "reg.yaml"
    path.write_text("programmes:\n"
                    "  - {name: Pension, category: PEN, poor_share: 0.1, female_share: 0.3,\n"
                    "     expenditure: {unit: LCU millions, 2009: 100}, beneficiaries: {unit: thousands, 2009: 10}}\n"
                    "  - {name: Cash, category: OSA, poor_share: 0.8, female_share: 0.5,\n"
                    "     expenditure: {unit: LCU millions, 2009: 50}, beneficiaries: {unit: thousands, 2009: 200}}\n")
    reg = read_register(path)
    r = revised_spi(asiatica[0], reg, 2009)
    assert r.expenditure == 150e6 and r.beneficiaries == 210e3


def test_missing_beneficiaries_are_reported(asiatica):
    r = revised_spi(asiatica[0], asiatica[1], 2008)  # programme 14 has no 2008 beneficiaries
    w = [w for w in r.warnings if "no beneficiaries" in w.what]
    assert w and w[0].count == 1 and w[0].extra["programmes"] == ["Food-Based Social Safety Net Program"]


def test_micro_finance_is_excluded_and_reported(asiatica):
    df = base_register(id=["1", "2", "3", "4"], name=["a", "b", "c", "Micro-credit"],
                       category=["PEN", "OSA", "LMP", "MCF"], exp_unit=["LCU millions"] * 4,
                       ben_unit=["thousands"] * 4, exp_2009=["1", "2", "3", "4"], ben_2009=["1", "2", "3", "4"],
                       poor_share=["0"] * 4, female_share=["0"] * 4)
    r = revised_spi(asiatica[0], register_from_frame(df), 2009)
    assert r.expenditure == 6e6 and r.excluded["name"].to_list() == ["Micro-credit"]
    assert any("micro-finance" in w.what for w in r.warnings)


# ---- validation: every case with its message -----------------------------------------------------------------
def test_unknown_category():
    with pytest.raises(DataError, match="unknown programme category 'PENS'") as err:
        register_from_frame(base_register(category=["PENS", "OSA", "LMP"]))
    assert "'PEN'" in err.value.hint and "Pension" in err.value.where


def test_programme_in_no_broad_category():
    with pytest.raises(DataError, match="in no broad category") as err:
        register_from_frame(base_register(category=["PEN", "", "LMP"]))
    assert "Cash transfer" in err.value.where and "exactly one broad category" in err.value.hint


def test_beneficiaries_larger_than_population(asiatica):
    reg = register_from_frame(base_register(ben_2009=["10", "20000", "30"]))  # 20 m > 10 m people
    with pytest.raises(DataError, match="beneficiaries larger than the population") as err:
        revised_spi(asiatica[0], reg, 2009)
    assert "Cash transfer" in err.value.where and "ben_unit" in err.value.hint


def test_negative_spending():
    with pytest.raises(DataError, match="negative spending") as err:
        register_from_frame(base_register(exp_2009=["100", "-5", "20"]))
    assert "Cash transfer" in err.value.where and err.value.expected == ">= 0"


@pytest.mark.parametrize("col", ["poor_share", "female_share"])
def test_shares_outside_0_1(col):
    with pytest.raises(DataError, match=f"{col} outside 0-1") as err:
        register_from_frame(base_register(**{col: ["0.1", "75", "0.2"]}))
    assert "percentages" in err.value.hint


def test_missing_magnitude_column():
    with pytest.raises(InputError, match="no exp_unit column"):
        register_from_frame(base_register().drop("exp_unit"))


def test_text_that_is_not_a_number():
    with pytest.raises(DataError, match="not a number") as err:
        register_from_frame(base_register(exp_2009=["100", "n.a.x", "20"]))
    assert "exp_2009" in err.value.what


def test_duplicated_ids():
    with pytest.raises(DataError, match="duplicated"):
        register_from_frame(base_register(id=["1", "1", "3"]))


def test_magnitude_warning_names_the_mix_up(asiatica):
    stats, register, _ = asiatica
    df = register.to_frame().with_columns(pl.lit("LCU thousands").alias("exp_unit"))  # values are in LCU
    r = revised_spi(stats, register_from_frame(df), 2009)
    w = [w for w in r.warnings if w.where == "magnitudes"]
    assert w and "SPI 112.5" in w[0].what and "x1,000" in w[0].what
    assert "LCU thousands" in w[0].what and "'LCU thousands'" in w[0].hint
    low = revised_spi(stats, register_from_frame(register.to_frame().with_columns(
        (pl.col("exp_2009") / 1e6).alias("exp_2009"))), 2009)  # millions entered, declared LCU
    w = [w for w in low.warnings if w.where == "magnitudes"]
    assert w and "1/1,000,000" in w[0].what


def test_no_warning_inside_the_band(asiatica_result):
    assert not [w for w in asiatica_result.warnings if w.where == "magnitudes"]


def test_aspire_expenditure_indicator(asiatica):
    from sp2lnob.spi.aspire_expenditure import aspire_expenditure

    df = base_register(aspire=["contributory_pensions", "conditional_cash_transfers", ""])
    table, warnings = aspire_expenditure(asiatica[0], register_from_frame(df), 2009)
    total = table.filter(pl.col("level") == "total").row(0, named=True)
    assert total["expenditure"] == 150e6 and math.isclose(total["share_of_gdp"], 150e6 / 900000e6, rel_tol=1e-12)
    fam = table.filter((pl.col("level") == "family") & (pl.col("code") == "social_assistance"))
    assert fam["expenditure"][0] == 50e6
    assert warnings and warnings[-1].extra["programmes"] == ["Public works"]
    with pytest.raises(DataError, match="unknown ASPIRE category 'cct'"):
        aspire_expenditure(asiatica[0], register_from_frame(base_register(aspire=["cct", "", ""])), 2009)
