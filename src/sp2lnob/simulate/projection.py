"""Projection of cost and beneficiaries over a horizon (spec §3).

For each year ``t`` (``n = t - survey year``):

- the survey is re-weighted, not re-sampled: person weights x ``P_g(t) / P_g(t0)`` for the
  person's age group ``g`` (a population projection by age group);
- nominal GDP ``GDP_t = GDP_0 ((1 + g)(1 + pi))^n`` (real growth g, inflation pi);
  GDP per capita = GDP_t / projected population;
- prices ``p_t = (1 + pi)^n``: welfare, poverty lines and programme amounts are scaled by
  ``p_t`` (living standards held at the survey year's real level);
- benefit indexation of flat amounts (and caps): none (x1), price (x p_t), wage
  (x ((1 + pi)(1 + wage growth))^n), gdp (x GDP per capita growth). Benefits set as a
  share of GDP per capita follow GDP per capita; shares of a poverty line follow prices.
- government revenue and expenditure keep their share of GDP.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

from sp2lnob.errors import InputError, SpecError
from sp2lnob.parameters import load as load_parameters
from sp2lnob.simulate.base import SimulationBase
from sp2lnob.simulate.scheme import Package, Scheme


@dataclass(frozen=True)
class PopulationProjection:
    """Population by age group and year. ``groups``: (name, min_age, max_age or None)."""

    groups: tuple[tuple[str, int, int | None], ...]
    population: dict[int, np.ndarray]   # year -> persons per group (same order as groups)
    source: str = ""

    def factor(self, year: int, base_year: int) -> np.ndarray:
        for y in (year, base_year):
            if y not in self.population:
                raise InputError(f"the population projection has no year {y}", where="population projection",
                                 expected=f"{min(self.population)}..{max(self.population)}", got=y)
        return self.population[year] / self.population[base_year]

    def group_of(self, age: np.ndarray) -> np.ndarray:
        lows = np.array([g[1] for g in self.groups], dtype=float)
        idx = np.searchsorted(lows, age, side="right") - 1
        return np.clip(idx, 0, len(self.groups) - 1)


def projection_from_mapping(payload: Any, source: str) -> PopulationProjection:
    """YAML format: ``groups`` [{name, min_age, max_age, rate?}], and either ``population``
    {year: {group: persons}} or ``base_year`` + ``population_<base_year>`` {group: persons} grown
    by each group's annual ``rate`` up to ``last_year`` (default 2040)."""
    try:
        groups = tuple((str(g["name"]), int(g["min_age"]), None if g.get("max_age") is None else int(g["max_age"]))
                       for g in payload["groups"])
        names = [g[0] for g in groups]
        if "population" in payload:
            table = {int(y): np.array([float(row[n]) for n in names]) for y, row in payload["population"].items()}
        else:
            y0 = int(payload["base_year"])
            last = int(payload.get("last_year", 2040))
            p0 = np.array([float(payload[f"population_{y0}"][n]) for n in names])
            rates = np.array([float(g.get("rate", 0.0)) for g in payload["groups"]])
            table = {y: np.round(p0 * (1.0 + rates) ** (y - y0)) for y in range(y0, last + 1)}
    except (KeyError, TypeError, ValueError) as exc:
        raise SpecError("population projection is not in the expected format", where=source,
                        got=f"{type(exc).__name__}: {exc}",
                        hint="see parameters/population_projection_asiatica.yaml or docs/simulator.md") from None
    return PopulationProjection(groups, table, str(payload.get("source", source)))


