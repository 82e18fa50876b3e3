"""Small valid inputs that the bad-input cases spoil one fault at a time."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import polars as pl

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "sp2lnob" / "data" / "examples" / "asiatica"

# Eight households, 20 persons: hh 1-8, weights 10..80, welfare per capita (yearly).
PERSONS = pl.DataFrame({
    "hh": [1, 1, 1, 2, 2, 3, 4, 4, 4, 4, 5, 5, 6, 6, 6, 7, 8, 8, 8, 8],
    "pid": [1, 2, 3, 1, 2, 1, 1, 2, 3, 4, 1, 2, 1, 2, 3, 1, 1, 2, 3, 4],
    "w": [10.0] * 3 + [20.0] * 2 + [30.0] + [40.0] * 4 + [50.0] * 2 + [60.0] * 3 + [70.0] + [80.0] * 4,
    "y": [900.0] * 3 + [1500.0] * 2 + [400.0] + [2500.0] * 4 + [1100.0] * 2 + [700.0] * 3 + [5000.0] + [1300.0] * 4,
    "age": [40, 38, 10, 70, 68, 30, 45, 44, 12, 5, 66, 61, 33, 31, 2, 80, 50, 48, 17, 15],
    "amt": [0.0] * 3 + [120.0, 0.0] + [0.0] + [0.0] * 4 + [150.0, 90.0] + [0.0] * 3 + [200.0] + [0.0] * 4,
})

SPEC: dict[str, Any] = {
    "survey": {"name": "Hardening test survey", "country": "Asiatica", "year": 2024},
    "roles": {"household_id": "hh", "person_id": "pid", "weight": "w", "age": "age"},
    "welfare": {"variable": "y", "period": "yearly"},
    "poverty_lines": [{"name": "national", "type": "absolute", "value": 1000}],
    "programmes": [{"name": "pension", "amount": "amt", "unit": "person", "aspire": "social_pensions",
                    "spi": "AE"}],
}


def spec_with(*changes: tuple[tuple[str | int, ...], Any]) -> dict[str, Any]:
    """A deep copy of SPEC with ``(key path, value)`` changes applied."""
    out = copy.deepcopy(SPEC)
    for path, value in changes:
        cur: Any = out
        for key in path[:-1]:
            cur = cur[key]
        cur[path[-1]] = value
    return out


def persons_with(**columns: list[Any]) -> pl.DataFrame:
    """PERSONS with some columns replaced (Polars infers the new dtype)."""
    return PERSONS.with_columns(pl.Series(name, values) for name, values in columns.items())


def example_text(name: str) -> str:
    """The text of one of the shipped SPI example files (register.csv, basic_statistics.csv)."""
    return (EXAMPLES / name).read_text(encoding="utf-8")
