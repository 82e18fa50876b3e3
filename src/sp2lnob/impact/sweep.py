"""Sweeps of a scheme parameter: how access of the furthest-behind group rises with the benefit level.

One scenario per value of one scheme parameter (``"benefit.share"`` when the
package has one scheme, else ``"<scheme>.<key path>"``), all with the same
seed (common random numbers), run one after another on the prepared base (each
scenario is a fraction of a second). The groups are the pre-identified ones
(rank 1 = furthest behind before any transfer), so each indicator gives one
curve: access of that group against the parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from sp2lnob.errors import InputError, did_you_mean
from sp2lnob.impact.prepare import ImpactBase
from sp2lnob.impact.run import impact


@dataclass(frozen=True, eq=False)
class ImpactSweep:
    """One row per parameter value × indicator: cost, poverty, national and furthest-behind access, D."""

    parameter: str
    values: tuple[Any, ...]
    table: pl.DataFrame
    mode: str
    seed: int
    line: str | None

    def to_frame(self) -> pl.DataFrame:
        return self.table

    def curve(self, indicator: str) -> pl.DataFrame:
        """(value, furthest_behind_post) for one indicator."""
        names = self.table["indicator"].unique().to_list()
        if indicator not in names:
            raise InputError(f"no indicator {indicator!r} in this sweep", expected=names, got=indicator,
                             hint=did_you_mean(indicator, names))
        return self.table.filter(pl.col("indicator") == indicator).select("value", "furthest_behind_post")

    def summary(self) -> str:
        out = [f"SP2LNOB sweep of {self.parameter} over {len(self.values)} values ({self.mode} mode, "
               f"seed {self.seed}): furthest-behind group's access"]
        for ind in self.table["indicator"].unique(maintain_order=True).to_list():
            t = self.table.filter(pl.col("indicator") == ind)
            first, last = t.row(0, named=True), t.row(t.height - 1, named=True)
            out.append(f"  {ind:<24}{first['furthest_behind_post']:.1%} at {first['value']} → "
                       f"{last['furthest_behind_post']:.1%} at {last['value']}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "values": list(self.values), "mode": self.mode, "seed": self.seed,
                "line": self.line, "rows": self.table.to_dicts()}


def with_parameter(package: Any, parameter: str, value: Any) -> Any:
    """A copy of ``package`` with one scheme's dotted key set to ``value``."""
    schemes = list(package.schemes)
    names = [s.name for s in schemes]
    head, _, rest = parameter.partition(".")
    if head in names and rest:
        target, key = names.index(head), rest
    elif len(schemes) == 1:
        target, key = 0, parameter
    else:
        raise InputError("name the scheme of the swept parameter", where="parameter", got=parameter,
                         expected=[f"{n}.benefit.share" for n in names])
    schemes[target] = schemes[target].with_values({key: value})
    return replace(package, schemes=tuple(schemes))


def sweep_impact(
    base: ImpactBase,
    package: Any,
    parameter: str,
    values: Sequence[Any],
    *,
    mode: str = "tree",
    indicators: Sequence[str] | None = None,
    seed: int | None = None,
    line: str | None = None,
) -> ImpactSweep:
    """Run :func:`~sp2lnob.impact.impact` for every value of ``parameter`` (module docstring)."""
    from sp2lnob.simulate.scheme import Package, Scheme, make_package

    if isinstance(package, Scheme):
        package = Package((package,))
    elif not isinstance(package, Package):
        package = make_package(list(package) if isinstance(package, (list, tuple)) else [package])
    if not len(values):
        raise InputError("no values to sweep", where="values")
    rows: list[dict[str, Any]] = []
    used_seed, used_line = 0, line
    for v in values:
        res = impact(base, with_parameter(package, parameter, v), mode=mode, indicators=indicators, seed=seed,
                     line=line)
        used_seed, used_line = res.simulation.seed, res.line
        frame = res.indicators_frame().drop("note")
        rows.extend({"value": v, "cost_pct_gdp": res.cost_pct_gdp, "poverty_pre": res.poverty_pre,
                     "poverty_post": res.poverty_post, **r} for r in frame.to_dicts())
    return ImpactSweep(parameter=parameter, values=tuple(values), table=pl.DataFrame(rows), mode=mode,
                       seed=used_seed, line=used_line)
