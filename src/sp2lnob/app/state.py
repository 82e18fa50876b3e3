"""What the app loads, through explicit functions (never at import time), and per-session state."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# Uploads: what the Data and SPI pages accept, and how much (checked by the
# ASGI guard in main.py before a byte is stored, and again on the file).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
DATA_SUFFIXES = (".dta", ".sav", ".csv", ".parquet", ".xlsx")
SPEC_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class AppConfig:
    """How the app was started: which survey, whether it is the public showcase, and its scenarios."""

    survey_spec: Path | None = None  # None = the embedded demo survey
    public: bool = False
    showcase: Path | None = None  # YAML of the publisher's scenarios (public mode)
    lnob_spec: Path | None = None  # None = the demo survey's LNOB spec

    @property
    def spec_path(self) -> Path:
        if self.survey_spec is not None:
            return self.survey_spec
        from sp2lnob.demo import demo_spec_path

        return demo_spec_path()

    @property
    def lnob_spec_path(self) -> Path:
        if self.lnob_spec is not None:
            return self.lnob_spec
        from sp2lnob.demo.files import demo_lnob_spec_path

        return demo_lnob_spec_path()


@lru_cache(maxsize=4)
def load_survey(spec_path: Path):
    """Read a survey once per process; Survey objects are immutable, so sessions can share it."""
    import sp2lnob

    return sp2lnob.read_survey(spec_path)


# Results every session of the app's own survey would compute alike, computed once per
# process. Keyed on the survey file and immutable inputs (a frozen Package, a seed); the
# results are immutable records, so sharing them carries nothing from one session to another.
# A survey uploaded in a session never goes through these: its results stay in that session.


@lru_cache(maxsize=4)
def prepared_survey(spec_path: Path):
    """The app's survey prepared for the simulator (:func:`sp2lnob.simulate.prepare`)."""
    from sp2lnob.simulate import prepare

    return prepare(load_survey(spec_path))


@lru_cache(maxsize=64)
def simulation(spec_path: Path, package: Any, seed: int):
    """:func:`sp2lnob.simulate.simulate` of ``package`` on the app's survey."""
    from sp2lnob.simulate import simulate

    return simulate(prepared_survey(spec_path), package, seed=seed)


@lru_cache(maxsize=64)
def projection(spec_path: Path, package: Any, seed: int, years: tuple[int, ...]):
    """:func:`sp2lnob.simulate.project` of ``package`` on the app's survey."""
    from sp2lnob.simulate import project

    return project(prepared_survey(spec_path), package, list(years), seed=seed)


@lru_cache(maxsize=16)
def headline_table(spec_path: Path, method: str, seed: int):
    """The headline table (:func:`sp2lnob.headline.headline`) of the app's survey."""
    from sp2lnob.headline import headline

    return headline(load_survey(spec_path), method=method, seed=seed)


@lru_cache(maxsize=4)
def demo_lnob_spec(path: Path | None = None):
    """The app's LNOB spec (``path``; default the demo's), read once (an immutable
    :class:`~sp2lnob.opportunity.LnobSpec`)."""
    from sp2lnob.demo.files import demo_lnob_spec_path
    from sp2lnob.opportunity import load_lnob_spec

    return load_lnob_spec(path or demo_lnob_spec_path())


@lru_cache(maxsize=8)
def lnob_every_indicator(spec_path: Path, method: str, lnob_path: Path | None = None):
    """Every indicator of the app's LNOB spec on the app's survey, without Shapley values."""
    from sp2lnob.opportunity import run_lnob

    return run_lnob(load_survey(spec_path), demo_lnob_spec(lnob_path), group_method=method, shapley=None)


@lru_cache(maxsize=64)
def lnob_one(spec_path: Path, indicator: str, circumstances: tuple[str, ...], method: str,
             lnob_path: Path | None = None):
    """One indicator of the app's LNOB spec, with these circumstances only, on the app's survey."""
    from sp2lnob.app.pages.lnob import with_circumstances
    from sp2lnob.opportunity import run_lnob

    spec = with_circumstances(demo_lnob_spec(lnob_path), indicator, list(circumstances))
    return run_lnob(load_survey(spec_path), spec, indicators=[indicator], group_method=method)


@lru_cache(maxsize=4)
def impact_base(spec_path: Path, lnob_path: Path | None = None):
    """The LNOB trees fitted before transfers on the app's survey (:func:`sp2lnob.impact.prepare_impact`)."""
    from sp2lnob.impact import prepare_impact

    return prepare_impact(load_survey(spec_path), demo_lnob_spec(lnob_path) if lnob_path else None)


class SessionFiles:
    """A per-session temporary directory for uploads, removed when the session ends."""

    def __init__(self) -> None:
        self._dir: Path | None = None

    @property
    def directory(self) -> Path:
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="sp2lnob-session-"))
        return self._dir

    def keep(self, upload: dict[str, Any], allowed: tuple[str, ...]) -> Path:
        """Copy one uploaded file (Shiny's FileInfo) into the session directory under its own name.

        The name is reduced to its last component (no path tricks); type and size are checked.
        """
        from sp2lnob.errors import InputError

        name = Path(str(upload["name"])).name
        suffix = Path(name).suffix.lower()
        if suffix not in allowed:
            raise InputError(f"files of type {suffix or '(none)'!r} are not accepted here", where=name,
                             expected=", ".join(allowed), got=suffix or "(no extension)")
        size = Path(upload["datapath"]).stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise InputError("the file is too large", where=name,
                             expected=f"at most {MAX_UPLOAD_BYTES // 2**20} MB", got=f"{size / 2**20:.0f} MB")
        target = self.directory / name
        shutil.copyfile(upload["datapath"], target)
        return target

    def remove(self) -> None:
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
