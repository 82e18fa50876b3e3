"""docs/bad-inputs.md is exactly what the catalogue generates."""

from __future__ import annotations

from .make_bad_inputs_doc import DOC, render


def test_bad_inputs_page_matches_the_catalogue():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/bad-inputs.md is out of date: run `python -m tests.hardening.make_bad_inputs_doc`")
