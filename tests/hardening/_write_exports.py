"""Write every export of the engines into one directory (used by ``test_determinism.py``).

Run as ``python -m tests.hardening._write_exports OUTDIR``; the test runs it twice,
in fresh processes with different ``PYTHONHASHSEED`` values, and compares the bytes.
Goes through the command line (the path users take) where one exists.
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner


def write_all(out: Path) -> list[Path]:
    from sp2lnob.cli import app
    from sp2lnob.demo import demo_spec_path
    from sp2lnob.performance import indicators_from_survey, write_result
    from sp2lnob.survey import read_survey

    from ._data import PERSONS, SPEC

    out.mkdir(parents=True, exist_ok=True)
    runner = CliRunner()
    spec = str(demo_spec_path())
    lnob_spec = str(Path(spec).with_name("asiatica_lnob.yaml"))

    def cli(*args: str) -> None:
        res = runner.invoke(app, list(args))
        if res.exit_code != 0:
            raise RuntimeError(f"{args}: {res.output}")

    survey = read_survey(SPEC, data=PERSONS)
    result = indicators_from_survey(survey, context=False)
    for suffix in (".csv", ".parquet", ".json", ".xlsx"):
        write_result(result, out / f"indicators{suffix}")
        cli("spi", "--example", "asiatica", "--out", str(out / f"spi{suffix}")) if suffix != ".parquet" else None
        cli("simulate", spec, "--scheme", "universal_child_benefit", "--scheme", "poverty_targeted_transfer",
            "--seed", "11", "--out", str(out / f"simulate{suffix}"))
        if suffix != ".json":
            cli("lnob", spec, "--lnob-spec", lnob_spec, "--indicator", "basic_water", "--shapley", "none",
                "--out", str(out / f"lnob{suffix}"))
    cli("spi", "template", str(out / "spi_template.xlsx"))
    return sorted(out.iterdir())


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1])):
        print(path.name)
