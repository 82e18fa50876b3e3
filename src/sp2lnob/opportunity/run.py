"""Run an LNOB spec on one survey: every indicator (× region), one tidy table plus the trees."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from sp2lnob.errors import DataError, InputError
from sp2lnob.opportunity.analysis import analyse
from sp2lnob.opportunity.bootstrap import bootstrap_se
from sp2lnob.opportunity.dindex import GROUP_METHODS
from sp2lnob.opportunity.prepare import analysis_input, prepare_frame
from sp2lnob.opportunity.results import LnobResult
from sp2lnob.opportunity.spec import LnobSpec, load_lnob_spec
from sp2lnob.parameters import load


@dataclass(frozen=True, eq=False)
class LnobRun:
    """Results of one spec on one or more surveys; failed analyses are listed in ``errors``."""

    results: tuple[LnobResult, ...]
    errors: tuple[dict[str, Any], ...] = ()
    spec_name: str = ""
    settings: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pl.DataFrame:
        """One row per analysis (country × region × indicator)."""
        if not self.results:
            return pl.DataFrame()
        return pl.concat([r.to_frame() for r in self.results], how="diagonal_relaxed")

    def node_tables(self) -> pl.DataFrame:
        """Every tree's node table, keyed by country, region and indicator."""
        frames = [r.nodes.with_columns(pl.lit(r.context.get("country")).alias("country"),
                                       pl.lit(r.context.get("region")).alias("region"),
                                       pl.lit(r.indicator).alias("indicator")) for r in self.results]
        if not frames:
            return pl.DataFrame()
        return pl.concat(frames, how="diagonal_relaxed").select(
            "country", "region", "indicator", pl.exclude("country", "region", "indicator"))

    def summary(self) -> str:
        lines = [f"LNOB: {self.spec_name} — {len(self.results)} analyses"
                 + (f", {len(self.errors)} failed" if self.errors else "")]
        for r in self.results:
            lines.append("")
            lines.append(r.summary())
        for e in self.errors:
            lines.append(f"failed: {e.get('indicator')} {e.get('region') or ''}: {e['error'].get('what')}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        return {"spec": self.spec_name, "settings": self.settings,
                "results": [r.to_dict() for r in self.results], "errors": list(self.errors)}


def tree_defaults() -> dict[str, Any]:
    """ESCAP's tree parameters from ``parameters/lnob_tree.yaml``."""
    return dict(load("lnob_tree.yaml")["tree"])


def run_lnob(
    survey: Any,
    spec: LnobSpec | str | Path,
    *,
    indicators: Sequence[str] | None = None,
    group_method: str = "leaves",
    also: Sequence[str] = (),
    by_region: bool = False,
    shapley: str | None = "eliminate",
    replicates: int = 0,
    seed: int | None = 12345,
    country: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> LnobRun:
    """All (selected) indicators of ``spec`` on ``survey``; with ``by_region`` also each region.

    ``replicates`` > 0 adds bootstrap standard errors (both modes). A data problem in one
    analysis (e.g. an empty population in a region) is recorded in ``errors``, not raised.
    """
    if not isinstance(spec, LnobSpec):
        spec = load_lnob_spec(spec)
    if group_method not in GROUP_METHODS:
        raise InputError(f"unknown group method {group_method!r}", expected=list(GROUP_METHODS), got=group_method)
    chosen = [spec.indicator(n) for n in indicators] if indicators else list(spec.indicators)
    params = {**tree_defaults(), **(spec.tree or {})}
    frame, metas = prepare_frame(survey, spec)
    if country is None:
        country = getattr(getattr(getattr(survey, "spec", None), "survey", None), "country", None)
    regions: list[str | None] = [None]
    if by_region:
        if "region" not in frame.columns:
            raise InputError("--by-region needs the survey's region role", hint="map roles.region in the survey spec")
        regions += sorted(str(r) for r in frame["region"].drop_nulls().unique().to_list())
    results: list[LnobResult] = []
    errors: list[dict[str, Any]] = []
    for ind in chosen:
        for region in regions:
            try:
                ai = analysis_input(frame, metas, spec, ind, region=region)
                res = analyse(ai.y, ai.weights, ai.circumstances, indicator=ind.name, label=ind.label or ind.name,
                              unit=ind.unit, barrier=ind.barrier, group_method=group_method, also=also,
                              tree_params=params, shapley=shapley, warnings=ai.warnings,
                              context={"country": country, "region": region})
                if replicates:
                    res = bootstrap_se(res, ai.y, ai.weights, ai.circumstances, design=survey.design,
                                    rows=ai.survey_rows, replicates=replicates, seed=seed, tree_params=params,
                                    small_leaf_rows=int(load("lnob_tree.yaml")["uncertainty"]["small_leaf_rows"]))
                results.append(res)
            except DataError as err:
                errors.append({"country": country, "region": region, "indicator": ind.name, "error": err.to_dict()})
            if progress is not None:
                progress(1)
    return LnobRun(results=tuple(results), errors=tuple(errors), spec_name=spec.name,
                   settings={"group_method": group_method, "also": list(also), "by_region": by_region,
                             "shapley": shapley, "replicates": replicates, "seed": seed, "tree": params})
