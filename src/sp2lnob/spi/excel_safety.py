"""Formula-injection safety for workbooks written from user text.

A cell whose text starts with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage
return) can be run as a formula by a spreadsheet program (OWASP "CSV
injection"). Every string written from user input goes through
:func:`safe_text`, which prefixes such text with an apostrophe.
"""

from __future__ import annotations

from typing import Any

from sp2lnob.exports import FORMULA_PREFIXES as DANGEROUS_PREFIXES
from sp2lnob.exports import safe_text

__all__ = ["DANGEROUS_PREFIXES", "safe_text", "write_cell"]


def write_cell(ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """Write one value with xlsxwriter: numbers as numbers, text always as (safe) text, never a formula."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):  # NaN/inf: Excel has no such number
            ws.write_blank(row, col, None, fmt)
        else:
            ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, safe_text(str(value)), fmt)
