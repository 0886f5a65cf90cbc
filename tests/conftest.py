"""Fixtures every test package may use."""

import pytest

from tests.factories import CustomerFactory, ResellerFactory, UserFactory


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


@pytest.fixture(autouse=True)
def fresh_api_rate_limits():
    """Start each test with no API requests counted (the counters are per minute, not per test)."""
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):  # Redis (the file cache cannot delete by pattern)
        cache.delete_pattern("api:limit:*")
