"""Everything a scenario needs, computed once: the simulation base and the fitted LNOB trees.

:func:`prepare_impact` runs the LNOB layer (``sp2lnob.opportunity``: its
circumstance building, reference populations and exclusions, and its tree) on
the *pre-transfer* survey, keeps each indicator's fitted tree and circumstance
matrix, and the simulator's prepared base. A scenario (:func:`sp2lnob.impact.impact`)
then only simulates, swaps the money circumstances for their post-transfer
values and re-routes: the app can call it as a slider moves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

from sp2lnob.errors import DataError, InputError, Warning_
from sp2lnob.impact.spec import MoneyCircumstance, money_circumstances, with_consumption
from sp2lnob.opportunity.analysis import CircumstanceData, analyse
from sp2lnob.opportunity.prepare import analysis_input, prepare_frame
from sp2lnob.opportunity.results import LnobResult
from sp2lnob.opportunity.run import tree_defaults
from sp2lnob.opportunity.spec import LnobSpec, load_lnob_spec
from sp2lnob.simulate.base import SimulationBase


@dataclass(frozen=True, eq=False)
class FittedIndicator:
    """One indicator's pre-transfer analysis: tree, rows, circumstances and groups.

    ``features`` is the circumstance matrix the tree was grown on (one column per
    circumstance it uses); ``money`` names the columns that move with welfare;
    ``leaf_pre`` the leaf of every row; ``groups`` the leaves ordered furthest
    behind first (rate ascending, ties: larger share first, as ``opportunity`` does).
    """

    name: str
    label: str
    unit: str
    lnob: LnobResult
    y: np.ndarray
    weights: np.ndarray
    survey_rows: np.ndarray
    features: pl.DataFrame
    circumstances: tuple[CircumstanceData, ...]
    money: tuple[MoneyCircumstance, ...]
    leaf_pre: np.ndarray
    rate_of_node: np.ndarray          # access rate indexed by node id (0 where no node)
    groups: tuple[int, ...]           # leaf ids, furthest behind first
    rules: dict[int, str] = field(default_factory=dict)   # node id → path of conditions, in words
    warnings: tuple[Warning_, ...] = ()

    @property
    def tree(self) -> Any:
        return self.lnob.tree

    @property
    def split_features(self) -> tuple[str, ...]:
        return tuple(sorted({n.feature for n in self.tree.nodes_ if not n.is_leaf}))

    @property
    def splits_on_money(self) -> bool:
        """Does any split use a circumstance that moves with welfare?"""
        return any(m.name in self.split_features for m in self.money)

    def path_features(self, leaf: int) -> tuple[str, ...]:
        """The circumstances on the path from the root to ``leaf``."""
        by_id = {n.node_id: n for n in self.tree.nodes_}
        out: list[str] = []
        node = by_id[leaf]
        while node.parent is not None:
            parent = by_id[node.parent]
            if parent.feature not in out:
                out.insert(0, str(parent.feature))
            node = parent
        return tuple(out)

    def rule_of(self, leaf: int) -> str:
        return self.rules[leaf]


@dataclass(frozen=True, eq=False)
class ImpactBase:
    """A survey prepared for SP2LNOB scenarios: the simulator's base and the fitted indicators."""

    simulation: SimulationBase
    spec: LnobSpec
    indicators: tuple[FittedIndicator, ...]
    b40_cut: float | None
    errors: tuple[dict[str, Any], ...] = ()
    tree_params: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def indicator(self, name: str) -> FittedIndicator:
        for f in self.indicators:
            if f.name == name:
                return f
        from sp2lnob.errors import did_you_mean

        names = [f.name for f in self.indicators]
        raise InputError(f"no prepared indicator {name!r}", expected=names, got=name, hint=did_you_mean(name, names))


def default_lnob_spec(survey: Any) -> Path:
    """The demo's LNOB spec when ``survey`` is the demo survey; otherwise an error asking for one."""
    from sp2lnob.demo import demo_lnob_spec_path, demo_spec_path

    # the demo is recognised by its survey name (the spec may have been copied by `sp2lnob demo-data`)
    name = getattr(getattr(getattr(survey, "spec", None), "survey", None), "name", None)
    demo_name = yaml.safe_load(demo_spec_path().read_text(encoding="utf-8"))["survey"]["name"]
    if name is not None and name == demo_name:
        return demo_lnob_spec_path()
    raise InputError("no LNOB spec given", where="lnob_spec",
                     hint="pass lnob_spec=... (CLI: --lnob-spec FILE); only the demo survey has a default")


def _b40_cut(frame: pl.DataFrame) -> float:
    """The pre-transfer 40th percentile the built-in ``wealth_b40`` uses (same rule, same rows)."""
    from sp2lnob.measures import quantile
    from sp2lnob.parameters import load

    share = float(load("lnob_tree.yaml")["circumstances"]["wealth_b40"]["share"])
    ok = frame["welfare"].is_not_null().to_numpy()
    return float(quantile(frame["welfare"].to_numpy()[ok], frame["weight"].to_numpy()[ok], share, rule="math"))


