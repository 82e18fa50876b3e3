"""The SPI page in a real browser: editing the register grid recomputes the index with the engine."""

from __future__ import annotations

import json

import polars as pl
import pytest

pytestmark = pytest.mark.browser


def _idle(page) -> None:
    page.wait_for_function("() => !document.documentElement.classList.contains('shiny-busy')", timeout=60_000)


def test_editing_the_register_recomputes_the_spi(page, app_url, tmp_path, screenshot):
    from sp2lnob.spi import compute_spi, read_basic_statistics, read_register
    from sp2lnob.spi.examples import example_paths

    stats_path, register_path, year = example_paths("asiatica")
    raw = pl.read_csv(register_path, infer_schema=False)
    column = raw.columns.index("exp_2009")
    edited = raw.with_columns(pl.when(pl.col("id") == "1").then(pl.lit("20000")).otherwise(pl.col("exp_2009"))
                              .alias("exp_2009"))
    edited.write_csv(tmp_path / "register.csv")
    want = compute_spi(read_basic_statistics(stats_path, year), read_register(tmp_path / "register.csv"), year)
    base = compute_spi(read_basic_statistics(stats_path, year), read_register(register_path), year)
    assert f"{want.spi:.3f}" != f"{base.spi:.3f}"  # the edit matters at the precision shown

    page.goto(app_url + "/?page=spi")
    page.wait_for_function(f"() => document.querySelector('#spi-spi')?.textContent === '{base.spi:.3f}'",
                           timeout=60_000)
    _idle(page)
    cell = page.locator("#spi-register_grid table tbody tr").first.locator("td").nth(column)
    cell.dblclick()
    editor = cell.locator("textarea")
    editor.fill("20000")
    editor.press("Enter")
    page.wait_for_function(f"() => document.querySelector('#spi-spi').textContent === {json.dumps(f'{want.spi:.3f}')}",
                           timeout=30_000)
    screenshot(page, "page-spi-edited")
    assert page.console_errors == []
