"""Shared fixtures for the demo-survey tests: the shipped frames with weights and quintiles."""

from __future__ import annotations

import polars as pl
import pytest
from tests.demo._stats import person_quintile

from sp2lnob.demo import load_demo_frames


@pytest.fixture(scope="session")
def shipped() -> tuple[pl.DataFrame, pl.DataFrame]:
    return load_demo_frames()


@pytest.fixture(scope="session")
def households(shipped) -> pl.DataFrame:
    """Shipped households with person weight (hhweight x hhsize) and person-weighted quintile."""
    h = shipped[0]
    pw = (h["hhweight"] * h["hhsize"]).to_numpy()
    q = person_quintile(h["cons_pc"].to_numpy(), pw)
    return h.with_columns(pl.Series("pweight", pw), pl.Series("quintile", q))


@pytest.fixture(scope="session")
def persons(shipped, households) -> pl.DataFrame:
    """Shipped persons with their household's weight, consumption, urban and quintile."""
    return shipped[1].join(
        households.select("hhid", "hhweight", "cons_pc", "urban", "region", "quintile"), on="hhid", how="left"
    )
