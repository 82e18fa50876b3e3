"""``sp2lnob app``: start the web app (on the embedded demo survey by default)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("app")
    def run_app(
        survey: Annotated[Path | None, typer.Option(
            "--survey", help="Survey spec (YAML), or the survey's data file with --spec. Default: the demo.")] = None,
        spec: Annotated[Path | None, typer.Option(
            "--spec", help="Survey spec (YAML) naming the data files (docs/survey-spec.md).")] = None,
        host: Annotated[str, typer.Option(help="Address to listen on (default: this machine only).")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port.")] = 8000,
        public: Annotated[bool, typer.Option(
            "--public", help="Read-only public showcase (no uploads, no microdata).")] = False,
        showcase: Annotated[Path | None, typer.Option(
            "--showcase", help="Scenarios of the public showcase (YAML, saved from the Simulator page).")] = None,
        lnob_spec: Annotated[Path | None, typer.Option(
            "--lnob-spec", help="LNOB spec (YAML) of the LNOB and SP2LNOB pages. Default: the demo's.")] = None,
    ) -> None:
        """Start the web app in your browser at http://HOST:PORT."""
        import uvicorn

        from sp2lnob.app import create_app
        from sp2lnob.cli._common import handle_errors
        from sp2lnob.errors import InputError

        if showcase is not None and not public:
            typer.echo("--showcase is used with --public; starting the analyst app without it", err=True)
        with handle_errors(False):
            spec_path = spec or survey
            if spec_path is not None and spec_path.suffix.lower() not in (".yaml", ".yml"):
                raise InputError("the app reads a survey through its spec", where=str(spec_path),
                                 expected="a survey spec (.yaml)", got=spec_path.suffix or "(no extension)",
                                 hint="give --spec SPEC.yaml (its files: section names the data files); "
                                      "`sp2lnob spec init DATA` writes one")
            if spec_path is not None and not spec_path.exists():
                raise InputError("survey spec not found", where=str(spec_path))
            application = create_app(spec_path, public=public, showcase=showcase, lnob_spec=lnob_spec)
        typer.echo(f"sp2lnob app on http://{host}:{port}" + (" (public showcase)" if public else "")
                   + " (Ctrl+C to stop)")
        uvicorn.run(application, host=host, port=port, log_level="warning")
