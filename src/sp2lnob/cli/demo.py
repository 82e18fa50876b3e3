"""``sp2lnob demo-data DIR``: write the embedded demo survey (data, spec, codebook) to a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sp2lnob.cli._common import JSON_OPTION, emit_json, handle_errors


def register(app: typer.Typer) -> None:
    @app.command("demo-data")
    def demo_data(
        directory: Annotated[Path, typer.Argument(help="Folder to write into (created if missing).")],
        regenerate: Annotated[
            bool, typer.Option("--regenerate", help="Draw the data again instead of copying the shipped copy.")
        ] = False,
        households: Annotated[
            int, typer.Option("--households", min=1, help="Households to draw (with --regenerate).")
        ] = 10_000,
        seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed (with --regenerate).")] = 20240601,
        force: Annotated[bool, typer.Option("--force", help="Overwrite demo files already in DIR.")] = False,
        as_json: bool = JSON_OPTION,
    ) -> None:
        """Write the synthetic "Asiatica HIES 2024" survey and its spec, to study or adapt."""
        with handle_errors(as_json):
            from sp2lnob.demo import DEFAULT_HOUSEHOLDS, DEFAULT_SEED, write_demo
            from sp2lnob.errors import InputError

            if not regenerate and (households != DEFAULT_HOUSEHOLDS or seed != DEFAULT_SEED):
                raise InputError(
                    "--households and --seed need --regenerate",
                    where="demo-data",
                    expected="--regenerate with --households/--seed, or neither",
                    hint="add --regenerate to draw a new sample",
                )
            paths = write_demo(
                directory, regenerate=regenerate, n_households=households, seed=seed, overwrite=force
            )
        spec = next(p for p in paths if p.suffix == ".yaml")
        if as_json:
            emit_json(
                {
                    "directory": str(directory),
                    "files": [str(p) for p in paths],
                    "spec": str(spec),
                    "regenerated": regenerate,
                    "households": households,
                    "seed": seed,
                }
            )
        else:
            for p in paths:
                typer.echo(str(p))
            typer.echo(f"Load it with: sp2lnob.read_survey({str(spec)!r})")
