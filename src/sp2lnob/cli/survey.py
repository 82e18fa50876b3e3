"""``sp2lnob spec init SURVEY`` and ``sp2lnob describe SPEC`` (thin: parse, call, print)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sp2lnob.cli._common import JSON_OPTION, emit_json, handle_errors

spec_app = typer.Typer(help="Survey specs: write a starter spec from a data file.", no_args_is_help=True)


class Method(StrEnum):
    linearization = "linearization"
    bootstrap = "bootstrap"


@spec_app.command("init")
def spec_init(
    survey: Annotated[Path, typer.Argument(help="Survey data file (.dta, .sav, .csv, .parquet, .xlsx).")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the spec here (default: print it).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
    as_json: bool = JSON_OPTION,
) -> None:
    """Write a starter survey spec guessed from SURVEY's columns and labels."""
    from sp2lnob.errors import InputError
    from sp2lnob.survey.spec_init import starter_spec

    with handle_errors(as_json):
        if out is not None and out.exists() and not force:
            raise InputError("the output file exists", where=str(out), hint="use --force to overwrite it")
        text = starter_spec(survey, relative_to=(out.parent if out is not None else Path.cwd()))
        if out is not None:
            out.write_text(text, encoding="utf-8")
        if as_json:
            emit_json({"spec": text, "out": str(out) if out else None})
        elif out is not None:
            typer.echo(f"wrote {out}: check the roles and fill the nulls (welfare.variable is required)")
        else:
            typer.echo(text, nl=False)


def describe(
    spec: Annotated[Path, typer.Argument(help="Survey spec (YAML).")],
    method: Annotated[Method, typer.Option("--method", help="Standard errors by linearization or bootstrap.")] = Method.linearization,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed (recorded in the output).")] = 1,
    replicates: Annotated[int, typer.Option("--replicates", min=2, help="Bootstrap replicates.")] = 200,
    as_json: bool = JSON_OPTION,
) -> None:
    """Roles, counts, weights, welfare, poverty at each line (FGT0/1/2), Gini, Theil, Palma with SEs."""
    from sp2lnob.survey import read_survey
    from sp2lnob.survey.describe import describe as describe_survey

    with handle_errors(as_json):
        survey = read_survey(spec)
        result = describe_survey(survey, method.value, seed=seed, replicates=replicates)
        if as_json:
            emit_json(result.to_dict())
        else:
            _print_description(result)


def _print_description(result) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    c = result.counts
    console.print(
        f"[bold]{result.survey.get('name', 'Survey')}[/]: {c['households']:,} households, "
        f"{c['persons']:,} persons, population {c['population']:,.0f}"
    )
    roles = Table(title="Roles", show_header=True)
    roles.add_column("role")
    roles.add_column("column")
    for role, column in result.roles.items():
        roles.add_row(role, column)
    console.print(roles)
    if result.missing_roles:
        console.print("roles not mapped: " + ", ".join(result.missing_roles), highlight=False)
    for section in ("weights", "welfare", "poverty", "inequality"):
        rows = result.section(section)
        if not rows:
            continue
        table = Table(title=section.capitalize())
        for col in ("measure", "line", "value", "SE", "note"):
            table.add_column(col, justify="right" if col in ("value", "SE") else "left")
        for r in rows:
            table.add_row(
                r.name, r.line or "", "n/a" if r.value is None else f"{r.value:,.6g}",
                "" if r.se is None else f"{r.se:.4g}", r.note or "",
            )
        console.print(table)
    method = result.method + (f" (seed {result.seed}, {result.replicates} replicates)" if result.seed is not None else "")
    console.print(f"standard errors: {method}", highlight=False)
    if result.report:
        console.print("[bold]Report[/]")
        for w in result.report:
            count = f" [{w['count']}]" if w.get("count") is not None else ""
            console.print(f"  - {w['what']}{count}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``spec`` (with ``init``) and ``describe`` to the main app."""
    app.add_typer(spec_app, name="spec")
    app.command("describe")(describe)
