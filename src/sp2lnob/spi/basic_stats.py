"""Basic statistics of a country and reference year (GDP, populations, lines).

Read from a long table (``field, value, unit, source`` and optionally
``year``, ``growth_rate``, ``years_to_mid_year``) in CSV or Excel, or from
YAML (``gdp: {value: 900000, unit: LCU millions}``). Every money and
population figure must carry its unit; values are normalised to LCU and
persons. Source: ADB (2012), Revised SPI Handbook, ch. 3 (basic statistics
sheet); shared/spec/spi.md section 1.1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl

from sp2lnob.errors import DataError, InputError, Warning_, did_you_mean
from sp2lnob.spi._read import (
    EXCEL_SUFFIXES,
    normalise_header,
    parse_numbers,
    read_text_table,
    read_yaml_file,
)
from sp2lnob.spi.units import parse_unit

# field -> (kind of unit, label). kind "money": LCU; "count": persons; "plain": no magnitude.
FIELDS: dict[str, tuple[str, str]] = {
    "gdp": ("money", "GDP, current prices (LCU)"),
    "gdp_per_capita": ("money", "GDP per capita (LCU)"),
    "gni": ("money", "GNI (LCU)"),
    "population": ("count", "Population, mid-year"),
    "unemployed_underemployed": ("count", "Unemployed and underemployed"),
    "aged_60_plus": ("count", "Aged 60 and over"),
    "employed": ("count", "Employed"),
    "poor": ("count", "Poor (national poverty line)"),
    "disabled": ("count", "Disabled"),
    "children_0_14": ("count", "Children aged 0-14"),
    "poor_children_5_14": ("count", "Poor children aged 5-14 (2005)"),
    "poverty_line_per_capita": ("money", "Poverty line per capita per year (LCU)"),
    "household_size": ("count", "Average household size (persons)"),
    "exchange_rate": ("plain", "Exchange rate (LCU per USD)"),
}
TEXT_FIELDS = ("country", "reference_year", "fiscal_year_start_month", "currency")

REQUIRED = {
    "2012": ("gdp", "gdp_per_capita", "population", "unemployed_underemployed", "aged_60_plus",
             "employed", "poor", "disabled", "children_0_14"),
    "2005": ("gdp", "population", "unemployed_underemployed", "aged_60_plus", "poor", "disabled",
             "poor_children_5_14", "poverty_line_per_capita"),
}


def mid_year_population(p0: float, growth_rate: float, years: float) -> float:
    """p_n = p_0 x (1 + r)^n (ADB 2012, ch. 3): n is the gap in years to mid-year (e.g. 183/365)."""
    return p0 * (1.0 + growth_rate) ** years


def closest_fiscal_year(year: int, start_month: int) -> tuple[int, int]:
    """The fiscal year closest to calendar ``year``, as (first, last) calendar years it spans.

    A fiscal year starting in month m of year t covers 13 - m months of t;
    the one starting in t - 1 covers m - 1. The larger overlap wins and a tie
    (July-June) goes to FY(t-1)/t, as the handbook does: July-June countries
    use FY(t-1)/t, April-March countries FY t/(t+1) (ADB 2012, ch. 3).
    """
    if not 1 <= start_month <= 12:
        raise InputError("fiscal_year_start_month must be 1..12", got=start_month)
    if start_month == 1:
        return (year, year)
    if 13 - start_month > start_month - 1:
        return (year, year + 1)
    return (year - 1, year)


@dataclass(frozen=True)
class BasicStatistics:
    """Basic statistics of one country and year, in LCU and persons."""

    country: str
    year: int
    values: dict[str, float]
    units: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    fiscal_year_start_month: int = 1
    notes: tuple[str, ...] = ()
    warnings: tuple[Warning_, ...] = ()

    def get(self, name: str) -> float | None:
        return self.values.get(name)

    def require(self, names: tuple[str, ...] | list[str], purpose: str) -> None:
        missing = [n for n in names if self.values.get(n) is None]
        if missing:
            raise DataError(
                f"basic statistics lack {', '.join(missing)}",
                where=f"basic statistics of {self.country} {self.year}",
                expected=f"every field the {purpose} needs: {', '.join(names)}",
                got=", ".join(sorted(self.values)),
                hint="add the missing rows (field, value, unit, source)",
            )

    def with_values(self, **values: float) -> BasicStatistics:
        """A copy with some values replaced (in LCU / persons)."""
        return replace(self, values={**self.values, **values})

    def to_frame(self) -> pl.DataFrame:
        names = [n for n in FIELDS if n in self.values]
        return pl.DataFrame({
            "field": names,
            "label": [FIELDS[n][1] for n in names],
            "value": [float(self.values[n]) for n in names],
            "unit_given": [self.units.get(n, "") for n in names],
            "source": [self.sources.get(n, "") for n in names],
        })

    def summary(self) -> str:
        lines = [f"Basic statistics: {self.country}, {self.year} (values in LCU and persons)"]
        for row in self.to_frame().iter_rows(named=True):
            lines.append(f"  {row['label']:<42} {row['value']:>20,.2f}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _from_long(df: pl.DataFrame, where: str, year: int | None) -> BasicStatistics:
    if "field" not in df.columns or "value" not in df.columns:
        raise InputError("basic statistics need columns field, value, unit", where=where, got=", ".join(df.columns))
    df = df.with_columns(
        pl.col("field").str.strip_chars().str.to_lowercase().str.replace_all(r"[^0-9a-z]+", "_").str.strip_chars("_")
    )
    if "year" in df.columns and year is not None:
        df = parse_numbers(df, ["year"], where=where)
        df = df.filter(pl.col("year").is_null() | (pl.col("year") == year))
    for col in ("unit", "source", "growth_rate", "years_to_mid_year"):
        if col not in df.columns:
            df = df.with_columns(pl.lit(None, dtype=pl.String).alias(col))
    unnamed = df.filter(pl.col("field").is_null() | (pl.col("field") == "")).height
    if unnamed:
        raise DataError("a basic-statistics row has no field name", where=where,
                        expected="a field name on every row (gdp, population, ...)",
                        got=f"{unnamed} row(s) with an empty field",
                        hint="fill in the field name or delete the row; a line break inside a cell also splits a row")
    dup = df.filter(pl.col("field").is_duplicated())["field"].unique().to_list()
    if dup:
        raise DataError("a basic statistic is given twice", where=where, got=", ".join(sorted(dup)),
                        hint="keep one row per field (or add a `year` column)")
    known = set(FIELDS) | set(TEXT_FIELDS)
    unknown = [f for f in df["field"].to_list() if f not in known]
    if unknown:
        raise DataError(
            f"unknown basic statistic {unknown[0]!r}",
            where=where,
            expected=", ".join(list(FIELDS) + list(TEXT_FIELDS)),
            got=", ".join(unknown),
            hint=did_you_mean(unknown[0], known),
        )
    text = {r["field"]: (r["value"] or "").strip() for r in df.filter(pl.col("field").is_in(TEXT_FIELDS)).iter_rows(named=True)}
    nums = parse_numbers(df.filter(~pl.col("field").is_in(TEXT_FIELDS)), ["value", "growth_rate", "years_to_mid_year"],
                         where=where, id_col="field")
    values: dict[str, float] = {}
    units: dict[str, str] = {}
    sources: dict[str, str] = {}
    notes: list[str] = []
    # One row per statistic (a dozen rows): a loop over fields, not households.
    for row in nums.iter_rows(named=True):
        name, value = row["field"], row["value"]
        if value is None:
            continue
        kind = FIELDS[name][0]
        if value < 0:
            raise DataError(f"{name} is negative", where=where, expected=">= 0", got=value)
        scale = 1.0
        if kind != "plain":
            unit = parse_unit(row["unit"], kind=kind, where=f"{where}, field {name}")
            scale = unit.scale
        values[name] = value * scale
        units[name] = row["unit"] or ""
        sources[name] = row["source"] or ""
        if row["growth_rate"] is not None and row["years_to_mid_year"] is not None:
            if kind != "count":
                raise DataError(f"mid-year adjustment applies to populations, not {name}", where=where)
            adjusted = mid_year_population(values[name], row["growth_rate"], row["years_to_mid_year"])
            notes.append(f"{name} moved to mid-year: {values[name]:,.0f} x (1 + {row['growth_rate']:g})^"
                         f"{row['years_to_mid_year']:.4g} = {adjusted:,.0f}")
            values[name] = adjusted
    ref_year = text.get("reference_year") or (str(year) if year is not None else "")
    try:
        ref = int(float(re.sub(r"[,\s']", "", ref_year)))
    except ValueError:
        raise DataError("reference_year is not a year", where=where, got=ref_year) from None
    if year is not None and ref != year:
        raise DataError(
            f"the basic statistics are for {ref}, not {year}",
            where=where,
            expected=str(year),
            got=str(ref),
            hint="pass --year matching the file, or give a `year` column with one block per year",
        )
    fy = text.get("fiscal_year_start_month") or "1"
    try:
        fy_month = int(float(re.sub(r"[,\s']", "", fy)))
    except ValueError:
        raise DataError("fiscal_year_start_month is not a month number", where=where, got=fy) from None
    closest_fiscal_year(ref, fy_month)  # validates the month
    return BasicStatistics(
        country=text.get("country") or "(unnamed)", year=ref, values=values, units=units, sources=sources,
        fiscal_year_start_month=fy_month, notes=tuple(notes),
    )


def _yaml_to_long(data: Any, where: str) -> pl.DataFrame:
    if not isinstance(data, dict):
        raise InputError("basic statistics YAML must be a mapping of field: {value, unit}", where=where)
    rows = []
    for key, item in data.items():
        name = normalise_header(key)
        if isinstance(item, dict):
            extra = set(item) - {"value", "unit", "source", "growth_rate", "years_to_mid_year"}
            if extra:
                raise InputError(f"unknown key in {name}", where=where, got=", ".join(map(str, extra)),
                                 expected="value, unit, source, growth_rate, years_to_mid_year")
            rows.append({"field": name, **{k: None if v is None else str(v) for k, v in item.items()}})
        else:
            rows.append({"field": name, "value": None if item is None else str(item)})
    cols = ["field", "value", "unit", "source", "growth_rate", "years_to_mid_year"]
    return pl.DataFrame([{c: r.get(c) for c in cols} for r in rows], schema={c: pl.String for c in cols})


def read_basic_statistics(path: str | Path, year: int | None = None) -> BasicStatistics:
    """Read basic statistics from CSV, YAML or Excel (sheet "basic statistics")."""
    path = Path(path)
    where = path.name
    if path.suffix.lower() in {".yaml", ".yml"}:
        data = read_yaml_file(path)
        df = _yaml_to_long(data, where)
    else:
        sheet = "basic statistics" if path.suffix.lower() in EXCEL_SUFFIXES else None
        df = read_text_table(path, key_header="field", sheet=sheet)
    return _from_long(df, where, year)


def basic_statistics_from_dict(data: dict[str, Any], year: int | None = None) -> BasicStatistics:
    """Basic statistics from a mapping shaped like the YAML file."""
    return _from_long(_yaml_to_long(data, "basic statistics"), "basic statistics", year)
