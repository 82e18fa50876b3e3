"""Examples shipped with the package (for training and as a smoke test)."""

from __future__ import annotations

from contextlib import ExitStack
from importlib import resources
from pathlib import Path

from sp2lnob.errors import InputError
from sp2lnob.spi.basic_stats import BasicStatistics, read_basic_statistics
from sp2lnob.spi.register import Register, read_register

EXAMPLES = {"asiatica": 2009}
_files = ExitStack()


def example_paths(name: str) -> tuple[Path, Path, int]:
    """(basic statistics path, register path, reference year) of an example."""
    if name not in EXAMPLES:
        raise InputError(f"unknown example {name!r}", expected=", ".join(EXAMPLES), got=name)
    root = resources.files("sp2lnob").joinpath("data", "examples", name)
    stats = _files.enter_context(resources.as_file(root.joinpath("basic_statistics.csv")))
    register = _files.enter_context(resources.as_file(root.joinpath("register.csv")))
    return Path(stats), Path(register), EXAMPLES[name]


def load_example(name: str = "asiatica") -> tuple[BasicStatistics, Register, int]:
    """The example's basic statistics, register and reference year ("asiatica": ADB 2012 handbook, 2009)."""
    stats_path, register_path, year = example_paths(name)
    return read_basic_statistics(stats_path, year), read_register(register_path), year
