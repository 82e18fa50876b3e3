"""Reference tables shipped with the package (ADB 2009 regional results, 2005 comparison set).

Sources are listed in ``sp2lnob/data/reference/README.md``.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import polars as pl

from sp2lnob.errors import InputError
from sp2lnob.spi.revised_result import RevisedSPI

_FILES = {
    "regional_2009": "adb_spi_2009_regional.csv",
    "beneficiaries_2009": "adb_spi_2009_beneficiaries_reference_populations.csv",
    "comparison_2005": "adb_spi_2005_comparison_set.csv",
    "six_countries_2005": "adb_spi_2005_six_countries.csv",
}


def reference_table(name: str) -> pl.DataFrame:
    """One of ``regional_2009``, ``beneficiaries_2009``, ``comparison_2005``, ``six_countries_2005``."""
    if name not in _FILES:
        raise InputError(f"unknown reference table {name!r}", expected=", ".join(_FILES), got=name)
    path = resources.files("sp2lnob").joinpath("data", "reference", _FILES[name])
    with resources.as_file(path) as p:
        return pl.read_csv(p)


def regional_2009() -> pl.DataFrame:
    """Revised SPI 2009 of the 27 countries of ADB's regional report."""
    return reference_table("regional_2009")


def place_among_regional(result: RevisedSPI) -> pl.DataFrame:
    """Where the country stands among the 27 countries of 2009, per indicator.

    Rank 1 is the highest value among the 28 (27 + the country); ``share_below``
    is the share of the 27 with a strictly lower value. The SPI is not a
    ranking tool (ADB 2012): this is context, not a league table.
    """
    reg = regional_2009()
    own = {"spi": result.spi, "depth": result.depth, "breadth": result.breadth,
           "spi_social_insurance": result.category("SI", "spi"),
           "spi_social_assistance": result.category("SA", "spi"),
           "spi_labor_market": result.category("LMP", "spi"), "spi_poor": result.spi_poor,
           "spi_nonpoor": result.spi_nonpoor, "poverty_focus": result.poverty_focus}
    frames = []
    for indicator, value in own.items():  # nine indicators
        col = reg[indicator]
        arr = col.to_numpy()
        frames.append(pl.DataFrame({
            "indicator": [indicator], "value": [value],
            "rank_among_28": [int((arr > value).sum()) + 1],
            "share_below": [float((arr < value).mean())],
            "regional_median": [float(np.median(arr))], "regional_mean": [float(arr.mean())],
            "regional_min": [float(arr.min())], "regional_max": [float(arr.max())],
        }))
    return pl.concat(frames).with_columns(pl.lit(result.country).alias("country"))
