"""The safe expression compiler: what it allows gives Polars' own result; what it refuses is an ExpressionError."""

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sp2lnob.errors import ExpressionError
from sp2lnob.expressions import compile_expression, referenced_names

DF = pl.DataFrame(
    {
        "age": [0, 5, 17, 18, 64, 65, 90],
        "sex": [1, 2, 1, 2, 1, 2, None],
        "region": ["North", "South", "North", "East", "West", "North", "South"],
        "income": [0.0, 10.0, 20.5, 100.0, 250.0, 1e6, 3.0],
    }
)


def ev(text: str) -> list:
    return DF.select(compile_expression(text, DF.columns).alias("x"))["x"].to_list()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("age < 18", [True, True, True, False, False, False, False]),
        ("18 <= age < 65", [False, False, False, True, True, False, False]),
        ("between(age, 5, 17)", [False, True, True, False, False, False, False]),
        ("age >= 65 or age < 5", [True, False, False, False, False, True, True]),
        ("not (age >= 65)", [True, True, True, True, True, False, False]),
        ("region in ['North', 'East']", [True, False, True, True, False, True, False]),
        ("region not in ['North']", [False, True, False, True, True, False, True]),
        ("isnull(sex)", [False] * 6 + [True]),
        ("age * 2 + 1", [1, 11, 35, 37, 129, 131, 181]),
        ("1 if age >= 60 else 0", [0, 0, 0, 0, 1, 1, 1]),
        ("max(age, 18)", [18, 18, 18, 18, 64, 65, 90]),
        ("age == -1", [False] * 7),
    ],
)
def test_allowed_constructs(text, expected):
    assert ev(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("__import__('os').system('x')", "plain function calls"),
        ("age.__class__", "Attribute is not allowed"),
        ("[x for x in age]", "ListComp is not allowed"),
        ("lambda: 1", "Lambda is not allowed"),
        ("open('f')", "unknown function"),
        ("aeg < 18", "unknown variable"),
        ("age = 5", "not valid syntax"),
        ("age in age", "literal list"),
        ("region in [-'North']", "only numbers and strings"),
        ("age in [-True]", "only numbers and strings"),
        ("between(age, 1)", "takes 3 arguments"),
        ("between(age, lo=1, hi=2)", "positional"),
        ("age @ 2", "not allowed"),
        ("", "non-empty"),
    ],
)
def test_refused(text, fragment):
    with pytest.raises(ExpressionError) as info:
        compile_expression(text, DF.columns, where="scheme.yaml: eligibility")
    assert fragment in str(info.value)
    assert info.value.where == "scheme.yaml: eligibility"


def test_unknown_column_hint_names_the_closest():
    with pytest.raises(ExpressionError) as info:
        compile_expression("aeg < 18", DF.columns)
    assert "'age'" in (info.value.hint or "")


def test_referenced_names():
    assert referenced_names("between(age, 0, 17) and region == 'North'") == {"age", "region"}


def test_too_long():
    with pytest.raises(ExpressionError, match="too long"):
        compile_expression(" or ".join(["age < 1"] * 600), DF.columns)


@settings(max_examples=60, deadline=None)
@given(lo=st.integers(-5, 100), hi=st.integers(-5, 100))
def test_between_matches_polars(lo, hi):
    got = ev(f"between(age, {lo}, {hi})")
    expected = DF.select(pl.col("age").is_between(lo, hi))["age"].to_list()
    assert got == expected
