"""Step 5: impacts of a package — poverty, inequality, targeting, costs, by group.

All numbers are weighted by the survey's person weights (households by
household weights) and computed with column operations:

- poverty at every line: FGT(0, 1, 2) (Foster-Greer-Thorbecke 1984), poor persons;
  lines are held at their pre-transfer values (a relative line is not recomputed);
- inequality: Gini, Theil T, Atkinson(eps), Palma, S80/S20 (see :mod:`kernels`);
- targeting per scheme and for the package, at every line: coverage of the poor
  ``sum w 1[poor, in beneficiary household] / sum w 1[poor]`` (pre-transfer poor),
  exclusion error = 1 - coverage of the poor, inclusion error = share of persons in
  beneficiary households who are not poor, share of transfers reaching the poor;
- costs: ``cost = (1 + admin) x sum_h w_h T_h`` (yearly LCU), as % of GDP
  (GDP per capita x the survey's weighted population), of government revenue and
  expenditure, per beneficiary;
- efficiency at every line: persons lifted out of poverty, cost per person lifted,
  change in the headcount (points) per 1 % of GDP spent, poverty-gap efficiency
  ``sum w (gap_pre - gap_post) / sum w T`` (money gaps per person; 1 = every unit
  of transfer closes a unit of poverty gap);
- budget-neutral comparison: the same transfer money as a universal per-capita
  transfer ``a = sum w T / sum w`` (Gini scales as ``G mu / (mu + a)``, exact for
  the laeken formula);
- by group (urban/rural, region, sex of head, household type, age group, pre-transfer
  decile): population, mean welfare before/after, FGT at every line, Gini, share in
  beneficiary households, transfer per person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sp2lnob.simulate.base import SimulationBase, defaults
from sp2lnob.simulate.kernels import fgt_terms, group_gini, inequality, wdot
from sp2lnob.survey.welfare import period_factor

ALL = "package"
FGT = ("fgt0", "fgt1", "fgt2")


@dataclass
class Table:
    """Rows under construction: (section, measure, scheme, line, by, group, stage, value)."""

    rows: list[tuple] = field(default_factory=list)

    def add(self, section: str, measure: str, stage: str, value: float, *, scheme: str | None = None,
            line: str | None = None, by: str | None = None, group: str | None = None) -> None:
        self.rows.append((section, measure, scheme, line, by, group, stage, float(value)))

    def add_groups(self, by: str, names: tuple[str, ...], measure: str, stage: str, values: np.ndarray,
                   *, line: str | None = None, scheme: str | None = None) -> None:
        self.rows.extend(("group", measure, scheme, line, by, n, stage, float(v))
                         for n, v in zip(names, values, strict=True))


@dataclass(frozen=True)
class Sorted:
    """A distribution sorted once: ``level`` household (values equal within households, one row per
    household weighted by its persons — exact for every index, tied rows merge) or person."""

    level: str
    order: np.ndarray
    xs: np.ndarray
    ws: np.ndarray


def distribution(base: SimulationBase, x: np.ndarray, eps: list[float]) -> tuple[dict[str, float], Sorted]:
    """Inequality indices of person welfare ``x``, sorting households rather than persons when
    welfare is household-level (per capita / per adult equivalent): a 4-5 times shorter sort."""
    if base.cache.get("household_level") is None:
        base.cache["household_level"] = base.is_household_level(base.welfare)
    if base.cache["household_level"]:
        out, (o, xs, ws) = inequality(x[base.hh_first], base.hh_person_weight, eps)
        return out, Sorted("household", o, xs, ws)
    out, (o, xs, ws) = inequality(x, base.weight, eps)
    return out, Sorted("person", o, xs, ws)


def groups_gini(base: SimulationBase, x: np.ndarray, srt: Sorted) -> dict[str, np.ndarray]:
    """Gini within the groups of every grouping (deciles left out: inequality within a decile of
    pre-transfer welfare says little)."""
    out = {}
    person = None
    for by, (codes, names) in base.groups.items():
        if by == "decile":
            continue
        key = "hh_codes:" + by
        if key not in base.cache:
            first = codes[base.hh_first]
            base.cache[key] = first if np.array_equal(codes, first[base.hh_index]) else None
        hh_codes = base.cache[key]
        if srt.level == "household" and hh_codes is not None:
            out[by] = group_gini(srt.xs, srt.ws, hh_codes[srt.order], len(names))
            continue
        if person is None:
            po = base.person_order(srt.order) if srt.level == "household" else srt.order
            person = (po, x[po], base.weight[po])
        po, xs, ws = person
        out[by] = group_gini(xs, ws, codes[po], len(names))
    return out


def _pre_stats(base: SimulationBase) -> dict:
    """Pre-transfer summaries, computed once per base."""
    hit = base.cache.get("pre_stats")
    if hit is not None:
        return hit
    x, w = base.welfare, base.weight
    eps = defaults()["atkinson_epsilons"]
    ineq, srt = distribution(base, x, eps)
    ginis = groups_gini(base, x, srt)
    terms = {name: fgt_terms(x, z) for name, z in base.lines.items()}
    groups = {}
    lines = list(terms)
    sums = group_sums(base, [np.ones_like(x), x] + [t for ln in lines for t in terms[ln]])
    for by in base.groups:
        pop, mean, *fgt = sums[by]
        groups[by] = {
            "pop": pop,
            "mean": mean,
            "gini": ginis.get(by),
            "fgt": {ln: fgt[3 * i: 3 * i + 3] for i, ln in enumerate(lines)},
        }
    out = {"ineq": ineq, "terms": terms, "groups": groups, "W": w.sum(), "mean": float(wdot(w, x) / w.sum()),
           "money_gap": {ln: np.maximum(z - x, 0.0) for ln, z in base.lines.items()}}
    base.cache["pre_stats"] = out
    return out


@dataclass(frozen=True)
class SchemeOutcome:
    """What the engine computed for one scheme (household arrays length H, person arrays length n)."""

    name: str
    per: str
    admin: float
    payments_per_year: float
    transfers_hh: np.ndarray   # T_sh, welfare period
    total: float               # weighted total paid, welfare period
    eligible: np.ndarray       # person bool
    reached_hh: np.ndarray     # household bool
    paid_person: np.ndarray    # person bool: paid directly (per-person schemes)


def compute(base: SimulationBase, post: np.ndarray, outcomes: list[SchemeOutcome], transfers_hh: np.ndarray,
            table: Table, *, groups: bool = True) -> None:
    """Fill ``table`` with every impact of the package."""
    pre_stats = _pre_stats(base)
    x, w, hh = base.welfare, base.weight, base.hh_index
    W = pre_stats["W"]
    to_year = period_factor(base.period, "yearly")
    gdp = base.macro.gdp_per_capita * W
    rev, exp = base.macro.revenue_share_of_gdp, base.macro.expenditure_share_of_gdp

    # --- poverty and inequality --------------------------------------------------
    post_terms = {}
    for ln, z in base.lines.items():
        post_terms[ln] = fgt_terms(post, z)
        for name, t_pre, t_post in zip(FGT, pre_stats["terms"][ln], post_terms[ln], strict=True):
            a, b = wdot(w, t_pre) / W, wdot(w, t_post) / W
            _triple(table, "poverty", name, a, b, line=ln)
        _triple(table, "poverty", "poor_persons", wdot(w, pre_stats["terms"][ln][0]),
                wdot(w, post_terms[ln][0]), line=ln)
    eps = defaults()["atkinson_epsilons"]
    ineq_post, order = distribution(base, post, eps)
    mean_post = float(wdot(w, post) / W)
    _triple(table, "inequality", "mean_welfare", pre_stats["mean"], mean_post)
    for name, v in ineq_post.items():
        _triple(table, "inequality", name, pre_stats["ineq"][name], v)

    # --- targeting and costs, per scheme and for the package --------------------------
    tpc_all = (transfers_hh / base.hh_scale)[hh]   # welfare gain of each person
    total_transfers = float(sum(o.total for o in outcomes))
    total_cost = 0.0
    for o in outcomes:
        t_year = o.total * to_year
        cost = (1.0 + o.admin) * t_year
        total_cost += cost
        paid_hh = o.transfers_hh > 0
        if o.per == "person":
            beneficiaries = float(w[o.paid_person].sum())
        else:
            beneficiaries = float(base.hh_weight[paid_hh].sum())
        _costs(table, o.name, t_year, cost, beneficiaries, gdp, rev, exp)
        table.add("cost", "transfer_per_beneficiary_per_payment", "value",
                  t_year / beneficiaries / o.payments_per_year if beneficiaries > 0 else np.nan, scheme=o.name)
        elig_w = float(w[o.eligible].sum())
        table.add("targeting", "eligible_persons", "value", elig_w, scheme=o.name)
        reached_elig = float(w[o.eligible & o.reached_hh[hh]].sum())
        table.add("targeting", "coverage_of_eligible", "value", reached_elig / elig_w if elig_w > 0 else np.nan,
                  scheme=o.name)
        _targeting(table, base, pre_stats, paid_hh.astype(float)[hh], (o.transfers_hh / base.hh_scale)[hh], o.name)
    in_benef = (transfers_hh > 0).astype(float)[hh]
    _costs(table, ALL, total_transfers * to_year, total_cost, float(wdot(w, in_benef)), gdp, rev, exp)
    _targeting(table, base, pre_stats, in_benef, tpc_all, ALL)

    # --- efficiency and the budget-neutral universal transfer ---------------------------
    a = total_transfers / W
    per_capita = base.cache.get("per_capita")
    if per_capita is None:
        per_capita = base.cache["per_capita"] = bool(np.allclose(base.hh_scale, base.hh_size))
    # every person gets a; welfare per unit rises by a x size / scale (= a when welfare is per capita)
    bn = x + a if per_capita else x + a * (base.hh_size / base.hh_scale)[hh]
    for ln, z in base.lines.items():
        lifted = wdot(w, pre_stats["terms"][ln][0] - post_terms[ln][0])
        table.add("efficiency", "persons_lifted", "value", lifted, line=ln)
        table.add("efficiency", "cost_per_person_lifted", "value", total_cost / lifted if lifted > 0 else np.nan,
                  line=ln)
        d_h = (wdot(w, post_terms[ln][0]) - wdot(w, pre_stats["terms"][ln][0])) / W * 100.0
        pct = total_cost / gdp * 100.0
        table.add("efficiency", "headcount_change_points_per_pct_gdp", "value", d_h / pct if pct > 0 else np.nan,
                  line=ln)
        closed = wdot(w, pre_stats["money_gap"][ln] - np.maximum(z - post, 0.0))
        table.add("efficiency", "poverty_gap_efficiency", "value",
                  closed / wdot(w, tpc_all) if total_transfers > 0 else np.nan, line=ln)
        for name, t in zip(FGT, fgt_terms(bn, z), strict=True):
            table.add("budget_neutral", name, "budget_neutral", wdot(w, t) / W, line=ln)
    table.add("budget_neutral", "amount_per_person", "budget_neutral", a)
    bn_gini = (pre_stats["ineq"]["gini"] * pre_stats["mean"] / (pre_stats["mean"] + a) if per_capita
               else distribution(base, bn, [])[0]["gini"])
    table.add("budget_neutral", "gini", "budget_neutral", bn_gini)

    if groups:
        _by_group(table, base, pre_stats, post, post_terms, order, in_benef, tpc_all)


def _triple(table: Table, section: str, measure: str, pre: float, post: float, **keys) -> None:
    table.add(section, measure, "pre", pre, **keys)
    table.add(section, measure, "post", post, **keys)
    table.add(section, measure, "change", post - pre, **keys)


def _costs(table: Table, scheme: str, transfers: float, cost: float, beneficiaries: float, gdp: float,
           rev: float | None, exp: float | None) -> None:
    pct = cost / gdp * 100.0
    table.add("cost", "transfers_lcu", "value", transfers, scheme=scheme)
    table.add("cost", "admin_lcu", "value", cost - transfers, scheme=scheme)
    table.add("cost", "cost_lcu", "value", cost, scheme=scheme)
    table.add("cost", "cost_pct_gdp", "value", pct, scheme=scheme)
    table.add("cost", "cost_pct_revenue", "value", pct / rev if rev else np.nan, scheme=scheme)
    table.add("cost", "cost_pct_expenditure", "value", pct / exp if exp else np.nan, scheme=scheme)
    table.add("cost", "beneficiaries", "value", beneficiaries, scheme=scheme)
    table.add("cost", "cost_per_beneficiary", "value", cost / beneficiaries if beneficiaries > 0 else np.nan,
              scheme=scheme)


def _targeting(table: Table, base: SimulationBase, pre_stats: dict, in_benef: np.ndarray, tpc: np.ndarray,
               scheme: str) -> None:
    w = base.weight
    benef_w = float(wdot(w, in_benef))
    table.add("targeting", "persons_in_beneficiary_households", "value", benef_w, scheme=scheme)
    table.add("targeting", "share_in_beneficiary_households", "value", benef_w / pre_stats["W"], scheme=scheme)
    total_t = float(wdot(w, tpc))
    for ln in base.lines:
        poor = pre_stats["terms"][ln][0]
        poor_w = float(wdot(w, poor))
        covered = float(wdot(w, poor * in_benef))
        cov = covered / poor_w if poor_w > 0 else np.nan
        table.add("targeting", "coverage_of_poor", "value", cov, scheme=scheme, line=ln)
        table.add("targeting", "exclusion_error", "value", 1.0 - cov, scheme=scheme, line=ln)
        table.add("targeting", "inclusion_error", "value", (benef_w - covered) / benef_w if benef_w > 0 else np.nan,
                  scheme=scheme, line=ln)
        table.add("targeting", "share_of_transfers_to_poor", "value",
                  float(wdot(w * poor, tpc)) / total_t if total_t > 0 else np.nan, scheme=scheme, line=ln)


def group_sums(base: SimulationBase, columns: list[np.ndarray]) -> dict[str, list[np.ndarray]]:
    """Weighted totals ``sum w v`` of each column by every grouping (one bincount per column)."""
    cell, n_cells, maps = base.cells
    w = base.weight
    per_cell = [np.bincount(cell, weights=w * v, minlength=n_cells) for v in columns]
    out = {}
    for by, (_, names) in base.groups.items():
        k = len(names)
        out[by] = [np.bincount(maps[by], weights=c, minlength=k) for c in per_cell]
    return out


def _by_group(table: Table, base: SimulationBase, pre_stats: dict, post: np.ndarray, post_terms: dict,
              order: Sorted, in_benef: np.ndarray, tpc: np.ndarray) -> None:
    w = base.weight
    total_t = float(wdot(w, tpc))
    lines = list(base.lines)
    columns = [post, in_benef.astype(float), tpc] + [t for ln in lines for t in post_terms[ln]]
    sums = group_sums(base, columns)
    ginis = groups_gini(base, post, order)
    for by, (_, names) in base.groups.items():
        k = len(names)
        g = pre_stats["groups"][by]
        pop = g["pop"]
        s_post, s_benef, s_t, *s_fgt = sums[by]
        with np.errstate(divide="ignore", invalid="ignore"):
            table.add_groups(by, names, "population", "value", pop)
            mean_pre = g["mean"] / pop
            mean_post = s_post / pop
            _group_triple(table, by, names, "mean_welfare", mean_pre, mean_post)
            table.add_groups(by, names, "mean_welfare_change_pct", "value", (mean_post / mean_pre - 1.0) * 100.0)
            if by in ginis:
                _group_triple(table, by, names, "gini", g["gini"], ginis[by])
            for i, ln in enumerate(lines):
                for j, name in enumerate(FGT):
                    _group_triple(table, by, names, name, g["fgt"][ln][j] / pop, s_fgt[3 * i + j] / pop, line=ln)
            table.add_groups(by, names, "share_in_beneficiary_households", "value", s_benef / pop)
            table.add_groups(by, names, "transfer_per_person", "value", s_t / pop)
            table.add_groups(by, names, "share_of_transfers", "value",
                             s_t / total_t if total_t > 0 else np.full(k, np.nan))


def _group_triple(table: Table, by: str, names: tuple[str, ...], measure: str, pre: np.ndarray,
                  post: np.ndarray, *, line: str | None = None) -> None:
    table.add_groups(by, names, measure, "pre", pre, line=line)
    table.add_groups(by, names, measure, "post", post, line=line)
    table.add_groups(by, names, measure, "change", post - pre, line=line)
