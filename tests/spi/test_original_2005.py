"""The original (2005) SPI on a hand-built register, every figure worked out here.

Country "Handland", 2020, money in LCU and populations in persons:
population 1,000; unemployed/underemployed 100; aged 60+ 80; poor 200;
disabled 20; poor children 5-14 50; poverty line 100 LCU; GDP 1,000,000.

| id | cat | 2005 cat | E      | B   | poor share | target groups   | poor benef. |
|----|-----|----------|--------|-----|------------|-----------------|-------------|
| A  | LMP | LMP      |  2,000 |  40 | 0.5        | LMP             | 20          |
| B  | PEN | PEN      | 10,000 |  60 | 0.0        | ELD             |  0          |
| C  | OSA | SA       |  3,000 | 100 | 0.8        | SA              | 80 (largest)|
| D  | CP  | CP       |  1,000 |  30 | 1.0        | CP 0.5, DIS 0.5 | 30          |
| E  | HI  | HI       |  4,000 | 300 | 0.1        | HEA             | 30          |
| F  | MAB | MAB      |    500 |  25 | 0.6        | MCF             | 15          |

SPEXP = 20,500 / 1,000,000 = 0.0205.
Coverage (with ELD adjustment +4 and SA within-group overlap 0.1):
LMP 40/100 = 0.4; ELD (60+4)/80 = 0.8; HEA 300/1000 = 0.3; SA 100 x 0.9 / 200 = 0.45;
MCF 25/200 = 0.125; DIS 15/20 = 0.75; CP 15/50 = 0.3.
SPCOV (handbook weights .10 .09 .32 .15 .15 .10 .09) =
0.04 + 0.072 + 0.096 + 0.0675 + 0.01875 + 0.075 + 0.027 = 0.39625.
PTR: upper (20+0+80+30+30+15)/200 = 175/200 = 0.875; lower 80/200 = 0.4;
best: C overlap 0, B (no poor) 1, others the largest programme's PTR 0.4:
(80 + 20x0.6 + 30x0.6 + 30x0.6 + 15x0.6)/200 = 137/200 = 0.685.
With D declared in complete overlap: (137 - 18)/200 = 0.595.
SPIMP: E_p = 1,000 + 0 + 2,400 + 1,000 + 400 + 300 = 5,100; (5,100/200)/100 = 0.255.
Scaled by the 2005 maxima (10.5 %, 50 %, 73 %, 21 %):
0.0205/0.105, 0.39625/0.5 = 0.7925, 0.685/0.73, 0.255/0.21; SPI = mean of the four.
"""

from __future__ import annotations

import math

import polars as pl
import pytest

from sp2lnob.errors import DataError, InputError
from sp2lnob.spi import basic_statistics_from_dict, original_spi, register_from_frame


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-12)


@pytest.fixture(scope="module")
def stats():
    persons = {"population": 1000, "unemployed_underemployed": 100, "aged_60_plus": 80, "employed": 500,
               "poor": 200, "disabled": 20, "children_0_14": 300, "poor_children_5_14": 50}
    data = {"country": "Handland", "reference_year": 2020, "gdp": {"value": 1e6, "unit": "LCU"},
            "gdp_per_capita": {"value": 1000, "unit": "LCU"},
            "poverty_line_per_capita": {"value": 100, "unit": "LCU per year"}}
    data |= {k: {"value": v, "unit": "persons"} for k, v in persons.items()}
    return basic_statistics_from_dict(data)


def make_register(**overrides):
    cols = {"id": list("ABCDEF"), "name": ["a", "b", "c", "d", "e", "f"],
            "category": ["LMP", "PEN", "OSA", "CP", "HI", "MAB"], "exp_unit": ["LCU"] * 6,
            "ben_unit": ["persons"] * 6, "exp_2020": [2000, 10000, 3000, 1000, 4000, 500],
            "ben_2020": [40, 60, 100, 30, 300, 25], "poor_share": [0.5, 0, 0.8, 1, 0.1, 0.6],
            "target_groups": [None, None, None, "CP:0.5;DIS:0.5", None, None]}
    cols.update(overrides)
    return register_from_frame(pl.DataFrame(cols))


ADJ = {"SA": {"overlap": 0.1}, "ELD": {"adjustment": 4}}


def test_components(stats):
    r = original_spi(stats, make_register(), group_adjustments=ADJ)
    assert close(r.spexp, 0.0205)
    cov = dict(zip(r.target_groups["target_group"], r.target_groups["coverage"], strict=True))
    assert cov == pytest.approx({"LMP": 0.4, "ELD": 0.8, "HEA": 0.3, "SA": 0.45, "MCF": 0.125, "DIS": 0.75,
                                 "CP": 0.3}, rel=1e-12)
    assert close(r.spcov, 0.39625)
    assert close(r.ptr_upper, 0.875)
    assert close(r.ptr_lower, 0.4)
    assert close(r.ptr, 0.685)
    assert close(r.spimp, 0.255)
    expected = (0.0205 / 0.105 + 0.7925 + 0.685 / 0.73 + 0.255 / 0.21) / 4
    assert close(r.spi, expected)
    assert close(r.spi_equal_weights, expected)
    assert any("SPIMP exceeds" in w.what for w in r.warnings)  # 0.255 > 0.21


