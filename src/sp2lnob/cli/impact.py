"""``sp2lnob impact SURVEY_SPEC --scheme ...``: SP2LNOB, the effect of schemes on access to opportunity
(thin: parse, call :mod:`sp2lnob.impact`, print)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from sp2lnob.cli._common import JSON_OPTION, emit_json, handle_errors


class Mode(StrEnum):
    tree = "tree"
    smooth = "smooth"


class Consumption(StrEnum):
    continuous = "continuous"
    as_declared = "as_declared"


def _sweep_values(text: str) -> tuple[str, list[float]]:
    from sp2lnob.errors import InputError

    name, _, values = text.partition("=")
    try:
        parsed = [float(v) for v in values.split(",") if v.strip()]
    except ValueError:
        parsed = []
    if not name.strip() or not parsed:
        raise InputError("--sweep must be PARAMETER=V1,V2,...", where="--sweep",
                         expected="e.g. benefit.share=0,0.02,0.04,0.06", got=text)
    return name.strip(), parsed


def _write(df: Any, out: Path) -> None:
    from sp2lnob.errors import InputError

    suffix = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        df.write_csv(out)
    elif suffix == ".parquet":
        df.write_parquet(out)
    elif suffix == ".xlsx":
        df.write_excel(out)
    elif suffix == ".json":
        out.write_text(df.write_json(), encoding="utf-8")
    else:
        raise InputError("unknown output format", where="--out", expected=".csv, .parquet, .xlsx or .json",
                         got=out.name)


def impact_cmd(
    survey: Annotated[Path, typer.Argument(help="Survey spec (YAML), e.g. the demo's asiatica_hies.yaml.")],
    scheme: Annotated[list[str], typer.Option(
        "--scheme", "-s", help="A ready scheme name (see `sp2lnob schemes`) or a scheme YAML file; repeat for a package.")],
    lnob_spec: Annotated[Path | None, typer.Option(
        "--lnob-spec", "--spec", help="LNOB spec (YAML); default: the demo's for the demo survey.")] = None,
    indicator: Annotated[list[str] | None, typer.Option(
        "--indicator", "-i", help="Indicator name (repeat; default: all).")] = None,
    mode: Annotated[Mode, typer.Option(
        "--mode", help="tree: faithful (ESCAP SP2LNOB); smooth: extension (spline logit).")] = Mode.tree,
    consumption: Annotated[Consumption, typer.Option(
        "--consumption", help="continuous: replace wealth B40 by consumption per capita (SP2LNOB); "
                              "as_declared: keep the spec's circumstances.")] = Consumption.continuous,
    replace: Annotated[list[str] | None, typer.Option(
        "--replace", help="A survey programme the package replaces (repeatable).")] = None,
    sweep: Annotated[str | None, typer.Option(
        "--sweep", help="Sweep one scheme parameter: PARAMETER=V1,V2,... (e.g. benefit.share=0,0.02,0.04).")] = None,
    chart: Annotated[Path | None, typer.Option("--chart", help="With --sweep: write the curve (PNG).")] = None,
    line: Annotated[str | None, typer.Option("--line", help="Poverty line of the headline (default: first).")] = None,
    replicates: Annotated[int, typer.Option(
        "--replicates", min=0, help="Smooth mode: bootstrap replicates for standard errors (0 = none).")] = 0,
    bootstrap_seed: Annotated[int, typer.Option("--bootstrap-seed", help="Seed of the bootstrap.")] = 12345,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the simulation's random allocations.")] = None,
    macro: Annotated[Path | None, typer.Option("--macro", help="Macro data YAML; default: embedded.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the tidy table (.csv, .parquet, .xlsx, .json).")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """How a package of schemes changes access to opportunity for the groups furthest behind (SP2LNOB)."""
    from sp2lnob.errors import InputError
    from sp2lnob.impact import impact, prepare_impact, sweep_impact
    from sp2lnob.simulate import make_package
    from sp2lnob.survey import read_survey

    with handle_errors(as_json):
        if chart is not None and sweep is None:
            raise InputError("--chart draws a sweep's curve", where="--chart", hint="add --sweep PARAMETER=V1,V2,...")
        if sweep is not None and replicates:
            raise InputError("--sweep and --replicates cannot be combined", where="--sweep")
        package = make_package(scheme, replace or [])
        data = read_survey(survey)
        base = prepare_impact(data, lnob_spec, indicators=indicator or None, consumption=consumption.value,
                              macro=macro)
        written: list[Path] = []
        result: Any
        if sweep is not None:
            parameter, values = _sweep_values(sweep)
            result = sweep_impact(base, package, parameter, values, mode=mode.value, seed=seed, line=line)
            if chart is not None:
                from sp2lnob.impact.charts import sweep_chart

                sweep_chart(result, path=chart)
                written.append(chart)
        else:
            result = impact(base, package, mode=mode.value, seed=seed, line=line, replicates=replicates,
                            bootstrap_seed=bootstrap_seed)
        if out is not None:
            _write(result.to_frame(), out)
            written.append(out)
        if as_json:
            payload = result.to_dict()
            payload["written"] = [str(p) for p in written]
            emit_json(payload)
        else:
            typer.echo(result.summary())
            for p in written:
                typer.echo(f"wrote {p}")


def register(app: typer.Typer) -> None:
    app.command("impact")(impact_cmd)
