"""Fixtures every test package may use."""

import pytest

from tests import hypothesis_profiles  # noqa: F401  (registers "ci" and "deep")
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
