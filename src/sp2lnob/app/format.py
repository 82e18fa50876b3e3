"""Number formatting shared by the pages."""

from __future__ import annotations

import math


def pct(x: float | None, digits: int = 1) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{100 * x:.{digits}f} %"


def num(x: float | None, digits: int = 3) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:,.{digits}f}"


def money(x: float | None) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:,.0f}"
