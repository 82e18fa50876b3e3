"""Step 1: who is eligible — a safe expression evaluated on the person frame.

The frame (see :mod:`sp2lnob.simulate.base`) carries person variables (age,
sex, disability, ...), household variables copied to every member (region,
urban, hh_size, hh_n_children, hh_n_older, hh_n_disabled, head_sex, ...),
pre-transfer ``welfare`` with its weighted ``welfare_percentile`` (0-100) and
``welfare_decile`` (1-10), and ``receives_<programme>`` flags. Expressions
are compiled by :func:`sp2lnob.expressions.compile_expression` (``ast`` ->
Polars, never ``eval``).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sp2lnob.errors import ExpressionError, Warning_
from sp2lnob.expressions import compile_expression
from sp2lnob.simulate.base import SimulationBase


def evaluate(base: SimulationBase, text: str, where: str) -> pl.Series:
    """The expression's value on every person row (cached per base and text)."""
    key = "expr:" + text
    hit = base.cache.get(key)
    if hit is not None:
        return hit
    expr = compile_expression(text, base.frame.columns, where=where)
    try:
        out = base.frame.select(expr.alias("value"))["value"]
    except pl.exceptions.PolarsError as exc:  # e.g. comparing text with a number
        raise ExpressionError("the expression cannot be evaluated on the survey's columns", where=where,
                              got=f"{text!r}: {str(exc).splitlines()[0]}",
                              hint="compare coded columns with numbers and text columns with quoted text") from None
    if out.len() == 1 and base.frame.height != 1:  # a constant such as "True"
        out = pl.Series("value", np.repeat(out.to_numpy(), base.frame.height))
    base.cache[key] = out
    return out


def eligible(base: SimulationBase, text: str, where: str) -> tuple[np.ndarray, list[Warning_]]:
    """Boolean eligibility of every person; rows where the rule is undefined (missing data) are not eligible
    and counted in a warning."""
    out = evaluate(base, text, where)
    if out.dtype != pl.Boolean:
        raise ExpressionError("an eligibility rule must be true or false for each person", where=where,
                              got=f"{text!r} gives {out.dtype}",
                              hint="compare a variable, e.g. 'age < 18' or 'disability >= 2'")
    notes: list[Warning_] = []
    nulls = out.null_count()
    if nulls:
        notes.append(Warning_("eligibility could not be decided (missing data); these persons are treated "
                              "as not eligible", count=int(nulls), where=where))
        out = out.fill_null(False)
    return out.to_numpy(), notes


def household_score(base: SimulationBase, text: str, where: str) -> np.ndarray:
    """A numeric expression (a PMT score) averaged over each household's members."""
    out = evaluate(base, text, where)
    if not out.dtype.is_numeric():
        raise ExpressionError("a PMT score must be a number", where=where, got=f"{text!r} gives {out.dtype}")
    values = out.cast(pl.Float64).to_numpy()
    bad = ~np.isfinite(values)
    if bad.any():
        # a missing or infinite score (log of zero welfare) ranks first: the household looks poorest
        values = np.where(bad, -np.inf, values)
    finite = np.where(np.isfinite(values), values, 0.0)
    s = np.bincount(base.hh_index, weights=finite, minlength=base.n_households)
    n = np.bincount(base.hh_index, minlength=base.n_households)
    worst = np.bincount(base.hh_index, weights=bad, minlength=base.n_households) > 0
    return np.where(worst, -np.inf, s / np.maximum(n, 1))
