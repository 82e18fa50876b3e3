"""The sp2lnob web app (Shiny for Python). Thin: it calls the engines and shows results.

Nothing in the engines imports this package. The app never writes or
downloads anything at import time; surveys are loaded by explicit functions
in :mod:`sp2lnob.app.state` when a session starts.
"""

from __future__ import annotations

from sp2lnob.app.main import create_app

__all__ = ["create_app"]
