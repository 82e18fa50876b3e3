"""Benchmark cases: each ``benchmarks/bench_*.py`` module defines ``cases()``.

A :class:`Case` has a ``setup`` (not timed; builds the data once) and a
``fn`` timed on the setup's output; ``run.py`` reports the median of
``repeat`` runs after one warm-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    group: str          # e.g. "measures", "spi", "lnob"
    name: str           # e.g. "gini"
    rows: int           # person rows (or programmes, for register work)
    setup: Callable[[], Any]
    fn: Callable[[Any], Any]
    repeat: int = 5
    target_seconds: float | None = None   # an issue's target, reported beside the time
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


SIZES = (10**4, 10**5, 10**6, 10**7)
