"""Password spraying: one username from many addresses is slowed, one address across many
usernames is stopped, and every refusal says when to come back (429 + Retry-After).

Time is frozen (time-machine); the sign-ins go through the real login view, django-axes
and PostgreSQL.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def attempt(client):
    def attempt(username, password, address):
        client.logout()
        return client.post(
            reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
        )

    return attempt


def test_one_username_from_twenty_addresses_is_slowed_not_locked(attempt, traveller):
    user = UserFactory(username="victim")
    answers = [
        attempt(user.username, "wrong", f"198.51.100.{n}").status_code
        for n in range(1, 21)
        for _ in range(4)
    ]
    # Four per address stays under the pair's lock (5); the username's count does not.
    assert answers[:10] == [200] * 10
    assert answers.count(429) >= 60  # of the 80 guesses, most were refused unchecked

    # The owner, from a fresh address and with the right password, is told to wait…
    paused = attempt(user.username, PASSWORD, "192.0.2.50")
    assert paused.status_code == 429
    wait = int(paused["Retry-After"])
    assert 0 < wait <= 300
    assert "slowed down" in paused.content.decode()
    # …and signs in once the wait is over: slowed, never locked.
    traveller.shift(timedelta(seconds=wait))
    assert attempt(user.username, PASSWORD, "192.0.2.50").status_code == 302


def test_the_username_delay_doubles_up_to_its_cap(attempt, traveller, settings):
    settings.LOGIN_USERNAME_SLOWDOWN_AFTER = 3
    user = UserFactory(username="victim")
    waits = []
    for n in range(8):
        address = f"198.51.100.{n}"
        response = attempt(user.username, "wrong", address)
        if response.status_code == 429:
            waits.append(int(response["Retry-After"]))
            traveller.shift(timedelta(seconds=waits[-1]))
            assert attempt(user.username, "wrong", address).status_code == 200
    assert waits == [30, 60, 120, 240, 300]


def test_one_address_spraying_many_usernames_is_stopped(attempt, traveller):
    users = [UserFactory(username=f"staff{n}") for n in range(21)]
    address = "203.0.113.66"
    answers = [attempt(u.username, "wrong", address).status_code for u in users for _ in range(2)]
    assert answers[:20] == [200] * 20  # 20 failures: the address's limit
    assert set(answers[20:]) == {429}

    fresh = attempt(users[-1].username, PASSWORD, address)
    assert fresh.status_code == 429
    assert "from your network address" in fresh.content.decode()
    assert int(fresh["Retry-After"]) == 15 * 60
    # Another address is not affected, and the address comes back after the cool-off.
    assert attempt(users[-1].username, PASSWORD, "203.0.113.67").status_code == 302
    traveller.shift(timedelta(minutes=15))
    assert attempt(users[0].username, PASSWORD, address).status_code == 302


def test_the_pair_lockout_page_carries_retry_after(attempt, traveller):
    user = UserFactory(username="rita")
    for _ in range(4):
        attempt(user.username, "wrong", "203.0.113.7")
    locked = attempt(user.username, "wrong", "203.0.113.7")
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    traveller.shift(timedelta(minutes=5))
    again = attempt(user.username, PASSWORD, "203.0.113.7")
    assert (again.status_code, again["Retry-After"]) == (429, str(10 * 60))
