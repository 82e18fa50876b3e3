"""The HTML report: escaped user labels, a footnote under every figure and table, marked blanks, errors."""

from __future__ import annotations

import re

import pytest

from sp2lnob.errors import InputError


@pytest.fixture(scope="module")
def html(analysis):
    from sp2lnob.report import render_html

    return render_html(analysis, "report")


def test_user_labels_are_escaped(html):
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text in the programme inventory
    assert "=HYPERLINK(" in html  # harmless in HTML: kept as typed


def test_every_figure_has_a_source_method_version_footnote(analysis, html):
    from sp2lnob.report.figures import report_figures

    figures = report_figures(analysis)
    assert {f.key for f in figures} == {"poverty", "coverage", "spi", "lnob", "simulation"}
    blocks = re.findall(r"<figure>(.*?)</figure>", html, flags=re.S)
    assert len(blocks) == len(figures)
    for block in blocks:
        note = re.search(r'<div class="footnote">(.*?)</div>', block, flags=re.S)
        assert note, block[:200]
        assert "Source:" in note.group(1) and "Method:" in note.group(1)
        assert f"sp2lnob {analysis.version}" in note.group(1)
    # every table is followed by a footnote too
    for table_end in re.finditer(r"</table>\s*(?:<p>.*?</p>\s*)?", html, flags=re.S):
        assert html[table_end.end():].lstrip().startswith(('<div class="footnote">', "<table>"))


def test_report_without_spi_or_scheme_marks_blanks():
    from sp2lnob.demo import demo_spec_path
    from sp2lnob.report import build_analysis, render_html

    a = build_analysis(demo_spec_path(), indicators=False)
    text = render_html(a)
    assert "--register" in text and "--scheme" in text
    with pytest.raises(InputError):
        render_html(a, "brief")
    with pytest.raises(InputError):
        render_html(a, "leaflet")


def test_spi_needs_both_inputs(hostile_register):
    from sp2lnob.demo import demo_spec_path
    from sp2lnob.report import build_analysis

    with pytest.raises(InputError, match="both"):
        build_analysis(demo_spec_path(), register=hostile_register)


def test_analysis_records_its_provenance(analysis):
    frame = analysis.to_frame()
    assert {"survey", "spi", "simulation"} <= set(frame["part"].to_list())
    assert frame.filter((frame["part"] == "spi") & (frame["name"] == "spi"))["value"][0] == analysis.spi.spi
    text = str(analysis)
    assert "seed 7" in text and analysis.version in text
