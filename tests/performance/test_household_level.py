"""A household-level file gives the same figures as the same survey with one row per person."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from sp2lnob.performance.from_survey import indicators_from_survey
from sp2lnob.survey import read_survey

HH = pl.DataFrame({
    "hh": [1, 2, 3, 4, 5, 6, 7], "size": [2, 1, 3, 1, 2, 4, 1], "w": [10.0, 20, 10, 30, 10, 5, 15],
    "y": [50.0, 90, 120, 150, 210, 330, 400], "cash": [40.0, 0, 30, 0, 0, 20, 0],
    "psu": [1, 1, 2, 2, 3, 3, 3],
})
SPEC = {"welfare": {"variable": "y"},
        "poverty_lines": [{"name": "z", "type": "absolute", "value": 130}],
        "programmes": [{"name": "cash", "amount": "cash", "unit": "household", "aspire": "public_works"}]}


def test_household_rows_equal_person_rows():
    hh_spec = {**SPEC, "roles": {"household_id": "hh", "weight": "w", "household_size": "size", "psu": "psu"}}
    by_household = indicators_from_survey(read_survey(hh_spec, data=HH), context=False)
    persons = HH.select(pl.all().repeat_by("size").explode()).with_columns(
        pl.int_range(pl.len()).over("hh").alias("pid"),
        (pl.col("cash") * (pl.int_range(pl.len()).over("hh") == 0)).alias("cash"))  # amount on one member
    p_spec = {**SPEC, "roles": {"household_id": "hh", "person_id": "pid", "weight": "w", "psu": "psu"},
              "programmes": [{"name": "cash", "amount": "cash", "unit": "person", "aspire": "public_works"}]}
    by_person = indicators_from_survey(read_survey(p_spec, data=persons), context=False)
    keys = ["indicator", "programme", "set_type", "group_var", "group", "basis", "line"]
    a = by_household.to_frame().sort(keys, nulls_last=True)
    b = by_person.to_frame().sort(keys, nulls_last=True)
    assert a.select(keys).equals(b.select(keys))
    assert np.allclose(a["value"].to_numpy(), b["value"].to_numpy(), equal_nan=True)
    assert np.allclose(a["se"].to_numpy(), b["se"].to_numpy(), equal_nan=True)
    assert (a["n"] == b["n"]).all()  # persons, not household rows
    assert by_household.value("coverage", "cash", column="n") == 14
    assert by_household.value("coverage", "cash") == pytest.approx((20 + 30 + 20) / (20 + 20 + 30 + 30 + 20 + 20 + 15))
