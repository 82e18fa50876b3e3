"""Headline poverty and inequality figures of a survey, with design-based SEs.

One tidy table used by ``sp2lnob describe``, the app's Overview page and the
reports, so every surface shows the same numbers.

Poverty: FGT(0, 1, 2) at every line of the spec. A line set at a share of the
median is re-estimated with the median (estimator ``fgt_relative``), so its
SE includes the line's own sampling error; other estimated lines (a share of
the mean, a quantile) are held fixed and the row's note says so. A measure
that cannot be computed (e.g. Theil with zero welfare) gives a row with no
value and the reason in its note, instead of stopping the whole table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from sp2lnob.errors import Sp2lnobError

if TYPE_CHECKING:
    from sp2lnob.survey import Survey

FGT_ALPHAS = (0, 1, 2)
FGT_LABELS = {0: "Headcount (FGT0)", 1: "Poverty gap (FGT1)", 2: "Severity (FGT2)"}
# (name, label, estimator, params)
INEQUALITY: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("mean", "Mean welfare", "mean", {}),
    ("median", "Median welfare", "median", {}),
    ("gini", "Gini", "gini", {}),
    ("theil", "Theil T (GE(1))", "theil", {}),
    ("atkinson", "Atkinson (ε = 1)", "atkinson", {"epsilon": 1.0}),
    ("palma", "Palma ratio", "palma", {}),
    ("s80_s20", "S80/S20", "s80_s20", {}),
)

SCHEMA = {
    "section": pl.String,
    "name": pl.String,
    "label": pl.String,
    "line": pl.String,
    "estimate": pl.Float64,
    "se": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "n": pl.Int64,
    "weighted_n": pl.Float64,
    "method": pl.String,
    "note": pl.String,
}


def headline(
    survey: Survey,
    *,
    method: str = "linearization",
    lines: list[str] | None = None,
    inequality: tuple[str, ...] | None = None,
    replicates: int = 200,
    seed: int | None = None,
    level: float = 0.95,
) -> pl.DataFrame:
    """Poverty at every configured line and inequality of welfare, each with SE and CI.

    ``inequality`` restricts the inequality rows to those names (default: all of
    :data:`INEQUALITY`). Bootstrap runs record ``seed`` and ``replicates``.
    """
    options: dict[str, Any] = {"method": method, "level": level}
    if method == "bootstrap":
        options.update(replicates=replicates, seed=seed)
    rows: list[dict[str, Any]] = []
    for line in lines if lines is not None else list(survey.lines):
        for alpha in FGT_ALPHAS:
            rows.append(_poverty_row(survey, line, alpha, options))
    for name, label, estimator, params in INEQUALITY:
        if inequality is None or name in inequality:
            rows.append(_row(survey, "inequality", name, label, None, estimator, options, params))
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def _poverty_row(survey: Survey, line_name: str, alpha: int, options: dict[str, Any]) -> dict[str, Any]:
    from sp2lnob.survey.spec import QuantileLine, RelativeLine

    line = survey.spec.line(line_name)
    name, label = f"fgt{alpha}", FGT_LABELS[alpha]
    if isinstance(line, RelativeLine) and line.of == "median":
        params = {"share": line.share, "alpha": float(alpha), "rule": line.rule}
        return _row(survey, "poverty", name, label, line_name, "fgt_relative", options, params, pass_line=False)
    row = _row(survey, "poverty", name, label, line_name, "fgt", options, {"alpha": float(alpha)})
    if row["note"] is None and isinstance(line, (RelativeLine, QuantileLine)):
        row["note"] = "line held fixed: SE ignores its sampling error"
    return row


def _row(
    survey: Survey,
    section: str,
    name: str,
    label: str,
    line: str | None,
    estimator: str,
    options: dict[str, Any],
    params: dict[str, Any],
    *,
    pass_line: bool = True,
) -> dict[str, Any]:
    base = {"section": section, "name": name, "label": label, "line": line, "method": options["method"]}
    call = dict(params)
    if line is not None and pass_line:
        call["line"] = line
    try:
        est = survey.estimate(estimator, **options, **call)
    except Sp2lnobError as err:
        return {**base, "estimate": None, "se": None, "ci_low": None, "ci_high": None, "n": None,
                "weighted_n": None, "note": err.what}
    return {
        **base,
        "estimate": _float(est.estimate),
        "se": _float(est.se),
        "ci_low": _float(est.ci_low),
        "ci_high": _float(est.ci_high),
        "n": int(est.n),
        "weighted_n": float(est.weighted_n),
        "note": None,
    }


def _float(x: Any) -> float | None:
    return None if x is None else float(x)
