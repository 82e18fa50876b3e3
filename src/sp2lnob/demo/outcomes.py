"""Binary opportunity outcomes (the LNOB indicators) from logit models on circumstances.

For outcome k:  logit P(y = 1) = a_k + b_u urban + b_c lc + b_e educ + region_k
+ EA effect_k (+ outcome-specific terms), with lc = log(cons_pc / poverty line)
and cons_pc the post-transfer consumption. Clean fuel, electricity, internet
and bank accounts depend strongly on consumption, sanitation moderately,
water weakly; skilled birth attendance does not depend on consumption at all
(urban residence, region and the mother's education drive it), as in DHS
analyses of the region. Secondary completion and higher education come from
the education model (``educ``), which shares the household latent with
consumption.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sp2lnob.demo._draw import bernoulli, bernoulli_logit
from sp2lnob.demo.characteristics import EMPLOYEE, Characteristics
from sp2lnob.demo.population import CHILD, HEAD, SPOUSE, People
from sp2lnob.demo.sample import Sample

HOUSEHOLD_OUTCOMES = ("electricity", "clean_fuel", "basic_water", "basic_sanitation")


@dataclass(frozen=True)
class Outcomes:
    household: dict[str, np.ndarray]
    person: dict[str, np.ndarray]   # values; validity masks in ``valid``
    valid: dict[str, np.ndarray]


def _region(coefs: dict[str, Any], names: list[str], region: np.ndarray) -> np.ndarray:
    """Region effects of one model, looked up per region (6 names), then indexed per row."""
    effects = coefs.get("region", {})
    return np.array([effects.get(name, 0.0) for name in names])[region]


def draw_outcomes(
    sample: Sample,
    people: People,
    chars: Characteristics,
    cons_pc: np.ndarray,
    params: dict[str, Any],
    rng: np.random.Generator,
) -> Outcomes:
    op = params["outcomes"]
    m = people.members
    age = people.age
    female = people.sex == 2
    names = [r["name"] for r in params["regions"]]
    region_hh = sample.region
    region_p = m.to_persons(region_hh)
    lc = np.log(cons_pc / params["country"]["poverty_line"])
    lc_p = m.to_persons(lc)
    urban_p = m.to_persons(sample.urban)
    head_educ = m.max(np.where(people.relation == HEAD, chars.educ, 0))
    women_15_49 = female & (age >= 15) & (age <= 49)
    mother_educ = m.max(np.where(women_15_49, chars.educ, 0))
    psu = sample.psu - 1

    def ea_effect(sd: float) -> np.ndarray:
        return rng.normal(0.0, sd, sample.n_psu)[psu]

    household: dict[str, np.ndarray] = {}
    for name in HOUSEHOLD_OUTCOMES:  # a handful of outcomes, each over all households at once
        c = op[name]
        eta = (
            c["intercept"]
            + c["urban"] * sample.urban
            + c["lc"] * lc
            + c["educ"] * head_educ
            + _region(c, names, region_hh)
            + ea_effect(c["ea_sd"])
        )
        household[name] = bernoulli_logit(eta, rng)

    c = op["internet_use"]
    eta = (
        c["intercept"]
        + c["urban"] * urban_p
        + c["lc"] * lc_p
        + c["educ"] * chars.educ
        + c["age_over_30"] * np.maximum(age - 30, 0)
        + c["female"] * female
        + _region(c, names, region_p)
    )
    internet = bernoulli_logit(eta, rng)

    c = op["bank_account"]
    eta = (
        c["intercept"]
        + c["urban"] * urban_p
        + c["lc"] * lc_p
        + c["educ"] * chars.educ
        + c["employee"] * (chars.empstatus == EMPLOYEE)
        + c["female"] * female
        + c["age_under_25"] * (age < 25)
        + _region(c, names, region_p)
    )
    bank = bernoulli_logit(eta, rng)

    c = op["stunted"]
    eta = (
        c["intercept"]
        + c["rural"] * (1 - urban_p)
        + c["lc"] * lc_p
        + c["mother_educ"] * m.to_persons(mother_educ)
        + c["basic_sanitation"] * m.to_persons(household["basic_sanitation"])
        + _region(c, names, region_p)
    )
    stunted = bernoulli_logit(eta, rng)
    measured = (age < 5) & (bernoulli(c["measured"], age.shape[0], rng) == 1)

    # a child under 2 in the household means its mother (female head or spouse) gave birth
    baby = m.to_persons(m.any((people.relation == CHILD) & (age <= 1)))
    mother = women_15_49 & np.isin(people.relation, (HEAD, SPOUSE)) & baby
    other = bernoulli(op["recent_birth"]["other_women"], age.shape[0], rng) == 1
    recent_birth = (mother | other) & women_15_49

    c = op["skilled_birth"]
    eta = (
        c["intercept"]
        + c["urban"] * urban_p
        + c["lc"] * lc_p
        + c["mother_educ"] * chars.educ
        + _region(c, names, region_p)
        + m.to_persons(ea_effect(c["ea_sd"]))
    )
    skilled = bernoulli_logit(eta, rng)

    person = {
        "internet_use": internet,
        "bank_account": bank,
        "secondary_complete": (chars.educ >= 3).astype(np.int64),
        "higher_education": (chars.educ == 4).astype(np.int64),
        "stunted": stunted,
        "recent_birth": recent_birth.astype(np.int64),
        "skilled_birth": skilled,
    }
    valid = {
        "internet_use": age >= 15,
        "bank_account": age >= 15,
        "secondary_complete": age >= 20,
        "higher_education": age >= 25,
        "stunted": measured,
        "recent_birth": women_15_49,
        "skilled_birth": recent_birth,
    }
    return Outcomes(household=household, person=person, valid=valid)
