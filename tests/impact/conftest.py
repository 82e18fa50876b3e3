from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def demo_survey():
    from sp2lnob import read_survey
    from sp2lnob.demo import demo_spec_path

    return read_survey(demo_spec_path())


@pytest.fixture(scope="session")
def demo_base(demo_survey):
    """The demo survey prepared for SP2LNOB with the demo's LNOB spec (wealth → consumption)."""
    from sp2lnob.impact import prepare_impact

    return prepare_impact(demo_survey)


@pytest.fixture(scope="session")
def child_benefit():
    from sp2lnob.simulate import make_package

    return make_package(["universal_child_benefit"])
