"""Surveys in, clean: spec (YAML), readers, the ``Survey`` object, welfare, lines, PPP.

raw file -> :func:`load_spec` / :func:`read_table` -> :func:`read_survey` ->
:class:`Survey` (Polars data + frozen :class:`Design`).
"""

from __future__ import annotations

from sp2lnob.survey.build import read_survey
from sp2lnob.survey.core import Survey
from sp2lnob.survey.design import Design
from sp2lnob.survey.readers import read_table
from sp2lnob.survey.spec import SurveySpec, load_spec, parse_spec

__all__ = ["Design", "Survey", "SurveySpec", "load_spec", "parse_spec", "read_survey", "read_table"]
