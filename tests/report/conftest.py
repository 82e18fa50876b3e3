"""Shared fixtures: one analysis of the demo survey, with a register whose programme names are hostile."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import sp2lnob.data as data_pkg

EXAMPLE = Path(data_pkg.__file__).parent / "examples" / "asiatica"
LNOB_SPEC = Path(data_pkg.__file__).parent / "demo" / "asiatica_lnob.yaml"
# Names a user could type that a spreadsheet would run as formulas, plus markup.
HOSTILE = ["=HYPERLINK(\"http://x\",\"click\")", "+1+2", "-3", "@SUM(A1)", "<script>alert(1)</script>"]


@pytest.fixture(scope="session")
def hostile_register(tmp_path_factory) -> Path:
    reg = pl.read_csv(EXAMPLE / "register.csv", infer_schema=False)
    names = reg["name"].to_list()
    names[: len(HOSTILE)] = HOSTILE
    path = tmp_path_factory.mktemp("register") / "register.csv"
    reg.with_columns(pl.Series("name", names)).write_csv(path)
    return path


@pytest.fixture(scope="session")
def analysis(hostile_register):
    from sp2lnob.demo import demo_spec_path
    from sp2lnob.report import build_analysis

    return build_analysis(demo_spec_path(), register=hostile_register, basic_stats=EXAMPLE / "basic_statistics.csv",
                          spi_year=2009, schemes=["universal_child_benefit"], lnob_spec=LNOB_SPEC, seed=7)
