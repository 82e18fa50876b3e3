"""Data: load a survey (upload data files and a spec, or use the demo) and edit its spec.

The spec editor maps roles to the uploaded files' columns and writes the YAML; the
survey is read by :func:`sp2lnob.read_survey` from the session's own directory.
Validation messages (``SpecError.where``) appear next to the field they concern.
Nothing the user types is evaluated: the YAML is parsed with ``safe_load`` and
validated by the spec model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shiny import module, reactive, render, ui

from sp2lnob.app.display import error_box
from sp2lnob.app.state import DATA_SUFFIXES, MAX_UPLOAD_BYTES, SPEC_SUFFIXES

# Roles offered as dropdowns (docs/survey-spec.md); others are edited in the YAML.
ROLES = {"household_id": "Household id", "person_id": "Person id", "weight": "Weight", "strata": "Strata",
         "psu": "PSU (cluster)", "region": "Region", "urban": "Urban/rural", "household_size": "Household size",
         "age": "Age", "sex": "Sex"}
WELFARE = "welfare"
_ROLE_IN = re.compile(r"\b(?:roles\.(\w+)|(welfare)\.variable)\b")


def columns_of(path: Path) -> list[str]:
    """Column names of a data file, read from its header only."""
    import polars as pl

    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return list(pl.read_parquet_schema(path))
    if suffix == ".csv":
        return pl.read_csv(path, n_rows=0).columns
    if suffix in (".dta", ".sav"):
        import pyreadstat

        reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
        _df, meta = reader(str(path), metadataonly=True)
        return list(meta.column_names)
    return pl.read_excel(path, read_options={"n_rows": 1}).columns


def field_of(where: str | None) -> str | None:
    """The editor field a message belongs to (``roles.weight`` -> ``weight``), if any."""
    m = _ROLE_IN.search(where or "")
    if not m:
        return None
    name = m.group(1) or m.group(2)
    return name if name in ROLES or name == WELFARE else None


def starter_spec(files: list[str]) -> dict:
    persons = [f for f in files if "hh" not in f.lower() and "household" not in f.lower()] or files
    spec: dict = {"spec_version": 1, "survey": {"name": "My survey"}, "files": {"persons": persons[0]}}
    households = [f for f in files if f != persons[0]]
    if households:
        spec["files"]["households"] = households[0]
    spec["roles"] = {}
    spec["welfare"] = {"variable": "", "kind": "consumption", "basis": "per_capita", "period": "yearly"}
    return spec


@module.ui
def data_ui(config=None):
    role_inputs = [ui.div(ui.input_select(f"role_{r}", label, {"": "(none)"}), ui.output_ui(f"msg_{r}"))
                   for r, label in ROLES.items()]
    return ui.layout_sidebar(
        ui.sidebar(
            ui.input_action_button("use_demo", "Use the demo survey", class_="btn-outline-primary"),
            ui.hr(),
            ui.input_file("data_files", "Data files (.dta .sav .csv .parquet .xlsx)", multiple=True,
                          accept=list(DATA_SUFFIXES)),
            ui.input_file("spec_file", "Survey spec (.yaml), optional", accept=list(SPEC_SUFFIXES)),
            ui.input_file("lnob_file", "LNOB spec (.yaml) for the LNOB and SP2LNOB pages, optional",
                          accept=list(SPEC_SUFFIXES)),
            ui.p(ui.tags.small(f"At most {MAX_UPLOAD_BYTES // 2**20} MB a file. Files stay in this session's "
                               "temporary folder and are deleted when you close the page.")),
            ui.output_ui("upload_problem"),
            width=340,
        ),
        ui.output_ui("status"),
        ui.layout_columns(
            ui.card(
                ui.card_header("Roles: which column is what"),
                ui.div(ui.input_select(f"role_{WELFARE}", "Welfare (per capita)", {"": "(none)"}),
                       ui.output_ui(f"msg_{WELFARE}")),
                *role_inputs,
                ui.input_action_button("write_roles", "Write roles into the spec"),
            ),
            ui.card(
                ui.card_header("Survey spec (YAML)"),
                ui.input_text_area("spec_text", None, rows=24, width="100%", spellcheck="false"),
                ui.output_ui("msg_spec"),
                ui.layout_columns(
                    ui.input_action_button("load", "Load this survey", class_="btn-primary"),
                    ui.download_button("download_spec", "Download the spec"),
                ),
            ),
            col_widths=(4, 8),
        ),
    )


@module.server
def data_server(input, output, session, survey: Callable[[], Any], config=None, state=None):
    from sp2lnob.errors import Sp2lnobError

    files: reactive.Value[list[Path]] = reactive.value([])
    problem: reactive.Value = reactive.value(None)  # (field or None, error)
    upload_error: reactive.Value = reactive.value(None)

    @reactive.effect
    @reactive.event(input.data_files)
    def _data_upload():
        kept = []
        try:
            for f in input.data_files() or []:  # a few files
                kept.append(state.files.keep(f, DATA_SUFFIXES))
            cols = sorted({c for p in kept for c in columns_of(p)})
        except Sp2lnobError as err:
            upload_error.set(err)
            return
        except Exception as exc:  # an unreadable file: say so, with the reader's message
            upload_error.set(Sp2lnobError("the file could not be read", got=str(exc)[:200]))
            return
        upload_error.set(None)
        files.set(kept)
        choices = {"": "(none)", **{c: c for c in cols}}
        for r in [*ROLES, WELFARE]:
            ui.update_select(f"role_{r}", choices=choices)
        if not input.spec_text().strip():
            import yaml

            ui.update_text_area("spec_text", value=yaml.safe_dump(starter_spec([p.name for p in kept]),
                                                                  sort_keys=False))

    @reactive.effect
    @reactive.event(input.spec_file)
    def _spec_upload():
        try:
            path = state.files.keep((input.spec_file() or [])[0], SPEC_SUFFIXES)
            text = path.read_text(encoding="utf-8")
        except Sp2lnobError as err:
            upload_error.set(err)
            return
        except (IndexError, UnicodeDecodeError):
            upload_error.set(Sp2lnobError("the spec must be a UTF-8 YAML file"))
            return
        upload_error.set(None)
        ui.update_text_area("spec_text", value=text)
        _select_roles(text)

    def _select_roles(text: str) -> None:
        import yaml

        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError:
            return
        roles = data.get("roles") or {}
        for r in ROLES:
            if isinstance(roles.get(r), str):
                ui.update_select(f"role_{r}", selected=roles[r])
        welfare = (data.get("welfare") or {}).get("variable")
        if isinstance(welfare, str):
            ui.update_select(f"role_{WELFARE}", selected=welfare)

    @reactive.effect
    @reactive.event(input.write_roles)
    def _write_roles():
        import yaml

        try:
            data = yaml.safe_load(input.spec_text()) or {}
        except yaml.YAMLError as exc:
            problem.set((None, Sp2lnobError("the spec is not valid YAML", got=str(exc)[:200])))
            return
        if not isinstance(data, dict):
            data = starter_spec([p.name for p in files()] or ["data.csv"])
        roles = dict(data.get("roles") or {})
        for r in ROLES:
            value = input[f"role_{r}"]()
            if value:
                roles[r] = value
        data["roles"] = roles
        if input[f"role_{WELFARE}"]():
            data.setdefault("welfare", {})["variable"] = input[f"role_{WELFARE}"]()
        ui.update_text_area("spec_text", value=yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    @reactive.effect
    @reactive.event(input.load)
    def _load():
        import sp2lnob

        path = state.files.directory / "survey_spec.yaml"
        path.write_text(input.spec_text(), encoding="utf-8")
        try:
            with ui.Progress() as bar:
                bar.set(message="Reading the survey…")
                loaded = sp2lnob.read_survey(path)
        except Sp2lnobError as err:
            problem.set((field_of(err.where), err))
            return
        problem.set(None)
        state.uploaded_spec.set(path)
        state.uploaded.set(loaded)

    @reactive.effect
    @reactive.event(input.use_demo)
    def _demo():
        problem.set(None)
        state.uploaded.set(None)
        state.uploaded_spec.set(None)
        state.uploaded_lnob.set(None)

    @reactive.effect
    @reactive.event(input.lnob_file)
    def _lnob_upload():
        from sp2lnob.opportunity import load_lnob_spec

        try:
            path = state.files.keep((input.lnob_file() or [])[0], SPEC_SUFFIXES)
            spec = load_lnob_spec(path)
        except Sp2lnobError as err:
            upload_error.set(err)
            return
        except IndexError:
            return
        upload_error.set(None)
        state.uploaded_lnob.set(spec)

    def _message(name: str):
        @output(id=f"msg_{name}")
        @render.ui
        def _show():
            p = problem()
            if p is None or p[0] != name:
                return None
            err = p[1]
            return ui.div(ui.strong(err.what), ui.div(err.hint or ""), class_="text-danger small spec-message",
                          role="alert")

    for name in [*ROLES, WELFARE]:
        _message(name)

    @render.ui
    def msg_spec():
        p = problem()
        return error_box(p[1], "The survey could not be read") if p is not None and p[0] is None else None

    @render.ui
    def upload_problem():
        err = upload_error()
        return error_box(err, "The upload was refused") if err else None

    @render.ui
    def status():
        try:
            s = survey()
        except Sp2lnobError:
            return None
        own = state.uploaded() is not None
        name = getattr(s.spec.survey, "name", None) or "survey"
        lnob = state.uploaded_lnob()
        lnob_line = ui.div(ui.strong("LNOB spec: "), f"uploaded, {lnob.name or 'unnamed'} "
                           f"({len(lnob.indicators)} indicator(s))" if lnob is not None else "the demo's",
                           id="data-lnob-status")
        return ui.div(ui.strong("Uploaded survey in use: " if own else "Demo survey in use: "), name,
                      f" — {s.n_households:,} households, {s.n_persons:,} persons", lnob_line,
                      class_="alert alert-success", id="data-status-text")

    @render.download_button(filename="survey_spec.yaml")
    def download_spec():
        yield input.spec_text()
