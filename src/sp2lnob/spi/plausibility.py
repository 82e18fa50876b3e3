"""Magnitude warnings: an SPI outside the plausible band names the probable unit mix-up.

The revised SPI of every country studied lies between 0.002 and 0.538 (ADB
2012); a value outside roughly [0.0005, 1.5] (parameters/spi_plausible_band.yaml)
is almost always a magnitude error (thousands vs millions vs units).
"""

from __future__ import annotations

import math

from sp2lnob.errors import Warning_
from sp2lnob.parameters import load


def band() -> tuple[float, float]:
    b = load("spi_plausible_band.yaml")["revised_spi"]
    return float(b["low"]), float(b["high"])


def _power_of_thousand(ratio: float) -> int:
    """Smallest k >= 1 with 1000^k >= ratio."""
    return max(1, math.ceil(math.log(ratio, 1000) - 1e-9))


def revised_spi_warning(spi: float, units: dict[str, str]) -> Warning_ | None:
    """A warning if ``spi`` is outside the plausible band, else None.

    ``units`` maps ``expenditure``, ``gdp_per_capita`` and ``populations`` to
    the units as the user declared them, so the message can name them.
    """
    low, high = band()
    if not math.isfinite(spi) or low <= spi <= high:
        return None
    declared = (f"declared units: expenditure {units.get('expenditure', '?')!r}, GDP per capita "
                f"{units.get('gdp_per_capita', '?')!r}, reference populations {units.get('populations', '?')!r}")
    if spi > high:
        factor = 1000 ** _power_of_thousand(spi / high)
        what = (f"SPI {spi:.4g} is about x{factor:,} the plausible band [{low:g}, {high:g}]: expenditure may "
                f"be in LCU while declared in LCU {'thousands' if factor == 1000 else 'millions'} (or GDP per capita "
                f"declared too small, or populations declared in persons while in thousands)")
    else:
        factor = 1000 ** _power_of_thousand(low / spi) if spi > 0 else 0
        what = (f"SPI {spi:.4g} is about 1/{factor:,} of the plausible band [{low:g}, {high:g}]: expenditure may "
                f"be in LCU {'thousands' if factor == 1000 else 'millions'} while declared in LCU (or GDP per capita "
                f"in LCU declared in thousands, or populations in persons declared in thousands)")
    return Warning_(what, where="magnitudes", hint=declared, extra={"factor": factor, "band": [low, high]})
