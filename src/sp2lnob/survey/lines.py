"""Poverty lines as per-person values in welfare units (LCU per ``output_period``).

absolute  value (or by-group values) x period_factor(line.period -> output_period)
ppp       int$ per day -> LCU: value x factor x cpi x 365 / periods per year
relative  share x weighted median (or mean) of welfare, person weights
quantile  the weighted p-th quantile of welfare, person weights
When welfare is equivalised, absolute lines are read per adult equivalent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from sp2lnob.errors import SpecError
from sp2lnob.survey.spec import AbsoluteLine, PPPLine, QuantileLine, RelativeLine
from sp2lnob.survey.welfare import period_factor, ppp_daily_to_lcu

if TYPE_CHECKING:
    from sp2lnob.survey.core import Survey


def line_values(survey: Survey, name: str) -> np.ndarray:
    """Per-row poverty line ``name`` in the units of ``survey.welfare``."""
    spec = survey.spec
    line = spec.line(name)
    n = survey.data.height
    out_period = spec.welfare.output_period
    if isinstance(line, AbsoluteLine):
        factor = period_factor(line.period, out_period)
        if line.by is None:
            return np.full(n, float(line.value) * factor)  # type: ignore[arg-type]
        return _by_values(survey, line) * factor
    if isinstance(line, PPPLine):
        if spec.ppp is None:
            raise SpecError(
                f"poverty line {name!r} is a PPP line but the spec has no `ppp:` section",
                where="ppp",
                expected="ppp: {cpi: ..., factor: ...}",
                hint="add the survey-year CPI (base = PPP year) and the PPP conversion factor",
            )
        return np.full(n, ppp_daily_to_lcu(line.value, out_period, spec.ppp.cpi, spec.ppp.factor))
    if isinstance(line, RelativeLine):
        base = _weighted_median(survey, line.rule) if line.of == "median" else _weighted_mean(survey)
        return np.full(n, line.share * base)
    assert isinstance(line, QuantileLine)
    return np.full(n, _weighted_quantile(survey, line.p, line.rule))


def _by_values(survey: Survey, line: AbsoluteLine) -> np.ndarray:
    assert line.by is not None
    column = survey.resolve(line.by.variable)
    codes = survey.data[column]
    mapping = line.by.values
    keys = list(mapping)
    if codes.dtype.is_numeric():
        try:
            keys_cast = [float(k) for k in keys]
        except (TypeError, ValueError):
            raise SpecError(
                f"poverty line {line.name!r}: codes in by.values do not match numeric column {column!r}",
                where=f"poverty_lines[{line.name}].by.values",
                got=", ".join(repr(k) for k in keys),
            ) from None
        lookup = pl.DataFrame({"code": keys_cast, "line": [float(mapping[k]) for k in keys]})
        left = codes.cast(pl.Float64).to_frame("code")
    else:
        lookup = pl.DataFrame({"code": [str(k) for k in keys], "line": [float(mapping[k]) for k in keys]})
        left = codes.cast(pl.String).to_frame("code")
    mapped = left.join(lookup, on="code", how="left", maintain_order="left")["line"]
    if line.value is not None:
        mapped = mapped.fill_null(float(line.value))
    unmapped = mapped.is_null()
    if unmapped.any():
        missing = codes.filter(unmapped).unique().sort(nulls_last=True).to_list()
        raise SpecError(
            f"poverty line {line.name!r} has no value for some {line.by.variable!r} codes",
            where=f"poverty_lines[{line.name}].by.values",
            expected=f"a line for every code of {column!r} (or a default `value`)",
            got=f"{int(unmapped.sum())} rows with codes {missing[:10]}",
            hint="add those codes under by.values, or give `value:` as the default",
        )
    return mapped.to_numpy().astype(float)


def _weighted_quantile(survey: Survey, p: float, rule: str) -> float:
    from sp2lnob.measures.quantiles import quantile

    return float(quantile(survey.welfare, survey.weights, p, rule=rule))


def _weighted_median(survey: Survey, rule: str) -> float:
    return _weighted_quantile(survey, 0.5, rule)


def _weighted_mean(survey: Survey) -> float:
    """Sum w y / sum w over all rows (person weights)."""
    w = survey.weights
    return float(np.sum(w * survey.welfare) / np.sum(w))
