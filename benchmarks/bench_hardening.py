"""Cost of the reader guards (tests/hardening): Stata files read in a child process, the
UTF-8 scan of a CSV that fails to parse, and the formula count of an .xlsx, at 10^4..10^6 rows."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import polars as pl

from benchmarks.harness import Case

# one directory for every generated file, removed when the interpreter exits
_TMP = tempfile.TemporaryDirectory(prefix="sp2lnob-bench-hardening-")


def _new_path(name: str) -> Path:
    return Path(tempfile.mkdtemp(dir=_TMP.name)) / name


def _frame(n: int) -> pl.DataFrame:
    rng = np.random.default_rng(1)
    return pl.DataFrame({"hh": np.arange(n) // 4, "pid": np.arange(n) % 4, "w": rng.uniform(1, 100, n),
                         "y": rng.lognormal(8, 1, n), "age": rng.integers(0, 90, n)})


def _dta(n: int) -> Path:
    import pyreadstat

    p = _new_path("persons.dta")
    pyreadstat.write_dta(_frame(n).to_pandas(), str(p))
    return p


def _latin1_csv(n: int) -> Path:
    p = _new_path("persons.csv")
    text = _frame(n).write_csv() + "1,1,1,1,Jos\xe9\n"
    p.write_bytes(text.encode("latin-1"))
    return p


def _xlsx(n: int) -> Path:
    p = _new_path("persons.xlsx")
    _frame(n).write_excel(p)
    return p


def _read_isolated(p: Path):
    from sp2lnob.survey.readers import read_table

    return read_table(p)


def _read_direct(p: Path):
    from sp2lnob.survey.readers import _read_labelled

    return _read_labelled(p, ".dta", None)


def _encoding_scan(p: Path):
    from sp2lnob.survey.file_checks import not_utf8_error

    return not_utf8_error(p)


def _formula_count(p: Path):
    from sp2lnob.survey.file_checks import excel_formula_cells

    return excel_formula_cells(p)


def cases() -> list[Case]:
    out: list[Case] = []
    for n in (10**4, 10**5, 10**6):
        out.append(Case("hardening", "read .dta in a child process", n, lambda n=n: _dta(n), _read_isolated,
                        repeat=3, note="read_table: ReadStat isolated from the main process"))
        out.append(Case("hardening", "read .dta in process (no guard)", n, lambda n=n: _dta(n), _read_direct,
                        repeat=3, note="the same read without the child, for comparison"))
        out.append(Case("hardening", "UTF-8 scan of a failed CSV", n, lambda n=n: _latin1_csv(n), _encoding_scan,
                        repeat=3))
    for n in (10**4, 10**5):
        out.append(Case("hardening", "formula count of an .xlsx", n, lambda n=n: _xlsx(n), _formula_count, repeat=3))
    return out
