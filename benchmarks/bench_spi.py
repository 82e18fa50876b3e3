"""Benchmarks for sp2lnob.spi.

* register work (revised and original SPI) on generated registers of 10^2 ... 10^5
  programmes (real registers have 10-300; the large sizes check nothing is quadratic);
* survey-derived inputs on 10^4 ... 10^7 person rows (households of 1-8 persons,
  12 programmes, ~30 % poor), from plain arrays so the timing is the SPI code's.

Data are generated once per size with a fixed seed.
"""

from __future__ import annotations

from functools import cache, partial
from typing import Any

import numpy as np
import polars as pl

from benchmarks.harness import SIZES, Case

SEED = 20261122
REGISTER_SIZES = (10**2, 10**3, 10**4, 10**5)
CODES = ("PEN", "HI", "UB", "OSI", "AE", "HA", "CP", "DA", "OSA", "LMP")


@cache
def _register(n: int) -> Any:
    from sp2lnob.spi import basic_statistics_from_dict, register_from_frame

    rng = np.random.default_rng(SEED)
    df = pl.DataFrame({
        "name": [f"programme {i}" for i in range(n)],
        "category": rng.choice(CODES, n),
        "exp_unit": ["LCU millions"] * n, "ben_unit": ["persons"] * n,
        "exp_2020": rng.lognormal(3, 1.5, n), "ben_2020": rng.integers(1, 2000, n).astype(float),
        "poor_share": rng.random(n), "female_share": rng.random(n),
    })
    persons = {"population": 1e9, "unemployed_underemployed": 5e7, "aged_60_plus": 8e7, "employed": 4e8,
               "poor": 2e8, "disabled": 3e7, "children_0_14": 2.5e8, "poor_children_5_14": 6e7}
    data = {"reference_year": 2020, "gdp": {"value": 1e15, "unit": "LCU"},
            "gdp_per_capita": {"value": 1e6, "unit": "LCU"}, "poverty_line_per_capita": {"value": 2e5, "unit": "LCU"}}
    data |= {k: {"value": v, "unit": "persons"} for k, v in persons.items()}
    return basic_statistics_from_dict(data), register_from_frame(df)


@cache
def _survey_arrays(rows: int) -> dict[str, Any]:
    rng = np.random.default_rng(SEED)
    size = rng.integers(1, 9, rows // 4 + 1)
    hh = np.repeat(np.arange(size.size), size)[:rows]
    n_hh = int(hh.max()) + 1
    w_hh = rng.uniform(10, 500, n_hh)
    poor_hh = rng.random(n_hh) < 0.3
    cats = ["PEN", "HI", "AE", "OSA", "OSA", "CP", "HA", "OSA", "DA", "LMP", "LMP", "OSI"]
    receipts, amounts, categories = {}, {}, {}
    for j, cat in enumerate(cats):
        name = f"p{j}"
        rec_hh = rng.random(n_hh) < rng.uniform(0.02, 0.3)
        receipts[name] = rec_hh[hh]
        amounts[name] = (rec_hh * rng.lognormal(8, 1, n_hh))[hh]
        categories[name] = cat
    return {"weights": w_hh[hh], "hh_id": hh, "poor": poor_hh[hh], "receipts": receipts, "amounts": amounts,
            "categories": categories}


def _survey(d: dict[str, Any]) -> Any:
    from sp2lnob.spi.from_survey import survey_inputs_from_arrays

    return survey_inputs_from_arrays(d["weights"], d["hh_id"], d["poor"], d["receipts"], d["categories"],
                                     amounts=d["amounts"])


def cases() -> list[Case]:
    from sp2lnob.spi import original_spi, revised_spi
    from sp2lnob.spi.tables import workbook_tables

    out: list[Case] = []
    for n in REGISTER_SIZES:
        setup = partial(_register, n)
        out.append(Case("spi", "revised_2012", n, setup, lambda d: revised_spi(*d), note="rows = programmes"))
        out.append(Case("spi", "original_2005", n, setup, lambda d: original_spi(*d), note="rows = programmes"))
        out.append(Case("spi", "workbook_tables_2012", n, lambda n=n: revised_spi(*_register(n)), workbook_tables,
                        note="rows = programmes"))
    for rows in SIZES:
        out.append(Case("spi", "survey_inputs_12_programmes", rows, lambda rows=rows: _survey_arrays(rows), _survey,
                        repeat=3 if rows >= 10**7 else 5, note="rows = persons"))
    return out
