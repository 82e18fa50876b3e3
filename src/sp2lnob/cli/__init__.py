"""The ``sp2lnob`` command line (thin: it parses, calls the engines, prints).

Sub-commands live in sibling modules and import the engines lazily so
``sp2lnob --help`` stays fast. Unknown options are errors (click's default).
"""

from __future__ import annotations

import importlib

import typer

from sp2lnob import __version__

app = typer.Typer(
    name="sp2lnob",
    help="Social protection analysis: surveys, ASPIRE indicators, the ADB SPI, LNOB trees, simulation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sp2lnob {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """sp2lnob: open, reproducible social protection analysis."""


# (module, attribute, name or None to merge commands at the top level)
_SUBCOMMANDS: list[tuple[str, str, str | None]] = [
    ("sp2lnob.cli.survey", "register", None),
    ("sp2lnob.cli.demo", "register", None),
    ("sp2lnob.cli.spi", "app", "spi"),
    ("sp2lnob.cli.indicators", "register", None),
    ("sp2lnob.cli.lnob", "register", None),
    ("sp2lnob.cli.simulate", "register", None),
    ("sp2lnob.cli.impact", "register", None),
    ("sp2lnob.cli.report", "register", None),
    ("sp2lnob.cli.app_cmd", "register", None),
    ("sp2lnob.cli.scale", "app", "scale"),
]


def _load_subcommands() -> None:
    for module_name, attr, name in _SUBCOMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:  # a sub-command not built yet
            if exc.name == module_name:
                continue
            raise
        obj = getattr(module, attr)
        if name is None:
            obj(app)
        else:
            app.add_typer(obj, name=name)


_load_subcommands()


def main() -> None:
    app()
