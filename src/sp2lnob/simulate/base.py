"""The prepared survey a simulation runs on (:class:`SimulationBase`).

Everything that does not change between scenarios is computed once here:
the person -> household index, household weights and sizes, pre-transfer
welfare and its weighted percentile and decile, poverty line values per
person, per-unit amounts of the survey's programmes, group codes for the
breakdowns, and the person frame (person + household variables) on which
eligibility expressions are evaluated. ``prepare(survey)`` builds it from a
:class:`~sp2lnob.survey.Survey`; ``SimulationBase.from_frame`` from a plain
table (tests, other sources).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import DataError, InputError, Warning_, did_you_mean
from sp2lnob.measures.quantiles import ntile
from sp2lnob.parameters import load as load_parameters
from sp2lnob.simulate.macro import Macro
from sp2lnob.survey.design import Design


def defaults() -> dict[str, Any]:
    """The simulator defaults (``parameters/schemes/_defaults.yaml``)."""
    return load_parameters("schemes/_defaults.yaml")


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


def weighted_percentile(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Mid-point weighted percentile rank (0..100) of each row; tied values share their rank.

    ``p_i = 100 (C(<x_i) + W(=x_i)/2) / W`` with ``C(<x)`` the weight strictly below ``x``.
    """
    uniq, inv = np.unique(x, return_inverse=True)
    block = np.bincount(inv, weights=w, minlength=uniq.size)
    below = np.cumsum(block) - block
    return 100.0 * (below + block / 2.0)[inv] / w.sum()


