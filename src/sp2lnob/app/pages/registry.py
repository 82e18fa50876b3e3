"""The app's pages, in navbar order: (title, value, module path).

Each module defines ``<name>_ui(id)`` and ``<name>_server(id, survey=..., config=...)``
Shiny modules, where ``<name>`` is the page ``value``. A page whose server does
not take ``config`` is called without it. Add a page by adding a row here.
"""

from __future__ import annotations

PAGES: list[tuple[str, str, str]] = [
    ("Overview", "overview", "sp2lnob.app.pages.overview"),
    ("Simulator", "simulator", "sp2lnob.app.pages.simulator"),
]
