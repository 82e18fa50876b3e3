"""Reference tables (ADB 2009 regional set, 2005 comparison set) and the charts."""

from __future__ import annotations

import polars as pl
import pytest

from sp2lnob.spi.reference import place_among_regional, reference_table, regional_2009

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_regional_table_loads():
    reg = regional_2009()
    assert reg.height == 27
    assert {"spi", "depth", "breadth", "poverty_focus"} <= set(reg.columns)
    japan = reg.filter(pl.col("country") == "Japan")
    assert japan["spi"][0] == 0.538  # the maximum quoted in spi.md section 1.1
    assert reg["spi"].min() == 0.002  # Papua New Guinea
    assert reference_table("beneficiaries_2009").height == 12
    assert reference_table("six_countries_2005")["country"].to_list()[0] == "Mongolia"
    comp = reference_table("comparison_2005")
    assert dict(zip(comp["indicator"], comp["maximum"], strict=True)) == {"SPEXP": 0.105, "SPCOV": 0.50,
                                                                         "PTR": 0.73, "SPIMP": 0.21}


def test_comparison_maxima_parameters_match_the_reference_table():
    from sp2lnob.parameters import load

    comp = reference_table("comparison_2005")
    assert load("spi_2005_weights.yaml")["comparison_maxima"] == dict(zip(comp["indicator"], comp["maximum"],
                                                                          strict=True))


def test_place_asiatica_among_the_27(asiatica_result):
    place = place_among_regional(asiatica_result)
    spi = place.filter(pl.col("indicator") == "spi").row(0, named=True)
    # Countries of the 2009 table with an SPI above 0.11248: Japan .538, Mongolia .285, Korea .284,
    # Uzbekistan .235, Kyrgyz .211, Azerbaijan .174, Kazakhstan .156, Malaysia .148, Armenia .145,
    # PRC .139 -> 10 above, so rank 11 among 28. India and Sri Lanka (0.112) are below.
    assert spi["rank_among_28"] == 11
    assert spi["share_below"] == pytest.approx(17 / 27)
    lmp = place.filter(pl.col("indicator") == "spi_labor_market").row(0, named=True)
    assert lmp["rank_among_28"] == 1  # 0.0197 > the regional maximum 0.01


def _is_png(path):
    data = path.read_bytes()
    return data[:8] == PNG_MAGIC and len(data) > 10_000


def test_revised_charts(tmp_path, asiatica_result):
    from sp2lnob.spi.charts import plot_all, plot_depth_breadth

    paths = plot_all(asiatica_result, tmp_path)
    assert len(paths) == 3 and all(_is_png(p) for p in paths)
    svg = plot_depth_breadth(asiatica_result, tmp_path / "db.svg")
    assert svg.read_text().lstrip().startswith("<?xml") and "Asiatica" in svg.read_text()


def test_star_chart(tmp_path):
    from sp2lnob.spi import basic_statistics_from_dict, original_spi, register_from_frame
    from sp2lnob.spi.charts import plot_all

    persons = {"population": 1000, "unemployed_underemployed": 100, "aged_60_plus": 80, "poor": 200,
               "disabled": 20, "poor_children_5_14": 50}
    data = {"reference_year": 2020, "gdp": {"value": 1e6, "unit": "LCU"},
            "poverty_line_per_capita": {"value": 100, "unit": "LCU"}}
    data |= {k: {"value": v, "unit": "persons"} for k, v in persons.items()}
    register = register_from_frame(pl.DataFrame({
        "name": ["a", "b", "c"], "category": ["LMP", "PEN", "OSA"], "exp_unit": ["LCU"] * 3,
        "ben_unit": ["persons"] * 3, "exp_2020": [2000, 10000, 3000], "ben_2020": [40, 60, 100],
        "poor_share": [0.5, 0.0, 0.8]}))
    result = original_spi(basic_statistics_from_dict(data), register)
    paths = plot_all(result, tmp_path)
    assert [p.name for p in paths] == ["spi_expenditure_by_category.png", "spi_star.png"]
    assert all(_is_png(p) for p in paths)


def test_bad_chart_suffix(tmp_path, asiatica_result):
    from sp2lnob.errors import InputError
    from sp2lnob.spi.charts import plot_depth_breadth

    with pytest.raises(InputError, match="PNG, SVG or PDF"):
        plot_depth_breadth(asiatica_result, tmp_path / "x.gif")
