"""What the app loads, through explicit functions (never at import time)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class AppConfig:
    """How the app was started: which survey, and whether it is the public showcase."""

    survey_spec: Path | None = None  # None = the embedded demo survey
    public: bool = False

    @property
    def spec_path(self) -> Path:
        if self.survey_spec is not None:
            return self.survey_spec
        from sp2lnob.demo import demo_spec_path

        return demo_spec_path()


@lru_cache(maxsize=4)
def load_survey(spec_path: Path):
    """Read a survey once per process; Survey objects are immutable, so sessions can share it."""
    import sp2lnob

    return sp2lnob.read_survey(spec_path)
