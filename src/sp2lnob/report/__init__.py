"""Reports: the whole-analysis Excel workbook (live SPI formulas), the HTML/PDF country report, the policy brief.

Typical use::

    from sp2lnob.report import build_analysis, export_workbook, write_html, write_pdf
    a = build_analysis("survey.yaml", register="register.csv", basic_stats="bs.csv",
                       schemes=["universal_child_benefit"], lnob_spec="lnob.yaml", seed=1)
    export_workbook(a, "analysis.xlsx"); write_pdf(a, "report.pdf"); write_pdf(a, "brief.pdf", kind="brief")
"""

from __future__ import annotations

from sp2lnob.report.analysis import Analysis, build_analysis
from sp2lnob.report.html import render_html, report_context
from sp2lnob.report.pdf import write_html, write_pdf
from sp2lnob.report.workbook import export_workbook

__all__ = ["Analysis", "build_analysis", "export_workbook", "render_html", "report_context", "write_html",
           "write_pdf"]
