"""The programme register: one row per programme, expenditure and beneficiaries by year.

Columns (headers matched by name, case and spacing ignored): ``name``,
``category`` (2012 detailed code), ``exp_unit`` and ``ben_unit`` (explicit
magnitudes), ``exp_<year>`` / ``ben_<year>`` (``exp_2009``, or fiscal years
``exp_2008/09``), ``poor_share`` (the register's PTR: share of spending or
beneficiaries reaching the poor, 0-1), ``female_share`` (STR, 0-1); optional
``id``, ``agency``, ``category_2005``, ``target_groups`` (2005 SPCOV
allocation, e.g. ``ELD:0.6;DIS:0.4``), ``overlap`` (2005 PTR overlap), and any
descriptive columns of the handbooks' programme checklist, kept as text.
Source: ADB (2012), Revised SPI Handbook, ch. 2-3; shared/spec/spi.md section 1.2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from sp2lnob.errors import DataError, ErrorDetail, InputError, Warning_, did_you_mean
from sp2lnob.parameters import load
from sp2lnob.spi._read import (
    EXCEL_SUFFIXES,
    normalise_header,
    parse_numbers,
    read_text_table,
    read_yaml_file,
)
from sp2lnob.spi.basic_stats import closest_fiscal_year
from sp2lnob.spi.units import parse_unit

ALIASES = {
    "program": "name", "programme": "name", "programme_name": "name", "program_name": "name",
    "detailed_category": "category", "category_2012": "category", "ptr": "poor_share",
    "str": "female_share", "women_share": "female_share", "share_women": "female_share",
    "expenditure_unit": "exp_unit", "beneficiaries_unit": "ben_unit", "beneficiary_unit": "ben_unit",
    "implementing_agency": "agency",
}
_PERIOD = re.compile(r"^(exp|ben|expenditure|beneficiaries)_(?:fy_?)?(\d{4})(?:[_/-](\d{2}|\d{4}))?$")
SHARE_COLUMNS = ("poor_share", "female_share", "overlap")


def categories_2012() -> dict[str, str]:
    """Detailed 2012 code -> broad category (parameters/spi_categories.yaml)."""
    cats = load("spi_categories.yaml")["revised_2012"]["categories"]
    return {code: spec["broad"] for code, spec in cats.items()}


def _period_of(col: str) -> tuple[str, int, int] | None:
    m = _PERIOD.match(col)
    if not m:
        return None
    measure = "expenditure" if m.group(1).startswith("exp") else "beneficiaries"
    first = int(m.group(2))
    last = first
    if m.group(3):
        tail = m.group(3)
        last = int(tail) if len(tail) == 4 else (first // 100) * 100 + int(tail)
        if last < first:
            last += 100
        if last - first != 1:
            raise InputError(f"column {col!r} is not a one-year fiscal period", got=col,
                             expected="e.g. exp_2008/09 or exp_2009")
    return measure, first, last


@dataclass(frozen=True)
class Register:
    """A validated programme register (money in LCU, beneficiaries in persons).

    ``programmes`` has one row per programme; ``amounts`` is long:
    ``id, measure, first_year, last_year, value``.
    """

    programmes: pl.DataFrame
    amounts: pl.DataFrame
    source: str = ""

    @property
    def n_programmes(self) -> int:
        return self.programmes.height

    def periods(self) -> list[tuple[int, int]]:
        return sorted({(int(a), int(b)) for a, b in self.amounts.select("first_year", "last_year").unique().iter_rows()})

    def period_for(self, year: int, fiscal_year_start_month: int = 1) -> tuple[tuple[int, int], list[Warning_]]:
        """The register period (first, last calendar year) used for ``year``, and warnings."""
        target = closest_fiscal_year(year, fiscal_year_start_month)
        periods = self.periods()
        warnings: list[Warning_] = []
        if target in periods:
            return target, warnings
        if (year, year) in periods:
            warnings.append(Warning_(
                f"fiscal year starts in month {fiscal_year_start_month}: columns labelled {year} were read as "
                f"FY{target[0]}/{str(target[1])[-2:]}, the fiscal year closest to {year}",
                hint="label fiscal-year columns explicitly, e.g. exp_2008/09",
            ))
            return (year, year), warnings
        raise DataError(
            f"the register has no figures for {year}",
            where=self.source or "register",
            expected=f"columns exp_{_label(target)} and ben_{_label(target)}",
            got=", ".join(_label(p) for p in periods) or "(no year columns)",
        )

    def for_year(self, year: int, fiscal_year_start_month: int = 1) -> tuple[pl.DataFrame, str, tuple[Warning_, ...]]:
        """Programmes with ``expenditure`` and ``beneficiaries`` of the period closest to ``year``.

        Returns the frame, the period label and warnings (missing figures,
        single-year labels read as the closest fiscal year).
        """
        chosen, warnings = self.period_for(year, fiscal_year_start_month)
        label = _label(chosen)
        sel = self.amounts.filter((pl.col("first_year") == chosen[0]) & (pl.col("last_year") == chosen[1]))
        wide = sel.pivot(on="measure", index="id", values="value", aggregate_function="first")
        for measure in ("expenditure", "beneficiaries"):
            if measure not in wide.columns:
                wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(measure))
        frame = self.programmes.join(wide.select("id", "expenditure", "beneficiaries"), on="id", how="left")
        for measure, counted in (("expenditure", "no spending"), ("beneficiaries", "no beneficiaries")):
            missing = frame.filter(pl.col(measure).is_null())
            if missing.height:
                warnings.append(Warning_(
                    f"{missing.height} programme(s) have no {measure} for {label}: counted as {counted}",
                    count=missing.height, where=f"{measure}_{label}",
                    extra={"programmes": missing["name"].to_list()},
                ))
        frame = frame.with_columns(pl.col("expenditure").fill_null(0.0), pl.col("beneficiaries").fill_null(0.0))
        return frame, label, tuple(warnings)

    def to_frame(self) -> pl.DataFrame:
        """Wide register (``exp_<period>``, ``ben_<period>``) in LCU and persons; reads back unchanged."""
        wide = self.amounts.with_columns(
            (pl.col("measure").str.slice(0, 3) + "_" + pl.col("first_year").cast(pl.String)
             + pl.when(pl.col("last_year") != pl.col("first_year"))
             .then("/" + pl.col("last_year").cast(pl.String).str.slice(2, 2)).otherwise(pl.lit(""))).alias("col")
        ).pivot(on="col", index="id", values="value", aggregate_function="first")
        # Values are normalised, so the units say so: the frame reads back as the same register.
        programmes = self.programmes.with_columns(pl.lit("LCU").alias("exp_unit"), pl.lit("persons").alias("ben_unit"))
        return programmes.join(wide, on="id", how="left")

    def summary(self) -> str:
        counts = self.programmes.group_by("broad").len().sort("broad")
        parts = ", ".join(f"{b or 'excluded'} {n}" for b, n in counts.iter_rows())
        years = ", ".join(_label(p) for p in self.periods())
        return f"Programme register: {self.n_programmes} programmes ({parts}); periods {years}"

    def __str__(self) -> str:
        return self.summary()


def _label(period: tuple[int, int]) -> str:
    a, b = period
    return str(a) if a == b else f"{a}/{str(b)[-2:]}"


def _rename(df: pl.DataFrame) -> pl.DataFrame:
    mapping = {c: ALIASES.get(c, c) for c in df.columns}
    for long_name in ("expenditure", "beneficiaries"):
        for c in df.columns:
            if c.startswith(long_name + "_") and _PERIOD.match(c):
                mapping[c] = ("exp" if long_name == "expenditure" else "ben") + c[len(long_name):]
    return df.rename(mapping)


def register_from_frame(df: pl.DataFrame, where: str = "register") -> Register:
    """Validate and normalise an all-text (or numeric) register frame."""
    df = _rename(df.rename({c: normalise_header(c) for c in df.columns}))
    df = df.with_columns([pl.col(c).cast(pl.String) for c in df.columns])
    for required in ("name", "category"):
        if required not in df.columns:
            raise InputError(f"the register has no column {required!r}", where=where,
                             got=", ".join(df.columns), hint=did_you_mean(required, df.columns))
    if df.height == 0:
        raise DataError("the register lists no programmes", where=where, expected="one row per programme",
                        got="a header and no rows",
                        hint="fill in one row per programme (blank rows are ignored)")
    if "id" not in df.columns:
        df = df.with_row_index("id", offset=1).with_columns(pl.col("id").cast(pl.String))
    df = df.with_columns(pl.col(c).str.strip_chars() for c in ("id", "name", "category"))
    _check_ids(df, where)
    periods: dict[str, tuple[str, int, int]] = {}
    for c in df.columns:  # a few dozen column names
        period = _period_of(c)
        if period is not None:
            periods[c] = period
    if not any(p[0] == "expenditure" for p in periods.values()):
        raise InputError("the register has no expenditure column", where=where,
                         expected="columns like exp_2009 (or exp_2008/09)", got=", ".join(df.columns))
    shares = [c for c in SHARE_COLUMNS if c in df.columns]
    df = parse_numbers(df, list(periods) + shares, where=where, id_col="id")
    df = _categorise(df, where)
    _check_shares(df, shares, where)
    amounts = _amounts(df, periods, where)
    for col in ("agency", "poor_share", "female_share", "category_2005", "target_groups", "overlap"):
        if col not in df.columns:
            dtype = pl.Float64 if col in SHARE_COLUMNS else pl.String
            df = df.with_columns(pl.lit(None, dtype=dtype).alias(col))
    front = ["id", "name", "agency", "category", "broad", "category_2005", "poor_share", "female_share",
             "target_groups", "overlap"]
    rest = [c for c in df.columns if c not in front and c not in periods]
    return Register(programmes=df.select(front + rest), amounts=amounts, source=where)


def _check_ids(df: pl.DataFrame, where: str) -> None:
    blank = df.filter(pl.col("name").is_null() | (pl.col("name") == ""))
    if blank.height:
        raise DataError("a programme has no name", where=f"{where}, ids {blank['id'].to_list()}")
    dup = df.filter(pl.col("id").is_duplicated())["id"].unique().to_list()
    if dup:
        raise DataError("programme ids are duplicated", where=where, got=", ".join(map(str, dup)))


def _categorise(df: pl.DataFrame, where: str) -> pl.DataFrame:
    cats = load("spi_categories.yaml")
    broad = categories_2012()
    aliases = cats["original_2005"]["aliases"]
    excluded = set(cats["original_2005"]["excluded_from_revised"])
    df = df.with_columns(pl.col("category").str.to_uppercase().replace(aliases))
    blank = df.filter(pl.col("category").is_null() | (pl.col("category") == ""))
    if blank.height:
        raise DataError(
            "programme(s) in no broad category",
            where=f"{where}, programmes {blank['name'].to_list()}",
            expected=f"a detailed category: {', '.join(broad)}",
            got="(blank)",
            hint="every programme must land in exactly one broad category (SI, SA or LMP), or the "
                 "disaggregations stop adding up",
        )
    known = set(broad) | excluded
    bad = df.filter(~pl.col("category").is_in(sorted(known)))
    if bad.height:
        details = [ErrorDetail(f"{r['name']}: {r['category']!r}", where=f"id {r['id']}",
                               hint=did_you_mean(r["category"], known)) for r in bad.head(20).iter_rows(named=True)]
        first = bad.row(0, named=True)
        raise DataError(
            f"unknown programme category {first['category']!r}",
            where=f"{where}, programme {first['name']!r} (id {first['id']})",
            expected=", ".join(list(broad) + sorted(excluded)),
            got=", ".join(sorted(set(bad["category"].to_list()))),
            hint=did_you_mean(first["category"], known),
            details=details,
        )
    return df.with_columns(pl.col("category").replace_strict(broad, default=None, return_dtype=pl.String).alias("broad"))


def _check_shares(df: pl.DataFrame, shares: list[str], where: str) -> None:
    for c in shares:
        bad = df.filter((pl.col(c) < 0) | (pl.col(c) > 1))
        if bad.height:
            raise DataError(
                f"{c} outside 0-1",
                where=f"{where}, programmes {bad['name'].to_list()[:10]}",
                expected="a share between 0 and 1 (or a percentage written with %)",
                got=bad[c].to_list()[:10],
                hint="shares above 1 are usually percentages typed without %: divide by 100",
            )


def _amounts(df: pl.DataFrame, periods: dict[str, tuple[str, int, int]], where: str) -> pl.DataFrame:
    frames = []
    for measure, unit_col, kind in (("expenditure", "exp_unit", "money"), ("beneficiaries", "ben_unit", "count")):
        cols = [c for c, p in periods.items() if p[0] == measure]
        if not cols:
            continue
        has_value = pl.any_horizontal([pl.col(c).is_not_null() for c in cols])
        if unit_col not in df.columns:
            raise InputError(
                f"the register has no {unit_col} column", where=where,
                expected=f"a column {unit_col} giving the magnitude of {measure}, e.g. "
                         + ("'LCU millions'" if kind == "money" else "'thousands' or 'persons'"),
                hint="magnitudes must be explicit on every money and population column",
            )
        units = df.filter(has_value)[unit_col].fill_null("").unique().to_list()
        # A handful of distinct unit strings: parse each once and map.
        scale = {u: parse_unit(u, kind=kind, where=f"{where}, column {unit_col}").scale for u in units}
        long = df.select(["id", "name", unit_col] + cols).unpivot(index=["id", "name", unit_col], on=cols)
        long = long.with_columns(
            (pl.col("value") * pl.col(unit_col).fill_null("").replace_strict(scale, default=None, return_dtype=pl.Float64)).alias("value"),
            pl.col("variable").replace_strict({c: periods[c][1] for c in cols}, return_dtype=pl.Int64).alias("first_year"),
            pl.col("variable").replace_strict({c: periods[c][2] for c in cols}, return_dtype=pl.Int64).alias("last_year"),
            pl.lit(measure).alias("measure"),
        )
        neg = long.filter(pl.col("value") < 0)
        if neg.height:
            word = "spending" if measure == "expenditure" else "beneficiaries"
            raise DataError(
                f"negative {word}",
                where=f"{where}, programmes {neg['name'].unique(maintain_order=True).to_list()[:10]}, "
                      f"columns {neg['variable'].unique(maintain_order=True).to_list()}",
                expected=">= 0",
                got=neg["value"].to_list()[:10],
                hint="refunds or arrears belong in notes; enter gross spending on benefits",
            )
        frames.append(long.select("id", "measure", "first_year", "last_year", "value"))
    return pl.concat(frames)


def _yaml_register(data: Any, where: str) -> pl.DataFrame:
    items = data.get("programmes") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError("register YAML must be a list of programmes (or {programmes: [...]})", where=where)
    rows: list[dict[str, str | None]] = []
    for item in items:
        if not isinstance(item, dict):
            raise InputError("each programme must be a mapping", where=where, got=item)
        row: dict[str, str | None] = {}
        for key, value in item.items():
            if key in ("expenditure", "beneficiaries") and isinstance(value, dict):
                prefix = "exp" if key == "expenditure" else "ben"
                for year, amount in value.items():
                    col = f"{prefix}_unit" if year == "unit" else f"{prefix}_{year}"
                    row[normalise_header(col)] = None if amount is None else str(amount)
            else:
                row[normalise_header(key)] = None if value is None else str(value)
        rows.append(row)
    cols = list(dict.fromkeys(c for r in rows for c in r))
    return pl.DataFrame([{c: r.get(c) for c in cols} for r in rows], schema={c: pl.String for c in cols})


def read_register(path: str | Path) -> Register:
    """Read a programme register from CSV, YAML or Excel (sheet "expenditure" etc. of the template)."""
    path = Path(path)
    if path.suffix.lower() in {".yaml", ".yml"}:
        data = read_yaml_file(path)
        return register_from_frame(_yaml_register(data, path.name), path.name)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        from sp2lnob.spi.excel_template import read_template_register

        return read_template_register(path)
    return register_from_frame(read_text_table(path, key_header="name"), path.name)
