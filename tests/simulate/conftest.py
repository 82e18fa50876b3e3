from __future__ import annotations

import pytest

from .synth import synthetic_base


@pytest.fixture(scope="session")
def demo_survey():
    from sp2lnob import read_survey
    from sp2lnob.demo import demo_spec_path

    return read_survey(demo_spec_path())


@pytest.fixture(scope="session")
def demo_base(demo_survey):
    from sp2lnob.simulate import prepare

    return prepare(demo_survey)


@pytest.fixture(scope="session")
def small_base():
    return synthetic_base(800, seed=3)
