"""Opportunity: who is furthest behind (LNOB trees), the D-index, HOI and their decomposition.

Arrays: :class:`OpportunityTree` (rpart-parity weighted ANOVA tree), :func:`d_index`, :func:`hoi`,
:func:`analyse` (tree + groups + D/HOI + Shapley for one outcome), :func:`bootstrap_se`.
Surveys: :func:`run_lnob` (an LNOB spec on one survey), :func:`run_batch` (many surveys in
parallel), :func:`load_lnob_spec`. Pictures: :mod:`sp2lnob.opportunity.plot`.
"""

from __future__ import annotations

from typing import Any

from sp2lnob.opportunity.analysis import CircumstanceData, analyse
from sp2lnob.opportunity.dindex import d_index, hoi, mean_rate
from sp2lnob.opportunity.results import Group, Inequality, LnobResult
from sp2lnob.opportunity.shapley import ShapleyResult, shapley_values
from sp2lnob.opportunity.tree import OpportunityTree, TreeNode

_LAZY = {
    "bootstrap_se": ("sp2lnob.opportunity.bootstrap", "bootstrap_se"),
    "run_lnob": ("sp2lnob.opportunity.run", "run_lnob"),
    "LnobRun": ("sp2lnob.opportunity.run", "LnobRun"),
    "run_batch": ("sp2lnob.opportunity.batch", "run_batch"),
    "load_lnob_spec": ("sp2lnob.opportunity.spec", "load_lnob_spec"),
    "parse_lnob_spec": ("sp2lnob.opportunity.spec", "parse_lnob_spec"),
}


def __getattr__(name: str) -> Any:
    # the survey/spec layer (pydantic, expressions) loads on first use
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'sp2lnob.opportunity' has no attribute {name!r}")


__all__ = [
    "CircumstanceData",
    "Group",
    "Inequality",
    "LnobResult",
    "LnobRun",
    "OpportunityTree",
    "ShapleyResult",
    "TreeNode",
    "analyse",
    "bootstrap_se",
    "d_index",
    "hoi",
    "load_lnob_spec",
    "mean_rate",
    "parse_lnob_spec",
    "run_batch",
    "run_lnob",
    "shapley_values",
]
