"""The app's pages, in navbar order: (title, value, module path).

Each module defines ``<name>_ui(id, config=None)`` and ``<name>_server(id, survey=, config=, state=)``
Shiny modules, where ``<name>`` is the page ``value`` (all three keywords are always passed).
"""

from __future__ import annotations

PAGES: list[tuple[str, str, str]] = [
    ("Data", "data", "sp2lnob.app.pages.data"),
    ("Overview", "overview", "sp2lnob.app.pages.overview"),
    ("Programmes", "programmes", "sp2lnob.app.pages.programmes"),
    ("SPI", "spi", "sp2lnob.app.pages.spi"),
    ("LNOB", "lnob", "sp2lnob.app.pages.lnob"),
    ("Simulator", "simulator", "sp2lnob.app.pages.simulator"),
    ("SP2LNOB", "sp2lnob", "sp2lnob.app.pages.sp2lnob"),
    ("Reports", "reports", "sp2lnob.app.pages.reports"),
]

# Pages the public showcase does not have (uploads and microdata).
PRIVATE_PAGES = frozenset({"data"})
DEFAULT_PAGE = "overview"
