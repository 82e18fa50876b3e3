"""The original Social Protection Index (ADB 2005).

Four components, each scaled by the comparison set's maximum and weighted
(0.25 each unless the user says otherwise):

    SPEXP = E / GDP
    SPCOV = sum_g w_g x coverage_g,  coverage_g = (sum_i B_ig + adjustment_g) x (1 - overlap_g) / R_g
    PTR   = poor beneficiaries / poor population; bounds:
            upper = sum_i PB_i / poor, lower = max_i PB_i / poor,
            best  = sum_i PB_i x (1 - o_i) / poor, with o = 0 for the largest programme,
                    1 for programmes reaching no poor (or declared complete overlap), otherwise the
                    declared overlap or, by default, the largest programme's own PTR (PB_L / poor)
    SPIMP = (sum_i E_i x poor_share_i / poor) / poverty line per capita
    SPI   = sum_k w_k x V_k / max_k

with PB_i = B_i x poor_share_i. Source: ADB (2005), Social Protection Index
for Committed Poverty Reduction, Vol. 2: The SPI Handbook, ch. 3-4;
shared/spec/spi.md section 3.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from sp2lnob.errors import DataError, InputError, Warning_, did_you_mean
from sp2lnob.parameters import load
from sp2lnob.spi.basic_stats import REQUIRED, BasicStatistics
from sp2lnob.spi.original_result import OriginalSPI
from sp2lnob.spi.register import Register
from sp2lnob.spi.revised import check_beneficiaries

_TOL = 1e-9


def _params() -> dict:
    return load("spi_2005_weights.yaml")


def categories_2005(frame: pl.DataFrame, where: str) -> pl.DataFrame:
    """Add ``category_2005``: the register's own, else the default reading of the 2012 code."""
    cats = load("spi_categories.yaml")["original_2005"]
    known = list(cats["categories"])
    mapped = pl.col("category").replace_strict(cats["from_2012"] | {c: c for c in known if c not in cats["from_2012"]},
                                               default=None, return_dtype=pl.String)
    frame = frame.with_columns(
        pl.when(pl.col("category_2005").is_null() | (pl.col("category_2005").str.strip_chars() == ""))
        .then(mapped).otherwise(pl.col("category_2005").str.strip_chars().str.to_uppercase().replace(cats["aliases"]))
        .alias("category_2005"))
    bad = frame.filter(~pl.col("category_2005").is_in(known))
    if bad.height:
        first = bad.row(0, named=True)
        raise DataError(
            f"unknown 2005 category {first['category_2005']!r}",
            where=f"{where}, programme {first['name']!r}",
            expected=", ".join(known), got=", ".join(sorted(set(map(str, bad["category_2005"].to_list())))),
            hint=did_you_mean(str(first["category_2005"]), known),
        )
    return frame


def allocation(frame: pl.DataFrame, where: str) -> pl.DataFrame:
    """Long table ``id, target_group, share`` from ``target_groups`` (``"ELD:0.6;DIS:0.4"``) or the default."""
    params = _params()
    groups = list(params["target_groups"])
    default = params["default_target_group"]
    spec = pl.when(pl.col("target_groups").is_null() | (pl.col("target_groups").str.strip_chars() == "")) \
        .then(pl.col("category_2005").replace_strict(default, default=None, return_dtype=pl.String)) \
        .otherwise(pl.col("target_groups"))
    long = (frame.select("id", "name", spec.alias("spec"))
            .with_columns(pl.col("spec").str.split(";")).explode("spec")
            .with_columns(pl.col("spec").str.strip_chars())
            .filter(pl.col("spec") != "")
            .with_columns(pl.col("spec").str.split_exact(":", 1).struct.rename_fields(["group", "share_text"]))
            .unnest("spec")
            .with_columns(pl.col("group").str.strip_chars().str.to_uppercase(),
                          pl.col("share_text").str.strip_chars().cast(pl.Float64, strict=False).alias("share"),
                          pl.len().over("id").alias("n_groups")))
    bad = long.filter(~pl.col("group").is_in(groups))
    if bad.height:
        first = bad.row(0, named=True)
        raise DataError(f"unknown target group {first['group']!r}", where=f"{where}, programme {first['name']!r}",
                        expected=", ".join(groups), got=first["group"], hint=did_you_mean(first["group"], groups))
    unparsed = long.filter(pl.col("share_text").is_not_null() & pl.col("share").is_null())
    if unparsed.height:
        raise DataError("a target-group share is not a number", where=f"{where}, programmes "
                        f"{unparsed['name'].to_list()}", got=unparsed["share_text"].to_list())
    ambiguous = long.filter((pl.col("n_groups") > 1) & pl.col("share").is_null())
    if ambiguous.height:
        raise DataError(
            "a programme serving several target groups needs the share of its beneficiaries in each",
            where=f"{where}, programmes {ambiguous['name'].unique(maintain_order=True).to_list()}",
            expected="e.g. ELD:0.6;DIS:0.4", got="groups without shares",
        )
    long = long.with_columns(pl.col("share").fill_null(1.0))
    sums = long.group_by("id", "name").agg(pl.col("share").sum()).filter(
        (pl.col("share") > 1 + _TOL) | (pl.col("share") < 0))
    if sums.height or long.filter(pl.col("share") < 0).height:
        raise DataError("target-group shares of a programme must be between 0 and 1 and add up to at most 1",
                        where=f"{where}, programmes {sums['name'].to_list()}", got=sums["share"].to_list())
    return long.select("id", pl.col("group").alias("target_group"), "share")


