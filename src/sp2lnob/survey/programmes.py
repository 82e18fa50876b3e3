"""Programme receipt and amounts per row, from the survey's programme columns.

A household receives a programme when any member's receipt flag is set OR
any member's amount is > 0 (aspire.md sec. 1); every member of a receiving
household is a (direct or indirect) beneficiary. Amounts are household
totals converted to the welfare output period; per-capita amounts divide by
household size (or adult equivalents when welfare is equivalised), the unit
of ``survey.welfare``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from sp2lnob.survey.groups import group_any, group_sum
from sp2lnob.survey.spec import Programme
from sp2lnob.survey.welfare import period_factor

if TYPE_CHECKING:
    from sp2lnob.survey.core import Survey

def _amount(survey: Survey, prog: Programme) -> np.ndarray:
    # Missing amounts count as 0 (not received); build_survey reports how many.
    assert prog.amount is not None
    return survey.data[prog.amount].cast(pl.Float64).fill_null(0.0).to_numpy()


def receipt(survey: Survey, prog: Programme) -> np.ndarray:
    """Per row: does the row's household receive ``prog`` (flag OR amount > 0, any member)?"""
    gets = np.zeros(survey.data.height, dtype=bool)
    if prog.receipt is not None:
        gets |= survey.data[prog.receipt].cast(pl.Float64).fill_null(0.0).to_numpy() != 0
    if prog.amount is not None:
        gets |= _amount(survey, prog) > 0
    if survey.level == "person":
        gets = group_any(survey.household_codes, gets)
    return gets


def amount_household(survey: Survey, prog: Programme) -> np.ndarray:
    """Per row: the household's total of ``prog`` in LCU per output period (0 without an amount).

    unit person: sum over the household's members; unit household: the
    household's value (constant within the household, checked on build).
    """
    if prog.amount is None:
        return np.zeros(survey.data.height)
    amount = _amount(survey, prog)
    if survey.level == "person" and prog.unit == "person":
        amount = group_sum(survey.household_codes, amount)
    return amount * period_factor(prog.period, survey.spec.welfare.output_period)


def amount_per_unit(survey: Survey, prog: Programme) -> np.ndarray:
    """Per row: household total / household size (or / adult equivalents when equivalised)."""
    return amount_household(survey, prog) / survey.welfare_divisor
