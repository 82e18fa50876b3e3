"""Fixtures of the performance tests."""

from __future__ import annotations

import pytest
from tests.performance._scenarios import scenario_input

from sp2lnob.performance.inputs import PerformanceInput


@pytest.fixture
def five() -> PerformanceInput:
    return scenario_input("five_households.yaml")
