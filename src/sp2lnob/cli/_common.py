"""Shared CLI plumbing: error rendering, JSON output, progress.

Commands call :func:`handle_errors` around their work so a structured
:class:`~sp2lnob.errors.Sp2lnobError` becomes a readable message (or a JSON
object with ``--json``) and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import typer

from sp2lnob.errors import Sp2lnobError

T = TypeVar("T")

JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON instead of text.")


def _default(obj: Any) -> Any:
    if hasattr(obj, "to_dicts"):  # polars DataFrame: one object per row
        return obj.to_dicts()
    if hasattr(obj, "to_dict"):  # sp2lnob results
        return obj.to_dict()
    if isinstance(obj, (date, datetime, Path)):
        return str(obj)
    if hasattr(obj, "to_list"):  # polars Series
        return obj.to_list()
    if getattr(obj, "ndim", None) == 0 and hasattr(obj, "item"):  # numpy scalars
        return obj.item()
    if hasattr(obj, "tolist"):  # numpy arrays
        return obj.tolist()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def _clean(obj: Any) -> Any:
    """NaN/inf are not JSON: write them as null."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return obj


def dumps(payload: Any) -> str:
    return json.dumps(_clean(json.loads(json.dumps(payload, default=_default, allow_nan=True))), indent=2, ensure_ascii=False)


def emit_json(payload: Any) -> None:
    typer.echo(dumps(payload))


@contextmanager
def handle_errors(as_json: bool = False) -> Iterator[None]:
    try:
        yield
    except Sp2lnobError as err:
        if as_json:
            typer.echo(dumps({"error": err.to_dict()}))
        else:
            from rich.console import Console
            from rich.markup import escape

            console = Console(stderr=True)
            # Values come from user files: escape them so '[' in a name is not read as markup.
            console.print(f"[bold red]{type(err).__name__}:[/] {escape(err.what)}", highlight=False)
            for label in ("where", "expected", "got", "hint"):
                value = getattr(err, label)
                if value is not None:
                    console.print(f"  [bold]{label}:[/] {escape(str(value))}", highlight=False)
            for d in err.details:
                console.print(escape(f"  - {d.what}" + (f" ({d.where})" if d.where else "")), highlight=False)
        raise typer.Exit(code=2) from None


def run(as_json: bool, fn: Callable[[], T]) -> T:
    with handle_errors(as_json):
        return fn()


@contextmanager
def progress(description: str, total: int | None = None, enabled: bool = True):
    """A Rich progress bar on stderr (silent when not a terminal or disabled)."""
    from rich.progress import Progress

    if not enabled or not sys.stderr.isatty():
        yield lambda advance=1: None
        return
    with Progress(transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda advance=1: bar.update(task, advance=advance)