def fit_indicator(
    name: str,
    y: np.ndarray,
    weights: np.ndarray,
    circumstances: Sequence[CircumstanceData],
    money: Sequence[MoneyCircumstance],
    *,
    label: str | None = None,
    unit: str = "person",
    barrier: bool = False,
    tree_params: Mapping[str, Any] | None = None,
    survey_rows: np.ndarray | None = None,
    warnings: Sequence[Warning_] = (),
) -> FittedIndicator:
    """Grow the LNOB tree on arrays (``opportunity.analyse``) and keep what re-routing needs.

    ``survey_rows``: the survey row of every analysis row (default: row i is survey row i).
    """
    params = {**tree_defaults(), **dict(tree_params or {})}
    res = analyse(y, weights, circumstances, indicator=name, label=label or name, unit=unit, barrier=barrier,
                  tree_params=params, shapley=None, warnings=warnings)
    used = [c for c in circumstances if c.name in res.circumstances]
    features = pl.DataFrame({c.name: c.values for c in used})
    nodes = res.tree.nodes_
    rate = np.zeros(max(n.node_id for n in nodes) + 1)
    for n in nodes:
        rate[n.node_id] = n.rate
    leaves = res.nodes.filter(pl.col("is_leaf")).sort(["rate", "share"], descending=[False, True])
    y = np.asarray(y, dtype=float)
    rows = np.arange(y.shape[0]) if survey_rows is None else np.asarray(survey_rows)
    return FittedIndicator(
        name=name, label=label or name, unit=unit, lnob=res, y=y, weights=np.asarray(weights, dtype=float),
        survey_rows=rows, features=features, circumstances=tuple(used),
        money=tuple(m for m in money if m.name in res.circumstances), leaf_pre=res.tree.leaf_of_row_,
        rate_of_node=rate, groups=tuple(int(v) for v in leaves["node"].to_list()),
        rules=dict(zip(res.nodes["node"].to_list(), res.nodes["path"].to_list(), strict=True)),
        warnings=tuple(res.warnings))


def _fit_one(frame: pl.DataFrame, metas: dict, spec: LnobSpec, name: str, params: Mapping[str, Any],
             money: tuple[MoneyCircumstance, ...]) -> FittedIndicator:
    ind = spec.indicator(name)
    ai = analysis_input(frame, metas, spec, ind)
    return fit_indicator(ind.name, ai.y, ai.weights, ai.circumstances, money, label=ind.label or ind.name,
                         unit=ind.unit, barrier=ind.barrier, tree_params=params, survey_rows=ai.survey_rows,
                         warnings=ai.warnings)


def prepare_impact(
    survey: Any,
    lnob_spec: LnobSpec | str | Path | None = None,
    *,
    indicators: Sequence[str] | None = None,
    consumption: str = "continuous",
    macro: Any = None,
    tree_params: Mapping[str, Any] | None = None,
) -> ImpactBase:
    """Fit the LNOB trees on the pre-transfer survey and prepare the simulator (once per survey).

    ``lnob_spec``: an :class:`LnobSpec` or YAML path (default: the demo's, for the demo survey).
    ``consumption``: ``"continuous"`` (SP2LNOB, default) replaces the wealth B40 circumstance
    by continuous consumption per capita (:func:`~sp2lnob.impact.spec.with_consumption`);
    ``"as_declared"`` keeps the spec as it is (a ``wealth_b40`` circumstance is then re-computed
    after transfers with the pre-transfer cut held fixed). An indicator whose analysis fails on
    the data (e.g. an empty population) is listed in ``errors``, not raised.
    """
    from sp2lnob.simulate.prepare import prepare

    if consumption not in ("continuous", "as_declared"):
        raise InputError(f"unknown consumption handling {consumption!r}", where="consumption",
                         expected=["continuous", "as_declared"], got=consumption)
    if lnob_spec is None:
        lnob_spec = default_lnob_spec(survey)
    spec = lnob_spec if isinstance(lnob_spec, LnobSpec) else load_lnob_spec(lnob_spec)
    if consumption == "continuous":
        spec = with_consumption(spec)
    money = money_circumstances(spec)
    if not money:
        raise InputError("no circumstance of the LNOB spec moves with consumption", where="LNOB spec: circumstances",
                         hint="add `{name: consumption, from: welfare, type: continuous}` or the wealth_b40 built-in")
    params = {**tree_defaults(), **(spec.tree or {}), **dict(tree_params or {})}
    frame, metas = prepare_frame(survey, spec)
    b40 = _b40_cut(frame) if any(m.kind == "b40" for m in money) else None
    chosen = list(indicators) if indicators else [i.name for i in spec.indicators]
    fitted: list[FittedIndicator] = []
    errors: list[dict[str, Any]] = []
    for name in chosen:
        try:
            fitted.append(_fit_one(frame, metas, spec, name, params, money))
        except DataError as err:
            errors.append({"indicator": name, "error": err.to_dict()})
    if not fitted:
        raise DataError("no indicator could be analysed", where="LNOB spec",
                        got=[e["error"]["what"] for e in errors][:5])
    simulation = prepare(survey, macro)
    if simulation.n_persons != frame.height:
        # survey_rows index the survey's rows; the simulator must keep them in the same order
        raise DataError("the simulator's rows do not match the survey's", expected=frame.height,
                        got=simulation.n_persons, hint="report this: the survey and simulation layers disagree")
    return ImpactBase(simulation=simulation, spec=spec, indicators=tuple(fitted), b40_cut=b40,
                      errors=tuple(errors), tree_params=params)
