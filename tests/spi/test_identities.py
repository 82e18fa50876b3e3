"""Property tests: SPI = depth x breadth = SI + SA + LMP = poor + non-poor = women + men (ADB 2012, ch. 2)."""

from __future__ import annotations

import math

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from sp2lnob.spi import basic_statistics_from_dict, register_from_frame, revised_spi
from sp2lnob.spi.register import categories_2012

CODES = sorted(categories_2012())


def _stats(scale: float):
    persons = {"population": 50e6, "unemployed_underemployed": 3e6, "aged_60_plus": 4e6, "employed": 20e6,
               "poor": 10e6, "disabled": 1e6, "children_0_14": 12e6}
    data = {"country": "Randomia", "reference_year": 2020,
            "gdp": {"value": 5e12 * scale, "unit": "LCU"}, "gdp_per_capita": {"value": 1e5 * scale, "unit": "LCU"}}
    data |= {k: {"value": v, "unit": "persons"} for k, v in persons.items()}
    return basic_statistics_from_dict(data)


programme = st.tuples(
    st.sampled_from(CODES),
    st.floats(1e-3, 1e6, allow_nan=False),      # expenditure, LCU millions
    st.floats(1.0, 5e3, allow_nan=False),       # beneficiaries, thousands
    st.floats(0.0, 1.0), st.floats(0.0, 1.0),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(programme, min_size=1, max_size=40), st.floats(0.5, 50.0))
def test_identities_hold_on_random_registers(rows, scale):
    df = pl.DataFrame({
        "name": [f"p{i}" for i in range(len(rows))], "category": [r[0] for r in rows],
        "exp_unit": ["LCU millions"] * len(rows), "ben_unit": ["thousands"] * len(rows),
        "exp_2020": [r[1] for r in rows], "ben_2020": [r[2] for r in rows],
        "poor_share": [r[3] for r in rows], "female_share": [r[4] for r in rows],
    })
    res = revised_spi(_stats(scale), register_from_frame(df))
    close = lambda a, b: math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)  # noqa: E731
    assert close(res.spi, res.depth * res.breadth)
    parts = [res.category(c, "spi") for c in ("SI", "SA", "LMP")]
    assert close(res.spi, sum(parts))
    assert close(res.spi, res.spi_poor + res.spi_nonpoor)
    assert close(res.spi, res.spi_women + res.spi_men)
    # Per broad category, with the workbook's breadth (over total PB): depth_c x breadth_c = SPI_c.
    for c in ("SI", "SA", "LMP"):
        if res.category(c, "beneficiaries") > 0:
            assert close(res.category(c, "spi"), res.category(c, "depth") * res.category(c, "breadth"))
    # Poverty focus definition.
    assert close(res.poverty_focus, (res.spi_poor / res.spi) / (10e6 / 50e6))
