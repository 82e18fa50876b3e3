"""Headline poverty and inequality figures of a survey, with design-based SEs.

One tidy table used by ``sp2lnob describe``, the app's Overview page and the
reports, so every surface shows the same numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from sp2lnob.survey import Survey

# (measure, label, params): what a headline shows. FGT rows are added per line.
INEQUALITY = (
    ("mean", "Mean welfare", {}),
    ("median", "Median welfare", {}),
    ("gini", "Gini", {}),
    ("theil", "Theil T (GE(1))", {}),
    ("atkinson", "Atkinson (ε = 1)", {"epsilon": 1.0}),
    ("palma", "Palma ratio", {}),
    ("s80_s20", "S80/S20", {}),
)
POVERTY = (
    ("fgt", "Headcount (FGT0)", {"alpha": 0.0}),
    ("fgt", "Poverty gap (FGT1)", {"alpha": 1.0}),
    ("fgt", "Severity (FGT2)", {"alpha": 2.0}),
)


def headline(
    survey: Survey,
    *,
    method: str = "linearization",
    lines: list[str] | None = None,
    replicates: int = 200,
    seed: int | None = None,
) -> pl.DataFrame:
    """Poverty at every configured line and inequality of welfare, each with SE and 95 % CI."""
    rows: list[dict] = []
    extra = {"replicates": replicates, "seed": seed} if method == "bootstrap" else {}
    for line in lines if lines is not None else list(survey.lines):
        for measure, label, params in POVERTY:
            est = survey.estimate(measure, line=line, method=method, **params, **extra)
            rows.append(_row(est, label, line))
    for measure, label, params in INEQUALITY:
        est = survey.estimate(measure, method=method, **params, **extra)
        rows.append(_row(est, label, None))
    return pl.DataFrame(rows, schema=_SCHEMA, orient="row")


_SCHEMA = {
    "label": pl.String,
    "measure": pl.String,
    "line": pl.String,
    "estimate": pl.Float64,
    "se": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "n": pl.Int64,
    "weighted_n": pl.Float64,
    "method": pl.String,
}


def _row(est, label: str, line: str | None) -> dict:
    return {
        "label": label,
        "measure": est.measure,
        "line": line,
        "estimate": float(est.estimate),
        "se": None if est.se is None else float(est.se),
        "ci_low": None if est.ci_low is None else float(est.ci_low),
        "ci_high": None if est.ci_high is None else float(est.ci_high),
        "n": int(est.n),
        "weighted_n": float(est.weighted_n),
        "method": est.method,
    }