def load_projection(name_or_path: str | Path) -> PopulationProjection:
    """A projection by country name (embedded) or a YAML / CSV file (CSV columns: year, age_group,
    min_age, max_age, population; max_age empty = open-ended)."""
    path = Path(str(name_or_path))
    if path.suffix.lower() == ".csv":
        try:
            with path.open(newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
        except FileNotFoundError:
            raise InputError("population projection file not found", where=str(path)) from None
        groups: dict[str, dict] = {}
        pop: dict[int, dict[str, float]] = {}
        try:
            for r in rows:
                groups.setdefault(r["age_group"], {"name": r["age_group"], "min_age": r["min_age"],
                                                   "max_age": r["max_age"] or None})
                pop.setdefault(int(r["year"]), {})[r["age_group"]] = float(r["population"])
        except (KeyError, ValueError) as exc:
            raise SpecError("population projection CSV needs columns year, age_group, min_age, max_age, population",
                            where=str(path), got=str(exc)) from None
        ordered = sorted(groups.values(), key=lambda g: int(g["min_age"]))
        return projection_from_mapping({"groups": ordered, "population": pop, "source": str(path)}, str(path))
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            payload = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError("population projection file not found", where=str(path)) from None
        return projection_from_mapping(payload, str(path))
    key = str(name_or_path).strip().lower()
    try:
        payload = load_parameters(f"population_projection_{key}.yaml")
    except FileNotFoundError:
        raise InputError(f"no embedded population projection for {name_or_path!r}", where="population",
                         hint="pass a YAML or CSV projection (--population FILE)") from None
    return projection_from_mapping(payload, f"parameters/population_projection_{key}.yaml")


def _index(scheme: Scheme, price: float, wage: float, gdppc: float) -> float:
    return {"none": 1.0, "price": price, "wage": wage, "gdp": gdppc}[scheme.indexation]


def _scheme_in_year(scheme: Scheme, idx: float, price: float) -> Scheme:
    b = scheme.benefit
    updates: dict[str, Any] = {}
    if b.basis == "flat" and b.amount is not None and idx != 1.0:
        updates["benefit.amount"] = b.amount * idx
    if b.cap_per_household is not None and idx != 1.0:
        updates["benefit.cap_per_household"] = b.cap_per_household * idx
    if b.taper is not None and not isinstance(b.taper.threshold, str) and price != 1.0:
        updates["benefit.taper.threshold"] = b.taper.threshold * price
    return scheme.with_values(updates) if updates else scheme


@dataclass(frozen=True)
class ProjectionResult:
    """Cost and beneficiaries per year and scheme (tidy table), with the assumptions used."""

    table: pl.DataFrame
    assumptions: dict[str, Any]

    def to_frame(self) -> pl.DataFrame:
        return self.table

    def summary(self) -> str:
        t = self.table.filter(pl.col("scheme") == "package")
        lines = [f"Projection {t['year'].min()!s}-{t['year'].max()!s} (real GDP growth "
                 f"{self.assumptions['real_gdp_growth']:.1%}, inflation {self.assumptions['inflation']:.1%})",
                 f"{'year':<6}{'cost (m)':>14}{'% GDP':>8}{'persons in benef. hh':>22}"]
        for r in t.iter_rows(named=True):
            lines.append(f"{r['year']:<6}{r['cost_lcu'] / 1e6:>14,.1f}{r['cost_pct_gdp']:>8.2f}"
                         f"{r['beneficiaries']:>22,.0f}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        return {"assumptions": self.assumptions, "rows": self.table.to_dicts()}


def project(base: SimulationBase, package: Package, years: range | list[int], *,
            population: PopulationProjection | str | Path | None = None, real_gdp_growth: float | None = None,
            inflation: float | None = None, wage_growth_real: float | None = None,
            seed: int | None = None) -> ProjectionResult:
    """Cost (LCU, % GDP) and beneficiaries of ``package`` for each year in ``years``."""
    from sp2lnob.simulate.base import defaults
    from sp2lnob.simulate.engine import run

    m = base.macro
    if population is None:
        population = load_projection(m.country)
    elif not isinstance(population, PopulationProjection):
        population = load_projection(population)
    g = m.real_gdp_growth if real_gdp_growth is None else real_gdp_growth
    pi = m.inflation if inflation is None else inflation
    wg = m.wage_growth_real if wage_growth_real is None else wage_growth_real
    seed = int(defaults()["default_seed"] if seed is None else seed)
    if "age" not in base.frame.columns:
        raise InputError("projections re-weight by age group and need the age role", where="survey spec roles.age")
    t0 = m.year
    group = population.group_of(base.frame["age"].cast(pl.Float64).fill_null(0.0).to_numpy())
    total0 = float(population.population[t0].sum()) if t0 in population.population else None
    records = []
    for year in years:
        if year < t0:
            raise InputError("projection years must not precede the survey year", where="--years",
                             expected=f">= {t0}", got=year)
        n = year - t0
        f = population.factor(year, t0)
        pop_t = m.population * (float(population.population[year].sum()) / total0 if total0 else 1.0)
        price = (1.0 + pi) ** n
        gdp_t = m.gdp * ((1.0 + g) * (1.0 + pi)) ** n
        gdppc_t = gdp_t / pop_t
        macro_t = replace(m, year=year, population=pop_t, gdp=gdp_t, gdp_per_capita=gdppc_t,
                          government_revenue=None if m.government_revenue is None else m.government_revenue * gdp_t / m.gdp,
                          government_expenditure=None if m.government_expenditure is None
                          else m.government_expenditure * gdp_t / m.gdp)
        b_t = base.with_prices(price, macro_t).with_weights(base.weight * f[group])
        wage = ((1.0 + pi) * (1.0 + wg)) ** n
        schemes = tuple(_scheme_in_year(s, _index(s, price, wage, gdppc_t / m.gdp_per_capita), price)
                        for s in package.schemes)
        _, _, _, rows, _ = run(b_t, Package(schemes, package.replaces, package.name), seed, groups=False)
        vals = {(r[1], r[2], r[3]): r[7] for r in rows if r[6] in ("value", "post")}
        first_line = next(iter(base.lines), None)
        for name in (*package.names, "package"):
            records.append({
                "year": year, "scheme": name, "cost_lcu": vals[("cost_lcu", name, None)],
                "cost_pct_gdp": vals[("cost_pct_gdp", name, None)],
                "cost_pct_revenue": vals[("cost_pct_revenue", name, None)],
                "beneficiaries": vals[("beneficiaries", name, None)],
                "eligible_persons": vals.get(("eligible_persons", name, None), np.nan),
                "headcount_post": vals[("fgt0", None, first_line)] if first_line else np.nan,
                "gdp": gdp_t, "gdp_per_capita": gdppc_t, "population": pop_t, "price_index": price,
            })
    assumptions = {"base_year": t0, "real_gdp_growth": g, "inflation": pi, "wage_growth_real": wg, "seed": seed,
                   "population_source": population.source,
                   "indexation": {s.name: s.indexation for s in package.schemes}}
    return ProjectionResult(pl.DataFrame(records), assumptions)
