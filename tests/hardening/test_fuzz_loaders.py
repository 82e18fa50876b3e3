"""Fuzzing: random and mutated specs, schemes, LNOB specs, registers and basic statistics.

Whatever the input, the only exceptions that may escape are sp2lnob's
structured errors (:class:`~sp2lnob.errors.Sp2lnobError` subclasses).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sp2lnob.errors import Sp2lnobError

from ._data import PERSONS, SPEC, example_text
from ._fuzz import FUZZ_EXAMPLES, mutated, mutated_bytes, yaml_values

FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_SCHEME = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "src/sp2lnob/parameters/schemes/universal_child_benefit.yaml")
    .read_text(encoding="utf-8"))
_LNOB = {
    "spec_version": 1, "name": "test",
    "circumstances": [{"name": "wealth", "builtin": "wealth_b40"}, {"name": "age_band", "builtin": "age_band",
                                                                      "bands": [25, 50]}],
    "indicators": [{"name": "old", "outcome": "age >= 65", "population": "age >= 15",
                    "circumstances": ["wealth", "age_band"]}],
}


def _only_structured(fn, *args, **kwargs) -> None:
    try:
        fn(*args, **kwargs)
    except Sp2lnobError as err:
        assert err.what and str(err)  # renders
        err.to_dict()


def _on_file(fn, name: str, data: bytes, **kwargs) -> None:
    """Write ``data`` to a fresh temporary file ``name`` and call ``fn(path)`` (the directory is removed)."""
    with tempfile.TemporaryDirectory(prefix="sp2lnob-fuzz-") as d:
        (Path(d) / name).write_bytes(data)
        _only_structured(fn, Path(d) / name, **kwargs)


@FUZZ
@given(st.one_of(yaml_values, mutated(SPEC)))
def test_survey_spec_and_read_survey_raise_only_structured_errors(payload):
    from sp2lnob.survey import read_survey

    _only_structured(read_survey, payload if isinstance(payload, dict) else {"x": payload}, data=PERSONS)


@FUZZ
@given(mutated_bytes(yaml.safe_dump(SPEC, sort_keys=False).encode()))
def test_survey_spec_file_bytes_raise_only_structured_errors(data):
    from sp2lnob.survey import load_spec

    _on_file(load_spec, "survey.yaml", data)


@FUZZ
@given(st.one_of(yaml_values, mutated(_SCHEME)))
def test_scheme_loader_raises_only_structured_errors(payload):
    from sp2lnob.simulate.scheme import parse_scheme

    _only_structured(parse_scheme, payload)


@FUZZ
@given(mutated_bytes(yaml.safe_dump(_SCHEME).encode()))
def test_scheme_file_bytes_raise_only_structured_errors(data):
    from sp2lnob.simulate import load_scheme

    _on_file(load_scheme, "scheme.yaml", data)


@FUZZ
@given(st.one_of(yaml_values, mutated(_LNOB)))
def test_lnob_spec_loader_raises_only_structured_errors(payload):
    from sp2lnob.opportunity.spec import parse_lnob_spec

    _only_structured(parse_lnob_spec, payload)


@FUZZ
@given(mutated_bytes(yaml.safe_dump(_LNOB).encode()))
def test_lnob_spec_file_bytes_raise_only_structured_errors(data):
    from sp2lnob.opportunity import load_lnob_spec

    _on_file(load_lnob_spec, "lnob.yaml", data)


@FUZZ
@given(mutated_bytes(example_text("register.csv").encode()))
def test_register_csv_bytes_raise_only_structured_errors(data):
    from sp2lnob.spi import read_register

    _on_file(read_register, "register.csv", data)


@FUZZ
@given(mutated_bytes(example_text("basic_statistics.csv").encode()))
def test_basic_statistics_csv_bytes_raise_only_structured_errors(data):
    from sp2lnob.spi import read_basic_statistics

    _on_file(read_basic_statistics, "basic_statistics.csv", data, year=2009)


@FUZZ
@given(st.one_of(yaml_values, st.dictionaries(st.sampled_from(["country", "reference_year", "gdp", "population",
                                                                "poor", "household_size", "gdp_per_capita"]),
                                               yaml_values, max_size=6)))
def test_basic_statistics_mapping_raises_only_structured_errors(payload):
    from sp2lnob.spi import basic_statistics_from_dict

    _only_structured(basic_statistics_from_dict, payload)
