"""Pre-transfer consumption per capita and the area-level (EA) draws it depends on.

log c_pre = region + urban x b_u + b_e[highest adult education] + formal-job
            + b_n log(size) + b_c (share of members aged 0-14) + agri head
            + EA effect + b_s ses + e,   e ~ N(0, noise_sd²)

(a Mincer-style welfare regression of the kind fitted to HIES data for
poverty mapping, Elbers, Lanjouw & Lanjouw 2003, run backwards), then scaled
so that the person-weighted mean equals ``target_mean_pre_transfer``: the
intercept is calibrated rather than fixed so poverty stays on target at any
sample size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sp2lnob.demo._draw import bernoulli
from sp2lnob.demo.characteristics import AGRICULTURE, Characteristics
from sp2lnob.demo.population import HEAD, People
from sp2lnob.demo.sample import Sample


@dataclass(frozen=True)
class Areas:
    """Per-EA draws, indexed by psu - 1."""

    consumption_effect: np.ndarray
    disaster: np.ndarray        # 0/1: EA hit by the year's disaster
    public_works: np.ndarray    # 0/1: public works programme runs in the EA


def draw_areas(sample: Sample, params: dict[str, Any], rng: np.random.Generator) -> Areas:
    n_psu = sample.n_psu
    # one household's stratum/region/urban per PSU (PSUs are nested in strata)
    first = np.unique(sample.psu, return_index=True)[1]
    psu_region = sample.region[first]
    psu_urban = sample.urban[first]
    names = [r["name"] for r in params["regions"]]
    dr = params["programmes"]["disaster_relief"]
    hit_region = np.isin(np.asarray(names)[psu_region], dr["regions"])
    disaster = (hit_region & (rng.random(n_psu) < dr["ea_affected_share"])).astype(np.int64)
    pw = params["programmes"]["public_works"]
    share = np.where(psu_urban == 1, pw["urban_ea_share"], pw["rural_ea_share"])
    return Areas(
        consumption_effect=rng.normal(0.0, params["consumption"]["ea_effect_sd"], n_psu),
        disaster=disaster,
        public_works=bernoulli(share, n_psu, rng),
    )


def draw_pre_transfer_consumption(
    sample: Sample,
    people: People,
    chars: Characteristics,
    ses: np.ndarray,
    areas: Areas,
    params: dict[str, Any],
    rng: np.random.Generator,
) -> np.ndarray:
    """Pre-transfer consumption per capita (ASD per person per year), one per household."""
    cp = params["consumption"]
    m = people.members
    n = sample.hhsize.shape[0]
    adult_educ = m.max(np.where(people.age >= 18, chars.educ, 0))
    child_share = m.count(people.age <= 14) / sample.hhsize
    formal = m.any(chars.formal == 1)
    head = people.relation == HEAD
    agri_head = m.any(head & (chars.sector == AGRICULTURE))
    region_effect = np.array([r["cons_effect"] for r in params["regions"]])[sample.region]
    psu = sample.psu - 1
    log_c = (
        region_effect
        + cp["urban"] * sample.urban
        + np.asarray(cp["adult_educ"])[adult_educ]
        + cp["formal_worker"] * formal
        + cp["log_hhsize"] * np.log(sample.hhsize)
        + cp["child_share"] * child_share
        + cp["agriculture_head"] * agri_head
        + areas.consumption_effect[psu]
        + cp["disaster_shock"] * areas.disaster[psu]
        + cp["household_ses"] * ses
        + rng.normal(0.0, cp["noise_sd"], n)
    )
    c = np.exp(log_c)
    person_weight = sample.hhweight * sample.hhsize
    mean = np.sum(person_weight * c) / np.sum(person_weight)
    return c * (cp["target_mean_pre_transfer"] / mean)