def target_group_weights(scheme: str | Mapping[str, float], refs: Mapping[str, float]) -> tuple[str, dict[str, float]]:
    """Weights of the 7 target groups: ``handbook``, ``unweighted``, ``population`` or a custom mapping."""
    params = _params()
    groups = params["target_groups"]
    if isinstance(scheme, Mapping):
        missing = [g for g in groups if g not in scheme]
        extra = [g for g in scheme if g not in groups]
        total = sum(float(v) for v in scheme.values())
        if missing or extra or abs(total - 1) > 1e-6 or any(float(v) < 0 for v in scheme.values()):
            raise InputError("custom target-group weights must give all 7 groups non-negative weights summing to 1",
                             expected=", ".join(groups), got=dict(scheme))
        return "custom", {g: float(scheme[g]) for g in groups}
    if scheme == "handbook":
        return scheme, {g: float(v["weight"]) for g, v in groups.items()}
    if scheme == "unweighted":
        return scheme, {g: 1.0 / len(groups) for g in groups}
    if scheme == "population":
        total = sum(refs.values())
        return scheme, {g: refs[g] / total for g in groups}
    raise InputError(f"unknown weighting scheme {scheme!r}", expected=", ".join(params["weighting_schemes"]) +
                     " or a mapping", got=scheme, hint=did_you_mean(str(scheme), params["weighting_schemes"]))


def spcov_table(frame: pl.DataFrame, stats: BasicStatistics, weights: str | Mapping[str, float],
                adjustments: Mapping[str, Mapping[str, float]] | None, where: str) -> tuple[pl.DataFrame, str]:
    groups = _params()["target_groups"]
    adjustments = adjustments or {}
    unknown = [g for g in adjustments if g not in groups]
    if unknown:
        raise InputError(f"unknown target group {unknown[0]!r} in adjustments", expected=", ".join(groups),
                         got=unknown, hint=did_you_mean(unknown[0], groups))
    refs = {g: float(stats.values[v["reference_population"]]) for g, v in groups.items()}
    name, w = target_group_weights(weights, refs)
    alloc = allocation(frame, where).join(frame.select("id", "beneficiaries"), on="id")
    sums = alloc.group_by("target_group").agg((pl.col("beneficiaries") * pl.col("share")).sum().alias("beneficiaries"),
                                              pl.len().alias("programmes"))
    adj = {g: float(adjustments.get(g, {}).get("adjustment", 0.0)) for g in groups}
    ovl = {g: float(adjustments.get(g, {}).get("overlap", 0.0)) for g in groups}
    if any(not 0 <= v <= 1 for v in ovl.values()):
        raise InputError("within-group overlap outside 0-1", expected="0 <= overlap <= 1", got=ovl)
    table = (pl.DataFrame({
        "target_group": list(groups), "label": [v["label"] for v in groups.values()],
        "reference_population": [v["reference_population"] for v in groups.values()],
        "reference_persons": [refs[g] for g in groups], "adjustment": [adj[g] for g in groups],
        "overlap": [ovl[g] for g in groups], "weight": [w[g] for g in groups]})
        .join(sums, on="target_group", how="left")
        .with_columns(pl.col("beneficiaries").fill_null(0.0), pl.col("programmes").fill_null(0))
        .with_columns(((pl.col("beneficiaries") + pl.col("adjustment")) * (1 - pl.col("overlap")))
                      .alias("final_beneficiaries"))
        .with_columns((pl.col("final_beneficiaries") / pl.col("reference_persons")).alias("coverage"))
        .with_columns((pl.col("coverage") * pl.col("weight")).alias("weighted_coverage"))
        .select("target_group", "label", "reference_population", "reference_persons", "programmes", "beneficiaries",
                "adjustment", "overlap", "final_beneficiaries", "coverage", "weight", "weighted_coverage"))
    return table, name


