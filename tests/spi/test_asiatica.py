"""The Asiatica worked example (ADB 2012, Revised SPI Handbook; spec: shared/spec/spi.md section 2.1).

Two kinds of checks: (1) every figure of the spec's table at its printed
precision; (2) exact sums derived by hand from the 2009 columns of
asiatica_programmes.csv (written out below, so they do not come from our code).
"""

from __future__ import annotations

import math

import pytest

# Hand sums of the 2009 columns (LCU millions; beneficiaries in thousands).
E_SI = 12583.4 + 4782.0 + 377.5                                     # programmes 7, 8, 9
E_SA = 42.4 + 325.6 + 113.6 + 251.2 + 7443.7 + 33.6 + 442.8 + 25.9 + 847.2 + 298.3   # 10-19
E_LMP = 161.2 + 1752.3 + 2760.4 + 1052.6 + 60.4 + 52.8             # 1-6
AB_SI = 103 + 152 + 4
AB_SA = 29 + 12 + 300 + 742 + 946 + 11 + 52 + 1 + 97 + 131
AB_LMP = 14 + 21 + 100 + 50 + 23 + 5
# E_p = sum E_i x PTR_i over all 19 programmes, including programme 10 (1.00 x 42.4).
E_P = (161.2 * 1.0 + 1752.3 * 0.8 + 2760.4 * 0.1 + 1052.6 * 0.6 + 60.4 * 0.5 + 52.8 * 0.2
       + 0 + 0 + 377.5 * 0.2 + 42.4 * 1.0 + 325.6 * 1.0 + 113.6 * 0.9 + 251.2 * 0.35 + 7443.7 * 0.75
       + 33.6 * 1.0 + 442.8 * 0.75 + 25.9 * 1.0 + 847.2 * 0.75 + 298.3 * 0.75)
E_F = (161.2 * 1.0 + 1752.3 * 0.3 + 2760.4 * 0.05 + 1052.6 * 0.5 + 60.4 * 0.5 + 52.8 * 0.2
       + 12583.4 * 0.25 + 4782.0 * 0.30 + 377.5 * 0.40 + 42.4 * 0.70 + 325.6 * 1.0 + 113.6 * 0.55
       + 251.2 * 0.35 + 7443.7 * 0.40 + 33.6 * 0.5 + 442.8 * 0.5 + 25.9 * 0.85 + 847.2 * 0.5 + 298.3 * 0.5)
PB = 13.2e6
Z = 0.25 * 90000


def rel(a, b):
    return math.isclose(a, b, rel_tol=1e-12)


def test_exact_sums_from_the_csv(asiatica_result):
    r = asiatica_result
    assert rel(r.expenditure, 33406.9e6)
    assert rel(r.expenditure, (E_SI + E_SA + E_LMP) * 1e6)
    assert rel(r.category("SI", "expenditure"), E_SI * 1e6)
    assert rel(r.category("SA", "expenditure"), E_SA * 1e6)
    assert rel(r.category("LMP", "expenditure"), E_LMP * 1e6)
    assert rel(r.beneficiaries, 2793e3)
    assert (AB_SI, AB_SA, AB_LMP) == (259, 2321, 213)
    assert rel(r.category("SI", "beneficiaries"), AB_SI * 1e3)
    assert rel(r.category("SA", "beneficiaries"), AB_SA * 1e3)
    assert rel(r.category("LMP", "beneficiaries"), AB_LMP * 1e3)
    assert rel(r.potential_beneficiaries, PB)
    assert rel(r.z, Z)
    assert rel(r.spi, 33406.9e6 / PB / Z)
    assert rel(r.expenditure_poor, E_P * 1e6)
    assert rel(r.expenditure_women, E_F * 1e6)


