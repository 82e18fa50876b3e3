"""Standard errors of a simulation's impacts by the Rao-Wu rescaled bootstrap.

Each replicate's weights (``sp2lnob.variance.rao_wu_bootstrap_weights``, or the
survey's own replicate weights when the design carries them) are carried
through the whole simulation — coverage allocation included — and the
impacts recomputed. ``se = sqrt( sum_r (t_r - mean_r t)^2 / (R - 1) )``
(the bootstrap variance of R ``survey::svrepdesign(type="bootstrap")``,
which scales by 1/(R-1)). Group tables are not bootstrapped (national,
cost, targeting, efficiency and budget-neutral rows are).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sp2lnob.errors import InputError
from sp2lnob.simulate.base import SimulationBase
from sp2lnob.simulate.scheme import Package


def replicate_weights(base: SimulationBase, replicates: int, seed: int | None) -> tuple[np.ndarray, str]:
    design = base.design
    if design is None:
        raise InputError("standard errors need the survey design", where="simulate(bootstrap=...)",
                         hint="prepare the base from a Survey (its design carries strata and PSUs)")
    if design.replicate_weights is not None:
        return np.asarray(design.replicate_weights), f"survey replicate weights ({design.replicate_method})"
    from sp2lnob.variance.replicates import rao_wu_bootstrap_weights

    return rao_wu_bootstrap_weights(design, replicates, seed), "Rao-Wu bootstrap"


def bootstrap_se(base: SimulationBase, package: Package, seed: int, rows: list, replicates: int,
                 bootstrap_seed: int | None) -> tuple[dict[tuple, float], dict[str, Any]]:
    from sp2lnob.simulate.engine import run

    if not isinstance(replicates, int) or replicates < 2:
        raise InputError("bootstrap needs at least 2 replicates", where="bootstrap", got=replicates,
                         expected="e.g. 200")
    bseed = int(np.random.default_rng().integers(2**32)) if bootstrap_seed is None else int(bootstrap_seed)
    weights, method = replicate_weights(base, replicates, bseed)
    keys = [r[:7] for r in rows if r[0] != "group"]
    pos = {k: i for i, k in enumerate(keys)}
    draws = np.full((weights.shape[1], len(keys)), np.nan)
    for r in range(weights.shape[1]):
        _, _, _, rep_rows, _ = run(base.with_weights(weights[:, r]), package, seed, groups=False)
        for row in rep_rows:
            i = pos.get(row[:7])
            if i is not None:
                draws[r, i] = row[7]
    with np.errstate(invalid="ignore"):
        se = np.nanstd(draws, axis=0, ddof=1)
    return ({k: float(s) for k, s in zip(keys, se, strict=True)},
            {"replicates": int(weights.shape[1]), "seed": bseed, "method": method})
