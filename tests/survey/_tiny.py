"""A tiny hand-checkable survey: 4 households, 10 persons.

hh  size weight stratum psu urban region cons_total(yearly)  members (age, sex, relation)
1   3    10     1       11  1     1      3000                 (40,M,head) (38,F,spouse) (10,F,child)
2   2    20     1       12  0     2      1000                 (70,F,head) (68,M,spouse)
3   1    30     2       21  0     2       500                 (30,M,head)
4   4    15     2       22  1     1      8000                 (45,F,head) (44,M,spouse) (12,M,child) (5,F,child)

Programmes: social pension (person amounts, yearly): 120 to person (2,1);
cash transfer (household amount, monthly): 10 per month to hh 4; hh 3 has the
receipt flag but no amount.
"""

from __future__ import annotations

import copy
from pathlib import Path

import polars as pl

HOUSEHOLDS = pl.DataFrame(
    {
        "hhid": [1, 2, 3, 4],
        "hhweight": [10.0, 20.0, 30.0, 15.0],
        "stratum": [1, 1, 2, 2],
        "psu": [11, 12, 21, 22],
        "urban": [1, 0, 0, 1],
        "region": [1, 2, 2, 1],
        "cons_total": [3000.0, 1000.0, 500.0, 8000.0],
        "cct_amount": [0.0, 0.0, 0.0, 10.0],
        "cct_flag": [0, 0, 1, 1],
    }
)

PERSONS = pl.DataFrame(
    {
        "hhid": [1, 1, 1, 2, 2, 3, 4, 4, 4, 4],
        "pid": [1, 2, 3, 1, 2, 1, 1, 2, 3, 4],
        "age": [40, 38, 10, 70, 68, 30, 45, 44, 12, 5],
        "sex": [1, 2, 2, 2, 1, 1, 2, 1, 1, 2],
        "relation": [1, 2, 3, 1, 2, 1, 1, 2, 3, 3],
        "educ": [3, 2, 1, 1, 1, 2, 4, 3, 1, 0],
        "sp_amount": [0.0, 0.0, 0.0, 120.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    }
)

SPEC: dict = {
    "spec_version": 1,
    "survey": {"name": "Tiny test survey", "country": "Testland", "year": 2024, "currency": "TLD"},
    "files": {"persons": "persons.parquet", "households": "households.parquet"},
    "roles": {
        "household_id": "hhid",
        "person_id": "pid",
        "weight": "hhweight",
        "weight_type": "household",
        "strata": "stratum",
        "psu": "psu",
        "region": "region",
        "urban": "urban",
        "age": "age",
        "sex": "sex",
        "education": "educ",
        "relation": "relation",
        "head_value": 1,
    },
    "labels": {"urban": {0: "Rural", 1: "Urban"}, "sex": {1: "Male", 2: "Female"}},
    "welfare": {
        "variable": "cons_total",
        "kind": "consumption",
        "basis": "household_total",
        "period": "yearly",
        "equivalence_scale": "per_capita",
        "output_period": "yearly",
    },
    "ppp": {"cpi": 1.25, "factor": 20.0},
    "poverty_lines": [
        {"name": "national", "type": "absolute", "value": 60, "period": "monthly"},
        {"name": "by_area", "type": "absolute", "period": "yearly",
         "by": {"variable": "urban", "values": {0: 600, 1: 900}}},
        {"name": "ppp_3", "type": "ppp", "value": 3.0},
        {"name": "half_median", "type": "relative", "share": 0.5, "of": "median"},
        {"name": "poorest_20", "type": "quantile", "p": 0.2},
    ],
    "programmes": [
        {"name": "social_pension", "amount": "sp_amount", "unit": "person", "period": "yearly",
         "aspire": "social_pensions", "spi": "AE"},
        {"name": "cash_transfer", "amount": "cct_amount", "receipt": "cct_flag", "unit": "household",
         "period": "monthly", "aspire": "unconditional_cash_transfers", "spi": "OSA"},
    ],
}


def spec_dict(**changes) -> dict:
    """A deep copy of SPEC with top-level sections replaced/updated."""
    out = copy.deepcopy(SPEC)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def write_spec(folder: Path, spec: dict, name: str = "spec.yaml") -> Path:
    import yaml

    path = folder / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path
