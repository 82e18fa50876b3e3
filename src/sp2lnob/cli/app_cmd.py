"""``sp2lnob app``: start the web app (on the embedded demo survey by default)."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("app")
    def run_app(
        survey: Path | None = typer.Option(None, "--survey", help="Survey spec (YAML). Default: the demo survey."),
        host: str = typer.Option("127.0.0.1", help="Address to listen on (default: this machine only)."),
        port: int = typer.Option(8000, help="Port."),
        public: bool = typer.Option(False, "--public", help="Read-only public showcase (no uploads, no microdata)."),
    ) -> None:
        """Start the web app in your browser at http://HOST:PORT."""
        import uvicorn

        from sp2lnob.app import create_app

        typer.echo(f"sp2lnob app on http://{host}:{port} (Ctrl+C to stop)")
        uvicorn.run(create_app(survey, public=public), host=host, port=port, log_level="warning")
