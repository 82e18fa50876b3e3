"""``sp2lnob lnob SURVEY_SPEC --lnob-spec FILE``: who is furthest behind (thin: parse, call, print)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sp2lnob.cli._common import JSON_OPTION, emit_json, handle_errors, progress


class GroupMethod(StrEnum):
    leaves = "leaves"
    cells = "cells"
    logit = "logit"


class ShapleyVariant(StrEnum):
    eliminate = "eliminate"
    fix = "fix"
    none = "none"


def lnob(
    survey_spec: Annotated[Path, typer.Argument(help="Survey spec (YAML) of the survey to analyse.")],
    lnob_spec: Annotated[Path, typer.Option("--lnob-spec", "--spec",
                                            help="LNOB spec (YAML): indicators and circumstances.")],
    indicator: Annotated[list[str] | None, typer.Option("--indicator", "-i",
                                                       help="Indicator name (repeat; default: all).")] = None,
    group_method: Annotated[GroupMethod, typer.Option(
        "--group-method", help="Groups for the D-index: tree leaves, cells or logit.")] = GroupMethod.leaves,
    by_region: Annotated[bool, typer.Option("--by-region", help="Also analyse each region separately.")] = False,
    shapley: Annotated[ShapleyVariant, typer.Option(
        "--shapley", help="Shapley decomposition of D ('fix' needs --group-method logit).")] = ShapleyVariant.eliminate,
    replicates: Annotated[int, typer.Option("--replicates", min=0,
                                            help="Bootstrap replicates for standard errors (0 = none).")] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed (recorded in the output).")] = 12345,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the table (.csv, .parquet or .xlsx); node tables go beside it.")] = None,
    plots: Annotated[Path | None, typer.Option("--plots", help="Directory for tree pictures (PNG) and charts.")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """Grow LNOB trees, find the furthest behind, and measure inequality of opportunity (D, HOI)."""
    from sp2lnob.opportunity.run import run_lnob
    from sp2lnob.opportunity.spec import load_lnob_spec
    from sp2lnob.survey import read_survey

    with handle_errors(as_json):
        spec = load_lnob_spec(lnob_spec)
        survey = read_survey(survey_spec)
        chosen = indicator or [i.name for i in spec.indicators]
        n_regions = 1
        if by_region:
            n_regions += survey.frame(roles=["region"])["region"].drop_nulls().n_unique()
        with progress("LNOB trees", total=len(chosen) * n_regions, enabled=not as_json) as advance:
            run = run_lnob(survey, spec, indicators=indicator or None, group_method=group_method.value,
                           by_region=by_region, shapley=None if shapley is ShapleyVariant.none else shapley.value,
                           replicates=replicates, seed=seed, progress=advance)
        written = _write(run, out) if out is not None else []
        if plots is not None:
            written += _plots(run, plots)
        if as_json:
            payload = run.to_dict()
            payload["written"] = [str(p) for p in written]
            emit_json(payload)
        else:
            typer.echo(run.summary())
            for p in written:
                typer.echo(f"wrote {p}")


def _write(run, out: Path) -> list[Path]:
    from sp2lnob.exports import write_table

    table, nodes = run.to_frame(), run.node_tables()
    formats = (".csv", ".parquet", ".xlsx")
    if out.suffix.lower() == ".xlsx":
        return [write_table({"lnob": table, "nodes": nodes}, out, formats=formats)]
    # text cells (indicator labels, circumstance values) are neutralised against formula injection
    written = write_table(table, out, formats=formats)
    return [written, write_table(nodes, out.with_name(f"{out.stem}_nodes{out.suffix}"), formats=formats)]


def _plots(run, directory: Path) -> list[Path]:
    from sp2lnob.exports import path_inside
    from sp2lnob.opportunity.plot import d_index_chart, save_figure, summary_chart, tree_figure

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for r in run.results:
        region = r.context.get("region")
        name = f"tree_{r.indicator}" + (f"_{region}" if region else "")
        # indicator names and region values are user text: never let them leave `directory`
        written.append(save_figure(tree_figure(r), path_inside(directory, f"{name}.png")))
    if run.results:
        written.append(save_figure(d_index_chart(run.to_frame()), directory / "d_index.png"))
        written.append(save_figure(summary_chart(run.to_frame()), directory / "summary.png"))
    return written


def register(app: typer.Typer) -> None:
    app.command("lnob")(lnob)
