"""Bad input gives a structured error that says what, where, expected and a hint."""

from __future__ import annotations

import pytest

from sp2lnob.errors import ExpressionError, InputError, SpecError
from sp2lnob.simulate import Package, load_scheme, make_package, parse_scheme, simulate

from .test_invariants import scheme


def run(small_base, **over):
    return simulate(small_base, Package((parse_scheme(scheme(**over), "my_scheme.yaml"),)), groups=False)


def test_unknown_variable_in_eligibility(small_base):
    with pytest.raises(ExpressionError) as e:
        run(small_base, eligibility={"when": "agee < 18"})
    assert e.value.what == "unknown variable 'agee'"
    assert e.value.where == "my_scheme.yaml (s): eligibility.when"
    assert "'age'" in e.value.hint


def test_disallowed_syntax(small_base):
    with pytest.raises(ExpressionError) as e:
        run(small_base, eligibility={"when": "__import__('os').system('true')"})
    assert "not allowed" in e.value.what or "only plain function calls" in e.value.what
    with pytest.raises(ExpressionError) as e:
        run(small_base, eligibility={"when": "age.__class__ == 1"})
    assert "Attribute is not allowed" in e.value.what
    with pytest.raises(ExpressionError) as e:
        run(small_base, eligibility={"when": "age = 5"})
    assert e.value.what == "expression is not valid syntax"


def test_eligibility_must_be_boolean(small_base):
    with pytest.raises(ExpressionError) as e:
        run(small_base, eligibility={"when": "age + 1"})
    assert "true or false" in e.value.what


def test_benefit_in_the_wrong_period(small_base):
    # 36,000 "a month" is 432,000 a year: 480 % of GDP per capita -> a yearly amount declared monthly
    with pytest.raises(SpecError) as e:
        run(small_base, benefit={"amount": 36000.0, "period": "monthly"})
    err = e.value
    assert err.what.startswith("benefit amount looks like it is in the wrong period")
    assert err.where == "my_scheme.yaml (s): benefit.amount"
    assert "432,000 a year = 480% of GDP per capita" in err.got
    assert "set benefit.period" in err.hint


def test_tiny_yearly_amount_is_a_warning(small_base):
    r = run(small_base, benefit={"amount": 300.0, "period": "yearly"})
    assert any("is it a smaller period's amount" in w.what for w in r.warnings)


@pytest.mark.parametrize("rate", [1.5, -0.1])
def test_coverage_outside_0_1(rate):
    with pytest.raises(SpecError) as e:
        parse_scheme(scheme(coverage={"rate": rate}), "my_scheme.yaml")
    assert e.value.where == "my_scheme.yaml: coverage.rate"
    assert "between 0 and 1" in e.value.what


def test_unknown_key_rejected_with_hint():
    s = scheme()
    s["benefit"] = {**s["benefit"], "ammount": 5}
    with pytest.raises(SpecError) as e:
        parse_scheme(s, "my_scheme.yaml")
    assert "unknown key 'ammount'" in str(e.value)
    assert any("amount" in (d.hint or "") for d in e.value.details) or "amount" in (e.value.hint or "")


def test_missing_date_and_source():
    s = scheme()
    del s["date"], s["source"]
    with pytest.raises(SpecError) as e:
        parse_scheme(s, "x.yaml")
    text = str(e.value)
    assert "date" in text and "source" in text


def test_flat_needs_amount_and_inclusion_needs_household():
    with pytest.raises(SpecError, match="needs `amount`"):
        parse_scheme(scheme(benefit={"amount": None}))
    with pytest.raises(SpecError, match="inclusion_error needs benefit.per: household"):
        parse_scheme(scheme(coverage={"inclusion_error": 0.1}))


def test_unknown_ready_scheme_and_line_and_programme(small_base):
    with pytest.raises(InputError) as e:
        load_scheme("universal_child_benfit")
    assert "universal_child_benefit" in e.value.hint
    with pytest.raises(InputError, match="unknown poverty line 'nationl'"):
        run(small_base, benefit={"basis": "poverty_line", "amount": None, "share": 0.1, "line": "nationl"})
    with pytest.raises(InputError, match="cannot replace unknown programme 'cc'"):
        simulate(small_base, make_package(["universal_child_benefit"], replaces=["cc"]))


def test_duplicate_scheme_names():
    s = parse_scheme(scheme())
    with pytest.raises(SpecError, match="unique"):
        Package((s, s))
