"""``sp2lnob spi``: the ADB Social Protection Index from a register (and a survey).

Thin: parses options, calls :mod:`sp2lnob.spi`, prints or writes. Engines are
imported inside the commands so ``sp2lnob --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sp2lnob.cli._common import JSON_OPTION, emit_json, handle_errors

app = typer.Typer(
    help="The ADB Social Protection Index (revised 2012 or original 2005).",
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _write_out(result, out: Path, merge=None) -> None:
    from sp2lnob.errors import InputError

    suffix = out.suffix.lower()
    if suffix in {".xlsx"}:
        from sp2lnob.spi.excel_export import export_excel

        extra = None
        if merge is not None:
            extra = {"figure sources": merge.sources, "survey inputs": merge.inputs.programmes,
                     "survey overlaps": merge.inputs.overlaps}
        export_excel(result, out, extra)
    elif suffix == ".csv":
        from sp2lnob.exports import write_table

        write_table(result.to_frame(), out)  # programme names: neutralised against formula injection
    elif suffix == ".json":
        from sp2lnob.cli._common import dumps

        out.write_text(dumps(result.to_dict()), encoding="utf-8")
    else:
        raise InputError("unsupported output file", where=str(out), expected=".xlsx, .csv or .json",
                         got=suffix or "(no suffix)")


def _parse_map(text: str) -> dict[str, str]:
    from sp2lnob.errors import InputError

    pairs = [p.split("=", 1) for p in text.split(",") if p.strip()]
    if any(len(p) != 2 or not p[0].strip() or not p[1].strip() for p in pairs):
        raise InputError("--map must be survey_programme=register_id pairs separated by commas", got=text)
    return {a.strip(): b.strip() for a, b in pairs}


@app.callback(invoke_without_command=True)
def spi(
    ctx: typer.Context,
    basic_stats: Annotated[Path | None, typer.Option("--basic-stats", help="Basic statistics (CSV, YAML or Excel).")] = None,
    register: Annotated[Path | None, typer.Option("--register", help="Programme register (CSV, YAML or Excel).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Reference year (calendar; fiscal years are aligned).")] = None,
    method: Annotated[str, typer.Option("--method", help="2012 (revised) or 2005 (original).")] = "2012",
    normaliser: Annotated[str, typer.Option(
        "--normaliser",
        help="2012 only: quarter_gdp_per_capita (handbook) or gdp_per_capita (later ADB convention).")
    ] = "quarter_gdp_per_capita",
    weighting: Annotated[str, typer.Option("--weighting",
                                  help="2005 SPCOV weights: handbook, unweighted or population.")] = "handbook",
    survey: Annotated[Path | None, typer.Option("--survey", help="Survey data file (overrides the spec's files).")] = None,
    spec: Annotated[Path | None, typer.Option("--spec", help="Survey spec (YAML) for survey-derived inputs.")] = None,
    line: Annotated[str, typer.Option("--line", help="Poverty line of the spec used for poor status.")] = "national",
    survey_map: Annotated[str | None, typer.Option(
        "--map", help="Survey programme = register id pairs, e.g. 'cct=14,public_works=2' "
                      "(default: a survey_programme column of the register, else equal names).")] = None,
    example: Annotated[str | None, typer.Option("--example", help="Run a shipped example: asiatica.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the result (.xlsx formatted, .csv tidy, .json).")] = None,
    charts: Annotated[Path | None, typer.Option("--charts", help="Directory to save the charts (PNG) in.")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """Compute the SPI: `sp2lnob spi --basic-stats FILE --register FILE --year YEAR [--out FILE]`."""
    if ctx.invoked_subcommand is not None:
        return
    with handle_errors(as_json):
        from sp2lnob.errors import InputError
        from sp2lnob.spi import compute_spi, load_example, read_basic_statistics, read_register

        if example is not None:
            stats, reg, example_year = load_example(example)
            year = year or example_year
        else:
            if basic_stats is None or register is None:
                raise InputError("give --basic-stats and --register (or --example asiatica)",
                                 hint="`sp2lnob spi template register.xlsx` writes a workbook to fill")
            stats = read_basic_statistics(basic_stats, year)
            reg = read_register(register)
        merge = None
        if spec is not None or survey is not None:
            if spec is None:
                raise InputError("--survey needs --spec (the survey spec says which columns are programmes)")
            from sp2lnob.spi.from_survey import (
                merge_with_register,
                read_survey_for_spi,
                survey_inputs,
            )

            inputs = survey_inputs(read_survey_for_spi(spec, survey), line=line)
            mapping = _parse_map(survey_map) if survey_map else None
            merge = merge_with_register(reg, inputs, year or stats.year,
                                        fiscal_year_start_month=stats.fiscal_year_start_month, mapping=mapping)
            reg = merge.register
        options = {"normaliser": normaliser} if method == "2012" else {"target_group_weighting": weighting}
        result = compute_spi(stats, reg, year, method=method, **options)
        if out is not None:
            _write_out(result, out, merge)
        saved = []
        if charts is not None:
            from sp2lnob.spi.charts import plot_all

            saved = plot_all(result, charts)
        if as_json:
            payload = result.to_dict()
            if merge is not None:
                payload["figure_sources"] = merge.sources.to_dicts()
                payload["survey_inputs"] = merge.inputs.to_dict()
            if out is not None:
                payload["written"] = str(out)
            if saved:
                payload["charts"] = [str(p) for p in saved]
            emit_json(payload)
        else:
            typer.echo(result.summary())
            if merge is not None:
                typer.echo(merge.summary())
            if out is not None:
                typer.echo(f"written: {out}")
            for p in saved:
                typer.echo(f"chart: {p}")


@app.command("template")
def template(
    file: Annotated[Path, typer.Argument(help="Workbook to write (.xlsx).")],
    years: Annotated[str, typer.Option("--years", help="Comma-separated years of the columns.")] = "2008,2009,2010",
    example: Annotated[str | None, typer.Option("--example", help="Fill it with a shipped example (asiatica).")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the register template workbook (laid out like ADB's) to FILE."""
    with handle_errors(as_json):
        from sp2lnob.errors import InputError
        from sp2lnob.spi import load_example
        from sp2lnob.spi.excel_template import write_template

        if file.suffix.lower() != ".xlsx":
            raise InputError("the template is an Excel workbook", where=str(file), expected=".xlsx",
                             got=file.suffix or "(no suffix)")
        try:
            year_list = tuple(int(y) for y in years.split(",") if y.strip())
        except ValueError:
            raise InputError("--years must be comma-separated years", got=years) from None
        stats = reg = None
        if example is not None:
            stats, reg, _ = load_example(example)
        write_template(file, years=year_list, stats=stats, register=reg)
        if as_json:
            emit_json({"written": str(file)})
        else:
            typer.echo(f"written: {file}")
