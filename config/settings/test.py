"""Settings for the test suite: fast hashing, mail kept in memory, a key space per run.

A test run never touches data it did not make: the Redis keys (cache and
Celery queues) and the PostgreSQL test database are named after TEST_RUN_ID.
It is made here once and exported, so processes the tests start (a Celery
worker, the run command) share it.
"""

import os
import uuid

from .base import *  # noqa: F403
from .base import CACHES, CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_BROKER_URL, DATABASES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files from the apps' folders as in development: tests never
# run collectstatic, and WhiteNoise would warn on every request otherwise.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

TEST_RUN_ID = os.environ.setdefault("TEST_RUN_ID", uuid.uuid4().hex[:12])
# Under pytest-xdist each worker process is a run of its own: its Redis keys carry its name
# (gw0, gw1, ...) as its database does (pytest-django adds the same suffix to the name).
# Processes a worker's tests start inherit PYTEST_XDIST_WORKER, so they share its key space.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
TEST_KEY_PREFIX = f"test-{TEST_RUN_ID}" + (f"-{_XDIST_WORKER}" if _XDIST_WORKER else "")

CACHES["default"]["KEY_PREFIX"] = TEST_KEY_PREFIX
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    # cache.clear() in a test must not empty the development server's cache.
    CACHES["default"]["LOCATION"] = str(VAR_DIR / "test-cache")

if CELERY_BROKER_URL.startswith("filesystem://"):
    # Tasks a test enqueues must not reach the development server's worker.
    _broker_dir = VAR_DIR / "test-broker"
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "global_keyprefix": f"{TEST_KEY_PREFIX}:",
    }

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Two runs on one PostgreSQL server (two developers, or CI) must not
    # create, use or drop each other's test database.
    DATABASES["default"]["TEST"] = {
        "NAME": f"test_{DATABASES['default']['NAME']}_{TEST_RUN_ID}",
    }
