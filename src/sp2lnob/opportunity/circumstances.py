"""Built-in and user-declared circumstances as Polars columns on a person frame.

Built-ins (their default bands and labels live in ``parameters/lnob_tree.yaml``):

* ``wealth_b40`` — 1 for people in the bottom 40 % of the survey's weighted
  welfare distribution (welfare ≤ Q(0.4), ``sp2lnob.measures.quantile``, rule
  ``math``), 0 for the top 60 %; computed on the whole survey, before any
  indicator's population filter, as ESCAP does;
* ``urban``, ``region``, ``sex``, ``education``, ``head_education``, ``head_sex``
  — the survey's roles, with its value labels;
* ``age_band``, ``head_age_band``, ``hh_size_band`` — bands of age / size;
* ``disability`` — Washington Group cut-off: 1 when the severity code is ≥ 2
  ("a lot of difficulty" or worse);
* ``n_children_under_5`` / ``n_children`` — members aged < 5 / < 18 in the
  household, capped (0, 1, 2+ / 0, 1, 2, 3+).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from sp2lnob.errors import DataError
from sp2lnob.expressions import compile_expression
from sp2lnob.opportunity.spec import CircumstanceSpec
from sp2lnob.parameters import load


@dataclass(frozen=True)
class CircumstanceMeta:
    name: str
    label: str
    kind: str                       # ordered | unordered | continuous
    value_labels: dict[Any, str] = field(default_factory=dict)
    phrase: str | None = None


def column_of(name: str) -> str:
    """Frame column holding circumstance ``name`` (prefixed so it never hides a survey column)."""
    return f"c__{name}"


def band_labels(cuts: list[float], unit: str = "") -> dict[int, str]:
    """Labels of the bands cut at ``cuts``: "< c0", "c0–c1−1" (integer cuts), …, "≥ ck"."""
    def f(x: float) -> str:
        return f"{x:g}"
    integer = all(float(c).is_integer() for c in cuts)
    out = {0: f"under {f(cuts[0])}{unit}"}
    for i in range(len(cuts) - 1):
        a, b = cuts[i], cuts[i + 1]
        out[i + 1] = f"{f(a)}–{f(b - 1)}{unit}" if integer else f"{f(a)} to under {f(b)}{unit}"
    out[len(cuts)] = f"{f(cuts[-1])}+{unit}" if integer else f"{f(cuts[-1])} and over{unit}"
    return out


def band_expr(col: str, cuts: list[float]) -> pl.Expr:
    """Band code 0..len(cuts): the number of cut points ≤ the value (null stays null)."""
    expr = pl.lit(0, dtype=pl.Int64)
    for c in cuts:
        expr = expr + (pl.col(col) >= c).cast(pl.Int64)
    return pl.when(pl.col(col).is_null()).then(None).otherwise(expr)


def _defaults() -> dict[str, Any]:
    return load("lnob_tree.yaml")["circumstances"]


def roles_needed(specs: list[CircumstanceSpec]) -> set[str]:
    need = {"age"}
    table = {"urban": {"urban"}, "region": {"region"}, "sex": {"sex"}, "age_band": {"age"},
             "education": {"education"}, "head_education": {"head_education"}, "head_sex": {"head_sex"},
             "head_age_band": {"head_age"}, "disability": {"disability"}}
    for s in specs:
        if s.builtin:
            need |= table.get(s.builtin, set())
    return need


def build_circumstances(frame: pl.DataFrame, specs: list[CircumstanceSpec], survey_labels: dict[str, dict],
                        role_columns: dict[str, str]) -> tuple[pl.DataFrame, dict[str, CircumstanceMeta]]:
    """Add one column per circumstance (:func:`column_of` its name) to a person-level ``frame``."""
    defaults = _defaults()
    metas: dict[str, CircumstanceMeta] = {}
    exprs: list[pl.Expr] = []

    def labels_of_role(role: str) -> dict:
        col = role_columns.get(role, role)
        return dict(survey_labels.get(col, {}))

    for s in specs:
        d = defaults.get(s.builtin, {}) if s.builtin else {}
        label = s.label or d.get("label") or s.name
        labels: dict[Any, str] = {}
        if s.builtin == "wealth_b40":
            from sp2lnob.measures import quantile

            ok = frame["welfare"].is_not_null().to_numpy()
            if not ok.any():
                raise DataError("no welfare values to rank", where=f"circumstance {s.name} (wealth_b40)")
            q = float(quantile(frame["welfare"].to_numpy()[ok], frame["weight"].to_numpy()[ok],
                               float(d["share"]), rule="math"))
            expr = pl.when(pl.col("welfare").is_null()).then(None).otherwise((pl.col("welfare") <= q).cast(pl.Int64))
            kind = "unordered"
        elif s.builtin in ("urban",):
            expr, kind = pl.col("urban").cast(pl.Int64), "unordered"
        elif s.builtin in ("region", "sex", "head_sex"):
            expr, kind = pl.col(s.builtin), "unordered"
            labels = labels_of_role("sex" if s.builtin == "head_sex" else s.builtin)
        elif s.builtin in ("education", "head_education"):
            expr, kind = pl.col(s.builtin), "ordered"
            labels = labels_of_role("education")
        elif s.builtin in ("age_band", "head_age_band", "hh_size_band"):
            source = {"age_band": "age", "head_age_band": "head_age", "hh_size_band": "hh_size"}[s.builtin]
            cuts = list(s.bands or d["bands"])
            expr, kind = band_expr(source, cuts), "ordered"
            labels = band_labels(cuts, d.get("unit", ""))
        elif s.builtin == "disability":
            expr = pl.when(pl.col("disability").is_null()).then(None).otherwise(
                (pl.col("disability") >= d["threshold"]).cast(pl.Int64))
            kind = "unordered"
        elif s.builtin in ("n_children_under_5", "n_children"):
            cap = int(d["cap"])
            counted = (pl.col("age") < d["age_below"]).cast(pl.Int64).sum().over("hh_id")
            expr, kind = pl.min_horizontal(counted, pl.lit(cap)), "ordered"
        else:
            expr = compile_expression(s.from_ or "", frame.columns, where=f"circumstance {s.name}.from")
            kind = s.type or "unordered"
            if s.from_ in frame.columns:
                labels = labels_of_role(s.from_)
            if s.bands:
                frame = frame.with_columns(expr.alias(f"__{s.name}_src"))
                expr = band_expr(f"__{s.name}_src", list(s.bands))
                kind = "ordered"
                labels = band_labels(list(s.bands))
        labels = {**{k: str(v) for k, v in (d.get("labels") or {}).items()}, **labels,
                  **{k: str(v) for k, v in (s.labels or {}).items()}}
        if s.type is not None:
            kind = s.type
        exprs.append(expr.alias(column_of(s.name)))
        metas[s.name] = CircumstanceMeta(name=s.name, label=label, kind=kind, value_labels=labels, phrase=s.phrase)
    return frame.with_columns(exprs), metas


def numeric_labels(labels: dict[Any, str]) -> dict[Any, str]:
    """Value labels keyed both by the original key and, for numeric strings, by the number."""
    out = dict(labels)
    for k, v in labels.items():
        if isinstance(k, str):
            try:
                out[int(k)] = v
            except ValueError:
                try:
                    out[float(k)] = v
                except ValueError:
                    pass
        elif isinstance(k, (int, np.integer)):
            out[str(k)] = v
    return out
