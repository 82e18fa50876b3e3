"""Structured errors shared by every layer.

Each error carries *what* went wrong, *where* (file, key, column, row), what
was *expected*, what was *got*, and a *hint*, so the CLI and the app can
render it without parsing a message (pattern from svy's ``errors/base_errors.py``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ErrorDetail:
    what: str
    where: str | None = None
    expected: str | None = None
    got: str | None = None
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class Sp2lnobError(Exception):
    """Base of every error sp2lnob raises on purpose.

    ``str(err)`` is a readable multi-line message; ``err.to_dict()`` is the
    structured form used by ``--json`` output and the app.
    """

    kind = "error"

    def __init__(
        self,
        what: str,
        *,
        where: str | None = None,
        expected: Any = None,
        got: Any = None,
        hint: str | None = None,
        details: Iterable[ErrorDetail] = (),
    ) -> None:
        self.what = what
        self.where = where
        self.expected = None if expected is None else str(expected)
        self.got = None if got is None else _short(got)
        self.hint = hint
        self.details = tuple(details)
        super().__init__(self.__str__())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "type": type(self).__name__, "what": self.what}
        for key in ("where", "expected", "got", "hint"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.details:
            out["details"] = [d.to_dict() for d in self.details]
        return out

    def __str__(self) -> str:
        lines = [self.what]
        for label, value in (
            ("where", self.where),
            ("expected", self.expected),
            ("got", self.got),
            ("hint", self.hint),
        ):
            if value is not None:
                lines.append(f"  {label}: {value}")
        for d in self.details:
            lines.append(f"  - {d.what}" + (f" ({d.where})" if d.where else ""))
        return "\n".join(lines)


class SpecError(Sp2lnobError):
    """A configuration file (survey spec, scheme, indicator spec) is invalid."""

    kind = "spec"


class DataError(Sp2lnobError):
    """The data do not satisfy what a computation needs (weights, ids, types...)."""

    kind = "data"


class InputError(Sp2lnobError):
    """A file cannot be read or an argument is out of its domain."""

    kind = "input"


class ExpressionError(SpecError):
    """A user expression uses a disallowed construct or an unknown name."""

    kind = "expression"


@dataclass(frozen=True)
class Warning_:
    """A non-fatal, reported handling (rows excluded, values floored...)."""

    what: str
    count: int | None = None
    where: str | None = None
    hint: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = {"what": self.what, "count": self.count, "where": self.where, "hint": self.hint}
        d.update(self.extra)
        return {k: v for k, v in d.items() if v is not None}


def closest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Closest existing names to a misspelt one (for hints)."""
    cands = list(candidates)
    found = difflib.get_close_matches(name, cands, n=n, cutoff=0.5)
    if not found:
        lower = {c.lower(): c for c in cands}
        found = [lower[c] for c in difflib.get_close_matches(name.lower(), list(lower), n=n, cutoff=0.5)]
    return found


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    found = closest(name, candidates)
    return f"did you mean {', '.join(repr(f) for f in found)}?" if found else None


def _short(value: Any, limit: int = 200) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
