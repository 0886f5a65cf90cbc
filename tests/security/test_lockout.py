"""Sign-in lockout (django-axes) on the site login and the admin login, with time frozen."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib import admin
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

LOGINS = {
    "site": ("login", "registration/login.html"),
    "admin": ("admin:login", "admin/login.html"),
}


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture(params=sorted(LOGINS))
def login(request, client):
    url_name, _ = LOGINS[request.param]
    url = reverse(url_name)

    def attempt(username, password, address="203.0.113.7"):
        return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)

    attempt.kind = request.param
    attempt.client = client
    return attempt


@pytest.fixture
def user(db):
    return UserFactory(admin=True, username="mallory-target")


def signed_in(response) -> bool:
    return response.status_code == 302


def test_five_failures_lock_the_pair_even_against_the_right_password(login, user, traveller):
    for _ in range(4):
        response = login(user.username, "wrong")
        assert response.status_code == 200  # the form again, with its error
    fifth = login(user.username, "wrong")

    assert fifth.status_code == 429
    assert "Sign-in locked" in fifth.content.decode()
    right = login(user.username, PASSWORD)
    assert right.status_code == 429
    page = right.content.decode()
    assert "Try again after" in page and "09:15 UTC" in page
    assert "in about 15 minutes" in page


def test_cool_off_is_honoured_then_the_right_password_works(login, user, traveller):
    for _ in range(5):
        login(user.username, "wrong")

    traveller.shift(timedelta(minutes=14, seconds=50))
    assert login(user.username, PASSWORD).status_code == 429
    # Failures while locked do not push the end of the cool-off further out.
    traveller.shift(timedelta(seconds=11))
    assert signed_in(login(user.username, PASSWORD))


def test_a_success_resets_the_count(login, user, traveller):
    for _ in range(4):
        login(user.username, "wrong")
    assert signed_in(login(user.username, PASSWORD))
    login.client.logout()
    # A fresh count: four more failures do not lock.
    for _ in range(4):
        assert login(user.username, "wrong").status_code == 200
    assert not AccessAttempt.objects.filter(failures_since_start__gte=5).exists()


def test_the_lock_is_per_username_and_address(login, user, traveller):
    for _ in range(5):
        login(user.username, "wrong", address="203.0.113.7")

    assert signed_in(login(user.username, PASSWORD, address="198.51.100.20"))
    login.client.logout()
    other = UserFactory(admin=True, username="someone-else")
    assert signed_in(login(other.username, PASSWORD, address="203.0.113.7"))


def test_fifty_failures_then_the_right_password_stays_refused(client, user, traveller):
    url = reverse("login")
    for _ in range(50):
        client.post(url, {"username": user.username, "password": "guess"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(
        url, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_forged_forwarded_for_header_does_not_escape_the_lock(client, user, traveller):
    url = reverse("login")
    for n in range(6):
        response = client.post(
            url,
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_trusted_proxy_the_address_it_saw_counts(client, user, traveller):
    url = reverse("login")

    def attempt(forwarded, password="wrong"):
        return client.post(
            url,
            {"username": user.username, "password": password},
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for n in range(5):
        # The client prepends a forged address; the proxy appends the real one.
        attempt(f"192.0.2.{n}, 203.0.113.7")
    assert attempt("198.51.100.1, 203.0.113.7", PASSWORD).status_code == 429
    assert signed_in(attempt("203.0.113.99", PASSWORD))


def test_admins_see_and_clear_lockouts_in_the_admin(client, user, traveller):
    url = reverse("login")
    for _ in range(5):
        client.post(url, {"username": user.username, "password": "x"}, REMOTE_ADDR="203.0.113.7")
    attempt = AccessAttempt.objects.get(username=user.username)
    assert AccessAttempt in admin.site._registry

    staff = UserFactory(admin=True, username="the-admin")
    client.force_login(staff)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and user.username in listing.content.decode()
    cleared = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert cleared.status_code == 302
    client.logout()

    response = client.post(
        url, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert signed_in(response)
