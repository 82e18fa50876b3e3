"""Partitioned Parquet sources: description from footers, household-safe writing."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from sp2lnob.errors import InputError
from sp2lnob.scale import scan_parquet, write_partitions


def test_write_partitions_never_splits_a_household(tmp_path):
    rng = np.random.default_rng(0)
    sizes = rng.integers(1, 9, 500)
    frame = pl.DataFrame({"hh": np.repeat(np.arange(sizes.size), sizes), "y": rng.uniform(size=sizes.sum())})
    src = write_partitions(frame, tmp_path, rows_per_file=97, by="hh")
    assert src.n_rows == frame.height and len(src.paths) > 5
    seen: set[int] = set()
    for path in src.paths:
        ids = set(pl.read_parquet(path)["hh"].to_list())
        assert not ids & seen          # each household lives in one file
        seen |= ids
    assert seen == set(range(sizes.size))
    assert src.read().equals(frame)    # nothing lost or reordered


def test_scan_accepts_directory_glob_and_list(tmp_path):
    frame = pl.DataFrame({"y": np.arange(10.0)})
    src = write_partitions(frame, tmp_path, rows_per_file=4)
    assert scan_parquet(tmp_path).paths == src.paths
    assert scan_parquet(str(tmp_path / "part-*.parquet")).paths == src.paths
    assert scan_parquet(list(src.paths)).rows == (4, 4, 2)
    assert "3 Parquet file(s), 10 rows" in src.summary()
    with pytest.raises(InputError, match="no Parquet files"):
        scan_parquet(str(tmp_path / "nothing-*.parquet"))
    with pytest.raises(InputError, match="no such file"):
        scan_parquet(tmp_path / "missing")
