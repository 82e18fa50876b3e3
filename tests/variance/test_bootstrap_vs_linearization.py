"""Linearised SEs agree with Rao–Wu bootstrap SEs on a large generated design.

Design: 20 strata x 30 PSUs x 15 rows (9,000 rows), lognormal welfare with a
PSU effect, fixed seeds. With B = 400 replicates the bootstrap SE has a
Monte-Carlo relative standard deviation of about 1/sqrt(2 (B - 1)) = 3.5 %, and
linearisation and bootstrap differ at order 1/sqrt(PSUs) otherwise; the 15 %
tolerance is about four Monte-Carlo standard deviations. A wrong influence
function (a missing term, a wrong density) is typically off by 30 % or more
(see ``test_a_wrong_influence_function_would_be_caught``).
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.variance.variance_samples import cluster_sample

from sp2lnob.variance import estimate

Y, DESIGN = cluster_sample(20, 30, 15, seed=5)
LINE = float(np.quantile(Y, 0.25))
B = 400
CASES = [
    ("mean", {}), ("gini", {}), ("fgt", {"line": LINE}), ("fgt", {"line": LINE, "alpha": 1.0}),
    ("median", {}), ("quantile", {"p": 0.2}), ("atkinson", {"epsilon": 1.0}),
    ("atkinson", {"epsilon": 2.0}), ("palma", {}), ("s80_s20", {}), ("theil", {}), ("arpr", {}),
    ("fgt_relative", {"alpha": 1.0}),
]


@pytest.mark.parametrize(("measure", "params"), CASES, ids=[f"{m}-{p}" for m, p in CASES])
def test_linearised_se_matches_bootstrap(measure, params):
    lin = estimate(measure, Y, DESIGN, **params)
    boot = estimate(measure, Y, DESIGN, method="bootstrap", replicates=B, seed=2024, **params)
    assert lin.estimate == boot.estimate
    assert boot.se == pytest.approx(lin.se, rel=0.15)


def test_domain_linearised_se_matches_bootstrap():
    dom = (np.arange(Y.size) % 3) == 0
    lin = estimate("gini", Y, DESIGN, domain=dom)
    boot = estimate("gini", Y, DESIGN, domain=dom, method="bootstrap", replicates=B, seed=7)
    assert boot.se == pytest.approx(lin.se, rel=0.15)


def test_a_wrong_influence_function_would_be_caught():
    """The tolerance is tight enough: dropping the design (SRS formula on the same
    influence values) or the PSU clustering changes the Gini SE by far more than 15 %."""
    from sp2lnob.survey.design import Design

    lin = estimate("gini", Y, DESIGN)
    no_clusters = estimate("gini", Y, Design(weights=DESIGN.weights, strata=DESIGN.strata))
    assert abs(no_clusters.se / lin.se - 1) > 0.3
