"""Country context indicators (aspire.md §4) on three hand-made households."""

from __future__ import annotations

import polars as pl
import pytest

from sp2lnob.performance.context import context_indicators
from sp2lnob.performance.from_survey import input_from_survey
from sp2lnob.survey import read_survey

# H1 (weight 1): ages 70, 40; H2 (1): 65; H3 (2): 30, 5, 10. Person weights: 2 x 1, 1, 3 x 2 = 9.
PERSONS = pl.DataFrame({
    "hh": [1, 1, 2, 3, 3, 3], "pid": [1, 2, 1, 1, 2, 3], "w": [1.0, 1, 1, 2, 2, 2],
    "y": [100.0, 100, 200, 50, 50, 50], "age": [70, 40, 65, 30, 5, 10],
    "lstatus": [3, 1, 3, 2, 3, 3], "sex": [1, 2, 2, 1, 1, 2],
})
SPEC = {
    "roles": {"household_id": "hh", "person_id": "pid", "weight": "w", "age": "age",
              "labour_status": "lstatus", "sex": "sex"},
    "labels": {"lstatus": {1: "Employed", 2: "Unemployed", 3: "Inactive"}, "sex": {1: "Male", 2: "Female"}},
    "welfare": {"variable": "y"},
}


@pytest.fixture(scope="module")
def ctx():
    survey = read_survey(SPEC, data=PERSONS)
    frame, warnings = context_indicators(survey, input_from_survey(survey), lonely_psu="adjust")
    return frame, warnings


def val(frame, indicator, group="all", group_var=None):
    f = frame.filter((pl.col("indicator") == indicator) & (pl.col("group") == group))
    if group_var:
        f = f.filter(pl.col("group_var") == group_var)
    assert f.height == 1, (indicator, group)
    return f["value"][0]


def test_demography(ctx):
    frame, _ = ctx
    assert val(frame, "population_share", "60+") == pytest.approx(2 / 9)     # 70 (1), 65 (1)
    assert val(frame, "population_share", "0-14") == pytest.approx(4 / 9)    # 5, 10 (2 each)
    assert val(frame, "population_share", "25-59") == pytest.approx(3 / 9)   # 40 (1), 30 (2)
    assert val(frame, "population_share", "15-24") == 0


def test_households(ctx):
    frame, _ = ctx
    # households with someone 60+: H1 (also someone under 60), H2 (alone): 1 / 2 by household weight
    assert val(frame, "elderly_coresidence") == pytest.approx(1 / 2)
    # dependants / members 15-60: H1 1/1, H3 2/1; H2 has nobody 15-60 (excluded); weights 1, 2
    assert val(frame, "dependency_rate") == pytest.approx((1 * 1 + 2 * 2) / 3)


def test_bottom40_and_labour(ctx):
    frame, warnings = ctx
    # welfare sorted 50 (weight 6), 100 (2), 200 (1): Q(0.4) = 50 -> only H3 in the poorest 40 %
    assert val(frame, "bottom40_share", "0-14", "age_group") == pytest.approx(1)
    assert val(frame, "bottom40_share", "25-59", "age_group") == pytest.approx(2 / 3)
    assert val(frame, "bottom40_share", "60+", "age_group") == 0
    # 15+: 70 inactive (1), 40 employed (1), 65 inactive (1), 30 unemployed (2)
    assert val(frame, "labour_status_share", "Employed") == pytest.approx(1 / 5)
    assert val(frame, "labour_force_participation") == pytest.approx(3 / 5)
    assert val(frame, "unemployment_rate", "all") == pytest.approx(2 / 3)
    assert any("urban" in w.what for w in warnings)  # no urban role: that cross-tab is skipped
