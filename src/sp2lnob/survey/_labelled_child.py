"""Read one Stata / SPSS file, in a child process (see ``readers._read_labelled_isolated``).

``python -I _labelled_child.py FILE SUFFIX OUTDIR COLUMNS_JSON`` writes
``data.arrow`` (the table) and ``meta.pickle`` (value and variable labels) to
OUTDIR, or ``error.txt`` when the reader raises. If ReadStat crashes, only this
process dies and the parent reports the file as corrupt. The module imports
nothing from sp2lnob, so the child starts fast (Polars and pyreadstat only).
"""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path
from typing import Any

import polars as pl


def read_labelled(p: Path, suffix: str, columns: list[str] | None) -> tuple[pl.DataFrame, dict, dict[str, str]]:
    """(data with codes, value labels ``{column: {code: label}}``, variable labels) of a .dta/.sav file."""
    import pyreadstat

    reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
    df, meta = reader(str(p), apply_value_formats=False, output_format="polars")
    # Stata / SPSS missing values arrive as NaN in float columns: make them nulls.
    df = df.with_columns(pl.col(pl.Float32, pl.Float64).fill_nan(None))
    labels = {col: _normalise_codes(mapping) for col, mapping in (meta.variable_value_labels or {}).items()}
    var_labels = {c: lab for c, lab in (meta.column_names_to_labels or {}).items() if lab}
    return df, labels, var_labels


def _normalise_codes(mapping: dict[Any, str]) -> dict[Any, str]:
    """SPSS stores codes as floats: 1.0 -> 1 so they match YAML and integer columns."""
    out: dict[Any, str] = {}
    for code, label in mapping.items():
        if isinstance(code, float) and code.is_integer():
            code = int(code)
        out[code] = str(label)
    return out


def main(argv: list[str]) -> int:
    from polars.exceptions import PanicException

    path, suffix, outdir, columns = argv
    out = Path(outdir)
    try:
        df, labels, var_labels = read_labelled(Path(path), suffix, json.loads(columns))
    except (Exception, PanicException) as exc:  # noqa: BLE001 - reported to the parent as a bad file
        (out / "error.txt").write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")
        return 2
    df.write_ipc(out / "data.arrow")
    (out / "meta.pickle").write_bytes(pickle.dumps((labels, var_labels)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
