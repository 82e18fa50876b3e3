"""``sp2lnob indicators SURVEY_SPEC`` — ASPIRE / ADePT SP performance indicators (thin)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sp2lnob.cli._common import JSON_OPTION, emit_json, handle_errors, progress


def indicators(
    survey_spec: Annotated[Path, typer.Argument(help="Survey spec (YAML).")],
    by: Annotated[list[str] | None, typer.Option("--by", help="Extra grouping variable (role or column); repeatable.")] = None,
    line: Annotated[list[str] | None, typer.Option("--line", help="Poverty line name of the spec; repeatable (default: all).")] = None,
    ntiles: Annotated[int, typer.Option("--ntiles", min=2, help="Welfare groups: 5 quintiles, 10 deciles.")] = 5,
    lonely_psu: Annotated[str | None, typer.Option("--lonely-psu", help="Strata with one PSU: adjust, average, remove, certainty.")] = None,
    employment_status: Annotated[str | None, typer.Option("--employment-status", help="Column of employment status (context).")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="Column of sector of employment (context).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the indicators (.csv, .parquet, .json, .xlsx).")] = None,
    chart: Annotated[Path | None, typer.Option("--chart", help="Also write the charts to this directory (PNG).")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """Coverage, incidence, adequacy, poverty and Gini impact, overlap, with SEs, for every programme."""
    from sp2lnob.performance.export import write_result
    from sp2lnob.performance.from_survey import indicators_from_survey
    from sp2lnob.survey import read_survey

    with handle_errors(as_json):
        with progress("computing indicators", enabled=not as_json):
            survey = read_survey(survey_spec)
            result = indicators_from_survey(survey, by=by or (), lines=line, ntiles=ntiles,
                                            lonely_psu=lonely_psu, employment_status=employment_status,
                                            sector=sector)
        written = str(write_result(result, out)) if out is not None else None
        charts = []
        if chart is not None:
            from sp2lnob.performance.charts import write_charts

            charts = [str(p) for p in write_charts(result, chart)]
        if as_json:
            payload = result.to_dict() if out is None else {
                "out": written, "rows": result.frame.height, "meta": result.meta,
                "warnings": [w.to_dict() for w in result.warnings]}
            payload["charts"] = charts
            emit_json(payload)
        else:
            typer.echo(result.summary())
            if written:
                typer.echo(f"wrote {written} ({result.frame.height} rows)")
            for c in charts:
                typer.echo(f"wrote {c}")


def register(app: typer.Typer) -> None:
    app.command("indicators")(indicators)
