from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_survey():
    from sp2lnob import read_survey
    from sp2lnob.demo import demo_spec_path

    return read_survey(demo_spec_path())


@pytest.fixture(scope="session")
def demo_lnob_path() -> Path:
    from sp2lnob.demo import demo_spec_path

    return Path(demo_spec_path()).parent / "asiatica_lnob.yaml"


@pytest.fixture(scope="session")
def demo_lnob_spec(demo_lnob_path):
    from sp2lnob.opportunity.spec import load_lnob_spec

    return load_lnob_spec(demo_lnob_path)
