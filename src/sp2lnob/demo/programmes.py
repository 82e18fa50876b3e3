"""Existing programmes received in the demo survey, with realistic targeting errors.

Poverty-targeted programmes use a proxy-means-test (PMT) score = log
pre-transfer consumption per capita + N(0, pmt_error_sd²): a PMT predicts
consumption with an R² of about 0.4-0.6 (Brown, Ravallion & van de Walle
2018, "A poor means test?"), which is what produces the inclusion and
exclusion errors seen in ASPIRE data. Households are ranked by the score
(household-weighted); a programme reaches a share of the eligible (take-up)
and leaks to a small share of the non-eligible. Contributory schemes follow
formal employment, urban residence and education instead.

All amounts are ASD per year, rounded to whole ASD as reported in a survey.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sp2lnob.demo._draw import bernoulli, bernoulli_logit, weighted_rank
from sp2lnob.demo.characteristics import (
    AGRICULTURE,
    EMPLOYED,
    EMPLOYER,
    INACTIVE,
    SELF_EMPLOYED,
    UNEMPLOYED,
    Characteristics,
)
from sp2lnob.demo.economy import Areas
from sp2lnob.demo.population import HEAD, People
from sp2lnob.demo.sample import Sample

HOUSEHOLD_AMOUNTS = (
    "cct_amount",
    "public_works_amount",
    "disaster_relief_amount",
    "remittances_amount",
    "domestic_transfers_amount",
)
PERSON_AMOUNTS = (
    "pension_amount",
    "social_pension_amount",
    "scholarship_amount",
    "disability_benefit_amount",
)


@dataclass(frozen=True)
class Programmes:
    household: dict[str, np.ndarray]  # amounts and receipt flags, one per household
    person: dict[str, np.ndarray]     # amounts and flags, one per person

    def total_per_household(self, people: People) -> np.ndarray:
        """All transfers received by each household (household + members' amounts)."""
        household = np.sum([self.household[k] for k in HOUSEHOLD_AMOUNTS], axis=0)
        members = np.sum([self.person[k] for k in PERSON_AMOUNTS], axis=0)
        return household + people.members.sum(members)


def _targeted(eligible: np.ndarray, p_eligible: float, p_other: float, rng: np.random.Generator) -> np.ndarray:
    """Receipt: take-up ``p_eligible`` among the eligible, leakage ``p_other`` elsewhere."""
    return rng.random(eligible.shape[0]) < np.where(eligible, p_eligible, p_other)


def _lognormal_amount(median: float, sd: float, size: int, rng: np.random.Generator) -> np.ndarray:
    return median * np.exp(rng.normal(0.0, sd, size))


def draw_programmes(
    sample: Sample,
    people: People,
    chars: Characteristics,
    ses: np.ndarray,
    areas: Areas,
    c_pre: np.ndarray,
    params: dict[str, Any],
    rng: np.random.Generator,
) -> Programmes:
    pp = params["programmes"]
    line = params["country"]["poverty_line"]
    m = people.members
    n = sample.hhsize.shape[0]
    age = people.age
    psu = sample.psu - 1
    region_names = [r["name"] for r in params["regions"]]

    pmt = np.log(c_pre) + rng.normal(0.0, pp["pmt_error_sd"], n)
    rank = weighted_rank(pmt, sample.hhweight)
    rank_p = m.to_persons(rank)

    # conditional cash transfer to households with children 0-17, PMT-targeted
    cp = pp["cct"]
    children = m.count(age <= 17)
    has_child = children > 0
    eligible = has_child & (rank <= cp["pmt_cutoff_share"])
    cct = has_child & _targeted(eligible, cp["take_up"], cp["leakage"], rng)
    cct_amount = cct * (cp["base"] + cp["per_child"] * np.minimum(children, cp["max_children"]))

    # public works: where it runs, self-targeted on poverty, needs a working-age member
    pw = pp["public_works"]
    working_age = m.any((age >= 18) & (age <= 60) & (chars.in_school == 0))
    eta = pw["intercept"] + pw["log_cons_gap"] * np.log(c_pre / line)
    works = (areas.public_works[psu] == 1) & working_age & (bernoulli_logit(eta, rng) == 1)
    days = pw["days"]["min"] + np.floor(pw["days"]["span"] * rng.random(n))
    public_works_amount = works * pw["wage_per_day"] * days

    dr = pp["disaster_relief"]
    relief = (areas.disaster[psu] == 1) & (rng.random(n) < dr["receipt_in_affected"])
    disaster_relief_amount = relief * (dr["base"] + dr["per_member"] * sample.hhsize)

    rp = pp["remittances"]
    region_effect = np.array([rp["region"].get(name, 0.0) for name in region_names])[sample.region]
    eta = rp["intercept"] + region_effect + rp["female_head"] * people.head_female + rp["household_ses"] * ses
    remit = bernoulli_logit(eta, rng) == 1
    remittances_amount = remit * _lognormal_amount(rp["median_amount"], rp["amount_sd"], n, rng)

    dp = pp["domestic_transfers"]
    eta = dp["intercept"] + dp["head_60_plus"] * (people.head_age >= 60) + dp["female_head"] * people.head_female
    domestic = bernoulli_logit(eta, rng) == 1
    domestic_amount = domestic * _lognormal_amount(dp["median_amount"], dp["amount_sd"], n, rng)

    head = people.relation == HEAD
    lt = pp["land_tax_exemption"]
    farmer = m.any(head & (chars.sector == AGRICULTURE) & np.isin(chars.empstatus, (EMPLOYER, SELF_EMPLOYED)))
    p_land = np.where(rank <= lt["poorer_pmt_share"], lt["receipt_poorer"], lt["receipt_richer"])
    land_tax = (sample.urban == 0) & farmer & (rng.random(n) < p_land)

    hw = pp["health_fee_waiver"]
    fee_waiver = _targeted(rank <= hw["pmt_cutoff_share"], hw["receipt_eligible"], hw["receipt_other"], rng)

    # person-level programmes
    n_persons = age.shape[0]
    urban_p = m.to_persons(sample.urban)
    ses_p = m.to_persons(ses)
    pe = pp["contributory_pension"]
    eta = (
        pe["intercept"]
        + pe["urban"] * urban_p
        + pe["upper_secondary_plus"] * (chars.educ >= 3)
        + pe["tertiary"] * (chars.educ == 4)
        + pe["household_ses"] * ses_p
    )
    pensioner = (age >= 60) & (bernoulli_logit(eta, rng) == 1)
    pension_amount = pensioner * _lognormal_amount(pe["median_amount"], pe["amount_sd"], n_persons, rng)

    so = pp["social_pension"]
    social = (
        (age >= 65)
        & ~pensioner
        & _targeted(rank_p <= so["pmt_cutoff_share"], so["receipt_eligible"], so["receipt_other"], rng)
    )
    social_pension_amount = social * float(so["amount"])

    sc = pp["scholarship"]
    pupil = (chars.in_school == 1) & (age >= 6) & (age <= 18)
    scholar = pupil & _targeted(rank_p <= sc["pmt_cutoff_share"], sc["receipt_eligible"], sc["receipt_other"], rng)
    scholarship_amount = scholar * np.asarray(sc["amount_by_level"], dtype=float)[chars.educ]

    db = pp["disability_benefit"]
    disabled = (age >= 5) & (chars.disability >= 2)
    dis_benefit = disabled & _targeted(rank_p <= db["pmt_cutoff_share"], db["receipt_eligible"], db["receipt_other"], rng)
    disability_benefit_amount = dis_benefit * float(db["amount"])

    hi = pp["health_insurance"]
    formal_hh = m.any(chars.formal == 1)
    pensioner_hh = m.any(pensioner)
    subsidised = cct | (rank <= hi["subsidised_pmt_share"])
    p_insured = np.select(
        [formal_hh, pensioner_hh, subsidised],
        [hi["formal_household"], hi["pensioner_household"], hi["subsidised_poor"]],
        default=np.where(sample.urban == 1, hi["voluntary_urban"], hi["voluntary_rural"]),
    )
    insured_hh = rng.random(n) < p_insured  # family membership: the whole household is covered

    st = pp["skills_training"]
    young = (age >= 15) & (age <= 35)
    p_train = np.select(
        [chars.lstatus == UNEMPLOYED, (chars.lstatus == INACTIVE) & (chars.in_school == 0), chars.lstatus == EMPLOYED],
        [st["unemployed"], st["inactive_not_in_school"], st["employed"]],
        default=0.0,
    )
    training = young & (bernoulli(p_train, n_persons, rng) == 1)

    def money(x: np.ndarray) -> np.ndarray:
        return np.rint(np.asarray(x, dtype=float))

    return Programmes(
        household={
            "cct_amount": money(cct_amount),
            "public_works_amount": money(public_works_amount),
            "disaster_relief_amount": money(disaster_relief_amount),
            "remittances_amount": money(remittances_amount),
            "domestic_transfers_amount": money(domestic_amount),
            "land_tax_exemption": land_tax.astype(np.int64),
            "health_fee_waiver": fee_waiver.astype(np.int64),
        },
        person={
            "pension_amount": money(pension_amount),
            "social_pension_amount": money(social_pension_amount),
            "scholarship_amount": money(scholarship_amount),
            "disability_benefit_amount": money(disability_benefit_amount),
            "health_insurance": m.to_persons(insured_hh).astype(np.int64),
            "skills_training": training.astype(np.int64),
        },
    )

