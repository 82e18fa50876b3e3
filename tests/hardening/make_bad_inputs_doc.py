"""Write docs/bad-inputs.md from the catalogue in ``bad_inputs.py`` (so page and tests cannot drift).

Run from the repository root: ``.venv/bin/python -m tests.hardening.make_bad_inputs_doc``.
``test_doc.py`` fails when the committed page differs from what this writes.
"""

from __future__ import annotations

from pathlib import Path

from .bad_inputs import CASES

DOC = Path(__file__).resolve().parents[2] / "docs" / "bad-inputs.md"

INTRO = """# Bad inputs: what you see

Government survey files are messy. sp2lnob answers every bad input below with a
structured error (`what`, `where`, `expected`, `got`, `hint`: the CLI prints
them one per line, `--json` and the app show the same fields) or, when the
input can be used safely, with a reported note that counts the rows affected.
Nothing is dropped without a count.

This page is generated from the test cases in `tests/hardening/bad_inputs.py`
by `python -m tests.hardening.make_bad_inputs_doc`; the tests assert each
message below word for word, so the page cannot drift from the code. The
readers, spec loaders and register loaders are also fuzzed
(`tests/hardening/test_fuzz_*.py`): random and mutated files raise only these
structured errors. Two guards found by that fuzzing: a corrupt Parquet file can
make Polars panic (caught), and a corrupt SPSS file can crash ReadStat outright,
so Stata and SPSS files are read in a child process and a crash there is
reported as a corrupt file (about half a second per file).

Exports (CSV, Excel) prefix text starting with `= + - @` with an apostrophe so
no name typed by a user runs as a spreadsheet formula; file names made from
user text (LNOB tree pictures) keep only letters, digits, `. _ -` and stay in
the output folder; the same inputs and seeds give byte-identical files
(`sp2lnob.exports`, tested in `tests/hardening/test_export_safety.py` and
`test_determinism.py`).

Columns: **kind** is the error class (`InputError`: the file cannot be read;
`SpecError`: a configuration file is wrong; `DataError`: the data break a rule;
`ExpressionError`: a rule written in a spec is not allowed) or *note* when the
input is accepted and reported; **count** is the number of rows (persons)
excluded or affected that the note reports.
"""


def _cell(text: str | None) -> str:
    return "" if text is None else text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    lines = [INTRO]
    for area in dict.fromkeys(c.area for c in CASES):
        lines.append(f"\n## {area[0].upper() + area[1:]}\n")
        lines.append("| # | bad input | kind | message (`what`) | hint | count |")
        lines.append("|---|---|---|---|---|---|")
        for case in (c for c in CASES if c.area == area):
            kind = case.error.__name__ if case.error is not None else "note"
            count = "" if case.count is None else str(case.count)
            lines.append(f"| `{case.id}` | {_cell(case.title)} | {kind} | {_cell(case.what)} | "
                         f"{_cell(case.hint)} | {count} |")
    lines.append(f"\n{len(CASES)} cases.\n")
    return "\n".join(lines)


def main() -> None:
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC} ({len(CASES)} cases)")


if __name__ == "__main__":
    main()
