"""Fixtures: the tiny survey of ``_tiny.py`` written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.survey._tiny import HOUSEHOLDS, PERSONS, SPEC, write_spec


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    PERSONS.write_parquet(tmp_path / "persons.parquet")
    HOUSEHOLDS.write_parquet(tmp_path / "households.parquet")
    write_spec(tmp_path, SPEC)
    return tmp_path


@pytest.fixture
def tiny(tiny_dir: Path):
    from sp2lnob.survey import read_survey

    return read_survey(tiny_dir / "spec.yaml")
