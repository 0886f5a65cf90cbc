"""Hypothesis profiles: "ci" (the default) and "deep".

    pytest tests/...                                  # ci: 200 examples per property
    pytest tests/... --hypothesis-profile=deep -o timeout=0   # deep: 10,000 per property

HYPOTHESIS_PROFILE=deep in the environment does the same as the option.
docs/security.md records the last deep run.
"""

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    "print_blob": True,
}

settings.register_profile("ci", max_examples=200, **_COMMON)
settings.register_profile("deep", max_examples=10_000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
