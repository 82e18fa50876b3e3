"""sp2lnob.performance against R's survey package (golden values in expected.csv).

Data: data.csv, written by make_data.py. Values: expected.csv, written by
``Rscript aspire_indicators.R`` (R 4.2.2, survey 4.1.1): svyby(svymean) for
coverage, svyby(svyratio) for adequacy and the average transfer, svyratio of
group total to overall total for the incidences, design
svydesign(ids=~psu, strata=~stratum, weights=~w, nest=TRUE).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from sp2lnob.measures import ntile
from sp2lnob.performance.compute import compute_indicators
from sp2lnob.performance.inputs import Grouping, PerformanceInput
from sp2lnob.performance.programme_sets import ProgrammeInfo
from sp2lnob.survey.design import Design

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def result():
    d = pl.read_csv(HERE / "data.csv")
    w = d["w"].to_numpy()
    n = d.height
    inp = PerformanceInput(
        household=d["hh"].to_numpy(), weight=w, welfare=d["y"].to_numpy(),
        design=Design(weights=w, strata=d["stratum"].to_numpy(), psu=d["psu"].to_numpy()),
        programmes=(ProgrammeInfo("t", "Transfer", "conditional_cash_transfers"),),
        amount_pc=d["amt"].to_numpy().reshape(n, 1), receipt=d["ben"].to_numpy().astype(bool).reshape(n, 1),
        groupings={"sex": Grouping.from_values("sex", d["sex"].to_numpy())},
    )
    assert np.array_equal(ntile(d["y"].to_numpy(), w, 5), d["quintile"].to_numpy())
    return compute_indicators(inp)


def test_matches_r_survey(result):
    expected = pl.read_csv(HERE / "expected.csv")
    assert expected.height == 35
    for row in expected.iter_rows(named=True):
        group = f"Q{row['group']}" if row["group_var"] == "quintile" else str(row["group"])
        basis = "post" if row["group_var"] == "quintile" else "none"
        value = result.value(row["indicator"], "t", row["group_var"], group, basis)
        se = result.value(row["indicator"], "t", row["group_var"], group, basis, column="se")
        assert value == pytest.approx(row["value"], rel=1e-9), row
        assert se == pytest.approx(row["se"], rel=1e-7), row  # R writes 15 significant digits
