"""Shared fixtures of the SPI tests."""

from __future__ import annotations

import pytest

from sp2lnob.spi import load_example, revised_spi


@pytest.fixture(scope="session")
def asiatica():
    stats, register, year = load_example("asiatica")
    return stats, register, year


@pytest.fixture(scope="session")
def asiatica_result(asiatica):
    stats, register, year = asiatica
    return revised_spi(stats, register, year)
