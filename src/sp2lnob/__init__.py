"""sp2lnob: open toolkit for social protection analysis."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "read_survey"]


def __getattr__(name: str):
    # Lazy: importing sp2lnob stays cheap and the layers load on first use.
    if name == "read_survey":
        from sp2lnob.survey import read_survey

        return read_survey
    raise AttributeError(f"module 'sp2lnob' has no attribute {name!r}")
