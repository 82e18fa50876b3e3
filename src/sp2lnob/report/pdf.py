"""PDF output of the HTML reports with WeasyPrint (needs Debian's pango libraries)."""

from __future__ import annotations

from pathlib import Path

from sp2lnob.errors import InputError
from sp2lnob.report.analysis import Analysis
from sp2lnob.report.html import render_html


def write_pdf(a: Analysis, path: str | Path, kind: str = "report") -> Path:
    """Render the country report (or the ``"brief"``) of ``a`` to a PDF at ``path``."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: pango missing
        raise InputError("PDF output needs WeasyPrint and the pango libraries", got=str(exc),
                         hint="pip install 'sp2lnob[report]'; on Debian: apt-get install libpango-1.0-0 "
                              "libpangoft2-1.0-0 libharfbuzz-subset0") from None
    path = Path(path)
    HTML(string=render_html(a, kind)).write_pdf(str(path))
    return path


def write_html(a: Analysis, path: str | Path, kind: str = "report") -> Path:
    """Write the country report (or the ``"brief"``) of ``a`` as a self-contained HTML page."""
    path = Path(path)
    path.write_text(render_html(a, kind), encoding="utf-8")
    return path
