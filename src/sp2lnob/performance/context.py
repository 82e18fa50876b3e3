"""Country context indicators (aspire.md §4), where the survey has the variables.

Each is a ratio of weighted totals with its linearisation SE
(:mod:`sp2lnob.performance.se`), reported in the tidy schema with
``programme = "context"``. An indicator whose roles are missing is skipped
with a reported reason. Definitions (and the age limits) are in
``parameters/indicator_definitions.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from sp2lnob.errors import Warning_
from sp2lnob.parameters import load as load_parameters
from sp2lnob.performance.from_survey import age_groups
from sp2lnob.performance.indicators import long_rows
from sp2lnob.performance.inputs import Grouping, PerformanceInput
from sp2lnob.performance.pretransfer import Households, households, school_quantiles
from sp2lnob.performance.se import group_table, ratio, sum_rows

if TYPE_CHECKING:
    from sp2lnob.survey import Survey


class _Rows:
    """Shares over person (or household) rows of one grouping, with SEs."""

    def __init__(self, psu: np.ndarray, hh: Households, weight: np.ndarray, persons: np.ndarray):
        self.psu, self.hh, self.weight, self.persons = psu, hh, weight, persons
        self.frames: list[pl.DataFrame] = []

    def share(self, indicator: str, num: np.ndarray, den: np.ndarray, codes: np.ndarray,
              labels: Sequence[str], group_var: str, *, den_all: bool = False, name: str = "context",
              lonely_psu: str | None = None) -> np.ndarray:
        keep = codes >= 0
        table, inverse = group_table(self.psu[keep], codes[keep], max(len(labels), 1), self.hh.structure)
        rows = table.psu.size
        w = self.weight[keep]
        y = sum_rows(inverse, rows, w * num[keep])
        x = sum_rows(inverse, rows, w * den[keep])
        est = ratio(table, y, x, den_all=den_all, lonely_psu=lonely_psu)
        in_den = den[keep] > 0
        n = table.totals(sum_rows(inverse, rows, self.persons[keep] * in_den))
        wn = table.totals(sum_rows(inverse, rows, w * in_den))
        if den_all:
            n, wn = np.full_like(n, n.sum()), np.full_like(wn, wn.sum())
        self.frames.append(long_rows(indicator, est.value[:, None], est.se[:, None], n[:, None], wn[:, None],
                                     [name], ["context"], group_var, labels, "none"))
        return est.value


def _status_codes(survey: Survey, column: str) -> dict[str, list]:
    """Codes meaning employed / unemployed / inactive: from value labels, else the parameters."""
    labels = survey.labels.get(column, {})
    found: dict[str, list] = {"employed": [], "unemployed": [], "inactive": []}
    for code, label in labels.items():
        text = str(label).strip().lower()
        if text.startswith("employed"):
            found["employed"].append(code)
        elif text.startswith("unemployed"):
            found["unemployed"].append(code)
        elif text.startswith(("inactive", "out of")):
            found["inactive"].append(code)
    if all(found.values()):
        return found
    params = load_parameters("indicator_definitions.yaml")["groupings"]["labour_status_codes"]
    return {k: [v] for k, v in params.items()}


def context_indicators(survey: Survey, inp: PerformanceInput, *, lonely_psu: str | None = None,
                       employment_status: str | None = None, sector: str | None = None,
                       ) -> tuple[pl.DataFrame, list[Warning_]]:
    """Demography, co-residence, dependency, age-based poverty and labour market (aspire.md §4)."""
    params = load_parameters("indicator_definitions.yaml")["groupings"]
    warnings: list[Warning_] = []
    hh = households(inp)
    rows = _Rows(hh.psu[inp.household], hh, inp.weight, np.asarray(inp.row_persons, dtype=float))
    roles = survey.roles
    n = inp.n
    one = np.ones(n)
    if "age" not in roles or survey.level != "person":
        warnings.append(Warning_("country context skipped: it needs person rows with roles.age", where="roles.age"))
        return pl.DataFrame(), warnings
    age = np.asarray(survey.column("age"), dtype=float)
    ag = age_groups(age)
    rows.share("population_share", one, one, ag.codes, ag.labels, "age_group", den_all=True,
               lonely_psu=lonely_psu)

    # households: someone 60+, someone under 60, members 15-60 and dependants
    elderly_age, lo, hi = params["elderly_age"], params["working_age"]["min"], params["working_age"]["max"]
    known = np.isfinite(age)
    old = np.bincount(inp.household, weights=(age >= elderly_age) & known, minlength=hh.n) > 0
    young = np.bincount(inp.household, weights=(age < elderly_age) & known, minlength=hh.n) > 0
    working = np.bincount(inp.household, weights=(age >= lo) & (age <= hi) & known, minlength=hh.n)
    dependants = np.bincount(inp.household, weights=((age < lo) | (age > hi)) & known, minlength=hh.n)
    hh_rows = _Rows(hh.psu, hh, hh.weight / np.maximum(hh.persons, 1), np.ones(hh.n))
    all_hh = np.zeros(hh.n, dtype=np.int64)
    hh_rows.share("elderly_coresidence", (old & young).astype(float), old.astype(float), all_hh, ("all",), "all",
                  lonely_psu=lonely_psu)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(working > 0, dependants / working, 0.0)
    hh_rows.share("dependency_rate", rate, (working > 0).astype(float), all_hh, ("all",), "all",
                  lonely_psu=lonely_psu)
    rows.frames.extend(hh_rows.frames)

    # age-based poverty: in the poorest 40 % of people (per-capita welfare), by age, x urban, x sex
    share = params["bottom_share"]
    positive = hh.weight > 0
    xs = np.sort(hh.welfare[positive])
    order = np.argsort(hh.welfare[positive], kind="stable")
    cut = school_quantiles(xs, np.cumsum(hh.weight[positive][order]), np.array([share]))[0]
    bottom = (inp.welfare <= cut).astype(float)  # y <= Q(0.4): the ntile rule's bottom two quintiles
    rows.share("bottom40_share", bottom, one, ag.codes, ag.labels, "age_group", lonely_psu=lonely_psu)
    for other in ("urban", "sex"):
        g = inp.groupings.get(other)
        if g is None:
            warnings.append(Warning_(f"bottom40_share by age and {other} skipped: no {other} grouping"))
            continue
        both = np.where((ag.codes >= 0) & (g.codes >= 0), ag.codes * len(g.labels) + g.codes, -1)
        labels = [f"{a} / {b}" for a in ag.labels for b in g.labels]
        rows.share("bottom40_share", bottom, one, both, labels, f"age_group x {other}", lonely_psu=lonely_psu)

    # labour market, 15+
    if "labour_status" not in roles:
        warnings.append(Warning_("labour market context skipped: the spec maps no labour_status",
                                 where="roles.labour_status"))
    else:
        column = roles["labour_status"]
        status = survey.data[column].cast(pl.Float64).to_numpy()
        codes = _status_codes(survey, column)
        is_ = {k: np.isin(status, np.asarray(v, dtype=float)) for k, v in codes.items()}
        adult = (age >= lo) & known
        status_code = np.select([is_["employed"], is_["unemployed"], is_["inactive"]], [0, 1, 2], -1)
        rows.share("labour_status_share", one, one, np.where(adult, status_code, -1),
                   ("Employed", "Unemployed", "Inactive"), "labour_status", den_all=True, lonely_psu=lonely_psu)
        labour_force = (is_["employed"] | is_["unemployed"]).astype(float)
        all_adults = np.where(adult, 0, -1)
        rows.share("labour_force_participation", labour_force, one, all_adults, ("all",), "all",
                   lonely_psu=lonely_psu)
        rows.share("unemployment_rate", is_["unemployed"].astype(float), labour_force, all_adults, ("all",), "all",
                   lonely_psu=lonely_psu)
        youth_adult = np.select([(age >= 15) & (age < 25), (age >= 25) & (age < 60)], [0, 1], -1)
        rates = rows.share("unemployment_rate", is_["unemployed"].astype(float), labour_force, youth_adult,
                           ("15-24", "25-59"), "age_group", lonely_psu=lonely_psu)
        ratio_value = rates[0] / rates[1] if rates[1] > 0 else float("nan")
        rows.frames.append(long_rows("youth_adult_unemployment_ratio", np.array([[ratio_value]]),
                                     np.array([[np.nan]]), np.array([[float(((youth_adult >= 0) & (labour_force > 0)).sum())]]),
                                     np.array([[float(inp.weight[(youth_adult >= 0) & (labour_force > 0)].sum())]]),
                                     ["context"], ["context"], "all", ("all",), "none"))
        for name, column_name in (("employment_status", employment_status), ("sector", sector)):
            if column_name is None:
                warnings.append(Warning_(f"{name} context skipped: no column given", hint=f"pass {name}=COLUMN"))
                continue
            g_values = survey.data[column_name]
            grp = Grouping.from_values(name, g_values, survey.labels.get(column_name))
            codes_emp = np.where(adult & is_["employed"], grp.codes, -1)
            rows.share("labour_status_share", one, one, codes_emp, grp.labels, name, den_all=True,
                       lonely_psu=lonely_psu)
    return pl.concat(rows.frames, how="vertical"), warnings
