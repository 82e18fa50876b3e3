"""The bad-input catalogue: each case spoils one valid input and names the message the user must see.

``docs/bad-inputs.md`` is generated from :data:`CASES` by ``make_bad_inputs_doc.py``
(and a test fails when the page and the cases differ), so the page shows
exactly the messages the tests assert. A case either raises (``error`` set:
the error's ``what`` and ``hint`` must equal ``what`` and ``hint``) or is
handled with a report (``error`` None: ``run`` returns the warnings, one of
which must have ``what`` and, where rows are excluded or affected, ``count``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

from sp2lnob.errors import DataError, ExpressionError, InputError, Sp2lnobError, SpecError

from ._data import PERSONS, SPEC, example_text, persons_with, spec_with


@dataclass(frozen=True)
class BadInput:
    id: str
    area: str
    title: str
    run: Callable[[Path], Any]
    error: type[Sp2lnobError] | None
    what: str
    hint: str | None = None
    count: int | None = None


def _survey(spec: dict | None = None, data: pl.DataFrame | None = None) -> Callable[[Path], Any]:
    def run(_: Path) -> Any:
        from sp2lnob.survey import read_survey

        return read_survey(spec or SPEC, data=PERSONS if data is None else data).report
    return run


def _file(name: str, content: bytes, *, max_bytes: int | None = None) -> Callable[[Path], Any]:
    def run(d: Path) -> Any:
        from sp2lnob.survey.readers import read_table

        (d / name).write_bytes(content)
        return read_table(d / name, max_bytes=max_bytes)
    return run


def _csv(df: pl.DataFrame) -> bytes:
    return df.write_csv().encode("utf-8")


def _parquet_cut(d: Path) -> Any:
    from sp2lnob.survey.readers import read_table

    PERSONS.write_parquet(d / "persons.parquet")
    data = (d / "persons.parquet").read_bytes()
    (d / "persons.parquet").write_bytes(data[: len(data) // 2])
    return read_table(d / "persons.parquet")


def _excel_with_formula(d: Path) -> Any:
    import xlsxwriter

    from sp2lnob.survey import read_survey

    wb = xlsxwriter.Workbook(str(d / "persons.xlsx"))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, PERSONS.columns)
    for i, row in enumerate(PERSONS.iter_rows(), start=1):  # a 20-row fixture
        ws.write_row(i, 0, row)
    ws.write_formula(1, 3, "=900*1", None, 900)  # welfare of the first person as a formula (cached 900)
    wb.close()
    return read_survey(spec_with((("files",), {"data": "persons.xlsx"})), base_dir=d).report


def _spec_file(text: bytes) -> Callable[[Path], Any]:
    def run(d: Path) -> Any:
        from sp2lnob.survey import load_spec

        (d / "survey.yaml").write_bytes(text)
        return load_spec(d / "survey.yaml")
    return run


def _indicators_with_amounts_in_wrong_unit(_: Path) -> Any:
    from sp2lnob.performance import indicators_from_survey
    from sp2lnob.survey import read_survey

    # amounts typed in LCU while welfare is in thousands: 1000x too large
    survey = read_survey(SPEC, data=PERSONS.with_columns(y=pl.col("y") / 1000))
    return indicators_from_survey(survey, context=False).warnings


def _register(text: str, name: str = "register.csv", encoding: str = "utf-8") -> Callable[[Path], Any]:
    def run(d: Path) -> Any:
        from sp2lnob.spi import read_register

        (d / name).write_text(text, encoding=encoding)
        return read_register(d / name)
    return run


def _spi_with_register(text: str) -> Callable[[Path], Any]:
    def run(d: Path) -> Any:
        from sp2lnob.spi import compute_spi, read_basic_statistics, read_register

        (d / "register.csv").write_text(text, encoding="utf-8")
        (d / "basic_statistics.csv").write_text(example_text("basic_statistics.csv"), encoding="utf-8")
        result = compute_spi(read_basic_statistics(d / "basic_statistics.csv"), read_register(d / "register.csv"),
                             2009)
        return result.warnings
    return run


def _basic_statistics(text: str) -> Callable[[Path], Any]:
    def run(d: Path) -> Any:
        from sp2lnob.spi import read_basic_statistics

        (d / "basic_statistics.csv").write_text(text, encoding="utf-8")
        return read_basic_statistics(d / "basic_statistics.csv")
    return run


def _scheme(payload: Any) -> Callable[[Path], Any]:
    def run(d: Path) -> Any:
        from sp2lnob.simulate import load_scheme

        (d / "scheme.yaml").write_text(yaml.safe_dump(payload), encoding="utf-8")
        return load_scheme(d / "scheme.yaml")
    return run


def _scheme_run(when: str) -> Callable[[Path], Any]:
    def run(_: Path) -> Any:
        from sp2lnob.simulate import load_scheme, prepare, simulate
        from sp2lnob.survey import read_survey

        scheme = load_scheme("universal_child_benefit").with_values({"eligibility.when": when})
        return simulate(prepare(read_survey(SPEC, data=PERSONS)), scheme, seed=1)
    return run


_READY_SCHEME: dict[str, Any] = {
    "scheme_version": 1, "name": "child_grant", "label": "Child grant", "date": "2024-06-01", "source": "test",
    "eligibility": {"when": "age < 18"}, "benefit": {"per": "person", "amount": 100},
}


def _lnob(payload: Any) -> Callable[[Path], Any]:
    def run(d: Path) -> Any:
        from sp2lnob.opportunity import load_lnob_spec

        (d / "lnob.yaml").write_text(yaml.safe_dump(payload), encoding="utf-8")
        return load_lnob_spec(d / "lnob.yaml")
    return run


_LNOB: dict[str, Any] = {
    "spec_version": 1, "name": "test",
    "circumstances": [{"name": "wealth", "builtin": "wealth_b40"}],
    "indicators": [{"name": "old", "outcome": "age >= 65", "circumstances": ["wealth"]}],
}


def _measure(fn: Callable[[], Any]) -> Callable[[Path], Any]:
    return lambda _: fn()


_REGISTER = example_text("register.csv")
_BASIC = example_text("basic_statistics.csv")
_NOT_UTF8_HINT = ("save it again as 'CSV UTF-8' (Excel: Save As > CSV UTF-8), or convert it: "
                  "iconv -f WINDOWS-1252 -t UTF-8 in.csv > out.csv")
_CORRUPT_HINT = "open it in the software that wrote it and save it again"
_VARIES_HINT = ("household-level variables must be the same for every member; fix the file or map the role to a "
                "household-level column")
_NUMERIC_HINT = "recode the column to numbers in the source file (labels go under `labels:`)"
_DUP_HINT = "remove the duplicate rows or check which columns identify a row"

def _upload(name: str, size: int = 10) -> Callable[[Path], Any]:
    """An upload through the app's own per-session store (type and size checks of the Data page)."""

    def run(tmp: Path) -> Any:
        from sp2lnob.app.state import DATA_SUFFIXES, SessionFiles

        source = tmp / "uploaded.bin"
        with open(source, "wb") as fh:
            fh.truncate(size)  # sparse: a "large" file without writing its bytes
        files = SessionFiles()
        try:
            return files.keep({"name": name, "datapath": str(source)}, DATA_SUFFIXES)
        finally:
            files.remove()

    return run


