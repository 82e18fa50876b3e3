"""The sample design of the demo survey: strata, enumeration areas, weights, household sizes.

Stratified two-stage design as in most national HIES: strata are region x
urban/rural; PSUs are enumeration areas (EAs) of ``households_per_psu``
households each. The sample is allocated across strata with a power
allocation n_h ∝ (N_h / N)^a (0 < a < 1 oversamples small strata; Kish 1988,
"Multipurpose sample designs"), so base weights N_h / n_h differ by stratum.
Within a stratum the design weight also varies by EA (listing count over the
measure of size used to draw it) and is divided by the EA's response rate,
then the weights are calibrated to the frame count N_h of each stratum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Sample:
    """One row per sampled household (arrays of length n), plus per-PSU draws."""

    region: np.ndarray       # region index 0..R-1
    urban: np.ndarray        # 0/1
    stratum: np.ndarray      # 1..2R: (region index) * 2 + 1 + urban
    psu: np.ndarray          # 1..P, nested in strata
    hhweight: np.ndarray
    hhsize: np.ndarray
    n_psu: int


def largest_remainder(total: int, shares: np.ndarray) -> np.ndarray:
    """Integers summing to ``total`` proportional to ``shares`` (Hamilton's method)."""
    exact = total * shares / shares.sum()
    base = np.floor(exact).astype(np.int64)
    short = total - int(base.sum())
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:short]] += 1
    return base


def draw_sample(n_households: int, params: dict[str, Any], rng: np.random.Generator) -> Sample:
    design = params["design"]
    regions = params["regions"]
    n_regions = len(regions)
    pop_share = np.array([r["pop_share"] for r in regions], dtype=float)
    urban_share = np.array([r["urban_share"] for r in regions], dtype=float)

    # strata ordered region-major: (r, rural), (r, urban)
    stratum_region = np.repeat(np.arange(n_regions), 2)
    stratum_urban = np.tile(np.array([0, 1]), n_regions)
    frame_share = pop_share[stratum_region] * np.where(
        stratum_urban == 1, urban_share[stratum_region], 1.0 - urban_share[stratum_region]
    )
    frame_households = design["frame_households"] * frame_share / frame_share.sum()
    n_h = largest_remainder(n_households, frame_share ** design["allocation_power"])

    stratum_index = np.repeat(np.arange(2 * n_regions), n_h)
    first_of_stratum = np.concatenate(([0], np.cumsum(n_h)[:-1]))
    within = np.arange(n_households) - first_of_stratum[stratum_index]
    take = design["households_per_psu"]
    psus_per_stratum = -(-n_h // take)  # ceil
    psu_offset = np.concatenate(([0], np.cumsum(psus_per_stratum)[:-1]))
    psu_index = psu_offset[stratum_index] + within // take  # 0..P-1
    n_psu = int(psus_per_stratum.sum())

    # EA-level weight factors: listing ratio (PPS measure of size out of date)
    # and non-response adjustment 1 / response rate.
    psu_stratum = np.repeat(np.arange(2 * n_regions), psus_per_stratum)
    listing_ratio = np.exp(rng.normal(0.0, design["listing_ratio_sd"], n_psu))
    rates = design["response_rate"]
    base_rate = np.where(stratum_urban[psu_stratum] == 1, rates["urban"], rates["rural"])
    spread = design["response_rate_spread"]
    response = np.clip(base_rate + rng.uniform(-spread, spread, n_psu), 0.5, 1.0)
    factor = (listing_ratio / response)[psu_index]

    # calibrate: weights of stratum h sum to its frame count N_h
    factor_total = np.bincount(stratum_index, weights=factor, minlength=2 * n_regions)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(factor_total > 0, frame_households / factor_total, 0.0)
    hhweight = factor * scale[stratum_index]

    region = stratum_region[stratum_index]
    urban = stratum_urban[stratum_index]
    lam = np.where(
        urban == 1,
        np.array([r["size_urban"] for r in regions])[region],
        np.array([r["size_rural"] for r in regions])[region],
    )
    hhsize = np.minimum(1 + rng.poisson(lam), params["household"]["max_size"]).astype(np.int64)
    return Sample(
        region=region.astype(np.int64),
        urban=urban.astype(np.int64),
        stratum=(stratum_index + 1).astype(np.int64),
        psu=(psu_index + 1).astype(np.int64),
        hhweight=hhweight,
        hhsize=hhsize,
        n_psu=n_psu,
    )
