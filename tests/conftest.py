"""Fixtures every test package may use."""

import dataclasses

import pytest

from marketplace.retry import RetryPolicy
from tests import hypothesis_profiles  # noqa: F401  (registers "ci" and "deep")
from tests.factories import CustomerFactory, ResellerFactory, UserFactory

#: Under pytest-xdist (`dev.py test` runs the whole suite on every core, `--dist loadgroup`),
#: the tests that drive a browser share one worker and those that run Celery workers another:
#: each heavy kind runs one test at a time, beside the light tests, never beside itself.
HEAVY_GROUPS = {"e2e": "browser", "pipeline": "pipeline"}


def pytest_collection_modifyitems(items):
    for item in items:
        for marker, group in HEAVY_GROUPS.items():
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.xdist_group(group))
                break


@pytest.fixture(autouse=True)
def code_step_done_at_force_login(monkeypatch):
    """``client.force_login`` signs in with both factors (tests/two_factor.py says why)."""
    from django.test import Client

    from tests.two_factor import verified_login

    monkeypatch.setattr(Client, "force_login", verified_login)


@pytest.fixture
def reseller(db):
    return ResellerFactory()


@pytest.fixture
def reseller_user(reseller):
    return UserFactory(reseller=reseller)


@pytest.fixture
def other_reseller_user(db):
    return UserFactory()


@pytest.fixture
def support_user(db):
    return UserFactory(support=True)


@pytest.fixture
def admin_user(db):
    return UserFactory(admin=True)


@pytest.fixture
def customer(reseller):
    return CustomerFactory(reseller=reseller)


@pytest.fixture
def backoff_waits(monkeypatch):
    """Record the Marketplace client's backoff waits instead of sleeping through them.

    The retry policy (which calls are retried, how often, how long to wait)
    runs unchanged; only the sleep is replaced, so a test of an unreachable
    marketplace takes milliseconds instead of seconds. Returns the waits.
    """
    waits = []
    real_call = RetryPolicy.call

    def call(policy, fn, *, idempotent):
        return real_call(dataclasses.replace(policy, sleep=waits.append), fn, idempotent=idempotent)

    monkeypatch.setattr(RetryPolicy, "call", call)
    return waits


@pytest.fixture(autouse=True)
def site_language():
    """Start each test in the site's default language: one that activates another language
    (a German page, a Dutch e-mail) must not hand it to the next test of the same process."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_api_rate_limits():
    """Start each test with no API requests counted (the counters are per minute, not per test)."""
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):  # Redis (the file cache cannot delete by pattern)
        cache.delete_pattern("api:limit:*")


@pytest.fixture
def enqueued(monkeypatch):
    """Record what would be handed to Celery instead of publishing it (the broker is real
    in tests/pipeline/; here only the pipeline's decisions are under test)."""
    calls = []
    monkeypatch.setattr(
        "orders.dispatch._publish",
        lambda task_name, order_id, countdown: calls.append((task_name, order_id, countdown)),
    )
    return calls