@dataclass(frozen=True, eq=False)
class SimulationBase:
    """A survey prepared for repeated simulation (immutable; arrays read-only).

    Person arrays have one value per person row; household arrays (``hh_*``)
    one per household, indexed by ``hh_index``.
    """

    frame: pl.DataFrame
    hh_index: np.ndarray
    weight: np.ndarray
    hh_weight: np.ndarray
    hh_size: np.ndarray
    hh_scale: np.ndarray
    welfare: np.ndarray
    lines: dict[str, np.ndarray]
    programmes: dict[str, np.ndarray]
    groups: dict[str, tuple[np.ndarray, tuple[str, ...]]]
    macro: Macro
    period: str = "yearly"
    currency: str = "LCU"
    survey_name: str = ""
    design: Design | None = None
    replaced: tuple[str, ...] = ()
    notes: tuple[Warning_, ...] = ()
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    # --- sizes -------------------------------------------------------------
    @property
    def n_persons(self) -> int:
        return int(self.weight.shape[0])

    @property
    def n_households(self) -> int:
        return int(self.hh_weight.shape[0])

    @property
    def population(self) -> float:
        return float(self.weight.sum())

    @property
    def hh_members(self) -> np.ndarray:
        """Person rows of each household."""
        if "hh_members" not in self.cache:
            self.cache["hh_members"] = _readonly(np.bincount(self.hh_index, minlength=self.n_households).astype(float))
        return self.cache["hh_members"]

    def hh_sum(self, values: np.ndarray) -> np.ndarray:
        """Household totals of a person array: ``np.bincount(hh_index, weights=values)``."""
        return np.bincount(self.hh_index, weights=values, minlength=self.n_households)

    def hh_mean(self, values: np.ndarray) -> np.ndarray:
        return self.hh_sum(values) / self.hh_members

    @property
    def hh_welfare(self) -> np.ndarray:
        """Pre-transfer welfare per unit of each household (household mean of its members)."""
        if "hh_welfare" not in self.cache:
            self.cache["hh_welfare"] = _readonly(self.hh_mean(self.welfare))
        return self.cache["hh_welfare"]

    @property
    def hh_person_weight(self) -> np.ndarray:
        """Sum of the person weights of each household (persons it stands for)."""
        if "hh_person_weight" not in self.cache:
            self.cache["hh_person_weight"] = _readonly(self.hh_sum(self.weight))
        return self.cache["hh_person_weight"]

    @property
    def members(self) -> tuple[np.ndarray, np.ndarray]:
        """(person rows ordered by household, first position of each household in that order)."""
        if "members" not in self.cache:
            by_hh = np.argsort(self.hh_index, kind="stable")
            counts = self.hh_members.astype(np.int64)
            self.cache["members"] = (by_hh, np.cumsum(counts) - counts)
        return self.cache["members"]

    @property
    def hh_first(self) -> np.ndarray:
        """The first person row of each household."""
        by_hh, starts = self.members
        return by_hh[starts]

    def is_household_level(self, values: np.ndarray) -> bool:
        """True when ``values`` are the same for every member of each household."""
        return bool(np.array_equal(values, values[self.hh_first][self.hh_index]))

    def person_order(self, hh_order: np.ndarray) -> np.ndarray:
        """Person rows in the order of ``hh_order`` (households), members kept together; O(n), no sort."""
        by_hh, starts = self.members
        counts = self.hh_members.astype(np.int64)[hh_order]
        block = np.cumsum(counts) - counts
        slots = np.repeat(starts[hh_order] - block, counts) + np.arange(int(counts.sum()))
        return by_hh[slots]

    @property
    def cells(self) -> tuple[np.ndarray, int, dict[str, np.ndarray]]:
        """Crossed group cells: (cell of each person, number of cells, group var -> group code of each cell).

        Group totals are then one ``bincount`` over cells per quantity, summed up to each
        grouping, instead of one ``bincount`` per quantity and grouping.
        """
        if "cells" not in self.cache:
            key = np.zeros(self.n_persons, dtype=np.int64)
            for codes, names in self.groups.values():
                key = key * len(names) + codes
            uniq, cell = np.unique(key, return_inverse=True)
            maps: dict[str, np.ndarray] = {}
            rest = uniq.copy()
            for by, (_, names) in reversed(list(self.groups.items())):
                maps[by] = rest % len(names)
                rest = rest // len(names)
            self.cache["cells"] = (cell.astype(np.int64), int(uniq.size), maps)
        return self.cache["cells"]

    def line(self, name: str, where: str = "line") -> np.ndarray:
        if name not in self.lines:
            names = list(self.lines)
            raise InputError(f"unknown poverty line {name!r}", where=where, expected=", ".join(names) or "(none)",
                             got=name, hint=did_you_mean(name, names))
        return self.lines[name]

    # --- construction -------------------------------------------------------
    @classmethod
    def from_frame(
        cls,
        df: pl.DataFrame,
        *,
        macro: Macro,
        lines: Mapping[str, float | str | np.ndarray],
        programmes: Mapping[str, str | np.ndarray] | None = None,
        receipts: Mapping[str, str | np.ndarray] | None = None,
        household: str = "hh_id",
        weight: str = "weight",
        welfare: str = "welfare",
        scale: str | None = None,
        labels: Mapping[str, Mapping[Any, str]] | None = None,
        period: str = "yearly",
        currency: str = "LCU",
        survey_name: str = "",
        design: Design | None = None,
    ) -> SimulationBase:
        """Prepare a person-level table.

        ``lines``: line name -> a number (same for everyone), or a column name or array of
        per-person values. ``programmes``: programme name -> column name or array of its household
        amount per unit (per capita). ``receipts``: programme name -> 0/1 column or array (household receives). ``scale``: column of the
        household's welfare divisor (adult equivalents); household size when ``None``.
        Optional columns used when present: ``age``, ``sex``, ``disability``, ``urban``, ``region``,
        ``is_head``, ``head_sex``, ``hh_size``.
        """
        for col in (household, weight, welfare):
            if col not in df.columns:
                raise DataError(f"column {col!r} is missing from the simulation frame", where="simulate.prepare",
                                expected=col, got=", ".join(df.columns[:20]), hint=did_you_mean(col, df.columns))
        if df.height == 0:
            raise DataError("the survey has no rows", where="simulate.prepare")
        ids = df[household].to_numpy()
        _, hh_index = np.unique(ids, return_inverse=True)
        hh_index = hh_index.astype(np.int64)
        n_hh = int(hh_index.max()) + 1
        w = df[weight].cast(pl.Float64).to_numpy()
        x = df[welfare].cast(pl.Float64).to_numpy()
        notes: list[Warning_] = []
        bad = ~np.isfinite(x) | ~np.isfinite(w)
        if bad.any():
            raise DataError("welfare or weights are missing for some persons", where="simulate.prepare",
                            got=f"{int(bad.sum())} of {len(x)} rows",
                            hint="the survey reader should have reported them; fix or drop them in the spec")
        members = np.bincount(hh_index, minlength=n_hh).astype(float)
        hh_size = members
        if "hh_size" in df.columns:
            declared = np.bincount(hh_index, weights=df["hh_size"].cast(pl.Float64).to_numpy(), minlength=n_hh) / members
            hh_size = declared
        hh_scale = hh_size if scale is None else (
            np.bincount(hh_index, weights=df[scale].cast(pl.Float64).to_numpy(), minlength=n_hh) / members)
        if np.any(hh_scale <= 0):
            raise DataError("household size / adult equivalents must be positive", where="simulate.prepare",
                            got=f"{int((hh_scale <= 0).sum())} households")
        hh_weight = np.bincount(hh_index, weights=w, minlength=n_hh) / members
        line_values = {}
        for name, value in lines.items():
            if isinstance(value, (int, float)):
                line_values[name] = _readonly(np.full(len(x), float(value)))
            else:
                line_values[name] = _readonly(_values(df, value, len(x), f"lines.{name}"))
        prog = {name: _readonly(np.nan_to_num(_values(df, col, len(x), f"programmes.{name}")))
                for name, col in (programmes or {}).items()}
        frame = _person_frame(df, hh_index, n_hh, hh_size, x, w, receipts or {})
        base = cls(
            frame=frame, hh_index=_readonly(hh_index), weight=_readonly(w), hh_weight=_readonly(hh_weight),
            hh_size=_readonly(hh_size), hh_scale=_readonly(hh_scale), welfare=_readonly(x),
            lines=line_values, programmes=prog, groups={}, macro=macro, period=period, currency=currency,
            survey_name=survey_name, design=design, notes=tuple(notes),
        )
        return replace(base, groups=_groups(frame, labels or {}))

    def without_programmes(self, names: tuple[str, ...] | list[str]) -> SimulationBase:
        """The base with the named programmes' amounts subtracted from welfare (a package that replaces them).

        Ranks (``welfare_percentile``, ``welfare_decile``) are recomputed on the new welfare.
        Welfare below zero after the subtraction is kept at zero and reported.
        """
        names = tuple(names)
        if not names:
            return self
        key = "without:" + "|".join(sorted(names))
        if key in self.cache:
            return self.cache[key]
        known = list(self.programmes)
        amount = np.zeros(self.n_persons)
        for name in names:
            if name not in self.programmes:
                raise InputError(f"cannot replace unknown programme {name!r}", where="package.replaces",
                                 expected=", ".join(known) or "(the survey spec lists no programmes)",
                                 got=name, hint=did_you_mean(name, known))
            amount = amount + self.programmes[name]
        x = self.welfare - amount
        notes = list(self.notes)
        neg = x < 0
        if neg.any():
            notes.append(Warning_("welfare below zero after removing replaced programmes was set to zero",
                                  count=int(neg.sum()), where="package.replaces"))
            x = np.maximum(x, 0.0)
        frame = self.frame.with_columns(
            pl.Series("welfare", x),
            pl.Series("welfare_percentile", weighted_percentile(x, self.weight)),
            pl.Series("welfare_decile", ntile(x, self.weight, 10)),
        )
        groups = dict(self.groups)
        groups["decile"] = (_readonly(frame["welfare_decile"].to_numpy() - 1), groups["decile"][1])
        out = replace(self, frame=frame, welfare=_readonly(x), groups=groups,
                      replaced=tuple(sorted(set(self.replaced) | set(names))), notes=tuple(notes), cache={})
        self.cache[key] = out
        return out

    def with_weights(self, weights: np.ndarray) -> SimulationBase:
        """The same base with other person weights (bootstrap replicates, projections)."""
        w = np.asarray(weights, dtype=float)
        if w.shape != self.weight.shape:
            raise DataError("weights must have one value per person", expected=self.weight.shape, got=w.shape)
        hh_w = np.bincount(self.hh_index, weights=w, minlength=self.n_households) / np.bincount(
            self.hh_index, minlength=self.n_households)
        return replace(self, weight=_readonly(w), hh_weight=_readonly(hh_w), cache={})

    def with_prices(self, factor: float, macro: Macro) -> SimulationBase:
        """Welfare, lines and programme amounts in another year's prices (projections)."""
        frame = self.frame.with_columns((pl.col("welfare") * factor).alias("welfare"))
        return replace(self, frame=frame, welfare=_readonly(self.welfare * factor),
                       lines={k: _readonly(v * factor) for k, v in self.lines.items()},
                       programmes={k: _readonly(v * factor) for k, v in self.programmes.items()},
                       macro=macro, cache={})


