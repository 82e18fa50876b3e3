"""Benchmark: read a survey (household + person Parquet files) and build the ``Survey``.

Setup (untimed) writes a synthetic survey of ``rows`` person rows (households
of 1-7, 20 strata, PSUs of ~50 households, two programmes, four poverty
lines) to a temporary folder. Timed: ``read_survey`` (read, merge m:1,
validate, welfare per adult equivalent with the OECD-modified scale, design),
then the per-person values downstream engines ask for.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import polars as pl
import yaml

from benchmarks.harness import SIZES, Case


def write_survey(n_persons: int, folder: Path, seed: int = 20261122) -> Path:
    """Write persons/households Parquet files and a spec; return the spec path."""
    rng = np.random.default_rng(seed)
    n_hh = max(n_persons // 4, 50)
    size = rng.integers(1, 8, n_hh)
    hh = np.repeat(np.arange(1, n_hh + 1), size)
    psu = np.arange(n_hh) // 50
    households = pl.DataFrame(
        {
            "hhid": np.arange(1, n_hh + 1),
            "hhweight": rng.uniform(50, 150, n_hh),
            "stratum": psu % 20,
            "psu": psu,
            "urban": (psu % 20) % 2,
            "region": ((psu % 20) // 2) % 6 + 1,
            "cons_total": rng.lognormal(10.5, 0.6, n_hh) * size,
            "cash": np.where(rng.uniform(size=n_hh) < 0.2, rng.uniform(100, 500, n_hh), 0.0),
        }
    )
    persons = pl.DataFrame(
        {
            "hhid": hh,
            "age": rng.integers(0, 90, hh.size),
            "sex": rng.integers(1, 3, hh.size),
            "pension": np.where(rng.uniform(size=hh.size) < 0.05, rng.uniform(500, 2000, hh.size), 0.0),
        }
    ).with_columns(
        pid=pl.int_range(pl.len()).over("hhid") + 1,
        relation=pl.when(pl.int_range(pl.len()).over("hhid") == 0).then(1).otherwise(2),
    )
    persons.write_parquet(folder / "persons.parquet")
    households.write_parquet(folder / "households.parquet")
    spec = {
        "survey": {"name": f"bench {n_persons}"},
        "files": {"persons": "persons.parquet", "households": "households.parquet"},
        "roles": {"household_id": "hhid", "person_id": "pid", "weight": "hhweight", "strata": "stratum",
                  "psu": "psu", "urban": "urban", "urban_value": 1, "region": "region", "age": "age",
                  "sex": "sex", "relation": "relation", "head_value": 1},
        "welfare": {"variable": "cons_total", "basis": "household_total", "equivalence_scale": "modified_oecd"},
        "ppp": {"cpi": 1.2, "factor": 15.0},
        "poverty_lines": [
            {"name": "national", "type": "absolute", "by": {"variable": "urban", "values": {0: 20000, 1: 26000}}},
            {"name": "ppp_3", "type": "ppp", "value": 3.0},
            {"name": "median60", "type": "relative", "share": 0.6},
            {"name": "poorest_20", "type": "quantile", "p": 0.2},
        ],
        "programmes": [
            {"name": "pension", "amount": "pension", "unit": "person", "aspire": "contributory_pensions"},
            {"name": "cash", "amount": "cash", "unit": "household", "aspire": "unconditional_cash_transfers"},
        ],
    }
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


# Temporary folders live until the benchmark process exits (then they are removed).
_FOLDERS: list[tempfile.TemporaryDirectory] = []


def _setup(n: int):
    def setup() -> Path:
        folder = tempfile.TemporaryDirectory(prefix="sp2lnob_bench_survey_")
        _FOLDERS.append(folder)
        return write_survey(n, Path(folder.name))

    return setup


def _read(spec_path: Path):
    from sp2lnob.survey import read_survey

    return read_survey(spec_path)


def _read_and_use(spec_path: Path):
    survey = _read(spec_path)
    for line in survey.lines:
        survey.line_values(line)
    for prog in survey.programmes:
        survey.programme_receipt(prog.name)
        survey.programme_amount_pc(prog.name)
    return survey.frame(["urban", "region", "sex", "age", "head_sex"])


def cases() -> list[Case]:
    out: list[Case] = []
    for n in SIZES:
        repeat = 5 if n <= 10**6 else 2
        out.append(Case("survey", "read_survey (parquet, merge, validate, OECD-m welfare, design)", n,
                        _setup(n), _read, repeat=repeat))
        out.append(Case("survey", "read_survey + 4 lines + 2 programmes + frame", n,
                        _setup(n), _read_and_use, repeat=repeat))
    return out
