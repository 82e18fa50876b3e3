"""The embedded demo survey: "Asiatica HIES 2024", a synthetic household survey.

A generated copy (households and persons Parquet files) and its survey spec
ship inside the package under ``sp2lnob/data/demo/``; :func:`write_demo`
copies them out (``sp2lnob demo-data DIR``) and
:func:`~sp2lnob.demo.generate.generate_asiatica` regenerates them exactly.
"""

from __future__ import annotations

from sp2lnob.demo.files import (
    DEMO_FILES,
    demo_files,
    demo_lnob_spec_path,
    demo_spec_path,
    load_demo_frames,
    write_demo,
)
from sp2lnob.demo.generate import DEFAULT_HOUSEHOLDS, DEFAULT_SEED, generate_asiatica

__all__ = [
    "DEFAULT_HOUSEHOLDS",
    "DEFAULT_SEED",
    "DEMO_FILES",
    "demo_files",
    "demo_lnob_spec_path",
    "demo_spec_path",
    "generate_asiatica",
    "load_demo_frames",
    "write_demo",
]
