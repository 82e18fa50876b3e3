"""``sp2lnob report``: the country report (.html/.pdf), the policy brief, or the analysis workbook (.xlsx)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sp2lnob.cli._common import JSON_OPTION, emit_json, handle_errors

FORMATS = (".html", ".pdf", ".xlsx")


def report_cmd(
    survey: Annotated[Path, typer.Option("--survey", help="Survey spec (YAML).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file: .html or .pdf (report), .xlsx (workbook).")],
    register: Annotated[Path | None, typer.Option("--register", help="SPI programme register (CSV, YAML, xlsx).")] = None,
    basic_stats: Annotated[Path | None, typer.Option("--basic-stats", help="SPI basic statistics (CSV, YAML, xlsx).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="SPI reference year (default: the basic statistics').")] = None,
    scheme: Annotated[list[str] | None, typer.Option(
        "--scheme", "-s", help="A ready scheme name or a scheme YAML file; repeat for a package.")] = None,
    lnob: Annotated[Path | None, typer.Option("--lnob", help="LNOB spec (YAML) for the trees of who is left behind.")] = None,
    brief: Annotated[bool, typer.Option("--brief", help="Write the 2-4 page policy brief of the scheme(s) instead.")] = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulation's random steps (recorded).")] = 1,
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the country report (.html/.pdf), the policy brief (--brief) or the whole analysis as Excel (.xlsx)."""
    from sp2lnob.errors import InputError
    from sp2lnob.report import build_analysis, export_workbook, write_html, write_pdf

    with handle_errors(as_json):
        suffix = out.suffix.lower()
        if suffix not in FORMATS:
            raise InputError("unknown report format", where="--out", expected=", ".join(FORMATS), got=out.name)
        if brief and not scheme:
            raise InputError("the policy brief needs a scheme", where="--brief", hint="add --scheme NAME")
        if brief and suffix == ".xlsx":
            raise InputError("the policy brief is .html or .pdf", where="--out", got=out.name)
        analysis = build_analysis(survey, register=register, basic_stats=basic_stats, spi_year=year,
                                  schemes=scheme or [], lnob_spec=lnob, seed=seed)
        kind = "brief" if brief else "report"
        if suffix == ".xlsx":
            export_workbook(analysis, out)
        elif suffix == ".pdf":
            write_pdf(analysis, out, kind)
        else:
            write_html(analysis, out, kind)
        if as_json:
            emit_json({"out": str(out), "kind": "workbook" if suffix == ".xlsx" else kind,
                       "survey": analysis.survey_name, "seed": analysis.seed, "version": analysis.version,
                       "figures": analysis.to_frame().to_dicts()})
        else:
            typer.echo(analysis.summary())
            typer.echo(f"\nwrote {out}")


def register(app: typer.Typer) -> None:
    app.command("report")(report_cmd)