def test_printed_figures(asiatica_result):
    r = asiatica_result
    assert round(r.expenditure / 1e6, 1) == 33406.9
    assert round(r.expenditure / 1e6) == 33407
    assert [round(r.category(c, "expenditure") / 1e6, 1) for c in ("SI", "SA", "LMP")] == [17742.9, 9824.3, 5839.7]
    assert round(r.beneficiaries / 1e3) == 2793
    assert [round(r.category(c, "beneficiaries") / 1e3) for c in ("SI", "SA", "LMP")] == [259, 2321, 213]
    assert [round(r.category(c, "potential_beneficiaries") / 1e6, 1) for c in ("SI", "SA", "LMP")] == [6.7, 5.5, 1.0]
    assert round(r.spi, 5) == 0.11248
    assert round(r.spi, 3) == 0.112
    assert [round(r.category(c, "spi"), 3) for c in ("SI", "SA", "LMP")] == [0.060, 0.033, 0.020]
    assert (round(r.depth, 3), round(r.breadth, 3)) == (0.532, 0.212)
    assert [round(r.category(c, "depth"), 3) for c in ("SI", "SA", "LMP")] == [3.045, 0.188, 1.219]
    assert [round(r.category(c, "breadth"), 3) for c in ("SI", "SA", "LMP")] == [0.020, 0.176, 0.016]
    assert round(r.expenditure_poor / 1e6, 1) == 9978.6
    assert (round(r.spi_poor, 3), round(r.spi_nonpoor, 3)) == (0.034, 0.079)
    assert round(r.poverty_focus, 3) == 0.853
    assert round(r.expenditure_women / 1e6, 1) == 10439.5
    assert (round(r.spi_women, 3), round(r.spi_men, 3)) == (0.035, 0.077)
    assert round(r.spexp * 100, 1) == 3.7


def test_handbook_misprints_are_not_reproduced(asiatica_result):
    r = asiatica_result
    # The handbook's poverty-focus sheet prints 9,936 and the sex sheet 10,410 (programme 10 omitted).
    assert round(r.expenditure_poor / 1e6, 1) == 9978.6 != 9936
    assert round(r.expenditure_poor / 1e6) != 9936
    assert round(r.expenditure_women / 1e6) == 10440 != 10410
    # Programme 10 is in both sums: 9,978.6 - 42.4 x 1.00 = 9,936.2 and 10,439.5 - 42.4 x 0.70 = 10,409.8.
    assert round(r.expenditure_poor / 1e6 - 42.4, 1) == 9936.2
    # Men: 33,407 - 10,440 = 22,967, not the printed 22,997.
    assert round(r.expenditure_men / 1e6) == 22967 != 22997


def test_category_coverage_and_population_weight(asiatica_result):
    r = asiatica_result
    assert rel(r.category("SI", "category_coverage"), 259e3 / 6.7e6)
    assert rel(r.category("SA", "category_coverage"), 2321e3 / 5.5e6)
    assert rel(r.category("LMP", "population_weight"), 1.0 / 13.2)


def test_later_convention_divides_by_whole_gdp_per_capita(asiatica):
    from sp2lnob.spi import revised_spi

    stats, register, year = asiatica
    later = revised_spi(stats, register, year, normaliser="gdp_per_capita")
    assert rel(later.z, 90000.0)
    assert rel(later.spi, 33406.9e6 / PB / 90000.0)
    assert later.normaliser == "gdp_per_capita"


def test_five_largest_programmes(asiatica_result):
    top = asiatica_result.top_programmes(5)
    overall = top.filter(top["component"] == "all")
    # By expenditure: civil service pensions 12,583.4; food-based SSN 7,443.7; health insurance 4,782.0;
    # SOE retrenchment 2,760.4; food/cash for work 1,752.3.
    assert overall["id"].to_list() == ["7", "14", "8", "3", "2"]
    si = top.filter(top["component"] == "SI")
    assert si["id"].to_list() == ["7", "8", "9"]  # only three SI programmes
    by_reach = asiatica_result.top_programmes(5, by="beneficiaries")
    # SA beneficiaries ('000): 946 (14), 742 (13), 300 (12), 131 (19), 97 (18).
    assert by_reach.filter(by_reach["component"] == "SA")["id"].to_list() == ["14", "13", "12", "19", "18"]


def test_summary_and_frame(asiatica_result):
    text = asiatica_result.summary()
    assert "0.1125" in text and "poverty focus 0.853" in text
    assert str(asiatica_result) == text
    frame = asiatica_result.to_frame()
    assert set(frame.columns) >= {"dimension", "group", "indicator", "value"}
    spi = frame.filter((frame["dimension"] == "all") & (frame["indicator"] == "spi"))["value"][0]
    assert rel(spi, asiatica_result.spi)


@pytest.mark.parametrize("key", ["spi", "depth", "breadth", "spi_poor", "poverty_focus", "spi_women", "spi_SI",
                                 "breadth_LMP", "category_coverage_SA", "spexp"])
def test_to_dict_has_every_headline(asiatica_result, key):
    assert key in asiatica_result.to_dict()["headline"]
