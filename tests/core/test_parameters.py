"""Code health for the parameter files: every YAML parses to what it means.

A flow mapping such as ``{label: Pensions (old-age, survivors), family: x}``
silently splits at the commas; catch that class of mistake for every file.
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from sp2lnob.parameters import load

FILES = sorted(
    str(p.relative_to(resources.files("sp2lnob.parameters")))
    for p in resources.files("sp2lnob.parameters").rglob("*.yaml")  # type: ignore[attr-defined]
)


def _stray_keys(node, path=""):
    """Keys ending in ')' or holding a space inside a mapping that also has 'label': a split label."""
    if isinstance(node, dict):
        if "label" in node:
            for k in node:
                if isinstance(k, str) and (k.endswith(")") or k.startswith(" ")):
                    yield f"{path}.{k}"
        for k, v in node.items():
            yield from _stray_keys(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _stray_keys(v, f"{path}[{i}]")


@pytest.mark.parametrize("name", FILES)
def test_parameter_file_parses_and_has_no_split_labels(name):
    data = yaml.safe_load(resources.files("sp2lnob.parameters").joinpath(name).read_text(encoding="utf-8"))
    assert data is not None
    assert list(_stray_keys(data)) == []


@pytest.mark.parametrize("name", [f for f in FILES if "/" not in f and not f.startswith("_")])
def test_top_level_parameter_files_are_sourced(name):
    text = resources.files("sp2lnob.parameters").joinpath(name).read_text(encoding="utf-8").lower()
    assert "source" in text, f"{name} does not say where its values come from"


def test_category_labels_are_whole():
    aspire = load("aspire_categories.yaml")["categories"]
    assert aspire["contributory_pensions"]["label"] == "Contributory pensions (old-age, survivors, disability)"
    assert set(aspire["contributory_pensions"]) == {"label", "family"}
    spi = load("spi_categories.yaml")["revised_2012"]["categories"]
    assert spi["CP"]["label"].endswith("orphans)") and set(spi["CP"]) == {"label", "broad"}
