"""Per-session state shared by the pages: the survey in use, uploads, the chosen scenario."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shiny import reactive

from sp2lnob.app.state import AppConfig, SessionFiles, load_survey


@dataclass
class SessionState:
    """One browser session's state; nothing here is shared with another session.

    ``uploaded`` holds a survey read from this session's own files (Data page);
    ``None`` means the survey the app was started with. ``uploaded_lnob`` likewise
    holds an LNOB spec uploaded on the Data page (``None``: the demo's). ``scenario`` is the name
    of a showcase scenario asked for in the URL (``?scenario=``).
    """

    config: AppConfig
    files: SessionFiles = field(default_factory=SessionFiles)
    uploaded: reactive.Value[Any] = field(default_factory=lambda: reactive.value(None))
    uploaded_spec: reactive.Value[Path | None] = field(default_factory=lambda: reactive.value(None))
    uploaded_lnob: reactive.Value[Any] = field(default_factory=lambda: reactive.value(None))
    scenario: reactive.Value[str | None] = field(default_factory=lambda: reactive.value(None))
    page: Any = None  # the navbar's input (set by the app's server): which page is shown
    _seen: set[str] = field(default_factory=set)

    def visible(self, name: str) -> bool:
        """True once page ``name`` has been shown: heavy pages compute only when looked at."""
        if self.page is None or name in self._seen:
            return True
        if self.page() == name:
            self._seen.add(name)
            return True
        return False

    def survey(self):
        """The session's survey (uploaded one first, else the app's)."""
        own = self.uploaded()
        return own if own is not None else load_survey(self.config.spec_path)

    def shared_spec(self) -> Path | None:
        """The app's survey file when the session uses it (results may come from the process-wide
        caches in :mod:`sp2lnob.app.state`); ``None`` when the session has uploaded its own survey."""
        return self.config.spec_path if self.uploaded() is None else None

    def lnob_spec(self):
        """The LNOB spec of the LNOB and SP2LNOB pages: the session's own, else the app's
        (``sp2lnob app --lnob-spec``, by default the demo's)."""
        own = self.uploaded_lnob()
        if own is not None:
            return own
        from sp2lnob.app.state import demo_lnob_spec

        return demo_lnob_spec(self.config.lnob_spec)

    def shared_lnob(self) -> Path | None:
        """:meth:`shared_spec` when the session also uses the demo LNOB spec (LNOB results may then
        come from the process-wide caches); ``None`` once it has uploaded its own LNOB spec."""
        return self.shared_spec() if self.uploaded_lnob() is None else None

    def spec_path(self) -> Path:
        return self.uploaded_spec() or self.config.spec_path
