"""Settings of the load test's web processes (bench/load.py): the product's, plus one URL.

The extra URL is the bare view the pages are measured against: it passes
through the same gunicorn worker and the same middleware, and does nothing.
"""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "load_urls"