def _person_frame(df: pl.DataFrame, hh_index: np.ndarray, n_hh: int, hh_size: np.ndarray,
                  welfare: np.ndarray, weight: np.ndarray, receipts: Mapping[str, str | np.ndarray]) -> pl.DataFrame:
    """Person rows with the variables eligibility rules may use (see docs/simulator.md)."""
    d = defaults()
    cols = set(df.columns)
    extra: list[pl.Series] = [
        pl.Series("hh_size", hh_size[hh_index]),
        pl.Series("welfare", welfare),
        pl.Series("welfare_percentile", weighted_percentile(welfare, weight)),
        pl.Series("welfare_decile", ntile(welfare, weight, 10)),
    ]
    if "age" in cols:
        age = df["age"].cast(pl.Float64).fill_null(-1.0).to_numpy()
        child = (age >= 0) & (age <= d["child_max_age"])
        older = age >= d["older_min_age"]
        extra.append(pl.Series("hh_n_children", np.bincount(hh_index, weights=child, minlength=n_hh)[hh_index]))
        extra.append(pl.Series("hh_n_older", np.bincount(hh_index, weights=older, minlength=n_hh)[hh_index]))
    if "disability" in cols:
        dis = df["disability"].cast(pl.Float64).fill_null(0.0).to_numpy() >= d["disability_min_level"]
        extra.append(pl.Series("hh_n_disabled", np.bincount(hh_index, weights=dis, minlength=n_hh)[hh_index]))
    for name, col in receipts.items():
        flag = np.nan_to_num(_values(df, col, df.height, f"receipts.{name}")) > 0
        extra.append(pl.Series(f"receives_{name}", np.bincount(hh_index, weights=flag, minlength=n_hh)[hh_index] > 0))
    names = {s.name for s in extra}
    keep = [c for c in df.columns if c not in names]
    return df.select(keep).with_columns(extra)


