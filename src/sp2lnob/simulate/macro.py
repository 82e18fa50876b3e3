"""Macro data for costs and projections: GDP, population, government revenue/expenditure.

Loaded from dated, sourced YAML (``parameters/country_<name>.yaml`` or a user
file with the same keys). Costs as % of GDP use GDP per capita x the survey's
weighted population, so a survey whose weights do not sum exactly to the
national population still gives a consistent ratio (docs/simulator.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from sp2lnob.errors import InputError, SpecError
from sp2lnob.parameters import load as load_parameters

_REQUIRED = ("population", "gdp_per_capita")


@dataclass(frozen=True)
class Macro:
    """Country macro aggregates (yearly, local currency)."""

    country: str
    currency: str
    year: int
    population: float
    gdp_per_capita: float
    gdp: float
    government_revenue: float | None = None
    government_expenditure: float | None = None
    real_gdp_growth: float = 0.0
    inflation: float = 0.0
    wage_growth_real: float = 0.0
    source: str = ""

    @property
    def revenue_share_of_gdp(self) -> float | None:
        return None if self.government_revenue is None else self.government_revenue / self.gdp

    @property
    def expenditure_share_of_gdp(self) -> float | None:
        return None if self.government_expenditure is None else self.government_expenditure / self.gdp

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def macro_from_mapping(payload: Any, source: str) -> Macro:
    if not isinstance(payload, dict):
        raise SpecError("macro data must be a mapping of keys", where=source, got=type(payload).__name__)
    missing = [k for k in _REQUIRED if payload.get(k) is None]
    if missing:
        raise SpecError("macro data lack required keys", where=source, expected=", ".join(_REQUIRED),
                        got=", ".join(missing) + " missing",
                        hint="see src/sp2lnob/parameters/country_asiatica.yaml for the format")
    known = {"country", "currency", "year", "population", "gdp_per_capita", "gdp", "government_revenue",
             "government_expenditure", "real_gdp_growth", "inflation", "wage_growth_real", "source", "date"}
    unknown = sorted(set(payload) - known)
    if unknown:
        raise SpecError(f"unknown key {unknown[0]!r} in macro data", where=source,
                        expected=", ".join(sorted(known)), got=", ".join(unknown))
    try:
        pop = float(payload["population"])
        gdppc = float(payload["gdp_per_capita"])
        gdp = float(payload.get("gdp") or pop * gdppc)
        rev = payload.get("government_revenue")
        exp = payload.get("government_expenditure")
        return Macro(
            country=str(payload.get("country", "")), currency=str(payload.get("currency", "LCU")),
            year=int(payload.get("year", 0)), population=pop, gdp_per_capita=gdppc, gdp=gdp,
            government_revenue=None if rev is None else float(rev),
            government_expenditure=None if exp is None else float(exp),
            real_gdp_growth=float(payload.get("real_gdp_growth", 0.0)),
            inflation=float(payload.get("inflation", 0.0)),
            wage_growth_real=float(payload.get("wage_growth_real", 0.0)),
            source=str(payload.get("source", source)),
        )
    except (TypeError, ValueError) as exc:
        raise SpecError("macro data must be numbers", where=source, got=str(exc)) from None


def load_macro(name_or_path: str | Path) -> Macro:
    """Macro data by country name (``asiatica`` -> ``parameters/country_asiatica.yaml``) or a YAML file."""
    path = Path(str(name_or_path))
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            payload = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError("macro data file not found", where=str(path)) from None
        return macro_from_mapping(payload, str(path))
    key = str(name_or_path).strip().lower().replace(" ", "_")
    try:
        payload = load_parameters(f"country_{key}.yaml")
    except FileNotFoundError:
        raise InputError(f"no embedded macro data for {name_or_path!r}", where="macro",
                         hint="pass macro=Macro(...) or --macro FILE.yaml (keys as in country_asiatica.yaml)") from None
    return macro_from_mapping(payload, f"parameters/country_{key}.yaml")
