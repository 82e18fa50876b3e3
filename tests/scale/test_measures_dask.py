"""The scale-out measures: Dask engine (real LocalCluster) against the local engine."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sp2lnob.errors import DataError, InputError
from sp2lnob.scale import measures, scan_parquet, write_partitions
from sp2lnob.scale.measures import MEASURES, distributed_table, gini_bounds

LINES = [5000.0, 8000.0]


def _frame(n: int, seed: int, whole: bool = False) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    y = rng.lognormal(9.0, 0.8, n)
    return pl.DataFrame({"y": np.round(y) if whole else y, "w": rng.uniform(50, 300, n),
                         "region": rng.choice(["north", "south", "east"], n)})


def _compare(local: pl.DataFrame, dask: pl.DataFrame) -> pl.DataFrame:
    joined = local.join(dask, on=["group", "measure", "param"], suffix="_dask", nulls_equal=True, how="full",
                        coalesce=True)
    assert joined.height == local.height == dask.height
    return joined


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return write_partitions(_frame(120_000, 1), tmp_path_factory.mktemp("parts"), rows_per_file=15_000)


@pytest.mark.parametrize("by", [None, "region"])
def test_dask_cluster_equals_local_engine(source, dask_cluster_client, by):
    local = measures(source, welfare="y", weight="w", line=LINES, by=by)
    dask = measures(source, welfare="y", weight="w", line=LINES, by=by, engine="dask", client=dask_cluster_client)
    assert dask.engine == "dask" and dask.workers == 2 and dask.partitions == 8 and dask.passes == 4
    j = _compare(local.table, dask.table)
    exact = j.filter(pl.col("measure") != "gini")
    np.testing.assert_allclose(exact["value_dask"], exact["value"], rtol=1e-10, atol=0)
    assert (exact["error_bound_dask"] == 0).all()
    gini = j.filter(pl.col("measure") == "gini")
    # The reported bound holds, and it is small (2^16 or 2^14 buckets).
    assert ((gini["value_dask"] - gini["value"]).abs() <= gini["error_bound_dask"] + 1e-12).all()
    assert (gini["error_bound_dask"] < 1e-5).all() and (gini["error_bound_dask"] > 0).all()


def test_quantile_measures_are_exact_not_approximate(source, dask_cluster_client):
    local = measures(source, welfare="y", weight="w", measures=["median", "palma", "s80_s20", "arpr"])
    dask = measures(source, welfare="y", weight="w", measures=["median", "palma", "s80_s20", "arpr"],
                    engine="dask", client=dask_cluster_client)
    # The median is a data value: equal to the last bit.
    assert dask.value("median") == local.value("median")
    assert dask.value("median") in set(source.read(["y"])["y"].to_list())


def test_whole_number_welfare_gives_an_exact_gini(tmp_path):
    # Few distinct values per bucket: every bucket holds one value and the bound is 0.
    src = write_partitions(_frame(30_000, 2, whole=True).with_columns(pl.col("y").clip(0, 40_000)), tmp_path,
                           rows_per_file=7_000)
    table, _ = distributed_table(None, src, "y", "w", np.array([]), None, ("gini",), None)
    local = measures(src, welfare="y", weight="w", measures=["gini"])
    assert table["error_bound"][0] == 0.0
    assert table["value"][0] == pytest.approx(local.value("gini"), rel=1e-12)


def test_result_does_not_depend_on_partitioning(tmp_path):
    frame = _frame(20_000, 3)
    a = write_partitions(frame, tmp_path / "a", rows_per_file=20_000)
    b = write_partitions(frame, tmp_path / "b", rows_per_file=1_700)
    ta, _ = distributed_table(None, a, "y", "w", np.array(LINES), "region", MEASURES, None)
    tb, _ = distributed_table(None, b, "y", "w", np.array(LINES), "region", MEASURES, None)
    np.testing.assert_allclose(tb["value"], ta["value"], rtol=1e-11)
    np.testing.assert_allclose(tb["error_bound"], ta["error_bound"], rtol=1e-6, atol=1e-15)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0.01, 1e6), st.floats(0.0, 50.0)), min_size=2, max_size=60))
def test_gini_bound_contains_the_exact_gini(pairs):
    from sp2lnob.measures import gini
    from sp2lnob.scale.tasks import bucket_of

    x = np.array([p[0] for p in pairs])
    w = np.array([p[1] for p in pairs])
    if not np.dot(w, x) > 0:
        return
    for buckets in (1, 4, 64):
        lo, hi = x.min(), x.max()
        scale = buckets / (hi - lo) if hi > lo else 0.0
        b = bucket_of(x, np.full(x.size, lo), np.full(x.size, scale), buckets)
        bw = np.bincount(b, weights=w, minlength=buckets)
        bwx = np.bincount(b, weights=w * x, minlength=buckets)
        blo = np.full(buckets, np.inf)
        bhi = np.full(buckets, -np.inf)
        pos = w > 0
        np.minimum.at(blo, b[pos], x[pos])
        np.maximum.at(bhi, b[pos], x[pos])
        value, bound = gini_bounds(bw, bwx, blo, bhi)
        assert abs(value - gini(x, w)) <= bound + 1e-12
        assert value - bound >= -1e-12      # pairs in different buckets alone: a lower bound


def test_bad_partitions_give_structured_errors(tmp_path):
    good = _frame(1_000, 4)
    write_partitions(good, tmp_path / "ok", rows_per_file=500)
    bad = good.with_columns(pl.when(pl.int_range(pl.len()) == 7).then(-1.0).otherwise(pl.col("w")).alias("w"))
    bad.write_parquet(tmp_path / "ok" / "part-99999.parquet")
    with pytest.raises(DataError) as err:
        distributed_table(None, scan_parquet(tmp_path / "ok"), "y", "w", np.array([]), None, ("mean",), None)
    assert "negative weight" in err.value.what and "part-99999.parquet" in err.value.where
    other = good.rename({"w": "weight"})
    other.write_parquet(tmp_path / "ok" / "part-99998.parquet")
    with pytest.raises(DataError, match="do not share one schema") as err:
        scan_parquet(tmp_path / "ok")
    assert "part-99998.parquet" in err.value.where
    with pytest.raises(DataError) as err:
        measures(tmp_path / "ok" / "part-00000.parquet", welfare="income", weight="w")
    assert err.value.hint and "y, w, region" in err.value.expected
    with pytest.raises(InputError, match="unknown engine"):
        measures(tmp_path / "ok" / "part-00000.parquet", welfare="y", weight="w", engine="spark")
    with pytest.raises(InputError, match="poverty line"):
        measures(tmp_path / "ok" / "part-00000.parquet", welfare="y", weight="w", measures=["headcount"])
    (tmp_path / "trunc").mkdir()
    (tmp_path / "trunc" / "x.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(DataError, match="cannot be read"):
        scan_parquet(tmp_path / "trunc")


def test_errors_raised_on_a_worker_arrive_structured(tmp_path, dask_cluster_client):
    frame = _frame(2_000, 5).with_columns(pl.when(pl.int_range(pl.len()) == 3).then(None)
                                          .otherwise(pl.col("y")).alias("y"))
    src = write_partitions(frame, tmp_path, rows_per_file=1_000)
    with pytest.raises(DataError) as err:
        measures(src, welfare="y", weight="w", measures=["mean"], engine="dask", client=dask_cluster_client)
    assert "missing" in err.value.what and err.value.where.endswith("part-00000.parquet, column y")


def test_dask_results_are_byte_identical_across_runs_and_equal_in_process(source, dask_cluster_client):
    runs = [measures(source, welfare="y", weight="w", line=LINES, by="region", engine="dask",
                     client=dask_cluster_client).table for _ in range(2)]
    here, _ = distributed_table(None, source, "y", "w", np.array(LINES), "region", MEASURES, None)
    assert runs[0].equals(runs[1]) and runs[0].equals(here)
