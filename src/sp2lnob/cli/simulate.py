"""``sp2lnob simulate`` and ``sp2lnob schemes`` (thin: parse, call the engine, print)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from sp2lnob.cli._common import JSON_OPTION, emit_json, handle_errors, progress
from sp2lnob.cli.scale import ENGINE_OPTION, SCHEDULER_OPTION, engine_client


def _years(text: str) -> range:
    from sp2lnob.errors import InputError

    try:
        first, _, last = text.partition(":")
        lo, hi = int(first), int(last or first)
    except ValueError:
        raise InputError("--years must be FIRST:LAST", where="--years", expected="e.g. 2025:2040", got=text) from None
    if hi < lo or hi - lo > 100:
        raise InputError("--years must be an increasing range of at most 100 years", where="--years", got=text)
    return range(lo, hi + 1)


def _write(df, out: Path) -> None:
    from sp2lnob.exports import write_table

    if out.suffix.lower() == ".json":
        out.write_text(df.write_json(), encoding="utf-8")
    else:
        # scheme names and labels are user text: neutralised against formula injection in CSV / Excel
        write_table(df, out, formats=(".csv", ".parquet", ".xlsx", ".json"))


def simulate_cmd(
    survey: Annotated[Path, typer.Argument(help="Survey spec (YAML), e.g. the demo's asiatica_hies.yaml.")],
    scheme: Annotated[list[str], typer.Option(
        "--scheme", "-s", help="A ready scheme name (see `sp2lnob schemes`) or a scheme YAML file; repeat for a package.")],
    replace: Annotated[list[str] | None, typer.Option(
        "--replace", help="A survey programme the package replaces (repeatable).")] = None,
    years: Annotated[str | None, typer.Option("--years", help="Project cost and beneficiaries, e.g. 2025:2040.")] = None,
    population: Annotated[Path | None, typer.Option(
        "--population", help="Population projection (YAML or CSV); default: embedded for the country.")] = None,
    sweep_file: Annotated[Path | None, typer.Option(
        "--sweep", help="Sweep file (YAML with `grid:`): run every combination.")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Processes for --sweep.")] = 2,
    engine: Annotated[str, ENGINE_OPTION] = "local",
    scheduler: Annotated[str | None, SCHEDULER_OPTION] = None,
    macro: Annotated[Path | None, typer.Option(
        "--macro", help="Macro data YAML (GDP, population...); default: embedded for the survey's country.")] = None,
    seed: Annotated[int | None, typer.Option(
        "--seed", help="Seed of random allocations (default in parameters/schemes/_defaults.yaml).")] = None,
    bootstrap: Annotated[int, typer.Option(
        "--bootstrap", min=0, help="Bootstrap replicates for standard errors (0 = none).")] = 0,
    bootstrap_seed: Annotated[int, typer.Option("--bootstrap-seed", help="Seed of the bootstrap replicates.")] = 1,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the tidy table (.csv, .parquet, .xlsx, .json).")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """Simulate a package of non-contributory schemes on a survey: cost, poverty, inequality, targeting."""
    from sp2lnob.errors import InputError
    from sp2lnob.simulate import load_grid, make_package, prepare, project, simulate, sweep
    from sp2lnob.survey import read_survey

    with handle_errors(as_json):
        modes = [flag for flag, on in (("--sweep", sweep_file is not None), ("--years", years is not None),
                                       ("--bootstrap", bootstrap > 0)) if on]
        if len(modes) > 1:
            raise InputError("these options cannot be combined", where=" and ".join(modes),
                             hint="run a sweep, a projection and standard errors as separate commands")
        package = make_package(scheme, replace or [])
        grid = load_grid(sweep_file) if sweep_file is not None else None
        span = _years(years) if years else None
        base = prepare(read_survey(survey), macro)
        if grid is not None:
            from sp2lnob.simulate.sweep import scenario_packages

            total = len(scenario_packages(package, grid))
            with progress("scenarios", total=total, enabled=not as_json) as step:
                last = [0]

                def tick(done: int, _total: int) -> None:
                    step(done - last[0])
                    last[0] = done

                with engine_client(engine, scheduler, workers) as client:
                    result: Any = sweep(base, package, grid, seed=seed, workers=workers, progress=tick,
                                        engine=engine, client=client)
        elif span is not None:
            result = project(base, package, span, population=population, seed=seed)
        else:
            result = simulate(base, package, seed=seed, bootstrap=bootstrap, bootstrap_seed=bootstrap_seed)
        if out is not None:
            _write(result.to_frame(), out)
        if as_json:
            payload = result.to_dict()
            if out is not None:
                payload.pop("rows", None)
                payload["out"] = str(out)
            emit_json(payload)
        else:
            typer.echo(result.summary())
            if out is not None:
                typer.echo(f"\nwrote {out}")


def schemes_cmd(as_json: bool = JSON_OPTION) -> None:
    """List the ready schemes (use their names with `sp2lnob simulate --scheme`)."""
    from sp2lnob.simulate.scheme import load_scheme, ready_scheme_names

    with handle_errors(as_json):
        items = [load_scheme(n) for n in ready_scheme_names()]
        if as_json:
            emit_json([{"name": s.name, "label": s.label, "description": s.description, "date": str(s.date),
                        "source": s.source, "eligibility": s.eligibility.when,
                        "benefit": s.benefit.model_dump(exclude_none=True),
                        "coverage": s.coverage.model_dump(exclude_none=True), "admin_cost": s.admin_cost}
                       for s in items])
            return
        for s in items:
            typer.echo(f"{s.name:<28} {s.description or s.title}")


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate_cmd)
    app.command("schemes")(schemes_cmd)
