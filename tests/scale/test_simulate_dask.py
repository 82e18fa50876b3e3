"""The partitioned simulator: Dask engine (real LocalCluster, tasks in-process) against the local engine.

The demo survey (10,000 households, 44,056 persons) is written as Parquet partitions that never
split a household; the local engine (``read_survey`` + ``simulate`` on everything) is the reference.
The package exercises random coverage below 1 (draws sliced from the survey-wide stream), replaced
programmes and every kind of poverty line of the demo spec (absolute, PPP, relative, quantile).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from sp2lnob.errors import DataError, InputError
from sp2lnob.scale import write_partitions
from sp2lnob.scale.simulate import context, partitioned_table, simulate_partitioned
from sp2lnob.scale.simulate_tasks import draws
from sp2lnob.simulate import load_scheme, make_package

KEYS = ["scheme", "measure", "line", "stage"]


@pytest.fixture(scope="module")
def spec():
    from sp2lnob.demo import demo_spec_path

    return demo_spec_path()


@pytest.fixture(scope="module")
def merged(spec):
    from sp2lnob import read_survey

    return read_survey(spec).data.sort("hhid")


@pytest.fixture(scope="module")
def source(merged, tmp_path_factory):
    return write_partitions(merged, tmp_path_factory.mktemp("survey"), rows_per_file=6_000, by="hhid")


@pytest.fixture(scope="module")
def package():
    pension = load_scheme("universal_social_pension").with_values({"coverage.rate": 0.6})
    return make_package([load_scheme("universal_child_benefit"), pension, load_scheme("disability_benefit")],
                        replaces=["social_pension"])


def _check_equal(local: pl.DataFrame, dask: pl.DataFrame) -> None:
    j = local.join(dask, on=KEYS, how="full", nulls_equal=True, coalesce=True, suffix="_dask")
    assert j.height == local.height == dask.height
    assert j["value"].null_count() == 0 and j["value_dask"].null_count() == 0
    exact = j.filter(pl.col("measure") != "gini")
    np.testing.assert_allclose(exact["value_dask"], exact["value"], rtol=1e-9, atol=0)
    assert (exact["error_bound_dask"] == 0).all()
    gini = j.filter(pl.col("measure") == "gini")
    assert gini.height == 2
    assert ((gini["value_dask"] - gini["value"]).abs() <= gini["error_bound_dask"] + 1e-12).all()
    assert ((gini["error_bound_dask"] > 0) & (gini["error_bound_dask"] < 1e-6)).all()


def test_dask_cluster_equals_local_engine(source, spec, package, dask_cluster_client):
    local = simulate_partitioned(source, spec, package, seed=11)
    dask = simulate_partitioned(source, spec, package, seed=11, engine="dask", client=dask_cluster_client)
    assert (dask.engine, dask.workers, dask.partitions) == ("dask", 2, len(source.paths))
    assert len(source.paths) > 4
    # layout, line histogram, line rows, draw histogram, draw rows, sums, Gini buckets
    assert dask.passes == 7
    assert (dask.rows, dask.households) == (local.rows, local.households) == (44_056, 10_000)
    assert dask.seed == local.seed == 11 and dask.scheme_seeds == local.scheme_seeds
    assert dask.lines == local.lines and set(dask.lines) == {"relative_60_median", "poorest_20"}
    assert dask.warnings == local.warnings and len(local.warnings) == 1   # missing disability: not eligible
    _check_equal(local.table, dask.table)
    assert set(local.table["measure"]) == {"transfers_lcu", "cost_lcu", "cost_pct_gdp", "beneficiaries",
                                           "headcount", "poverty_gap", "poverty_severity", "mean_welfare", "gini"}
    assert "gini" in dask.summary() and "±" in dask.summary()


def test_in_process_tasks_other_partitioning_and_seed(merged, spec, package, tmp_path):
    # Smaller files (other offsets into the draw stream), tasks run here (client=None).
    src = write_partitions(merged, tmp_path, rows_per_file=2_500, by="hhid")
    local = simulate_partitioned(src, spec, package, seed=3)
    ctx, _ = context(src, spec, package, 3, None)
    table, info = partitioned_table(None, src, ctx)
    _check_equal(local.table, table)
    # Coverage 0.6 really is drawn: about 60 % of the full-coverage beneficiaries, not all of them.
    full = simulate_partitioned(src, spec, package.replace_scheme(load_scheme("universal_social_pension")), seed=3)
    share = (local.value("beneficiaries", "value", scheme="universal_social_pension")
             / full.value("beneficiaries", "value", scheme="universal_social_pension"))
    assert 0.55 < share < 0.65


def test_draws_are_slices_of_the_survey_wide_stream():
    scheme = load_scheme("universal_social_pension")
    from sp2lnob.simulate.engine import scheme_seed

    whole = np.random.default_rng(scheme_seed(scheme, 5)).random(1000)
    np.testing.assert_array_equal(np.concatenate([draws(scheme, 5, 0, 300), draws(scheme, 5, 300, 700)]), whole)


def test_poorest_first_and_pmt_without_noise(source, spec):
    # Priority by welfare per unit / PMT score, then draw, then household index: the same cut-off.
    targeted = load_scheme("poverty_targeted_transfer").with_values(
        {"eligibility.when": "welfare < 40000", "coverage.inclusion_error": 0.0, "coverage.pmt_noise": 0.0})
    poorest = load_scheme("universal_child_benefit").with_values(
        {"coverage.allocation": "poorest_first", "coverage.rate": 0.5})
    package = make_package([targeted, poorest])
    local = simulate_partitioned(source, spec, package, seed=5)
    ctx, src = context(source, spec, package, 5, None)
    table, info = partitioned_table(None, src, ctx)
    assert info["passes"] == 8           # + the range of the welfare / score keys
    _check_equal(local.table, table)
    full = simulate_partitioned(source, spec, make_package([s.with_values({"coverage.rate": 1.0})
                                                            for s in package.schemes]), seed=5)
    for name, rate in (("poverty_targeted_transfer", 0.7), ("universal_child_benefit", 0.5)):
        share = local.value("beneficiaries", "value", scheme=name) / full.value("beneficiaries", "value", scheme=name)
        assert abs(share - rate) < 0.02


@pytest.mark.parametrize(("updates", "where", "what"), [
    ({"coverage.allocation": "pmt", "coverage.rate": 0.7, "coverage.pmt_noise": 0.3}, "coverage.pmt_noise", "noisy"),
    ({"eligibility.when": "age >= 65 and welfare_decile <= 4"}, "eligibility.when", "welfare_decile"),
])
def test_unsupported_options_are_refused(source, spec, updates, where, what):
    scheme = load_scheme("universal_social_pension").with_values(updates)
    with pytest.raises(InputError) as err:
        simulate_partitioned(source, spec, [scheme], engine="dask")   # refused before any cluster starts
    assert what in err.value.what and err.value.where.endswith(where)
    assert err.value.expected and err.value.hint and "engine='local'" in err.value.hint
    # the local engine runs it
    assert simulate_partitioned(source, spec, [scheme]).value("cost_lcu", "value") > 0


def test_inclusion_error_is_refused(source, spec):
    scheme = load_scheme("poverty_targeted_transfer").with_values(
        {"coverage.allocation": "random", "eligibility.when": "welfare < 20000"})
    ctx, src = context(source, spec, [scheme], None, None)
    with pytest.raises(InputError, match="inclusion_error"):
        partitioned_table(None, src, ctx)


def test_random_coverage_needs_consecutive_household_ranges(merged, spec, package, tmp_path):
    # Households grouped by region: every file spans a wide range of ids.
    shuffled = merged.sort("region", "hhid")
    src = write_partitions(shuffled, tmp_path, rows_per_file=8_000, by="hhid")
    ctx, _ = context(src, spec, package, 1, None)
    with pytest.raises(DataError, match="consecutive ranges of household ids") as err:
        partitioned_table(None, src, ctx)
    assert "sort" in err.value.hint
    # full coverage does not need the survey-wide household order
    universal = make_package([load_scheme("universal_child_benefit")])
    ctx, _ = context(src, spec, universal, 1, None)
    table, info = partitioned_table(None, src, ctx)
    _check_equal(simulate_partitioned(src, spec, universal, seed=1).table, table)


def test_unknown_engine(source, spec, package):
    with pytest.raises(InputError, match="unknown engine"):
        simulate_partitioned(source, spec, package, engine="spark")
