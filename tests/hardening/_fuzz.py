"""Hypothesis strategies shared by the fuzz tests: random YAML-like values, mutated mappings and bytes."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

# keep examples few and fast: the suite runs these on every commit
FUZZ_EXAMPLES = 60

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["", "age < 18", "__import__('os')", "=cmd|'/c calc'!A1", "../../etc/passwd", "NaN",
                     "yearly", "person", "household", "absolute", "median"]),
)
yaml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path into a nested mapping / list."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn, valid: dict[str, Any]) -> Any:
    """``valid`` with one to three edits: a value replaced, a key deleted or renamed."""
    out = copy.deepcopy(valid)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(out)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = out
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        action = draw(st.sampled_from(["replace", "delete", "rename"]))
        if action == "replace":
            parent[key] = draw(yaml_values)
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = parent.pop(key)
    return out


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` cut short, with bytes flipped, or with a run of bytes inserted."""
    action = draw(st.sampled_from(["cut", "flip", "insert"]))
    if action == "cut":
        return data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    b = bytearray(data)
    if action == "flip":
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(b) - 1))
            b[i] = draw(st.integers(0, 255))
        return bytes(b)
    i = draw(st.integers(0, len(b)))
    return bytes(b[:i]) + draw(st.binary(min_size=1, max_size=16)) + bytes(b[i:])
