"""Welfare: periods, equivalence scales, per-capita / per-adult-equivalent welfare, PPP.

Scales are chosen by name from ``parameters/equivalence_scales.yaml`` (a
registry; sources there). All functions work on whole columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sp2lnob.errors import DataError
from sp2lnob.parameters import load as load_parameters

# Days / months in a year: unit conversion, not a policy parameter. 365 days as
# in the World Bank's Poverty and Inequality Platform (daily lines x 365).
PERIODS_PER_YEAR: dict[str, float] = {"daily": 365.0, "monthly": 12.0, "yearly": 1.0}


def period_factor(from_period: str, to_period: str) -> float:
    """Multiplier turning an amount per ``from_period`` into an amount per ``to_period``.

    e.g. monthly -> yearly is x12, daily -> yearly x365, yearly -> monthly /12.
    """
    return PERIODS_PER_YEAR[from_period] / PERIODS_PER_YEAR[to_period]


def _registry() -> dict[str, Any]:
    return load_parameters("equivalence_scales.yaml")


SCALE_NAMES: tuple[str, ...] = tuple(_registry()["scales"])


@dataclass(frozen=True)
class EquivalenceScale:
    """A named scale. linear: AE = a1 + a2 (adults - 1) + c children; power: AE = size ** e."""

    name: str
    kind: str
    first_adult: float = 1.0
    other_adult: float = 1.0
    child: float = 1.0
    child_max_age: int = 13
    elasticity: float = 1.0

    @property
    def needs_ages(self) -> bool:
        return self.kind == "linear"


def get_scale(name: str, custom: Any = None, child_max_age: int | None = None) -> EquivalenceScale:
    """The scale ``name`` from the registry (``custom`` takes its numbers from the spec)."""
    reg = _registry()
    entry = reg["scales"][name]
    cma = int(reg["default_child_max_age"])
    if name == "custom":
        return EquivalenceScale(
            name=name,
            kind="linear",
            first_adult=custom.first_adult,
            other_adult=custom.other_adult,
            child=custom.child,
            child_max_age=child_max_age if child_max_age is not None else custom.child_max_age,
        )
    if entry["kind"] == "power":
        return EquivalenceScale(name=name, kind="power", elasticity=float(entry["elasticity"]))
    return EquivalenceScale(
        name=name,
        kind="linear",
        first_adult=float(entry["first_adult"]),
        other_adult=float(entry["other_adult"]),
        child=float(entry["child"]),
        child_max_age=child_max_age if child_max_age is not None else cma,
    )


def adult_equivalents(
    scale: EquivalenceScale,
    size: np.ndarray,
    household: np.ndarray | None = None,  # dense household codes 0..H-1
    age: np.ndarray | None = None,
) -> np.ndarray:
    """Adult equivalents of each row's household.

    power:  AE = size ** elasticity (OECD 2013, Box 8.2).
    linear: AE = first_adult + other_adult * (A - 1) + child * C with A adults
    (age > child_max_age) and C children among the household's person rows; a
    household with no adult counts its first child as the first adult:
    AE = first_adult + child * (C - 1).
    """
    size = np.asarray(size, dtype=float)
    if scale.kind == "power":
        return size**scale.elasticity
    if household is None or age is None:
        raise DataError(
            f"the {scale.name} equivalence scale needs each member's age",
            where="roles.age",
            hint="give roles.age on a person-level file, or roles.adult_equivalents",
        )
    age = np.asarray(age, dtype=float)
    if np.isnan(age).any():
        raise DataError(
            f"the {scale.name} equivalence scale needs every member's age; some are missing",
            where="roles.age",
            got=f"{int(np.isnan(age).sum())} missing ages",
            hint="impute the ages, or use equivalence_scale: square_root / per_capita",
        )
    codes = np.asarray(household)
    adult = age > scale.child_max_age
    adults = np.bincount(codes, weights=adult.astype(float))[codes]
    children = np.bincount(codes)[codes] - adults
    with_adult = scale.first_adult + scale.other_adult * (adults - 1) + scale.child * children
    without_adult = scale.first_adult + scale.child * (children - 1)
    return np.where(adults >= 1, with_adult, without_adult)


def welfare_per_unit(
    raw: np.ndarray,
    basis: str,
    size: np.ndarray,
    divisor: np.ndarray,
    factor: float,
) -> np.ndarray:
    """Welfare per person (divisor = size) or per adult equivalent (divisor = AE), per output period.

    household_total:       raw / divisor
    per_capita:            raw * size / divisor   (= raw when divisor is size)
    per_adult_equivalent:  raw (already divided by the scale named in the spec)
    each times ``factor`` (period conversion, :func:`period_factor`).
    """
    raw = np.asarray(raw, dtype=float)
    if basis == "household_total":
        out = raw / divisor
    elif basis == "per_capita":
        out = raw * (np.asarray(size, dtype=float) / divisor)  # size / size is exactly 1
    else:
        out = raw
    return out * factor


def lcu_to_ppp_daily(values: np.ndarray, output_period: str, cpi: float, factor: float) -> np.ndarray:
    """LCU per ``output_period`` -> international $ per day.

    int$ per day = LCU per period x periods per year / 365 / cpi / factor,
    with cpi the survey-year CPI (base = PPP year) and factor the PPP
    conversion factor in LCU per int. $ (aspire.md sec. 1: values / CPI / PPP).
    """
    per_day = np.asarray(values, dtype=float) * (PERIODS_PER_YEAR[output_period] / 365.0)
    return per_day / cpi / factor


def ppp_daily_to_lcu(value: float, output_period: str, cpi: float, factor: float) -> float:
    """International $ per day -> LCU per ``output_period``: value x factor x cpi x 365 / periods per year.

    The inverse of :func:`lcu_to_ppp_daily` (yearly output: value x factor x cpi x 365).
    """
    return value * factor * cpi * 365.0 / PERIODS_PER_YEAR[output_period]
