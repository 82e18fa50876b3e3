"""Step 2: how much each eligible unit receives (in welfare units per welfare period).

Formulas (``f`` converts the benefit's ``period`` to the welfare period, e.g.
monthly -> yearly x12; ``y`` pre-transfer welfare per unit; ``z`` a poverty
line per unit; ``s`` the household's size or adult equivalents):

- flat: ``amount x f``
- gdp_per_capita: ``share x GDP per capita`` (yearly GDP per capita, converted)
- poverty_line: ``share x z``
- welfare_gap: ``share x max(0, z - y)`` per person; ``x s`` per household
- taper: ``max(0, b - rate x max(0, y - threshold))`` per person; the withdrawal
  ``x s`` per household
- cap_per_household: applied after household aggregation (engine).
"""

from __future__ import annotations

import numpy as np

from sp2lnob.errors import SpecError, Warning_
from sp2lnob.simulate.base import SimulationBase, defaults
from sp2lnob.simulate.scheme import Scheme
from sp2lnob.survey.welfare import period_factor


def to_welfare_period(base: SimulationBase, period: str) -> float:
    return period_factor(period, base.period)


def check_period(base: SimulationBase, scheme: Scheme) -> list[Warning_]:
    """Refuse a flat amount that is implausible for its declared period (a likely mix-up).

    A yearly value above ``max_share_of_gdp_pc`` x GDP per capita is an error; one below
    ``min_share_of_gdp_pc`` x GDP per capita a warning (thresholds in ``schemes/_defaults.yaml``).
    """
    b = scheme.benefit
    if b.basis != "flat" or not b.amount:
        return []
    check = defaults()["period_check"]
    yearly = b.amount * period_factor(b.period, "yearly")
    gdppc = base.macro.gdp_per_capita
    share = yearly / gdppc
    where = scheme.where("benefit.amount")
    if share > check["max_share_of_gdp_pc"]:
        longer = {"daily": "monthly or yearly", "monthly": "yearly", "yearly": "a household total, not per person"}
        raise SpecError(
            f"benefit amount looks like it is in the wrong period: {b.amount:,.0f} per {b.period[:-2] if b.period != 'daily' else 'day'}",
            where=where,
            expected=f"a {b.period} amount worth at most {check['max_share_of_gdp_pc']:.0%} of GDP per capita a year",
            got=f"{b.amount:,.0f} {b.period} = {yearly:,.0f} a year = {share:.0%} of GDP per capita ({gdppc:,.0f})",
            hint=f"if {b.amount:,.0f} is a {longer[b.period]} amount, set benefit.period accordingly",
        )
    if share < check["min_share_of_gdp_pc"]:
        return [Warning_(f"benefit amount {b.amount:,.0f} {b.period} is only {yearly:,.0f} a year "
                         f"({share:.2%} of GDP per capita): is it a smaller period's amount declared {b.period}?",
                         where=where, hint="check benefit.period")]
    return []


def unit_amounts(base: SimulationBase, scheme: Scheme) -> np.ndarray:
    """Amount per person (``per: person``, one per person row) or per household (one per household)."""
    b = scheme.benefit
    per_person = b.per == "person"
    f = to_welfare_period(base, b.period)
    y = base.welfare if per_person else base.hh_welfare
    scale = 1.0 if per_person else base.hh_scale

    def line(name: str) -> np.ndarray:
        z = base.line(name, where=scheme.where("benefit.line"))
        return z if per_person else base.hh_mean(z)

    # the model validator guarantees amount (flat) or share and line (the other bases)
    share = float(b.share or 0.0)
    if b.basis == "flat":
        amount = np.full(y.shape, float(b.amount or 0.0) * f)
    elif b.basis == "gdp_per_capita":
        amount = np.full(y.shape, share * base.macro.gdp_per_capita * to_welfare_period(base, "yearly"))
    elif b.basis == "poverty_line":
        amount = share * line(str(b.line))
    else:  # welfare_gap
        amount = share * np.maximum(line(str(b.line)) - y, 0.0) * scale
    if b.taper is not None:
        t = b.taper.threshold
        threshold = line(t) if isinstance(t, str) else t * f
        amount = np.maximum(amount - b.taper.rate * np.maximum(y - threshold, 0.0) * scale, 0.0)
    return amount
