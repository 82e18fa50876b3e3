"""Magnitudes of money and population figures ("LCU millions", "thousands", ...).

The SPI inputs mix money (LCU) and head counts at very different magnitudes,
and a wrong magnitude is the commonest error in the field (ADB 2012, ch. 3).
Every monetary or population figure therefore carries an explicit unit, which
:func:`parse_unit` turns into a kind (``money`` or ``count``) and a scale
factor to LCU or persons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sp2lnob.errors import InputError

# Words for powers of ten, as written in ministries' tables.
_SCALE_WORDS: dict[str, float] = {
    "unit": 1.0,
    "units": 1.0,
    "one": 1.0,
    "ones": 1.0,
    "thousand": 1e3,
    "thousands": 1e3,
    "'000": 1e3,
    "000": 1e3,
    "k": 1e3,
    "th": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "b": 1e9,
}
# Words that only describe what is counted or the period; they do not scale.
_NEUTRAL_WORDS = {"persons", "person", "people", "per", "year", "annual", "capita", "yearly", "of", "in"}
_MONEY_WORDS = {"lcu", "local", "currency"}

EXAMPLE_UNITS = {"money": "'LCU', 'LCU thousands', 'LCU millions', 'LCU billions'",
                 "count": "'persons', 'thousands', 'millions'"}


@dataclass(frozen=True)
class Unit:
    """A parsed unit: ``kind`` is ``money`` (LCU) or ``count`` (persons); ``scale`` multiplies to base units."""

    text: str
    kind: str
    scale: float

    @property
    def scale_word(self) -> str:
        return {1.0: "units", 1e3: "thousands", 1e6: "millions", 1e9: "billions"}.get(self.scale, f"x{self.scale:g}")


def parse_unit(text: object, *, kind: str, where: str) -> Unit:
    """Parse a unit string such as ``"LCU millions"`` or ``"thousands"``.

    ``kind`` is what the column must hold (``money`` or ``count``); a money
    column whose unit does not say LCU, or a count column whose unit does, is
    an error, as is a missing or unknown unit.
    """
    raw = "" if text is None else str(text).strip()
    if not raw or raw.lower() in {"nan", "none", "null"}:
        raise InputError(
            "a magnitude is missing",
            where=where,
            expected=f"an explicit unit, e.g. {EXAMPLE_UNITS[kind]}",
            got=repr(raw),
            hint="wrong magnitudes are the commonest SPI error: say whether figures are in units, thousands or millions",
        )
    tokens = [t for t in re.split(r"[\s/,()]+", raw.lower()) if t]
    is_money = any(t in _MONEY_WORDS for t in tokens)
    scale = 1.0
    unknown = []
    for token in tokens:
        if token in _MONEY_WORDS or token in _NEUTRAL_WORDS:
            continue
        if token in _SCALE_WORDS:
            scale *= _SCALE_WORDS[token]
        else:
            unknown.append(token)
    if unknown:
        raise InputError(
            f"unknown unit {raw!r}",
            where=where,
            expected=f"e.g. {EXAMPLE_UNITS[kind]}",
            got=raw,
            hint=f"words not understood: {', '.join(unknown)}",
        )
    got_kind = "money" if is_money else "count"
    if kind == "money" and not is_money:
        raise InputError(
            f"unit {raw!r} is not a money unit",
            where=where,
            expected=f"a money unit, e.g. {EXAMPLE_UNITS['money']}",
            got=raw,
            hint="write the currency as LCU (local currency units), e.g. 'LCU millions'",
        )
    if kind == "count" and got_kind == "money":
        raise InputError(
            f"unit {raw!r} is a money unit for a head count",
            where=where,
            expected=f"a count unit, e.g. {EXAMPLE_UNITS['count']}",
            got=raw,
        )
    return Unit(text=raw, kind=kind, scale=scale)
