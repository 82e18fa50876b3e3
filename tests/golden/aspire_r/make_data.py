"""Generate the golden-test data (deterministic): ``python tests/golden/aspire_r/make_data.py``.

Persons in households in PSUs in strata; a household-level transfer; quintiles of
per-capita welfare by ``sp2lnob.measures.ntile`` (the column ``quintile``), so R
only has to compute the indicators and their SEs (``aspire_indicators.R``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from sp2lnob.measures import ntile

HERE = Path(__file__).parent


def make(seed: int = 20261122, n_hh: int = 600) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    size = rng.integers(1, 7, n_hh)
    hh = np.repeat(np.arange(1, n_hh + 1), size)
    stratum = rng.integers(1, 5, n_hh)
    psu = stratum * 100 + rng.integers(1, 9, n_hh)
    y = np.round(rng.lognormal(9, 0.6, n_hh), 2)
    w = np.round(rng.uniform(50, 400, n_hh), 3)
    poor = y < np.quantile(y, 0.4)
    ben = rng.uniform(size=n_hh) < np.where(poor, 0.55, 0.15)
    amount_hh = np.where(ben, np.round(rng.uniform(500, 3000, n_hh), 2), 0.0)
    sex = rng.integers(1, 3, hh.size)
    frame = pl.DataFrame({
        "hh": hh, "stratum": stratum[hh - 1], "psu": psu[hh - 1], "w": w[hh - 1], "y": y[hh - 1],
        "ben": ben[hh - 1].astype(int), "amt": amount_hh[hh - 1] / size[hh - 1], "sex": sex,
    })
    return frame.with_columns(pl.Series("quintile", ntile(frame["y"].to_numpy(), frame["w"].to_numpy(), 5)))


if __name__ == "__main__":
    make().write_csv(HERE / "data.csv")
