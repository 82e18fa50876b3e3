"""Person characteristics: disability, education, school attendance, labour.

All are drawn from (ordered / multinomial) logit models on age, sex, urban,
region and a household socio-economic latent ``ses`` (standard normal per
household) that is shared with the consumption model, so education and
consumption are correlated within households as in real surveys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sp2lnob.demo._draw import bernoulli_logit, logistic, multinomial_logit, ordered_logit
from sp2lnob.demo.population import People
from sp2lnob.demo.sample import Sample

AGRICULTURE, INDUSTRY, SERVICES = 1, 2, 3
EMPLOYER, EMPLOYEE, SELF_EMPLOYED, UNPAID = 1, 2, 3, 4
EMPLOYED, UNEMPLOYED, INACTIVE = 1, 2, 3


@dataclass(frozen=True)
class Characteristics:
    disability: np.ndarray    # 0..3, valid where age >= 5
    educ: np.ndarray          # 0..4, valid where age >= 6
    in_school: np.ndarray     # 0/1, valid where 6 <= age <= 24
    lstatus: np.ndarray       # 1..3, valid where age >= 15
    empstatus: np.ndarray     # 1..4, valid where employed
    sector: np.ndarray        # 1..3, valid where employed
    formal: np.ndarray        # 0/1 formal (social-insurance) job


def draw_characteristics(
    sample: Sample, people: People, ses: np.ndarray, params: dict[str, Any], rng: np.random.Generator
) -> Characteristics:
    m = people.members
    age = people.age
    female = (people.sex == 2).astype(float)
    urban = m.to_persons(sample.urban).astype(float)
    region = m.to_persons(sample.region)
    ses_p = m.to_persons(ses)
    region_names = [r["name"] for r in params["regions"]]

    dp = params["disability"]
    eta = (
        dp["age_slope"] * (age - dp["age_centre"])
        + dp["female"] * female
        + dp["rural"] * (1 - urban)
        + dp["household_ses"] * ses_p
    )
    disability = np.where(age >= 5, ordered_logit(eta, dp["thresholds"], rng), 0)

    ep = params["education"]
    region_effect = np.array([ep["region"].get(name, 0.0) for name in region_names])[region]
    eta = (
        ep["cohort_slope"] * (age - ep["cohort_centre"])
        + ep["urban"] * urban
        + ep["household_ses"] * ses_p
        + ep["female_old"] * female * (age >= 40)
        + region_effect
    )
    educ = ordered_logit(eta, ep["thresholds"], rng)
    max_level = np.searchsorted(np.asarray(ep["min_age_for_level"]), age, side="right") - 1
    educ = np.clip(np.minimum(educ, max_level), 0, None)

    sa = ep["school_attendance"]
    band_ages = sorted(int(k) for k in sa["intercept"])
    band = np.clip(np.searchsorted(np.asarray(band_ages), age, side="right") - 1, 0, None)
    intercept = np.array([sa["intercept"][k] for k in band_ages])[band]
    p_school = logistic(intercept + sa["urban"] * urban + sa["household_ses"] * ses_p)
    draws = rng.random(age.shape[0])
    school_age = (age >= 6) & (age <= 24)
    # never attended: no schooling now; beyond 18 only upper-secondary graduates study (tertiary)
    can_attend = school_age & (educ >= 1) & ((age < 19) | (educ >= 3))
    in_school = (can_attend & (draws < p_school)).astype(np.int64)
    educ = np.where((age >= 19) & (in_school == 1), 4, educ)  # attending tertiary

    lp = params["labour"]
    e = lp["employed"]
    eta = (
        e["intercept"]
        + e["female"] * female
        + e["age_15_19"] * (age <= 19)
        + e["age_20_24"] * ((age >= 20) & (age <= 24))
        + e["age_55_64"] * ((age >= 55) & (age <= 64))
        + e["age_65_plus"] * (age >= 65)
        + e["in_school"] * in_school
        + e["tertiary"] * (educ == 4)
        + e["urban"] * urban
    )
    employed = bernoulli_logit(eta, rng) == 1
    u = lp["unemployed_share_of_non_employed"]
    eta = (
        u["intercept"]
        + u["age_15_24"] * (age <= 24)
        + u["urban"] * urban
        + u["female"] * female
        + u["upper_secondary_plus"] * (educ >= 3)
        + u["in_school"] * in_school
    )
    unemployed = ~employed & (bernoulli_logit(eta, rng) == 1)
    lstatus = np.where(employed, EMPLOYED, np.where(unemployed, UNEMPLOYED, INACTIVE))

    s = lp["sector"]
    zeros = np.zeros(age.shape[0])
    utilities = np.column_stack(
        [zeros]
        + [
            s[k]["intercept"] + s[k]["urban"] * urban + s[k]["educ_level"] * educ + s[k]["female"] * female
            for k in ("industry", "services")
        ]
    )
    sector = 1 + multinomial_logit(utilities, rng)

    es = lp["empstatus"]
    agri = (sector == AGRICULTURE).astype(float)
    young = (age <= 24).astype(float)

    def utility(k: str) -> np.ndarray:
        c = es[k]
        return (
            c.get("intercept", 0.0)
            + c.get("educ_level", 0.0) * educ
            + c.get("urban", 0.0) * urban
            + c.get("female", 0.0) * female
            + c.get("agriculture", 0.0) * agri
            + c.get("age_15_24", 0.0) * young
        )

    # columns in code order: employer, employee, self-employed (reference), unpaid
    utilities = np.column_stack([utility("employer"), utility("employee"), zeros, utility("unpaid")])
    empstatus = 1 + multinomial_logit(utilities, rng)

    f = lp["formal"]
    eta = (
        f["intercept"]
        + f["upper_secondary_plus"] * (educ >= 3)
        + f["tertiary"] * (educ == 4)
        + f["urban"] * urban
        + f["household_ses"] * ses_p
    )
    formal = employed & (empstatus == EMPLOYEE) & (sector != AGRICULTURE) & (bernoulli_logit(eta, rng) == 1)
    adult = age >= 15
    return Characteristics(
        disability=disability.astype(np.int64),
        educ=educ.astype(np.int64),
        in_school=in_school,
        lstatus=np.where(adult, lstatus, INACTIVE).astype(np.int64),
        empstatus=np.where(employed & adult, empstatus, 0).astype(np.int64),
        sector=np.where(employed & adult, sector, 0).astype(np.int64),
        formal=(formal & adult).astype(np.int64),
    )
