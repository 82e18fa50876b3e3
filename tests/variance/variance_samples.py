"""Generated stratified cluster samples for the variance tests (fixed seeds)."""

from __future__ import annotations

import numpy as np

from sp2lnob.survey.design import Design


def cluster_sample(n_strata: int, psu_per_stratum: int, rows_per_psu: int, seed: int,
                   ) -> tuple[np.ndarray, Design]:
    """Lognormal welfare with a PSU effect (design effect > 1) and unequal weights."""
    rng = np.random.default_rng(seed)
    n_psu = n_strata * psu_per_stratum
    n = n_psu * rows_per_psu
    psu = np.repeat(np.arange(n_psu), rows_per_psu)
    stratum = psu // psu_per_stratum
    effect = rng.normal(0.0, 0.3, n_psu)[psu]
    y = np.exp(8.0 + 0.1 * stratum + effect + rng.normal(0.0, 0.7, n))
    w = rng.uniform(50, 300, n_psu)[psu] * np.exp(rng.normal(0, 0.2, n))
    return y, Design(weights=w, strata=stratum, psu=psu)
