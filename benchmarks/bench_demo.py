"""Benchmark: generating the demo survey (sp2lnob.demo.generate_asiatica).

Rows are person rows (about 4.4 per household). Target: the default 10,000
households in < 2 s; the generator must also run at 10^6 households and
more for other benchmarks (10^6 households, 4.4 million persons: about 8 s and
1.4 GB peak memory on the 2-core development machine).
"""

from __future__ import annotations

from benchmarks.harness import SIZES, Case
from sp2lnob.demo import generate_asiatica

PERSONS_PER_HOUSEHOLD = 4.4


def cases() -> list[Case]:
    out = []
    for persons in SIZES:
        n_households = int(persons / PERSONS_PER_HOUSEHOLD)
        out.append(
            Case(
                group="demo",
                name="generate_asiatica",
                rows=persons,
                setup=lambda n=n_households: n,
                fn=lambda n: generate_asiatica(n, seed=1),
                repeat=3 if persons < 10**6 else 1,
                note=f"{n_households:,} households",
            )
        )
    out.append(
        Case(
            group="demo",
            name="generate_asiatica_default_10k_households",
            rows=44_056,
            setup=lambda: None,
            fn=lambda _: generate_asiatica(),
            repeat=5,
            target_seconds=2.0,
            note="the shipped size",
        )
    )
    return out
