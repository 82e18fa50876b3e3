"""Bootstrap standard errors, the batch runner, the CLI and the pictures."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from sp2lnob.opportunity.analysis import CircumstanceData, analyse
from sp2lnob.opportunity.bootstrap import bootstrap_se
from sp2lnob.survey.design import Design


def _inputs(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2, n)
    b = rng.integers(0, 4, n)
    y = (rng.random(n) < 0.2 + 0.4 * a + 0.05 * b).astype(float)
    w = rng.uniform(1, 3, n)
    strata = np.repeat(np.arange(10), n // 10)
    psu = np.repeat(np.arange(150), n // 150)
    circs = [CircumstanceData("a", a), CircumstanceData("b", b, kind="ordered")]
    return y, w, circs, Design(weights=w, strata=strata, psu=psu)


PARAMS = {"min_bucket": 30, "min_share": None, "cp": 0.001}


def test_bootstrap_both_modes_labelled_and_reproducible():
    y, w, circs, design = _inputs()
    res = analyse(y, w, circs, tree_params=PARAMS, shapley="eliminate", group_method="cells")
    b1 = bootstrap_se(res, y, w, circs, design=design, replicates=20, seed=3, tree_params=PARAMS, shapley=True)
    b2 = bootstrap_se(res, y, w, circs, design=design, replicates=20, seed=3, tree_params=PARAMS, shapley=True)
    f1, f2 = b1.uncertainty.to_frame(), b2.uncertainty.to_frame()
    assert f1.equals(f2)
    assert set(f1["mode"]) == {"fixed", "refit"}
    d = f1.filter(pl.col("estimate") == "d_index")
    assert d.height == 2 and (d["se"] > 0).all() and (d["se"] < 0.1).all()
    assert f1.filter(pl.col("estimate").str.starts_with("shapley_share")).height == 4
    assert b1.uncertainty.seed == 3 and "Rao-Wu" in b1.uncertainty.source
    assert "d_index_se_fixed" in b1.to_frame().columns


def test_identical_replicates_give_zero_se():
    y, w, circs, _ = _inputs()
    design = Design(weights=w, replicate_weights=np.column_stack([w] * 5), replicate_method="bootstrap")
    res = analyse(y, w, circs, tree_params=PARAMS, shapley=None)
    out = bootstrap_se(res, y, w, circs, design=design, tree_params=PARAMS)
    se = out.uncertainty.to_frame()
    assert se.filter(pl.col("estimate").is_in(["d_index", "hoi", "mean_rate"]))["se"].max() == pytest.approx(0, abs=1e-12)


def test_small_leaves_flagged():
    y, w, circs, design = _inputs()
    res = analyse(y, w, circs, tree_params=PARAMS, shapley=None)
    out = bootstrap_se(res, y, w, circs, design=design, replicates=5, modes=("fixed",), tree_params=PARAMS,
                    small_leaf_rows=10**9)
    assert set(out.uncertainty.small_leaves) == {leaf.node_id for leaf in res.tree.leaves_}


def test_batch_matches_single_runs(tmp_path):
    from sp2lnob.demo import write_demo
    from sp2lnob.opportunity.batch import run_batch
    from sp2lnob.opportunity.spec import parse_lnob_spec

    surveys = {}
    for k in range(2):
        paths = write_demo(tmp_path / f"c{k}", regenerate=True, n_households=1500, seed=10 + k)
        surveys[f"C{k}"] = next(p for p in paths if p.suffix == ".yaml")
    spec = parse_lnob_spec({
        "circumstances": [{"name": "wealth", "builtin": "wealth_b40"}, {"name": "area", "builtin": "urban"},
                          {"name": "region", "builtin": "region"}],
        "indicators": [{"name": "water", "outcome": "basic_water == 1", "unit": "household"},
                       {"name": "internet", "outcome": "internet_use == 1", "population": "age >= 15"}],
    })
    seen = []
    serial = run_batch(surveys, spec, workers=1, progress=seen.append)
    parallel = run_batch(surveys, spec, workers=2)
    assert len(seen) == 2
    t1, t2 = serial.to_frame(), parallel.to_frame()
    assert t1.height == 4 and t1["country"].to_list() == ["C0", "C0", "C1", "C1"]
    assert t1.select("country", "indicator", "d_index", "hoi").equals(t2.select("country", "indicator", "d_index", "hoi"))
    assert {"furthest_behind", "furthest_behind_rate", "furthest_ahead", "mean_rate", "n"} <= set(t1.columns)


def test_cli_lnob_json_and_outputs(tmp_path, demo_lnob_path):
    from sp2lnob.cli import app
    from sp2lnob.demo import demo_spec_path

    runner = CliRunner()
    out = tmp_path / "lnob.csv"
    result = runner.invoke(app, ["lnob", str(demo_spec_path()), "--lnob-spec", str(demo_lnob_path),
                                 "--indicator", "basic_water", "--shapley", "none", "--out", str(out),
                                 "--plots", str(tmp_path / "plots"), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["results"][0]["indicator"] == "basic_water"
    assert out.exists() and (tmp_path / "lnob_nodes.csv").exists()
    assert (tmp_path / "plots" / "tree_basic_water.png").stat().st_size > 1000
    assert pl.read_csv(out).height == 1


def test_cli_error_is_structured(tmp_path, demo_lnob_path):
    from sp2lnob.cli import app
    from sp2lnob.demo import demo_spec_path

    result = CliRunner().invoke(app, ["lnob", str(demo_spec_path()), "--lnob-spec", str(demo_lnob_path),
                                      "--indicator", "electricty", "--json"])
    assert result.exit_code == 2
    err = json.loads(result.output)["error"]
    assert "electricity" in err["hint"]


def test_pictures(tmp_path, demo_survey, demo_lnob_spec):
    from sp2lnob.opportunity.plot import (
        d_index_chart,
        save_figure,
        summary_chart,
        tree_figure,
        tree_plotly,
    )
    from sp2lnob.opportunity.run import run_lnob

    run = run_lnob(demo_survey, demo_lnob_spec, indicators=["secondary_complete", "basic_water"], shapley=None)
    res = run.results[0]
    for fig, name in [(tree_figure(res), "t.svg"), (d_index_chart(run.to_frame()), "d.png"),
                      (summary_chart(run.to_frame()), "s.png")]:
        assert save_figure(fig, tmp_path / name).stat().st_size > 1000
    svg = (tmp_path / "t.svg").read_text()
    assert "#c0392b" in svg  # furthest behind in red
    pytest.importorskip("plotly")
    fig = tree_plotly(res)
    assert len(fig.data) == len(res.tree.nodes_)  # one line per edge + one marker trace
