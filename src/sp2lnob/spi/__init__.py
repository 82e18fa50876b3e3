"""The ADB Social Protection Index: revised (2012) and original (2005), from a register and a survey.

Typical use::

    from sp2lnob.spi import read_basic_statistics, read_register, compute_spi
    stats = read_basic_statistics("basic_statistics.csv", year=2009)
    register = read_register("register.xlsx")
    result = compute_spi(stats, register, 2009, method="2012")
    print(result.summary()); result.to_frame()

See docs/spi.md for the input formats, conventions and the handbook misprints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sp2lnob.errors import InputError, did_you_mean
from sp2lnob.spi.aspire_expenditure import aspire_expenditure
from sp2lnob.spi.basic_stats import (
    BasicStatistics,
    basic_statistics_from_dict,
    closest_fiscal_year,
    mid_year_population,
    read_basic_statistics,
)
from sp2lnob.spi.examples import load_example
from sp2lnob.spi.original import original_spi
from sp2lnob.spi.original_result import OriginalSPI
from sp2lnob.spi.register import Register, read_register, register_from_frame
from sp2lnob.spi.revised import revised_spi
from sp2lnob.spi.revised_result import RevisedSPI

# Methods chosen by name (STYLE habit 7).
METHODS: dict[str, Callable[..., RevisedSPI | OriginalSPI]] = {"2012": revised_spi, "2005": original_spi}


def compute_spi(stats: BasicStatistics, register: Register, year: int | None = None, *, method: str = "2012",
                **options: Any) -> RevisedSPI | OriginalSPI:
    """Compute the SPI by ``method`` ("2012" revised, "2005" original); options go to the method."""
    if method not in METHODS:
        raise InputError(f"unknown SPI method {method!r}", expected=", ".join(METHODS), got=method,
                         hint=did_you_mean(str(method), METHODS))
    return METHODS[method](stats, register, year, **options)


__all__ = [
    "METHODS", "BasicStatistics", "aspire_expenditure", "OriginalSPI", "Register", "RevisedSPI", "basic_statistics_from_dict",
    "closest_fiscal_year", "compute_spi", "load_example", "mid_year_population", "original_spi",
    "read_basic_statistics", "read_register", "register_from_frame", "revised_spi",
]
