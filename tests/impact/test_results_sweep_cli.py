"""Sweeps, the chart, the CLI, the spec conversion and structured errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from sp2lnob.errors import InputError
from sp2lnob.impact import impact, sweep_impact, with_consumption
from sp2lnob.impact.spec import money_circumstances


def test_sweep_curve_rises_with_the_benefit(demo_base, child_benefit):
    sw = sweep_impact(demo_base, child_benefit, "benefit.share", [0.0, 0.04, 0.08],
                      indicators=["clean_fuel", "basic_water"])
    fuel = sw.curve("clean_fuel")["furthest_behind_post"].to_numpy()
    assert fuel[0] == pytest.approx(sw.table.filter(sw.table["indicator"] == "clean_fuel")["furthest_behind_pre"][0])
    assert np.all(np.diff(fuel) > 0)
    water = sw.curve("basic_water")["furthest_behind_post"].to_numpy()
    assert np.all(water == water[0])                       # tree does not split on consumption
    cost = sw.table.filter(sw.table["indicator"] == "clean_fuel")["cost_pct_gdp"].to_numpy()
    assert cost[0] == 0 and np.all(np.diff(cost) > 0)
    assert "benefit.share" in sw.summary()
    assert sw.to_dict()["values"] == [0.0, 0.04, 0.08]
    with pytest.raises(InputError):
        sw.curve("clean_fuell")


def test_sweep_chart(tmp_path, demo_base, child_benefit):
    from sp2lnob.impact.charts import sweep_chart

    sw = sweep_impact(demo_base, child_benefit, "universal_child_benefit.benefit.share", [0.0, 0.05],
                      indicators=["clean_fuel"])
    fig = sweep_chart(sw, path=tmp_path / "curve.png")
    assert (tmp_path / "curve.png").stat().st_size > 1000
    assert len(fig.axes[0].lines) == 2


def test_bad_inputs_are_structured_errors(demo_base, child_benefit):
    with pytest.raises(InputError, match="unknown impact mode"):
        impact(demo_base, child_benefit, mode="forest")
    with pytest.raises(InputError, match="no prepared indicator"):
        impact(demo_base, child_benefit, indicators=["clean_fual"])
    with pytest.raises(InputError, match="no poverty line"):
        impact(demo_base, child_benefit, line="nationall")
    with pytest.raises(InputError, match="smooth mode"):
        impact(demo_base, child_benefit, replicates=10)
    with pytest.raises(InputError, match="name the scheme"):
        from sp2lnob.simulate import make_package

        sweep_impact(demo_base, make_package(["universal_child_benefit", "universal_social_pension"]),
                     "benefit.share", [0.01])


def test_spec_conversion_keeps_everything_else(demo_survey):
    from sp2lnob.demo import demo_lnob_spec_path
    from sp2lnob.opportunity import load_lnob_spec

    spec = load_lnob_spec(demo_lnob_spec_path())
    assert [m.kind for m in money_circumstances(spec)] == ["b40"]
    new = with_consumption(spec)
    assert [m.kind for m in money_circumstances(new)] == ["continuous"]
    assert len(new.circumstances) == len(spec.circumstances)
    for a, b in zip(spec.indicators, new.indicators, strict=True):
        assert [c if c != "wealth" else "consumption" for c in a.circumstances] == b.circumstances
    assert with_consumption(new) is new


def test_as_declared_reroutes_on_the_fixed_b40_cut(demo_survey, child_benefit):
    from sp2lnob.impact import prepare_impact

    base = prepare_impact(demo_survey, indicators=["clean_fuel"], consumption="as_declared")
    assert base.b40_cut is not None
    res = impact(base, child_benefit)
    assert res.indicators[0].furthest_behind["change"] >= 0


def test_cli_impact_json_and_out(tmp_path):
    from sp2lnob.cli import app
    from sp2lnob.demo import demo_spec_path

    out = tmp_path / "impact.csv"
    r = CliRunner().invoke(app, ["impact", str(demo_spec_path()), "--scheme", "universal_child_benefit",
                                 "-i", "clean_fuel", "-i", "basic_water", "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    payload = json.loads(r.output)
    assert payload["mode"] == "tree" and payload["written"] == [str(out)]
    assert {i["indicator"] for i in payload["indicators"]} == {"clean_fuel", "basic_water"}
    assert out.read_text().startswith("indicator,mode,rank")


def test_cli_sweep_with_chart_and_errors(tmp_path):
    from sp2lnob.cli import app
    from sp2lnob.demo import demo_spec_path

    chart = tmp_path / "c.png"
    r = CliRunner().invoke(app, ["impact", str(demo_spec_path()), "-s", "universal_child_benefit", "-i", "clean_fuel",
                                 "--sweep", "benefit.share=0,0.04", "--chart", str(chart)])
    assert r.exit_code == 0, r.output
    assert "furthest-behind group's access" in r.output and chart.exists()
    bad = CliRunner().invoke(app, ["impact", str(demo_spec_path()), "-s", "universal_child_benefit",
                                   "--sweep", "benefit.share", "--json"])
    assert bad.exit_code == 2
    assert json.loads(bad.output)["error"]["where"] == "--sweep"


def test_only_the_demo_has_a_default_lnob_spec():
    from types import SimpleNamespace

    from sp2lnob.impact import prepare_impact

    other = SimpleNamespace(spec=SimpleNamespace(survey=SimpleNamespace(name="Another HIES")))
    with pytest.raises(InputError, match="no LNOB spec given"):
        prepare_impact(other)
    with pytest.raises(InputError, match="unknown consumption handling"):
        prepare_impact(other, consumption="log")