def ptr_table(frame: pl.DataFrame, poor: float, overlaps: Mapping[str, float] | None) -> pl.DataFrame:
    """Per-programme poor beneficiaries, reach and the overlap used in the best estimate."""
    overlaps = {str(k): float(v) for k, v in (overlaps or {}).items()}
    if any(not 0 <= v <= 1 for v in overlaps.values()):
        raise InputError("PTR overlaps must be within 0-1", got=overlaps)
    t = frame.select("id", "name", "category_2005", "expenditure", "beneficiaries", "poor_share", "overlap") \
        .with_columns((pl.col("beneficiaries") * pl.col("poor_share").fill_null(0.0)).alias("poor_beneficiaries"),
                      (pl.col("expenditure") * pl.col("poor_share").fill_null(0.0)).alias("expenditure_poor"))
    if overlaps:
        t = t.with_columns(pl.col("id").replace_strict(overlaps, default=None, return_dtype=pl.Float64)
                           .fill_null(pl.col("overlap")).alias("overlap"))
    t = t.with_columns((pl.col("poor_beneficiaries") / poor).alias("poor_reached"))
    # The largest programme: most poor beneficiaries, first in register order on a tie.
    t = t.with_row_index("_order")
    largest = t.sort(["poor_beneficiaries", "_order"], descending=[True, False]).row(0, named=True)
    own = largest["poor_reached"]
    rule = (pl.when(pl.col("_order") == largest["_order"]).then(pl.lit("largest programme"))
            .when(pl.col("poor_beneficiaries") <= 0).then(pl.lit("no poor beneficiaries"))
            .when(pl.col("overlap").is_not_null()).then(pl.lit("declared"))
            .otherwise(pl.lit("default: largest programme's PTR")))
    used = (pl.when(pl.col("_order") == largest["_order"]).then(0.0)
            .when(pl.col("poor_beneficiaries") <= 0).then(1.0)
            .when(pl.col("overlap").is_not_null()).then(pl.col("overlap"))
            .otherwise(own))
    return t.with_columns(rule.alias("overlap_rule"), used.alias("overlap_used")).with_columns(
        (pl.col("poor_beneficiaries") * (1 - pl.col("overlap_used"))).alias("poor_beneficiaries_net")
    ).drop("_order").rename({"overlap": "declared_overlap", "overlap_used": "overlap"})


def comparison_maxima(comparison: str | Mapping[str, float]) -> tuple[str, dict[str, float]]:
    comps = _params()["components"]
    if isinstance(comparison, Mapping):
        missing = [c for c in comps if c not in comparison]
        if missing or any(float(v) <= 0 for v in comparison.values()):
            raise InputError("comparison maxima must give a positive maximum for each component",
                             expected=", ".join(comps), got=dict(comparison))
        return "custom", {c: float(comparison[c]) for c in comps}
    if comparison == "six_countries_2005":
        return comparison, {c: float(v) for c, v in _params()["comparison_maxima"].items()}
    raise InputError(f"unknown comparison set {comparison!r}", expected="six_countries_2005 or a mapping",
                     got=comparison)