def _values(df: pl.DataFrame, col: str | np.ndarray, n: int, where: str) -> np.ndarray:
    """A float column of ``df`` by name, or an array given directly (one value per row)."""
    if isinstance(col, str):
        if col not in df.columns:
            raise DataError(f"column {col!r} is missing", where=where, hint=did_you_mean(col, df.columns))
        return df[col].cast(pl.Float64).fill_null(np.nan).to_numpy()
    arr = np.asarray(col, dtype=float)
    if arr.shape != (n,):
        raise DataError("values must have one entry per person row", where=where, expected=n, got=arr.shape)
    return arr


def _codes(values: np.ndarray, labels: Mapping[Any, str] | None) -> tuple[np.ndarray, tuple[str, ...]]:
    uniq, inv = np.unique(values, return_inverse=True)
    names = []
    for u in uniq.tolist():
        key = int(u) if isinstance(u, float) and u.is_integer() else u
        names.append(str((labels or {}).get(key, (labels or {}).get(str(key), key))))
    return _readonly(inv.astype(np.int64)), tuple(names)


def _groups(frame: pl.DataFrame, labels: Mapping[str, Mapping[Any, str]]) -> dict[str, tuple[np.ndarray, tuple[str, ...]]]:
    """Group codes (0..k-1) and names for the breakdowns of the impact tables."""
    d = defaults()
    out: dict[str, tuple[np.ndarray, tuple[str, ...]]] = {}
    for role in ("urban", "region", "head_sex"):
        if role in frame.columns and frame[role].null_count() < frame.height:
            lab = labels.get(role) or (labels.get("sex") if role == "head_sex" else None)
            vals = frame[role].fill_null(-1).to_numpy()
            out[role] = _codes(vals, lab)
    if "hh_n_children" in frame.columns:
        kids = frame["hh_n_children"].to_numpy() > 0
        old = frame["hh_n_older"].to_numpy() > 0
        code = kids.astype(np.int64) + 2 * old.astype(np.int64)
        out["household_type"] = (_readonly(code), ("no children or older persons", "with children only",
                                                   "with older persons only", "with children and older persons"))
    if "age" in frame.columns:
        age = frame["age"].cast(pl.Float64).fill_null(-1.0).to_numpy()
        bounds = [g["min_age"] for g in d["age_groups"]]
        code = np.clip(np.searchsorted(np.asarray(bounds, float), age, side="right") - 1, 0, None)
        out["age_group"] = (_readonly(code.astype(np.int64)), tuple(g["name"] for g in d["age_groups"]))
    dec = frame["welfare_decile"].to_numpy() - 1
    out["decile"] = (_readonly(dec.astype(np.int64)), tuple(f"D{i}" for i in range(1, 11)))
    return out
