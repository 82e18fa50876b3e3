"""Code health of the SPI parameter files: sourced, dated, complete and consistent."""

from __future__ import annotations

import math

import pytest

from sp2lnob.parameters import load

FILES = ["spi_categories.yaml", "spi_2005_weights.yaml", "spi_2012_reference_populations.yaml",
         "spi_plausible_band.yaml"]


@pytest.mark.parametrize("name", FILES)
def test_sourced_and_dated(name):
    data = load(name)
    assert data.get("source") and data.get("date"), name


def test_categories_are_complete():
    cats = load("spi_categories.yaml")
    codes12 = cats["revised_2012"]["categories"]
    assert {v["broad"] for v in codes12.values()} == {"SI", "SA", "LMP"}
    assert set(cats["original_2005"]["from_2012"]) == set(codes12)
    assert set(cats["original_2005"]["from_2012"].values()) <= set(cats["original_2005"]["categories"])


def test_2005_weights():
    w = load("spi_2005_weights.yaml")
    groups = w["target_groups"]
    assert len(groups) == 7
    assert math.isclose(sum(g["weight"] for g in groups.values()), 1.0, rel_tol=1e-12)
    assert math.isclose(sum(w["component_weights"].values()), 1.0, rel_tol=1e-12)
    assert set(w["default_target_group"]) == set(load("spi_categories.yaml")["original_2005"]["categories"])
    assert set(w["default_target_group"].values()) <= set(groups)
    from sp2lnob.spi.basic_stats import FIELDS

    assert {g["reference_population"] for g in groups.values()} <= set(FIELDS)


def test_2012_reference_populations():
    refs = load("spi_2012_reference_populations.yaml")
    assert len(refs["reference_populations"]) == 6
    assert refs["default_normaliser"] in refs["normalisers"]
    assert refs["normalisers"]["quarter_gdp_per_capita"]["share_of_gdp_per_capita"] == 0.25