def original_spi(
    stats: BasicStatistics,
    register: Register,
    year: int | None = None,
    *,
    target_group_weighting: str | Mapping[str, float] = "handbook",
    group_adjustments: Mapping[str, Mapping[str, float]] | None = None,
    ptr_overlaps: Mapping[str, float] | None = None,
    component_weights: Mapping[str, float] | None = None,
    comparison: str | Mapping[str, float] = "six_countries_2005",
) -> OriginalSPI:
    """Compute the original (2005) SPI.

    ``group_adjustments`` maps a target group to ``{"adjustment": persons,
    "overlap": share}``; ``ptr_overlaps`` maps programme ids to their overlap
    with the largest programme (overriding the register's ``overlap``);
    ``component_weights`` maps SPEXP/SPCOV/PTR/SPIMP to weights summing to 1.
    """
    year = stats.year if year is None else year
    stats.require(REQUIRED["2005"], "original (2005) SPI")
    where = register.source or "register"
    frame, period, warns = register.for_year(year, stats.fiscal_year_start_month)
    warnings: list[Warning_] = list(stats.warnings) + list(warns)
    check_beneficiaries(frame, float(stats.values["population"]), where)
    frame = categories_2005(frame, where)
    e = float(frame["expenditure"].sum())
    gdp = float(stats.values["gdp"])
    poor = float(stats.values["poor"])
    by_cat = (pl.DataFrame({"category_2005": list(load("spi_categories.yaml")["original_2005"]["categories"])})
              .join(frame.group_by("category_2005").agg(pl.col("expenditure").sum(), pl.len().alias("programmes")),
                    on="category_2005", how="left")
              .with_columns(pl.col("expenditure").fill_null(0.0), pl.col("programmes").fill_null(0))
              .with_columns((pl.col("expenditure") / gdp).alias("share_of_gdp"),
                            (pl.col("expenditure") / e).alias("share_of_expenditure")))
    groups, weighting = spcov_table(frame, stats, target_group_weighting, group_adjustments, where)
    spcov = float(groups["weighted_coverage"].sum())
    for row in groups.filter(pl.col("coverage") > 1).iter_rows(named=True):  # at most 7 groups
        warnings.append(Warning_(f"coverage of {row['target_group']} is {row['coverage']:.2f} > 1: "
                                 "set a within-group overlap or a manual adjustment", where="SPCOV"))
    missing_ptr = frame.filter(pl.col("poor_share").is_null())
    if missing_ptr.height:
        warnings.append(Warning_(f"{missing_ptr.height} programme(s) have no poor_share: counted as reaching no poor",
                                 count=missing_ptr.height, extra={"programmes": missing_ptr["name"].to_list()}))
    ptr_t = ptr_table(frame, poor, ptr_overlaps)
    ignored = ptr_t.filter((pl.col("overlap_rule") == "largest programme") & (pl.col("declared_overlap") > 0))
    if ignored.height:
        warnings.append(Warning_(f"the overlap declared for {ignored['name'][0]!r} is ignored: the largest "
                                 "programme is the reference of the PTR best estimate (overlap 0)", where="PTR"))
    ptr_upper = float(ptr_t["poor_beneficiaries"].sum()) / poor
    ptr_lower = float(ptr_t["poor_beneficiaries"].to_numpy().max()) / poor
    ptr_best = float(ptr_t["poor_beneficiaries_net"].sum()) / poor
    if ptr_upper > 1:
        warnings.append(Warning_(f"PTR upper bound {ptr_upper:.2f} exceeds 1: programmes overlap among the poor",
                                 where="PTR"))
    spimp = (float(ptr_t["expenditure_poor"].sum()) / poor) / float(stats.values["poverty_line_per_capita"])
    comp_name, maxima = comparison_maxima(comparison)
    comps = _params()["components"]
    cw = dict(_params()["component_weights"]) if component_weights is None else dict(component_weights)
    if sorted(cw) != sorted(comps) or abs(sum(cw.values()) - 1) > 1e-6 or any(v < 0 for v in cw.values()):
        raise InputError("component weights must give SPEXP, SPCOV, PTR, SPIMP non-negative weights summing to 1",
                         expected=", ".join(comps), got=cw)
    values = {"SPEXP": e / gdp, "SPCOV": spcov, "PTR": ptr_best, "SPIMP": spimp}
    components = pl.DataFrame({
        "component": comps, "value": [values[c] for c in comps], "maximum": [maxima[c] for c in comps],
        "weight": [float(cw[c]) for c in comps],
    }).with_columns((pl.col("value") / pl.col("maximum")).alias("scaled")).with_columns(
        (pl.col("scaled") * pl.col("weight")).alias("weighted")).select(
        "component", "value", "maximum", "scaled", "weight", "weighted")
    for row in components.filter(pl.col("scaled") > 1).iter_rows(named=True):
        warnings.append(Warning_(f"{row['component']} exceeds the comparison set's maximum (scaled "
                                 f"{row['scaled']:.2f})", where="scaling"))
    return OriginalSPI(
        country=stats.country, year=year, period=period, expenditure=e, gdp=gdp,
        spexp=values["SPEXP"], spcov=spcov, ptr=ptr_best, ptr_upper=ptr_upper, ptr_lower=ptr_lower, spimp=spimp,
        spi=float(components["weighted"].sum()), spi_equal_weights=float(components["scaled"].to_numpy().mean()),
        target_group_weighting=weighting, comparison=comp_name, components=components, target_groups=groups,
        ptr_programmes=ptr_t, expenditure_by_category=by_cat, warnings=tuple(warnings),
    )