def _bootstrap_lonely_psu(_: Path) -> Any:
    from sp2lnob.survey.design import Design
    from sp2lnob.variance import estimate

    design = Design(weights=np.ones(5), strata=np.array([0, 0, 0, 1, 1]), psu=np.array([0, 1, 1, 2, 2]))
    return estimate("mean", np.arange(5.0), design, method="bootstrap", replicates=10, seed=1)


def _partitions(spoil: Callable[[Path], None], **kwargs: Any) -> Callable[[Path], Any]:
    """Three good Parquet partitions, one spoiled, then the scale-out measures (in-process)."""

    def run(d: Path) -> Any:
        from sp2lnob.scale import measures, write_partitions

        rng = np.random.default_rng(1)
        frame = pl.DataFrame({"y": rng.lognormal(8, 1, 300), "w": rng.uniform(1, 3, 300)})
        write_partitions(frame, d / "parts", rows_per_file=100)
        spoil(d / "parts")
        return measures(d / "parts", welfare="y", weight="w", **{"measures": ["mean"], **kwargs})
    return run


def _negative_weight_partition(d: Path) -> None:
    pl.DataFrame({"y": [1.0, 2.0], "w": [1.0, -2.0]}).write_parquet(d / "part-00009.parquet")


def _other_schema_partition(d: Path) -> None:
    pl.DataFrame({"y": [1.0], "weight": [1.0]}).write_parquet(d / "part-00009.parquet")


