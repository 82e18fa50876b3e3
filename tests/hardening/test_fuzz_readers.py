"""Fuzzing the survey readers with valid files cut short, with flipped or inserted bytes.

Every outcome is either a table or a structured :class:`~sp2lnob.errors.Sp2lnobError`
(usually ``InputError: cannot read ...``): no parser exception reaches the user.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sp2lnob.errors import Sp2lnobError

from ._data import PERSONS, SPEC
from ._fuzz import FUZZ_EXAMPLES, mutated_bytes

FUZZ = settings(max_examples=FUZZ_EXAMPLES // 2, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _valid_bytes(suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"persons{suffix}"
        if suffix == ".csv":
            PERSONS.write_csv(p)
        elif suffix == ".parquet":
            PERSONS.write_parquet(p)
        elif suffix == ".xlsx":
            buf = io.BytesIO()
            PERSONS.write_excel(buf)
            p.write_bytes(buf.getvalue())
        else:
            import pyreadstat

            writer = pyreadstat.write_dta if suffix == ".dta" else pyreadstat.write_sav
            writer(PERSONS.to_pandas(), str(p), variable_value_labels={"hh": {1: "first"}})
        return p.read_bytes()


SUFFIXES = (".csv", ".parquet", ".xlsx", ".dta", ".sav")
VALID = {s: _valid_bytes(s) for s in SUFFIXES}


def _read(suffix: str, data: bytes) -> None:
    from sp2lnob.survey import read_survey

    with tempfile.TemporaryDirectory(prefix="sp2lnob-fuzz-") as d:
        (Path(d) / f"persons{suffix}").write_bytes(data)
        try:
            # read_table, then whatever was read goes on through the survey checks
            survey = read_survey({**SPEC, "files": {"data": f"persons{suffix}"}}, base_dir=d)
            assert survey.n_persons >= 1
        except Sp2lnobError as err:
            assert err.what
            err.to_dict()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_valid_files_read_back(suffix):
    from sp2lnob.survey import read_survey

    with tempfile.TemporaryDirectory() as d:
        (Path(d) / f"persons{suffix}").write_bytes(VALID[suffix])
        survey = read_survey({**SPEC, "files": {"data": f"persons{suffix}"}}, base_dir=d)
    assert survey.n_persons == PERSONS.height


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
@FUZZ
@given(data=st.data())
def test_mutated_files_raise_only_structured_errors(suffix, data):
    _read(suffix, data.draw(mutated_bytes(VALID[suffix])))


# Stata / SPSS files are read in a child process (ReadStat can crash on corrupt files, see
# survey/readers.py), about half a second each: fewer examples keep the suite fast.
@pytest.mark.parametrize("suffix", [".dta", ".sav"])
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_stata_and_spss_files_raise_only_structured_errors(suffix, data):
    _read(suffix, data.draw(mutated_bytes(VALID[suffix])))


def test_a_reader_crash_is_a_structured_error(tmp_path, monkeypatch):
    """The child process dying of a segmentation fault (as ReadStat does on some corrupt .sav files)
    is an InputError, and this process survives."""
    import sys

    from sp2lnob.errors import InputError
    from sp2lnob.survey import readers

    (tmp_path / "persons.sav").write_bytes(VALID[".sav"])
    monkeypatch.setattr(readers, "_child_command",
                        lambda *_: [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"])
    with pytest.raises(InputError) as err:
        readers.read_table(tmp_path / "persons.sav")
    assert err.value.what == "cannot read persons.sav: the file is corrupt, truncated or not a .sav file"
    assert err.value.got == "the Stata/SPSS reader crashed on this file"


def test_labelled_files_keep_their_labels_through_the_child_process(tmp_path):
    from sp2lnob.survey.readers import read_table

    (tmp_path / "persons.dta").write_bytes(VALID[".dta"])
    df, labels, _ = read_table(tmp_path / "persons.dta")
    assert df.equals(PERSONS.cast({c: df.schema[c] for c in PERSONS.columns}))
    assert labels == {"hh": {1: "first"}}
