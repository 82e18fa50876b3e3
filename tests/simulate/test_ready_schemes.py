"""Every ready scheme is dated, sourced, documented and runs on the demo survey."""

from __future__ import annotations

import numpy as np
import pytest

from sp2lnob.simulate import load_scheme, make_package, ready_scheme_names, simulate

NAMES = ready_scheme_names()


def test_the_five_ready_schemes_exist():
    assert set(NAMES) == {"universal_child_benefit", "universal_social_pension", "disability_benefit",
                          "universal_basic_transfer", "poverty_targeted_transfer"}


@pytest.mark.parametrize("name", NAMES)
def test_scheme_is_dated_sourced_and_runs(name, demo_base):
    s = load_scheme(name)
    assert s.date.year >= 2018 and len(s.source) > 40 and s.label and s.description
    r = simulate(demo_base, make_package([name]), groups=False)
    assert r.value("cost_lcu", "value") > 0
    assert r.value("fgt0", "post") <= r.value("fgt0", "pre")
    assert not any("period" in w.what for w in r.warnings)


def test_child_benefit_cost_from_first_principles(demo_survey, demo_base):
    # 4 % of GDP per capita (90,000) = 3,600 a year per child under 18, admin 5 %
    age = demo_survey.column("age")
    children = demo_survey.weights[age < 18].sum()
    r = simulate(demo_base, make_package(["universal_child_benefit"]), groups=False)
    assert r.value("cost_lcu", "value") == pytest.approx(children * 3600 * 1.05, rel=1e-12)
    assert r.value("beneficiaries", "value", scheme="universal_child_benefit") == pytest.approx(children)
    gdp = 90000 * demo_survey.weights.sum()
    assert r.value("cost_pct_gdp", "value") == pytest.approx(100 * children * 3600 * 1.05 / gdp)


def test_replacing_programmes_lowers_pre_transfer_welfare(demo_survey, demo_base):
    r = simulate(demo_base, make_package(["universal_social_pension"], replaces=["social_pension"]), groups=False)
    removed = demo_survey.programme_amount_pc("social_pension")
    np.testing.assert_allclose(r.welfare_pre, np.maximum(demo_survey.welfare - removed, 0.0))
