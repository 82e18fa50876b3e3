"""Bad input: clear structured errors, or reported handling (issue 3 list)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from tests.performance._scenarios import scenario_input

from sp2lnob.errors import DataError, SpecError
from sp2lnob.performance.compute import compute_indicators
from sp2lnob.performance.from_survey import input_from_survey
from sp2lnob.survey import read_survey


def small_survey(programme: dict, amount_values=None):
    """Six one-person households; ``amount_values`` fills column ``amt``."""
    df = pl.DataFrame({
        "hh": [1, 2, 3, 4, 5, 6], "pid": [1] * 6, "w": [1.0] * 6, "y": [50.0, 90, 120, 150, 210, 330],
        "amt": pl.Series(amount_values if amount_values is not None else [10.0, 0, 0, 5, 0, 0],
                         dtype=pl.Float64),
        "flag": [1, 0, 0, 0, 1, 0],
    })
    spec = {
        "roles": {"household_id": "hh", "person_id": "pid", "weight": "w"},
        "welfare": {"variable": "y", "period": "yearly"},
        "poverty_lines": [{"name": "z", "type": "absolute", "value": 100}],
        "programmes": [programme],
    }
    return read_survey(spec, data=df)


def test_programme_with_neither_amount_nor_receipt_is_a_spec_error():
    with pytest.raises(SpecError) as err:
        small_survey({"name": "p", "aspire": "public_works"})
    assert "amount" in str(err.value) and "receipt" in str(err.value)


def test_monthly_amounts_are_converted_and_reported():
    survey = small_survey({"name": "p", "amount": "amt", "period": "monthly", "aspire": "public_works"})
    inp = input_from_survey(survey, default_groupings=False)
    # 10 a month -> 120 a year (welfare is yearly), one-person household
    assert inp.amount_pc[0, 0] == pytest.approx(120)
    assert any("converted from monthly to yearly" in w.what for w in inp.warnings)
    res = compute_indicators(inp)
    assert any("converted" in w.what for w in res.warnings)


def test_all_amounts_missing_without_flag_is_an_error():
    survey = small_survey({"name": "p", "amount": "amt", "aspire": "public_works"}, [None] * 6)
    with pytest.raises(DataError) as err:
        input_from_survey(survey, default_groupings=False)
    assert "every amount is missing" in err.value.what
    assert err.value.hint


def test_all_amounts_missing_with_flag_uses_the_flag_and_reports():
    survey = small_survey({"name": "p", "amount": "amt", "receipt": "flag", "aspire": "public_works"}, [None] * 6)
    inp = input_from_survey(survey, default_groupings=False)
    assert not inp.programmes[0].has_amount
    assert inp.receipt[:, 0].tolist() == [True, False, False, False, True, False]
    res = compute_indicators(inp)
    assert res.value("coverage", "p") == pytest.approx(2 / 6)
    assert res.to_frame().filter(pl.col("indicator") == "adequacy").is_empty()
    assert any("every amount is missing" in w.what for w in res.warnings)


def test_fewer_distinct_welfare_values_than_quintiles_is_an_error():
    inp = scenario_input("five_households.yaml")
    from dataclasses import replace

    flat = replace(inp, welfare=np.where(inp.welfare > 250, 300.0, 100.0))
    with pytest.raises(DataError) as err:
        compute_indicators(flat)
    assert "fewer distinct values" in err.value.what
    assert "2 distinct" in err.value.got


def test_unknown_grouping_and_line_have_hints():
    survey = small_survey({"name": "p", "amount": "amt", "aspire": "public_works"})
    with pytest.raises(SpecError) as err:
        input_from_survey(survey, by=["hhh"])
    assert "hh" in (err.value.hint or "")
    with pytest.raises(SpecError):
        input_from_survey(survey, lines=["national"])


def test_missing_roles_skip_groupings_with_a_reason():
    survey = small_survey({"name": "p", "amount": "amt", "aspire": "public_works"})
    inp = input_from_survey(survey)
    skipped = [w.what for w in inp.warnings if "skipped" in w.what]
    assert len(skipped) == 5  # urban, region, sex, head_sex, age_group: none mapped
    assert inp.groupings == {}


def test_missing_group_codes_are_counted():
    inp = scenario_input("five_households.yaml")
    from dataclasses import replace

    from sp2lnob.performance.inputs import Grouping

    codes = inp.groupings["sex"].codes.copy()
    codes[0] = -1
    bad = replace(inp, groupings={"sex": Grouping("sex", codes, ("Male", "Female"))})
    res = compute_indicators(bad)
    notes = [w for w in res.warnings if "missing 'sex'" in w.what]
    assert notes and notes[0].count == 1
