"""The LNOB spec: validation, errors that name the key, and the demo spec's code health."""

from __future__ import annotations

import pytest

from sp2lnob.errors import ExpressionError, InputError, SpecError
from sp2lnob.opportunity.spec import BUILTIN_CIRCUMSTANCES, load_lnob_spec, parse_lnob_spec
from sp2lnob.parameters import load


def _spec(**over):
    base = {
        "circumstances": [{"name": "wealth", "builtin": "wealth_b40"}, {"name": "area", "builtin": "urban"}],
        "indicators": [{"name": "water", "outcome": "basic_water == 1", "unit": "household"}],
    }
    base.update(over)
    return base


def test_minimal_spec():
    spec = parse_lnob_spec(_spec())
    assert spec.indicators[0].unit == "household"
    assert [c.name for c in spec.circumstances_of(spec.indicators[0])] == ["wealth", "area"]


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"indicators": [{"name": "x", "outcome": "a == 1", "colour": "red"}]}, "colour"),
        ({"circumstances": [{"name": "w", "builtin": "wealth_b4"}]}, "wealth_b40"),
        ({"circumstances": [{"name": "w"}]}, "exactly one"),
        ({"indicators": [{"name": "x", "outcome": "a", "circumstances": ["welth"]}]}, "welth"),
        ({"indicators": [{"name": "x", "outcome": "a", "unit": "family"}]}, "unit"),
        ({"tree": {"depth": 3}}, "depth"),
    ],
)
def test_spec_errors_name_the_problem(change, fragment):
    with pytest.raises(SpecError) as err:
        parse_lnob_spec(_spec(**change))
    assert fragment in str(err.value) + " ".join(d.what + (d.where or "") for d in err.value.details)


def test_missing_file_and_unknown_indicator(tmp_path, demo_lnob_spec):
    with pytest.raises(InputError):
        load_lnob_spec(tmp_path / "nope.yaml")
    with pytest.raises(InputError) as err:
        demo_lnob_spec.indicator("electricty")
    assert "electricity" in (err.value.hint or "")


def test_demo_spec_code_health(demo_lnob_spec):
    """Every demo indicator has a label, a unit and circumstances; the ten ESCAP indicators are there."""
    names = [i.name for i in demo_lnob_spec.indicators]
    assert len(names) == 10
    assert {"electricity", "clean_fuel", "basic_water", "basic_sanitation", "internet_use", "bank_account",
            "secondary_complete", "higher_education", "non_stunting", "skilled_birth"} == set(names)
    for ind in demo_lnob_spec.indicators:
        assert ind.label and ind.unit in ("person", "household") and ind.circumstances
    assert demo_lnob_spec.indicator("non_stunting").barrier


def test_every_builtin_has_parameters():
    params = load("lnob_tree.yaml")["circumstances"]
    for name in BUILTIN_CIRCUMSTANCES:
        assert name in params and params[name].get("label"), name


def test_unsafe_expression_is_rejected(demo_survey):
    from sp2lnob.opportunity.run import run_lnob

    spec = parse_lnob_spec(_spec(indicators=[{"name": "x", "outcome": "__import__('os').system('true')"}]))
    with pytest.raises(ExpressionError):
        run_lnob(demo_survey, spec, shapley=None)
