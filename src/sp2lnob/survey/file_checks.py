"""Checks on a data file's bytes that turn a reader's failure into a message a user can act on.

A CSV saved by Excel on Windows is often Latin-1 / Windows-1252, or UTF-16
("Unicode text"); Polars reads only UTF-8. Rows with more fields than the
header, repeated column names and Excel cells holding formulas are the other
common traps. Each check reads the file in chunks (no whole-file copy in memory).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from sp2lnob.errors import InputError, Warning_

_CHUNK = 1 << 20
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# a formula cell in a worksheet part: <f>...</f>, <f t="shared" .../>, ...
_FORMULA_TAG = re.compile(rb"<f[ >/]")


def check_size(p: Path, max_bytes: int | None) -> None:
    """Refuse a file above ``max_bytes`` before reading any of it."""
    if max_bytes is None:
        return
    size = p.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"{p.name} is too large to read here",
            where=str(p),
            expected=f"at most {max_bytes:,} bytes",
            got=f"{size:,} bytes",
            hint="keep only the columns the spec needs, or run the analysis with the command line on a larger machine",
        )


def not_utf8_error(p: Path) -> InputError | None:
    """An :class:`InputError` naming the first line that is not UTF-8 text, or None if the file is UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with p.open("rb") as fh:
        head = fh.read(2)
        if head in UTF16_BOMS:
            return _encoding_error(p, "UTF-16 (Unicode text)", None)
        fh.seek(0)
        while chunk := fh.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line += chunk[: exc.start].count(b"\n")
                return _encoding_error(p, "not UTF-8 (Latin-1 / Windows-1252?)", line)
            line += chunk.count(b"\n")
    return None


def _encoding_error(p: Path, got: str, line: int | None) -> InputError:
    return InputError(
        f"cannot read {p.name}: the text is not UTF-8",
        where=p.name + (f": line {line}" if line is not None else ""),
        expected="a UTF-8 CSV file",
        got=got,
        hint="save it again as 'CSV UTF-8' (Excel: Save As > CSV UTF-8), "
        "or convert it: iconv -f WINDOWS-1252 -t UTF-8 in.csv > out.csv",
    )


def ragged_error(p: Path) -> InputError:
    return InputError(
        f"cannot read {p.name}: some rows have more fields than the header",
        where=p.name,
        expected="the same number of comma-separated fields on every row",
        hint="a comma inside an unquoted text value? quote text fields (\"...\") or export the file again",
    )


def duplicated_columns_error(p: Path, names: list[str]) -> InputError:
    return InputError(
        f"{p.name} has repeated column names",
        where=p.name,
        expected="each column name once",
        got=", ".join(names),
        hint="rename or delete the repeated columns",
    )


def excel_formula_cells(p: Path) -> int:
    """Number of formula cells in an .xlsx workbook's sheets (0 when the file is not a zip)."""
    try:
        with zipfile.ZipFile(p) as zf:
            n = 0
            for name in zf.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                tail = b""
                with zf.open(name) as fh:
                    while chunk := fh.read(_CHUNK):
                        # keep 3 bytes of overlap so a tag split across chunks is counted once
                        n += len(_FORMULA_TAG.findall(tail + chunk))
                        tail = chunk[-3:] if not _FORMULA_TAG.search(chunk[-3:]) else b""
            return n
    except (zipfile.BadZipFile, OSError):
        return 0


def excel_formula_report(p: Path) -> list[Warning_]:
    """Formulas are read as the values Excel last saved with them: say so, with the count."""
    n = excel_formula_cells(p)
    if n == 0:
        return []
    return [
        Warning_(
            what="cells of the workbook hold formulas: their last saved values were read",
            count=n,
            where=p.name,
            hint="a workbook written by a program that does not calculate saves no values (read as 0 or blank): "
            "open it in Excel and save it, or paste the cells as values",
        )
    ]
