"""``sp2lnob scale measures``: local, and against a running scheduler given by address."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
from typer.testing import CliRunner

from sp2lnob.cli import app
from sp2lnob.scale import write_partitions


def _source(tmp_path):
    rng = np.random.default_rng(9)
    n = 6_000
    frame = pl.DataFrame({"y": rng.lognormal(9, 0.7, n), "w": rng.uniform(1, 5, n), "region": rng.choice(["a", "b"], n)})
    return write_partitions(frame, tmp_path / "parts", rows_per_file=1_000)


def test_cli_local_and_existing_scheduler_agree(tmp_path, dask_cluster_client):
    src = _source(tmp_path)
    runner = CliRunner()
    args = ["scale", "measures", str(tmp_path / "parts"), "--welfare", "y", "--weight", "w", "--line", "6000",
            "--by", "region", "-m", "mean", "-m", "headcount", "-m", "median", "--json"]
    local = runner.invoke(app, args)
    assert local.exit_code == 0, local.output
    remote = runner.invoke(app, [*args, "--engine", "dask", "--scheduler", dask_cluster_client.scheduler.address])
    assert remote.exit_code == 0, remote.output
    a, b = json.loads(local.output), json.loads(remote.output)
    assert a["engine"] == "local" and b["engine"] == "dask" and b["workers"] == 2 and a["rows"] == src.n_rows
    va = {(r["group"], r["measure"]): r["value"] for r in a["table"]}
    vb = {(r["group"], r["measure"]): r["value"] for r in b["table"]}
    assert va.keys() == vb.keys() and len(va) == 6
    for key, value in va.items():
        assert vb[key] == value or abs(vb[key] - value) <= 1e-9 * abs(value)
    out = tmp_path / "m.csv"
    written = runner.invoke(app, [*args[:-1], "--out", str(out)])
    assert written.exit_code == 0 and out.exists() and "wrote" in written.output


def test_cli_bad_column_is_a_clean_error(tmp_path):
    _source(tmp_path)
    result = CliRunner().invoke(app, ["scale", "measures", str(tmp_path / "parts"), "--welfare", "income",
                                      "--weight", "w", "--json"])
    assert result.exit_code == 2
    error = json.loads(result.output)["error"]
    assert error["what"] == "column 'income' is not in the Parquet files" and error["type"] == "DataError"