CASES: list[BadInput] = [
    # --- data files -----------------------------------------------------------------------------
    BadInput("csv-latin1", "data file", "CSV saved as Latin-1 (Windows-1252) instead of UTF-8",
             _file("persons.csv", "hh,name\n1,Ana\n2,Jos\xe9\n".encode("latin-1")), InputError,
             "cannot read persons.csv: the text is not UTF-8", _NOT_UTF8_HINT),
    BadInput("csv-utf16", "data file", "CSV saved as UTF-16 ('Unicode text')",
             _file("persons.csv", "hh,w\n1,2\n".encode("utf-16")), InputError,
             "cannot read persons.csv: the text is not UTF-8", _NOT_UTF8_HINT),
    BadInput("csv-ragged", "data file", "CSV row with more fields than the header (unquoted comma)",
             _file("persons.csv", b"hh,name,w\n1,Ana,2\n2,Smith, John,3\n"), InputError,
             "cannot read persons.csv: some rows have more fields than the header",
             "a comma inside an unquoted text value? quote text fields (\"...\") or export the file again"),
    BadInput("csv-duplicate-columns", "data file", "CSV with the same column name twice",
             _file("persons.csv", b"hh,w,w\n1,2,3\n"), InputError,
             "persons.csv has repeated column names", "rename or delete the repeated columns"),
    BadInput("csv-typo-in-numbers", "data file", "one value typed with a letter O in a numeric column",
             _file("persons.csv", _csv(PERSONS.with_columns(pl.col("y").cast(pl.String)).with_columns(
                 y=pl.when(pl.int_range(pl.len()) == 6).then(pl.lit("25O0")).otherwise(pl.col("y"))))),
             InputError, "column 'y' is numeric except for 1 value(s) that cannot be parsed",
             "fix or blank those cells; decimal separator must be '.'"),
    BadInput("csv-empty", "data file", "CSV file of 0 bytes", _file("persons.csv", b""), InputError,
             "cannot read persons.csv: the file is corrupt, truncated or not a .csv file", _CORRUPT_HINT),
    BadInput("parquet-truncated", "data file", "Parquet file cut in half (interrupted copy)", _parquet_cut,
             InputError, "cannot read persons.parquet: the file is corrupt, truncated or not a .parquet file",
             _CORRUPT_HINT),
    BadInput("dta-garbage", "data file", "a .dta file that is not a Stata file",
             _file("survey.dta", b"<html>not found</html>" * 10), InputError,
             "cannot read survey.dta: the file is corrupt, truncated or not a .dta file", _CORRUPT_HINT),
    BadInput("xlsx-not-zip", "data file", "an .xlsx file that is not a workbook",
             _file("survey.xlsx", b"PK\x03\x04 truncated"), InputError,
             "cannot read survey.xlsx: the file is corrupt, truncated or not a .xlsx file", _CORRUPT_HINT),
    BadInput("unknown-suffix", "data file", "a .txt data file", _file("survey.txt", b"hh\n1\n"), InputError,
             "cannot read files of type '.txt'", "export the file to Stata, SPSS, CSV, Parquet or Excel (.xlsx)"),
    BadInput("huge-file", "data file", "a file above the size limit (the app's upload limit)",
             _file("persons.csv", _csv(PERSONS), max_bytes=100), InputError,
             "persons.csv is too large to read here",
             "keep only the columns the spec needs, or run the analysis with the command line on a larger machine"),
    BadInput("xlsx-formulas", "data file", "Excel data file whose cells hold formulas", _excel_with_formula, None,
             "cells of the workbook hold formulas: their last saved values were read", count=1),
    # --- survey spec ----------------------------------------------------------------------------
    BadInput("spec-misspelt-key", "survey spec", "key misspelt (`wieght`)",
             _survey(spec_with((("roles",), {**SPEC["roles"], "wieght": "w"}))), SpecError,
             "unknown key 'wieght'", "did you mean 'weight', 'weight_type'?"),
    BadInput("spec-bad-yaml", "survey spec", "YAML with broken indentation",
             _spec_file(b"roles:\n  household_id: hh\n weight: w\n"), SpecError,
             "the survey spec is not valid YAML",
             "check indentation and that every `key: value` has a space after the colon"),
    BadInput("spec-latin1", "survey spec", "spec saved as Latin-1",
             _spec_file("survey: {name: Encuesta de hogares, country: M\xe9xico}\n".encode("latin-1")), InputError,
             "the survey spec is not UTF-8 text", "save the file with UTF-8 encoding (e.g. 'Save as... UTF-8' in your editor)"),
    BadInput("spec-unknown-category", "survey spec", "unknown ASPIRE category",
             _survey(spec_with((("programmes", 0, "aspire"), "social_pension"))), SpecError,
             "unknown aspire category 'social_pension'",
             "did you mean 'social_pensions', 'contributory_pensions', 'other_social_insurance'?"),
    BadInput("spec-unknown-line-type", "survey spec", "poverty line type misspelt",
             _survey(spec_with((("poverty_lines", 0, "type"), "absolut"))), SpecError,
             "unknown 'type' 'absolut'", "did you mean 'absolute'?"),
    BadInput("spec-negative-line", "survey spec", "negative poverty line",
             _survey(spec_with((("poverty_lines", 0, "value"), -1000))), SpecError,
             "invalid value for poverty_lines[0].value"),
    BadInput("spec-missing-column", "survey spec", "welfare column not in the data",
             _survey(spec_with((("welfare", "variable"), "cons"))), SpecError,
             "1 column(s) named in the spec are not in the data: cons", "columns available: hh, pid, w, y, age, amt"),
    BadInput("spec-duplicate-programme", "survey spec", "two programmes with the same name",
             _survey(spec_with((("programmes",), SPEC["programmes"] * 2))), SpecError,
             "programmes: names must be unique, repeated: pension"),
    # --- survey data ----------------------------------------------------------------------------
    BadInput("weight-text", "survey data", "weights stored as text",
             _survey(data=PERSONS.with_columns(pl.col("w").cast(pl.String))), DataError,
             "column 'w' (roles.weight) is not numeric", _NUMERIC_HINT),
    BadInput("weight-negative", "survey data", "a negative weight",
             _survey(data=persons_with(w=[-10.0] * 3 + PERSONS["w"].to_list()[3:])), DataError,
             "weight column 'w' has negative values"),
    BadInput("weight-zero", "survey data", "some zero weights (kept, reported)",
             _survey(data=persons_with(w=[0.0] * 3 + PERSONS["w"].to_list()[3:])), None,
             "rows with zero weight in 'w' are kept but count for nothing in estimates", count=3),
    BadInput("weight-all-zero", "survey data", "every weight zero",
             _survey(data=PERSONS.with_columns(w=pl.lit(0.0))), DataError, "every weight in 'w' is zero"),
    BadInput("weight-infinite", "survey data", "an infinite weight (division by a zero probability)",
             _survey(data=persons_with(w=[np.inf] * 3 + PERSONS["w"].to_list()[3:])), DataError,
             "weight column 'w' has missing or infinite values",
             "every row needs a weight: fix the source file or drop those rows explicitly"),
    BadInput("id-missing", "survey data", "a missing household id",
             _survey(data=persons_with(hh=[None] + PERSONS["hh"].to_list()[1:])), DataError,
             "column 'hh' (roles.household_id) has missing values",
             "fix them in the source file; identifiers, weights and sizes cannot be missing"),
    BadInput("id-duplicate", "survey data", "the same person twice",
             _survey(data=persons_with(pid=[1, 1] + PERSONS["pid"].to_list()[2:])), DataError,
             "duplicate (household id, person id) pairs", _DUP_HINT),
    BadInput("household-weight-varies", "survey data", "household weight differs between members",
             _survey(data=persons_with(w=[10.0, 11.0] + PERSONS["w"].to_list()[2:])), DataError,
             "roles.weight (household weight) ('w') varies within 1 household(s)", _VARIES_HINT),
    BadInput("household-welfare-varies", "survey data", "household welfare differs between members",
             _survey(data=persons_with(y=[900.0, 9000.0] + PERSONS["y"].to_list()[2:])), DataError,
             "welfare.variable ('y') varies within 1 household(s)", _VARIES_HINT),
    BadInput("welfare-missing", "survey data", "missing welfare (default: error)",
             _survey(data=persons_with(y=[None] * 3 + PERSONS["y"].to_list()[3:])), DataError,
             "welfare column 'y' has missing values",
             "impute them, or set `welfare: {missing: drop}` in the spec to exclude those rows (they are then reported)"),
    BadInput("welfare-missing-drop", "survey data", "missing welfare with `missing: drop` (excluded, counted)",
             _survey(spec_with((("welfare", "missing"), "drop")),
                     persons_with(y=[None] * 3 + PERSONS["y"].to_list()[3:])), None,
             "rows with missing welfare excluded (welfare.missing: drop)", count=3),
    BadInput("welfare-zero", "survey data", "zero welfare (kept, reported)",
             _survey(data=persons_with(y=[0.0] * 3 + PERSONS["y"].to_list()[3:])), None,
             "rows with welfare <= 0 (kept; measures using logs, e.g. MLD or Watts, reject them)", count=3),
    BadInput("no-rows", "survey data", "a data file with a header and no rows",
             _survey(data=PERSONS.head(0)), DataError, "the survey data have no rows"),
    BadInput("amounts-1000x", "survey data", "programme amounts 10³ too large for welfare (unit mix-up)",
             _indicators_with_amounts_in_wrong_unit, None,
             "pre-transfer welfare below 0 floored at 0 (persons per set)", count=5),
    # --- SPI ------------------------------------------------------------------------------------
    BadInput("register-unknown-category", "SPI register", "category code misspelt (LPM for LMP)",
             _register(_REGISTER.replace(",LMP,", ",LPM,", 1)), DataError, "unknown programme category 'LPM'",
             "did you mean 'LMP'?"),
    BadInput("register-latin1", "SPI register", "register saved as Latin-1 (a programme name with 'é')",
             _register(_REGISTER.replace("Food/Cash for work", "Allocation spéciale", 1), encoding="latin-1"),
             InputError, "cannot read register.csv: the text is not UTF-8", _NOT_UTF8_HINT),
    BadInput("register-header-only", "SPI register", "register with its header row and no programmes",
             _register(_REGISTER.splitlines()[0] + "\n"), DataError, "the register lists no programmes",
             "fill in one row per programme (blank rows are ignored)"),
    BadInput("register-unit-misspelt", "SPI register", "magnitude misspelt (`LCU milions`)",
             _register(_REGISTER.replace("LCU millions", "LCU milions", 1)), InputError,
             "unknown unit 'LCU milions'", "words not understood: milions"),
    BadInput("register-percent-share", "SPI register", "poor share typed as a percentage (100 for 1.0)",
             _register(_REGISTER.replace(",1.0,1.0,", ",100,1.0,", 1)), DataError, "poor_share outside 0-1",
             "shares above 1 are usually percentages typed without %: divide by 100"),
    BadInput("register-negative-spending", "SPI register", "negative spending",
             _register(_REGISTER.replace("156.2", "-156.2", 1)), DataError, "negative spending",
             "refunds or arrears belong in notes; enter gross spending on benefits"),
    BadInput("register-duplicate-id", "SPI register", "two programmes with the same id",
             _register(_REGISTER.replace("\n2,", "\n1,", 1)), DataError, "programme ids are duplicated"),
    BadInput("register-missing-column", "SPI register", "`category` header misspelt",
             _register(_REGISTER.replace("category", "categry", 1)), InputError,
             "the register has no column 'category'", "did you mean 'categry'?"),
    BadInput("register-magnitude-1000x", "SPI register", "spending declared in LCU thousands instead of millions",
             _spi_with_register(_REGISTER.replace("LCU millions", "LCU thousands")), None,
             "SPI 0.0001125 is about 1/1,000 of the plausible band [0.0005, 1.5]: expenditure may be in LCU "
             "thousands while declared in LCU (or GDP per capita in LCU declared in thousands, or populations in "
             "persons declared in thousands)"),
    BadInput("basic-statistics-misspelt", "SPI basic statistics", "field name misspelt (`populaton`)",
             _basic_statistics(_BASIC.replace("population,", "populaton,", 1)), DataError,
             "unknown basic statistic 'populaton'", "did you mean 'population'?"),
    BadInput("basic-statistics-negative", "SPI basic statistics", "negative population",
             _basic_statistics(_BASIC.replace("population,10.0", "population,-10.0", 1)), DataError,
             "population is negative"),
    # --- simulator schemes ----------------------------------------------------------------------
    BadInput("scheme-unknown", "scheme", "ready scheme name misspelt", _measure(
        lambda: __import__("sp2lnob.simulate", fromlist=["load_scheme"]).load_scheme("universal_chld_benefit")),
        InputError, "unknown ready scheme 'universal_chld_benefit'",
        "did you mean 'universal_child_benefit', 'universal_social_pension', 'disability_benefit'?"),
    BadInput("scheme-missing-keys", "scheme", "scheme without date and source",
             _scheme({k: v for k, v in _READY_SCHEME.items() if k not in ("date", "source")}), SpecError,
             "2 problems in the scheme: missing required key 'date'"),
    BadInput("scheme-misspelt-key", "scheme", "key misspelt (`eligibilty`)",
             _scheme({**{k: v for k, v in _READY_SCHEME.items() if k != "eligibility"},
                      "eligibilty": {"when": "age < 18"}}), SpecError,
             "unknown key 'eligibilty'", "did you mean 'eligibility'?"),
    BadInput("scheme-code-injection", "scheme", "Python code in an eligibility rule (never evaluated)",
             _scheme_run("__import__('os').system('echo owned')"), ExpressionError,
             "only plain function calls are allowed", "e.g. between(age, 0, 17)"),
    BadInput("scheme-unknown-column", "scheme", "eligibility rule names a column the survey lacks",
             _scheme_run("agee < 18"), ExpressionError, "unknown variable 'agee'", "did you mean 'age'?"),
    # --- LNOB spec ------------------------------------------------------------------------------
    BadInput("lnob-unknown-builtin", "LNOB spec", "built-in circumstance misspelt",
             _lnob({**_LNOB, "circumstances": [{"name": "wealth", "builtin": "wealth_b4O"}]}), SpecError,
             "invalid LNOB spec: unknown builtin 'wealth_b4O' (did you mean 'wealth_b40'?); built-ins: wealth_b40, "
             "urban, region, sex, age_band, education, head_education, head_sex, head_age_band, disability, "
             "hh_size_band, n_children_under_5, n_children", "see docs/lnob.md for the format"),
    BadInput("lnob-misspelt-key", "LNOB spec", "key misspelt (`outcom`)",
             _lnob({**_LNOB, "indicators": [{"name": "old", "outcom": "age >= 65", "circumstances": ["wealth"]}]}),
             SpecError, "invalid LNOB spec: missing required key 'outcome'", "see docs/lnob.md for the format"),
    # --- app uploads (Data page) ---------------------------------------------------------------
    BadInput("upload-wrong-type", "app upload", "a program (.exe) uploaded as survey data",
             _upload("survey.exe"), InputError, "files of type '.exe' are not accepted here"),
    BadInput("upload-too-large", "app upload", "a 201 MB file (the limit is 200 MB)",
             _upload("census.csv", 201 * 2**20), InputError, "the file is too large"),
    # --- measures called directly ---------------------------------------------------------------
    BadInput("measure-negative-weight", "measures", "fgt() with a negative weight", _measure(
        lambda: __import__("sp2lnob.measures", fromlist=["fgt"]).fgt([1.0, 2.0], [1.0, -1.0], line=1.5)),
        DataError, "1 negative weight(s)"),
    BadInput("measure-empty", "measures", "gini() of an empty array", _measure(
        lambda: __import__("sp2lnob.measures", fromlist=["gini"]).gini(np.array([]), np.array([]))),
        DataError, "no rows to compute on"),
    BadInput("bootstrap-single-psu", "measures", "bootstrap SE where a stratum has one PSU (would be a silent 0)",
             _bootstrap_lonely_psu, DataError, "1 stratum/strata with a single PSU: no within-stratum variance",
             "collapse the stratum with a similar one, or pass lonely_psu='adjust', 'average', 'remove' or "
             "'certainty' (as R's options(survey.lonely.psu=))"),
    # --- partitioned Parquet (scale-out) -------------------------------------------------------
    BadInput("partition-negative-weight", "partitioned data", "one partition of a census file has a negative weight",
             _partitions(_negative_weight_partition), DataError, "1 negative weight(s)",
             "survey weights cannot be negative; check the weight column"),
    BadInput("partition-other-columns", "partitioned data", "one partition written with another column name",
             _partitions(_other_schema_partition), DataError, "the Parquet partitions do not share one schema",
             "write every partition with the same columns and types"),
]
