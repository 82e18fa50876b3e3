"""Design-based standard errors: Taylor linearisation, Rao–Wu bootstrap, replicate weights.

``estimate(measure, values, design, method=...)`` returns an immutable
:class:`Estimate` (or :class:`EstimateTable` with ``by=``). Point estimates come
from :mod:`sp2lnob.measures`; the variance from the registered influence
function (:data:`ESTIMATORS`) under the method named in :data:`VARIANCE_METHODS`.
"""

from sp2lnob.variance.design_variance import (
    LONELY_PSU_OPTIONS,
    PsuStructure,
    linearization_variance,
    psu_structure,
)
from sp2lnob.variance.estimate import estimate
from sp2lnob.variance.estimators import ESTIMATORS, Estimator, get_estimator
from sp2lnob.variance.methods import VARIANCE_METHODS
from sp2lnob.variance.replicates import (
    REPLICATE_METHODS,
    default_scale,
    rao_wu_bootstrap_weights,
    rao_wu_psu_multipliers,
    replicate_variance,
)
from sp2lnob.variance.results import Estimate, EstimateTable

__all__ = [
    "ESTIMATORS",
    "LONELY_PSU_OPTIONS",
    "REPLICATE_METHODS",
    "VARIANCE_METHODS",
    "Estimate",
    "EstimateTable",
    "Estimator",
    "PsuStructure",
    "default_scale",
    "estimate",
    "get_estimator",
    "linearization_variance",
    "psu_structure",
    "rao_wu_bootstrap_weights",
    "rao_wu_psu_multipliers",
    "replicate_variance",
]
