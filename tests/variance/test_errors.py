"""Bad input raises structured errors with a hint; nothing is silently dropped."""

from __future__ import annotations

import numpy as np
import pytest

from sp2lnob.errors import DataError, InputError, Sp2lnobError
from sp2lnob.survey.design import Design
from sp2lnob.variance import estimate, linearization_variance, replicate_variance

Y = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
LONELY = Design(weights=np.ones(7), strata=np.array([0, 0, 0, 0, 1, 1, 1]),
                psu=np.array([0, 0, 1, 1, 2, 2, 2]))


def test_singleton_psu_stratum_errors_with_hint():
    with pytest.raises(DataError) as err:
        estimate("mean", Y, LONELY)
    assert "single PSU" in err.value.what
    assert "lonely_psu" in err.value.hint and "1" in err.value.where


def test_singleton_psu_with_option_works():
    for option in ("adjust", "average", "remove", "certainty"):
        assert estimate("mean", Y, LONELY, lonely_psu=option).se >= 0


def test_unknown_lonely_psu_option():
    with pytest.raises(InputError) as err:
        linearization_variance(Y, LONELY, lonely_psu="ajust")
    assert "adjust" in err.value.hint


def test_unknown_replicate_method_has_did_you_mean():
    d = Design(weights=np.ones(7), replicate_weights=np.ones((7, 3)), replicate_method="bootstrp")
    with pytest.raises(InputError) as err:
        estimate("mean", Y, d, method="replicate")
    assert "bootstrap" in err.value.hint
    with pytest.raises(InputError):
        replicate_variance(1.0, np.array([1.0, 2.0]), "jacknife")


def test_unknown_variance_method():
    with pytest.raises(InputError) as err:
        estimate("mean", Y, Design(weights=np.ones(7)), method="linearisation")
    assert "linearization" in err.value.hint


def test_replicate_method_without_replicate_weights():
    with pytest.raises(DataError) as err:
        estimate("mean", Y, Design(weights=np.ones(7)), method="replicate")
    assert "bootstrap" in err.value.hint


def test_domain_with_zero_rows_names_the_domain():
    with pytest.raises(DataError) as err:
        estimate("mean", Y, Design(weights=np.ones(7)), domain=np.zeros(7, dtype=bool))
    assert "domain" in err.value.what and err.value.where == "estimate(domain=...)"


def test_domain_must_be_boolean():
    with pytest.raises(InputError):
        estimate("mean", Y, Design(weights=np.ones(7)), domain=np.ones(7))


def test_unknown_measure():
    with pytest.raises(InputError) as err:
        estimate("ginni", Y, Design(weights=np.ones(7)))
    assert "gini" in err.value.hint


def test_unknown_and_missing_parameters():
    d = Design(weights=np.ones(7))
    with pytest.raises(InputError) as err:
        estimate("fgt", Y, d, line=3.0, alhpa=1)
    assert "alpha" in err.value.hint
    with pytest.raises(InputError) as err:
        estimate("fgt", Y, d)
    assert "line" in err.value.what


def test_missing_values_are_refused_not_dropped():
    y = Y.copy()
    y[2] = np.nan
    with pytest.raises(DataError) as err:
        estimate("mean", y, Design(weights=np.ones(7)))
    assert "1 of 7" in err.value.got


def test_wrong_length_values():
    with pytest.raises(DataError):
        estimate("mean", Y[:5], Design(weights=np.ones(7)))


def test_no_influence_function_points_to_bootstrap():
    with pytest.raises(InputError) as err:
        estimate("sen", Y, Design(weights=np.ones(7)), line=4.0)
    assert "bootstrap" in err.value.hint
    assert estimate("sen", Y, Design(weights=np.ones(7)), line=4.0, method="bootstrap",
                    replicates=10, seed=1).se >= 0


def test_fpc_varying_within_stratum():
    d = Design(weights=np.ones(4), strata=np.array([0, 0, 1, 1]), fpc=np.array([0.1, 0.2, 0.1, 0.1]))
    with pytest.raises(DataError) as err:
        estimate("mean", Y[:4], d)
    assert "fpc" in err.value.what


def test_errors_are_structured():
    try:
        estimate("mean", Y, LONELY)
    except Sp2lnobError as e:
        d = e.to_dict()
        assert {"what", "where", "expected", "got", "hint"} <= set(d)


def test_by_with_missing_labels_is_reported():
    labels = np.array(["a", "a", None, "b", "b", "a", "b"], dtype=object)
    t = estimate("mean", Y, Design(weights=np.ones(7)), by=labels)
    assert t.groups == ("a", "b")
    assert t.warnings[0].count == 1
    assert sum(r.n for r in t.rows) == 6


def test_bootstrap_with_a_single_psu_stratum_is_not_a_silent_zero():
    # A one-PSU stratum cannot be resampled: without an option, the same error as linearisation.
    with pytest.raises(DataError, match="single PSU") as err:
        estimate("mean", Y, LONELY, method="bootstrap", replicates=20, seed=1)
    assert "lonely_psu" in err.value.hint
    # "certainty": the stratum adds no variance, said and recorded.
    est = estimate("mean", Y, LONELY, method="bootstrap", replicates=20, seed=1, lonely_psu="certainty")
    assert est.lonely_psu == "certainty" and est.se >= 0
    with pytest.raises(InputError, match="cannot apply lonely_psu='adjust'") as err:
        estimate("mean", Y, LONELY, method="bootstrap", replicates=20, seed=1, lonely_psu="adjust")
    assert "linearization" in err.value.hint
