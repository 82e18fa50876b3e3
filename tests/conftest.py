"""Suite-wide test settings.

Hypothesis explores new random examples on developers' machines (that is how
the fuzzers keep finding bugs), but CI runs derandomised so a submission's
result does not depend on luck: the same examples every run, reproducible.
CI sets ``CI=true``.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
