"""Benchmark: the complete ASPIRE indicator set (issue 3).

8 programmes (6 ASPIRE categories, SA / SI / LM / private families, all SPL),
groupings all, quintiles pre and post, urban/rural, region, sex, sex of the
head, age group, one poverty line; persons in households of 1–8, 20 strata,
PSUs of ~50 households. Target: 1.5 million person rows in < 2 s.
"""

from __future__ import annotations

import numpy as np

from benchmarks.harness import SIZES, Case
from sp2lnob.performance.compute import compute_indicators
from sp2lnob.performance.inputs import Grouping, PerformanceInput
from sp2lnob.performance.programme_sets import ProgrammeInfo
from sp2lnob.survey.design import Design

PROGRAMMES = (
    ("cct", "conditional_cash_transfers", 0.20, 0.08),
    ("social_pension", "social_pensions", 0.12, 0.15),
    ("public_works", "public_works", 0.05, 0.10),
    ("disaster_relief", "other_social_assistance", 0.08, 0.05),
    ("pension", "contributory_pensions", 0.10, 0.40),
    ("unemployment", "passive_labour_market", 0.03, 0.10),
    ("remittances", "international_remittances", 0.15, 0.20),
    ("domestic", "domestic_private_transfers", 0.25, 0.05),
)


def generate(n_persons: int, seed: int = 20261122) -> PerformanceInput:
    """Synthetic survey of about ``n_persons`` person rows (column operations only)."""
    rng = np.random.default_rng(seed)
    n_hh = max(n_persons // 4, 50)
    size = rng.integers(1, 8, n_hh)
    hh = np.repeat(np.arange(n_hh), size)
    n = hh.size
    psu_hh = np.arange(n_hh) // 50
    stratum_hh = psu_hh % 20
    welfare_hh = rng.lognormal(10.5, 0.6, n_hh)
    hh_weight = rng.uniform(50, 150, n_hh)
    # strata are region x urban/rural, as in real household surveys
    urban_hh = stratum_hh % 2
    region_hh = (stratum_hh // 2) % 6
    amounts, receipts = [], []
    for _, _, share, level in PROGRAMMES:
        gets = rng.uniform(size=n_hh) < share
        amounts.append(np.where(gets, rng.uniform(0.3, 1.0, n_hh) * level * welfare_hh, 0.0)[hh])
        receipts.append(gets[hh])
    age = rng.integers(0, 90, n)
    sex = rng.integers(1, 3, n)
    first = np.r_[True, hh[1:] != hh[:-1]]
    head_sex_hh = sex[first]
    age_group = np.digitize(age, [15, 25, 60])
    groupings = {
        "urban": Grouping("urban", urban_hh[hh], ("Rural", "Urban")),
        "region": Grouping("region", region_hh[hh], tuple(f"Region {i}" for i in range(1, 7))),
        "sex": Grouping("sex", sex - 1, ("Male", "Female")),
        "head_sex": Grouping("head_sex", head_sex_hh[hh] - 1, ("Male", "Female")),
        "age_group": Grouping("age_group", age_group, ("0-14", "15-24", "25-59", "60+")),
    }
    return PerformanceInput(
        household=hh, weight=hh_weight[hh], welfare=welfare_hh[hh],
        design=Design(weights=hh_weight[hh], strata=stratum_hh[hh], psu=psu_hh[hh]),
        programmes=tuple(ProgrammeInfo(name, name, cat) for name, cat, _, _ in PROGRAMMES),
        amount_pc=np.column_stack(amounts), receipt=np.column_stack(receipts),
        groupings=groupings, lines={"national": np.full(n, float(np.exp(10.2)))},
    )


def cases() -> list[Case]:
    out = []
    for rows in sorted({*SIZES, 1_500_000}):
        out.append(Case(
            group="performance", name="complete ASPIRE indicator set (8 programmes)", rows=rows,
            setup=lambda rows=rows: generate(rows), fn=compute_indicators,
            repeat=3 if rows >= 10**6 else 5,
            target_seconds=2.0 if rows == 1_500_000 else None,
            note="all sets × groupings × pre/post quintiles, with SEs"))
    return out
