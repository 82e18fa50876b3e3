"""Dated, sourced parameter files (YAML) and their loader."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def _load(name: str) -> Any:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def load(name: str) -> Any:
    """Load ``parameters/<name>`` (e.g. ``"spi_categories.yaml"``). Callers must not mutate it."""
    return _load(name)