def test_overlap_rules(stats):
    r = original_spi(stats, make_register(), group_adjustments=ADJ)
    rules = dict(zip(r.ptr_programmes["id"], r.ptr_programmes["overlap_rule"], strict=True))
    assert rules["C"] == "largest programme" and rules["B"] == "no poor beneficiaries"
    assert rules["A"].startswith("default")
    declared = original_spi(stats, make_register(), group_adjustments=ADJ, ptr_overlaps={"D": 1.0})
    assert close(declared.ptr, 0.595)
    in_register = original_spi(stats, make_register(overlap=[None, None, None, 1.0, None, None]),
                               group_adjustments=ADJ)
    assert close(in_register.ptr, 0.595)


def test_weighting_schemes(stats):
    reg = make_register()
    cov = {"LMP": 0.4, "ELD": 0.8, "HEA": 0.3, "SA": 0.45, "MCF": 0.125, "DIS": 0.75, "CP": 0.3}
    un = original_spi(stats, reg, group_adjustments=ADJ, target_group_weighting="unweighted")
    assert close(un.spcov, sum(cov.values()) / 7)
    # Population weights: reference populations 100, 80, 1000, 200, 200, 20, 50 (sum 1,650).
    refs = {"LMP": 100, "ELD": 80, "HEA": 1000, "SA": 200, "MCF": 200, "DIS": 20, "CP": 50}
    pop = original_spi(stats, reg, group_adjustments=ADJ, target_group_weighting="population")
    assert close(pop.spcov, sum(cov[g] * refs[g] / 1650 for g in cov))
    custom = {g: (1.0 if g == "HEA" else 0.0) for g in cov}
    assert close(original_spi(stats, reg, group_adjustments=ADJ, target_group_weighting=custom).spcov, 0.3)
    with pytest.raises(InputError, match="custom target-group weights"):
        original_spi(stats, reg, target_group_weighting={"HEA": 0.5})
    with pytest.raises(InputError, match="unknown weighting scheme"):
        original_spi(stats, reg, target_group_weighting="handbok")


def test_component_weights_and_comparison(stats):
    reg = make_register()
    w = {"SPEXP": 0.4, "SPCOV": 0.2, "PTR": 0.2, "SPIMP": 0.2}
    r = original_spi(stats, reg, group_adjustments=ADJ, component_weights=w)
    assert close(r.spi, 0.4 * 0.0205 / 0.105 + 0.2 * 0.7925 + 0.2 * 0.685 / 0.73 + 0.2 * 0.255 / 0.21)
    maxima = {"SPEXP": 0.05, "SPCOV": 0.8, "PTR": 1.0, "SPIMP": 0.5}
    r2 = original_spi(stats, reg, group_adjustments=ADJ, comparison=maxima)
    assert close(r2.spi, (0.0205 / 0.05 + 0.39625 / 0.8 + 0.685 + 0.255 / 0.5) / 4)
    assert r2.comparison == "custom"
    with pytest.raises(InputError, match="component weights"):
        original_spi(stats, reg, component_weights={"SPEXP": 1.0})


def test_target_group_allocation_errors(stats):
    with pytest.raises(DataError, match="several target groups needs the share"):
        original_spi(stats, make_register(target_groups=[None, None, None, "CP;DIS", None, None]))
    with pytest.raises(DataError, match="unknown target group 'OLD'"):
        original_spi(stats, make_register(target_groups=["OLD", None, None, None, None, None]))
    with pytest.raises(DataError, match="add up to at most 1"):
        original_spi(stats, make_register(target_groups=[None, None, None, "CP:0.7;DIS:0.5", None, None]))


def test_needs_2005_basic_statistics(stats):
    with pytest.raises(DataError, match="poor_children_5_14"):
        original_spi(stats.with_values(poor_children_5_14=None), make_register())


def test_tables_and_frame(stats):
    from sp2lnob.spi.tables import workbook_tables

    r = original_spi(stats, make_register(), group_adjustments=ADJ)
    tables = workbook_tables(r)
    assert list(tables) == ["S3", "S5", "S6", "S8", "S10", "S11"]
    s3 = tables["S3"]
    assert close(s3.filter(pl.col("category_2005") == "TOTAL")["share_of_gdp"][0], 0.0205)
    assert close(s3.filter(pl.col("category_2005") == "MAB")["expenditure"][0], 500.0)
    assert close(tables["S11"].filter(pl.col("component") == "SPI")["weighted"][0], r.spi)
    frame = r.to_frame()
    assert close(frame.filter((pl.col("component") == "PTR") & (pl.col("measure") == "upper_bound"))["value"][0],
                 0.875)
    assert "PTR bounds: lower 0.4000, best 0.6850, upper 0.8750" in r.summary()
    assert r.to_dict()["headline"]["coverage_DIS"] == pytest.approx(0.75)


def test_declared_overlap_of_the_largest_programme_is_reported(stats):
    r = original_spi(stats, make_register(), group_adjustments=ADJ, ptr_overlaps={"C": 0.5})
    assert close(r.ptr, 0.685)  # unchanged: C stays the reference
    assert any("is ignored" in w.what and "'c'" in w.what for w in r.warnings)
    assert r.ptr_programmes.filter(pl.col("id") == "C")["declared_overlap"][0] == 0.5
