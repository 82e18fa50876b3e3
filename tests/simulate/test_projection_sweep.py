"""Projections over years, parameter sweeps and bootstrap standard errors."""

from __future__ import annotations

import numpy as np
import pytest

from sp2lnob.errors import InputError
from sp2lnob.simulate import load_projection, make_package, project, simulate, sweep
from sp2lnob.simulate.sweep import scenario_packages

UCB = "universal_child_benefit"


def test_embedded_projection_matches_country_population():
    from sp2lnob.parameters import load

    p = load_projection("asiatica")
    assert p.population[2024].sum() == load("country_asiatica.yaml")["population"]
    assert min(p.population) == 2024 and max(p.population) == 2040
    # 65-74 grows 3.5 % a year
    k = [g[0] for g in p.groups].index("65-74")
    assert p.population[2030][k] == round(430000 * 1.035**6)


def test_projection_base_year_equals_simulation_and_follows_assumptions(demo_base):
    pkg = make_package([UCB, "universal_social_pension"])
    proj = project(demo_base, pkg, range(2024, 2031), real_gdp_growth=0.04, inflation=0.03)
    t = proj.table
    first = t.filter((t["year"] == 2024) & (t["scheme"] == "package"))
    sim = simulate(demo_base, pkg, groups=False)
    assert first["cost_lcu"][0] == pytest.approx(sim.value("cost_lcu", "value"), rel=1e-12)
    # the child benefit is a share of GDP per capita: its cost is 4 % x GDPpc_t x children_t x 1.05,
    # so cost_t / cost_0 = (GDPpc_t / GDPpc_0) x (children_t / children_0)
    pop = load_projection("asiatica")
    ucb = t.filter(t["scheme"] == UCB).sort("year")
    gdppc = ucb["gdp_per_capita"].to_numpy()
    elig = ucb["eligible_persons"].to_numpy()
    np.testing.assert_allclose(ucb["cost_lcu"].to_numpy() / ucb["cost_lcu"][0],
                               gdppc / gdppc[0] * elig / elig[0], rtol=1e-9)
    # children (0-4 and 5-17 groups) re-weighted by the projection's factors
    kids = np.array([0, 1])
    share04 = pop.population[2030][kids] / pop.population[2024][kids]
    assert share04.min() - 1e-12 <= elig[-1] / elig[0] <= share04.max() + 1e-12
    # nominal GDP grows with real growth and inflation
    gdp = ucb["gdp"].to_numpy()
    assert gdp[-1] / gdp[0] == pytest.approx((1.04 * 1.03) ** 6)


def test_price_indexation_of_a_flat_benefit(demo_base):
    from sp2lnob.simulate import Package, parse_scheme

    s = {"name": "flat", "date": "2024-01-01", "source": "t", "eligibility": {"when": "age >= 65"},
         "benefit": {"amount": 500, "period": "monthly"}, "indexation": "price"}
    pkg = Package((parse_scheme(s),))
    t = project(demo_base, pkg, [2024, 2034], inflation=0.05, real_gdp_growth=0.0).table
    t = t.filter(t["scheme"] == "flat").sort("year")
    per_elig = t["cost_lcu"].to_numpy() / t["eligible_persons"].to_numpy()
    assert per_elig[1] / per_elig[0] == pytest.approx(1.05**10)
    s["indexation"] = "none"
    t2 = project(demo_base, Package((parse_scheme(s),)), [2024, 2034], inflation=0.05).table
    t2 = t2.filter(t2["scheme"] == "flat").sort("year")
    per2 = t2["cost_lcu"].to_numpy() / t2["eligible_persons"].to_numpy()
    assert per2[1] == pytest.approx(per2[0])


def test_projection_from_csv(tmp_path, demo_base):
    path = tmp_path / "pop.csv"
    rows = ["year,age_group,min_age,max_age,population"]
    for year, kids in ((2024, 100.0), (2025, 50.0)):
        rows += [f"{year},children,0,17,{kids}", f"{year},adults,18,,300"]
    path.write_text("\n".join(rows) + "\n")
    t = project(demo_base, make_package([UCB]), [2024, 2025], population=str(path), inflation=0.0,
                real_gdp_growth=0.0).table
    e = t.filter(t["scheme"] == UCB).sort("year")["eligible_persons"].to_numpy()
    assert e[1] / e[0] == pytest.approx(0.5)
    with pytest.raises(InputError, match="no year 2026"):
        project(demo_base, make_package([UCB]), [2026], population=str(path))


def test_sweep_grid_table_and_parallel_equals_serial(small_base):
    pkg = make_package([UCB])
    grid = {f"{UCB}.benefit.share": [0.0, 0.02, 0.04], f"{UCB}.coverage.rate": [0.5, 1.0],
            f"{UCB}.eligibility.when": ["age < 5", "age < 18"]}
    calls = []
    serial = sweep(small_base, pkg, grid, seed=4, workers=1, progress=lambda d, t: calls.append((d, t)))
    assert serial.scenarios == 12 and calls[-1] == (12, 12)
    wide = serial.wide(("cost_pct_gdp", "fgt0"), line="national")
    assert wide.height == 12
    zero = wide.filter(wide[f"{UCB}.benefit.share"] == 0.0)
    assert (zero["cost_pct_gdp"] == 0).all()
    # cost grows with the benefit level at fixed coverage and age cut-off
    sub = wide.filter((wide[f"{UCB}.coverage.rate"] == 1.0) & (wide[f"{UCB}.eligibility.when"] == "age < 18"))
    assert sub.sort(f"{UCB}.benefit.share")["cost_pct_gdp"].is_sorted()
    parallel = sweep(small_base, pkg, grid, seed=4, workers=2)
    assert parallel.table.equals(serial.table)
    assert serial.throughput > 0


def test_sweep_bad_key(small_base):
    with pytest.raises(InputError, match="must start with a scheme of the package"):
        scenario_packages(make_package([UCB]), {"child_benefit.benefit.share": [0.1]})


def test_bootstrap_standard_errors(demo_base):
    pkg = make_package([UCB])
    a = simulate(demo_base, pkg, bootstrap=12, bootstrap_seed=3, groups=False)
    b = simulate(demo_base, pkg, bootstrap=12, bootstrap_seed=3, groups=False)
    assert a.se == b.se and a.bootstrap["seed"] == 3 and a.bootstrap["replicates"] == 12
    se_h = a.se[("poverty", "fgt0", None, "national", None, None, "post")]
    se_cost = a.se[("cost", "cost_lcu", "package", None, None, None, "value")]
    assert 0 < se_h < 0.05
    assert 0 < se_cost < 0.2 * a.value("cost_lcu", "value")
    df = a.to_frame(groups=False)
    assert df["se"].is_not_null().sum() > 50
