"""The arrays the performance indicators work on (person rows), independent of the reader.

:class:`PerformanceInput` is built once, either from a :class:`~sp2lnob.survey.Survey`
(:func:`sp2lnob.performance.from_survey.input_from_survey`) or directly from
arrays (tests, benchmarks). Household-level quantities (receipt, per-capita
transfers, welfare) are constant within a household.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, Warning_
from sp2lnob.performance.programme_sets import ProgrammeInfo
from sp2lnob.survey.design import Design


@dataclass(frozen=True, eq=False)
class Grouping:
    """A person-level grouping: integer codes 0..G-1 (-1 = missing) and a label per code."""

    name: str
    codes: np.ndarray
    labels: tuple[str, ...]

    def __post_init__(self) -> None:
        codes = np.asarray(self.codes, dtype=np.int64)
        if codes.size and codes.max() >= len(self.labels):
            raise DataError(f"grouping {self.name!r} has codes without labels", where=self.name,
                            expected=f"codes 0..{len(self.labels) - 1}", got=int(codes.max()))
        object.__setattr__(self, "codes", codes)

    @classmethod
    def from_values(cls, name: str, values: Any, value_labels: dict | None = None) -> Grouping:
        """Codes from raw values (null / NaN = missing), in sorted value order, labelled with
        ``value_labels`` when given (keys matched as numbers or as text)."""
        series = values if isinstance(values, pl.Series) else pl.Series(name, values, strict=False)
        if series.dtype.is_float():
            series = series.fill_nan(None)
        uniq = series.drop_nulls().unique().sort()
        codes = (pl.DataFrame({"v": series})
                 .join(pl.DataFrame({"v": uniq, "code": pl.int_range(uniq.len(), eager=True)}),
                       on="v", how="left", maintain_order="left")["code"].fill_null(-1).to_numpy())
        labels = []
        for value in uniq.to_list():  # a loop over the distinct groups, not rows
            key = int(value) if isinstance(value, float) and value.is_integer() else value
            label = None
            if value_labels:
                label = value_labels.get(key, value_labels.get(str(key)))
            labels.append(str(label) if label is not None else str(key))
        return cls(name, codes, tuple(labels))


@dataclass(frozen=True, eq=False)
class PerformanceInput:
    """Person rows: household index, weights, welfare, transfers, groupings, lines.

    ``amount_pc[:, j]``: household total of programme j ÷ household size (welfare
    units, NaN-free; receipt-only programmes carry 0 and ``has_amount=False``).
    ``receipt[:, j]``: the person lives in a household where someone receives j.
    ``lines[name]``: per-person poverty line in welfare units.
    """

    household: np.ndarray
    weight: np.ndarray
    welfare: np.ndarray
    design: Design
    programmes: tuple[ProgrammeInfo, ...]
    amount_pc: np.ndarray
    receipt: np.ndarray
    groupings: dict[str, Grouping] = field(default_factory=dict)
    lines: dict[str, np.ndarray] = field(default_factory=dict)
    line_labels: dict[str, str] = field(default_factory=dict)
    warnings: tuple[Warning_, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    row_persons: np.ndarray | None = None  # persons each row stands for (household files: size); None = 1
    first_row: np.ndarray = field(init=False, repr=False)  # first person row of each household

    def __post_init__(self) -> None:
        n = np.asarray(self.weight).shape[0]
        amount = np.asarray(self.amount_pc, dtype=float).reshape(n, -1)
        receipt = np.asarray(self.receipt, dtype=bool).reshape(n, -1)
        checks = {"household": np.asarray(self.household), "welfare": np.asarray(self.welfare)}
        for name, arr in checks.items():
            if arr.shape != (n,):
                raise DataError(f"{name} must have one value per person row", expected=n, got=arr.shape)
        if self.design.n != n:
            raise DataError("the design has a different number of rows", expected=n, got=self.design.n)
        if amount.shape[1] != len(self.programmes) or receipt.shape[1] != len(self.programmes):
            raise DataError("one amount and one receipt column per programme are needed",
                            expected=len(self.programmes), got=(amount.shape[1], receipt.shape[1]))
        if not np.all(np.isfinite(amount)):
            raise DataError("programme amounts contain missing values",
                            got=f"{int((~np.isfinite(amount)).sum())} cells",
                            hint="missing amounts are set to 0 (and counted) when read from a survey")
        if not np.all(np.isfinite(self.welfare)):
            raise DataError("welfare contains missing values", got=int((~np.isfinite(self.welfare)).sum()))
        for name, g in self.groupings.items():
            if g.codes.shape != (n,):
                raise DataError(f"grouping {name!r} must have one code per person row", expected=n,
                                got=g.codes.shape)
        for name, z in self.lines.items():
            if np.shape(z) != (n,):
                raise DataError(f"poverty line {name!r} must have one value per person row", expected=n,
                                got=np.shape(z))
        _, first, hh = np.unique(np.asarray(self.household), return_index=True, return_inverse=True)
        object.__setattr__(self, "household", hh.astype(np.int64).reshape(n))
        object.__setattr__(self, "first_row", first.astype(np.int64))
        object.__setattr__(self, "weight", np.asarray(self.weight, dtype=float))
        persons = np.ones(n) if self.row_persons is None else np.asarray(self.row_persons, dtype=float)
        object.__setattr__(self, "row_persons", persons)
        object.__setattr__(self, "welfare", np.asarray(self.welfare, dtype=float))
        object.__setattr__(self, "amount_pc", amount)
        object.__setattr__(self, "receipt", receipt | (amount > 0))

    @property
    def n(self) -> int:
        return int(self.weight.shape[0])

    def programme_index(self, name: str) -> int:
        return [p.name for p in self.programmes].index(name)
