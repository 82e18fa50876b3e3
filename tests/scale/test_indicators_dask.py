"""The scale-out indicator table: Dask engine (real LocalCluster) against the local performance engine."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from sp2lnob.errors import DataError, InputError
from sp2lnob.scale import indicator_tasks as tasks
from sp2lnob.scale import write_partitions
from sp2lnob.scale.indicators import distributed_indicators, indicator_table

PROGRAMMES = {"cash": "cash", "pension": "pension", "school": "school"}
DESIGN = {"welfare": "y", "weight": "w", "household": "hh", "strata": "stratum", "psu": "psu"}


def person_frame(n_households: int, seed: int) -> pl.DataFrame:
    """Person rows of a stratified two-stage sample with three targeted programmes.

    Cash transfer: receipt more likely at low market income, a fixed household amount;
    pension: households with an older member; school grant: per child (size >= 3).
    Per-capita amounts, welfare after transfers; 1 % of households report welfare
    below their transfers (pre-transfer welfare floored at 0), 3 % no market income.
    PSU codes repeat across strata (PSUs are nested, as R ``nest=TRUE``).
    """
    rng = np.random.default_rng(seed)
    H = n_households
    size = rng.integers(1, 8, H)
    market = rng.lognormal(8.0, 0.9, H) * np.where(rng.random(H) < 0.03, 0.0, 1.0)
    rank = np.argsort(np.argsort(market)) / H
    cash = np.where(rng.random(H) < 0.7 - 0.6 * rank, 1200.0 / size, 0.0)
    pension = np.where((rng.random(H) < 0.3) & (rng.random(H) < 0.6), rng.uniform(500, 3000, H) / size, 0.0)
    school = np.where((size >= 3) & (rng.random(H) < 0.4), 150.0 * (size - 2) / size, 0.0)
    y = market + cash + pension + school
    y = np.where(rng.random(H) < 0.01, 0.5 * (cash + pension + school), y)  # under-reported welfare
    hh = np.repeat(np.arange(H), size)
    return pl.DataFrame({"hh": hh + 1000, "w": rng.uniform(20, 400, H)[hh] * rng.uniform(0.9, 1.1, hh.size),
                         "y": y[hh], "stratum": rng.integers(0, 6, H)[hh], "psu": rng.integers(0, 8, H)[hh],
                         "cash": cash[hh], "pension": pension[hh], "school": school[hh]})


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return person_frame(3000, 1)


@pytest.fixture(scope="module")
def source(frame, tmp_path_factory):
    return write_partitions(frame, tmp_path_factory.mktemp("persons"), rows_per_file=1500, by="hh")


def _same(local, other, rtol: float = 1e-9) -> None:
    a, b = local.table, other.table
    assert a.columns == b.columns and a.height == b.height == 3 * 5 * 6
    assert a.select("programme", "group", "indicator").equals(b.select("programme", "group", "indicator"))
    np.testing.assert_allclose(b["value"], a["value"], rtol=rtol, atol=1e-15)
    np.testing.assert_allclose(b["se"], a["se"], rtol=rtol, atol=1e-15)
    np.testing.assert_allclose(b["weighted_n"], a["weighted_n"], rtol=rtol)
    assert b["n"].equals(a["n"])
    # Exact cut-offs: the same data values (or midpoints) as the local engine's sort.
    assert other.cutoffs["value"].to_list() == local.cutoffs["value"].to_list()
    assert other.floored == local.floored


def test_dask_cluster_equals_local_engine(source, dask_cluster_client):
    local = indicator_table(source, **DESIGN, programmes=PROGRAMMES)
    dask = indicator_table(source, **DESIGN, programmes=PROGRAMMES, engine="dask", client=dask_cluster_client)
    assert local.engine == "local" and dask.engine == "dask"
    assert dask.workers == 2 and dask.passes == 4 and dask.partitions == len(source.paths) > 4
    _same(local, dask)
    t = dask.to_frame()
    assert set(t["group"]) == {"Q1", "Q2", "Q3", "Q4", "Q5", "all"}
    assert set(t["indicator"]) == {"coverage", "beneficiary_incidence", "benefit_incidence", "adequacy",
                                   "average_transfer"}
    # Sanity of the synthetic targeting: the cash transfer reaches the poorest quintile most.
    assert dask.value("coverage", "cash", "Q1") > dask.value("coverage", "cash", "Q5")
    assert dask.value("beneficiary_incidence", "cash", "all") == pytest.approx(1.0)
    assert sum(dask.value("benefit_incidence", "cash", f"Q{i}") for i in range(1, 6)) == pytest.approx(1.0)
    assert dask.floored["cash"] > 0 and "floored at 0" in dask.summary()


@pytest.mark.parametrize("design", ["strata+psu", "households as clusters", "text ids, deciles"])
def test_in_process_engine_equals_local_engine(frame, tmp_path, design):
    kw = dict(DESIGN)
    n = 5
    data = frame
    if design == "households as clusters":
        kw.update(strata=None, psu=None)
    elif design == "text ids, deciles":
        data = frame.with_columns(pl.format("h{}", "hh").alias("hh"), pl.format("s{}", "stratum").alias("stratum"))
        n = 10
    src = write_partitions(data, tmp_path, rows_per_file=2500, by="hh")
    local = indicator_table(src, **kw, programmes=PROGRAMMES, quantiles=n)
    cols = tasks.IndicatorColumns("y", "w", "hh", tuple(PROGRAMMES.values()), kw["strata"], kw["psu"])
    table, cutoffs, floored, _ = distributed_indicators(None, src, cols, list(PROGRAMMES), n, None, 4096)
    assert table.height == 3 * 5 * (n + 1)
    np.testing.assert_allclose(table["value"], local.table["value"], rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(table["se"], local.table["se"], rtol=1e-9, atol=1e-15)
    assert table["n"].equals(local.table["n"])
    assert cutoffs["value"].to_list() == local.cutoffs["value"].to_list()
    assert floored == local.floored


def test_result_does_not_depend_on_partitioning(frame, tmp_path):
    cols = tasks.IndicatorColumns("y", "w", "hh", tuple(PROGRAMMES.values()), "stratum", "psu")
    one = write_partitions(frame, tmp_path / "one", rows_per_file=frame.height, by="hh")
    many = write_partitions(frame, tmp_path / "many", rows_per_file=700, by="hh")
    assert len(one.paths) == 1 and len(many.paths) > 15
    a = distributed_indicators(None, one, cols, list(PROGRAMMES), 5, None, 2048)
    b = distributed_indicators(None, many, cols, list(PROGRAMMES), 5, None, 1 << 15)  # buckets do not matter
    np.testing.assert_allclose(b[0]["value"], a[0]["value"], rtol=1e-11, atol=1e-15)
    np.testing.assert_allclose(b[0]["se"], a[0]["se"], rtol=1e-9, atol=1e-15)
    assert b[1]["value"].to_list() == a[1]["value"].to_list()


def test_partials_are_small(source):
    cols = tasks.IndicatorColumns("y", "w", "hh", tuple(PROGRAMMES.values()), "stratum", "psu")
    cuts = np.tile([1000.0, 2000.0, 4000.0, 7000.0], (3, 1))
    sums = tasks.sums_task(source.paths[0], cols, cuts)["cat:sums"]
    assert sums.height <= 3 * 6 * 8 * 5 < source.rows[0]  # programmes x strata x PSUs x groups


@pytest.mark.parametrize("case, error, match", [
    ("missing column", DataError, "not in the Parquet files"),
    ("negative weight", DataError, "negative weight"),
    ("text amount", DataError, "not numeric"),
    ("missing amount", DataError, "missing or infinite"),
    ("amount varies in household", DataError, "varies within"),
    ("household split across files", DataError, "split across Parquet files"),
    ("quantiles=1", InputError, "at least 2"),
    ("unknown engine", InputError, "unknown engine"),
])
def test_bad_input_is_a_structured_error(frame, tmp_path, dask_cluster_client, case, error, match):
    """Errors raised on a worker reach the caller as the same structured error."""
    data, kw, programmes, engine = frame, {}, dict(PROGRAMMES), "dask"
    first = pl.int_range(pl.len()) == 0
    if case == "missing column":
        programmes["cash"] = "cash_amount"
    elif case == "negative weight":
        data = frame.with_columns(pl.when(first).then(-1.0).otherwise(pl.col("w")).alias("w"))
    elif case == "text amount":
        data = frame.with_columns(pl.col("cash").cast(pl.String))
    elif case == "missing amount":
        data = frame.with_columns(pl.when(first).then(None).otherwise(pl.col("pension")).alias("pension"))
    elif case == "amount varies in household":
        data = frame.with_columns(pl.col("school") + pl.int_range(pl.len()).over("hh"))
    elif case == "quantiles=1":
        kw = {"quantiles": 1}
    elif case == "unknown engine":
        engine = "spark"
    by = None if case == "household split across files" else "hh"   # cut every 4001 rows, mid-household
    src = write_partitions(data, tmp_path, rows_per_file=4001, by=by)
    with pytest.raises(error, match=match) as info:
        indicator_table(src, **DESIGN, programmes=programmes, engine=engine, client=dask_cluster_client, **kw)
    assert info.value.where or info.value.expected


def _few_values(values: list[float], tmp_path) -> tuple:
    rng = np.random.default_rng(5)
    H = 400
    frame = pl.DataFrame({"hh": np.arange(H), "w": rng.uniform(1, 3, H), "y": rng.choice(values, H),
                          "stratum": np.arange(H) % 2, "psu": np.arange(H) % 10, "cash": np.zeros(H)})
    src = write_partitions(frame, tmp_path, rows_per_file=90, by="hh")
    return src, tasks.IndicatorColumns("y", "w", "hh", ("cash",), "stratum", "psu")


def test_values_crowded_in_one_bucket_take_an_extra_exact_pass(tmp_path):
    # Five tiny values share the first bucket of [0, 1e6]: a distinct count pass, then exact cut-offs.
    src, cols = _few_values([0.0, 1e-9, 2e-9, 3e-9, 4e-9, 1e6], tmp_path)
    table, cutoffs, _, passes = distributed_indicators(None, src, cols, ["cash"], 5, None, 2048)
    local = indicator_table(src, **DESIGN, programmes={"cash": "cash"})
    assert passes == 5
    assert cutoffs["value"].to_list() == local.cutoffs["value"].to_list()
    np.testing.assert_allclose(table["value"], local.table["value"], rtol=1e-9)


def test_fewer_distinct_values_than_groups_is_an_error_in_both_engines(tmp_path):
    src, cols = _few_values([100.0, 200.0, 300.0], tmp_path)
    with pytest.raises(DataError, match="fewer distinct values than groups"):
        distributed_indicators(None, src, cols, ["cash"], 5, None, 2048)
    with pytest.raises(DataError, match="fewer distinct values than groups"):
        indicator_table(src, **DESIGN, programmes={"cash": "cash"})
