"""Generate the synthetic "Asiatica HIES 2024" survey: households and persons frames.

Steps (each a module, each vectorised over all rows, each drawing from the one
seeded :class:`numpy.random.Generator` in a fixed order):

1. sample design: strata, EAs, weights, household sizes (``sample.py``);
2. household composition: relation, age, sex (``population.py``);
3. a household socio-economic latent ``ses`` ~ N(0, 1);
4. disability, education, school, labour (``characteristics.py``);
5. EA draws and pre-transfer consumption (``economy.py``);
6. programmes received (``programmes.py``);
7. cons_pc = pre-transfer consumption per capita + all transfers received by
   the household (household and members' amounts) / hhsize — the
   "first-order" welfare aggregate in which transfers are consumed (ASPIRE);
8. opportunity outcomes on circumstances and cons_pc (``outcomes.py``).

Parameters come from ``parameters/demo_asiatica.yaml``.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sp2lnob.demo.characteristics import EMPLOYED, draw_characteristics
from sp2lnob.demo.economy import draw_areas, draw_pre_transfer_consumption
from sp2lnob.demo.outcomes import HOUSEHOLD_OUTCOMES, draw_outcomes
from sp2lnob.demo.population import draw_people
from sp2lnob.demo.programmes import draw_programmes
from sp2lnob.demo.sample import draw_sample
from sp2lnob.errors import InputError
from sp2lnob.parameters import load as load_parameters

DEFAULT_SEED = 20240601
DEFAULT_HOUSEHOLDS = 10_000
MAX_HOUSEHOLDS = 10_000_000


def _nullable(name: str, values: np.ndarray, valid: np.ndarray) -> pl.Series:
    return pl.Series(name, values, dtype=pl.Int64).set(pl.Series(~valid), None)


def generate_asiatica(
    n_households: int = DEFAULT_HOUSEHOLDS, seed: int = DEFAULT_SEED
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Draw the demo survey: ``(households, persons)`` Polars frames.

    The same ``(n_households, seed)`` gives identical frames. Columns and
    codes are documented in ``sp2lnob/data/demo/README.md``.
    """
    if isinstance(n_households, bool) or not isinstance(n_households, (int, np.integer)) or not (
        1 <= n_households <= MAX_HOUSEHOLDS
    ):
        raise InputError(
            "number of households out of range",
            where="n_households",
            expected=f"an integer from 1 to {MAX_HOUSEHOLDS:,}",
            got=n_households,
        )
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError("invalid seed", where="seed", expected="a non-negative integer", got=seed)
    params = load_parameters("demo_asiatica.yaml")
    rng = np.random.default_rng(int(seed))

    sample = draw_sample(int(n_households), params, rng)
    people = draw_people(sample, params, rng)
    ses = np.asarray(rng.standard_normal(sample.hhsize.shape[0]), dtype=float)
    chars = draw_characteristics(sample, people, ses, params, rng)
    areas = draw_areas(sample, params, rng)
    c_pre = draw_pre_transfer_consumption(sample, people, chars, ses, areas, params, rng)
    progs = draw_programmes(sample, people, chars, ses, areas, c_pre, params, rng)
    cons_pc = c_pre + progs.total_per_household(people) / sample.hhsize
    outs = draw_outcomes(sample, people, chars, cons_pc, params, rng)

    region_names = pl.Series("region", [r["name"] for r in params["regions"]])
    hhid = np.arange(1, sample.hhsize.shape[0] + 1, dtype=np.int64)
    households = pl.DataFrame(
        {
            "hhid": hhid,
            "region": region_names.gather(sample.region),
            "urban": sample.urban,
            "stratum": sample.stratum,
            "psu": sample.psu,
            "hhweight": sample.hhweight,
            "hhsize": sample.hhsize,
            "cons_pc": cons_pc,
            **{name: outs.household[name] for name in HOUSEHOLD_OUTCOMES},
            **progs.household,
        }
    )

    age = people.age
    employed = chars.lstatus == EMPLOYED
    persons = pl.DataFrame(
        [
            pl.Series("hhid", people.members.to_persons(hhid)),
            pl.Series("pid", people.pid),
            pl.Series("relation", people.relation),
            pl.Series("age", age),
            pl.Series("sex", people.sex),
            _nullable("disability", chars.disability, age >= 5),
            _nullable("educ", chars.educ, age >= 6),
            _nullable("in_school", chars.in_school, (age >= 6) & (age <= 24)),
            _nullable("lstatus", chars.lstatus, age >= 15),
            _nullable("empstatus", chars.empstatus, employed & (age >= 15)),
            _nullable("sector", chars.sector, employed & (age >= 15)),
            *(pl.Series(k, v) for k, v in progs.person.items()),
            *(_nullable(k, v, outs.valid[k]) for k, v in outs.person.items()),
        ]
    )
    return households, persons
