"""Session limits with time frozen: idle expiry and an absolute limit, both settings."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in(client, traveller):
    UserFactory(username="rita")
    response = client.post(reverse("login"), {"username": "rita", "password": PASSWORD})
    assert response.status_code == 302
    return client


def still_signed_in(client) -> bool:
    response = client.get(reverse("customers:list"))
    return response.status_code == 200


def test_idle_for_less_than_thirty_minutes_stays_signed_in(signed_in, traveller):
    for _ in range(6):
        traveller.shift(timedelta(minutes=29))
        assert still_signed_in(signed_in)


def test_idle_for_thirty_minutes_signs_out_with_a_message(signed_in, traveller):
    traveller.shift(timedelta(minutes=30))
    response = signed_in.get(reverse("customers:list"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "after 30 minutes without activity" in response.content.decode()
    assert "_auth_user_id" not in signed_in.session


def test_a_page_refreshing_itself_is_not_activity(signed_in, traveller):
    for _ in range(10):
        traveller.shift(timedelta(minutes=3))
        signed_in.get(reverse("customers:list"), HTTP_X_BACKGROUND_REFRESH="true")
    assert not still_signed_in(signed_in)


def test_the_absolute_limit_ends_even_an_active_session(signed_in, traveller):
    for _ in range(35):  # 11 h 40 min, a request every 20 minutes
        traveller.shift(timedelta(minutes=20))
        assert still_signed_in(signed_in)
    traveller.shift(timedelta(minutes=19))
    assert still_signed_in(signed_in)
    traveller.shift(timedelta(minutes=1))  # 12 h after signing in, active all along
    assert not still_signed_in(signed_in)


def test_a_session_past_a_lowered_absolute_limit_ends_with_a_message(signed_in, traveller):
    traveller.shift(timedelta(hours=6))
    with override_settings(SESSION_ABSOLUTE_SECONDS=6 * 3600, SESSION_IDLE_SECONDS=7 * 3600):
        response = signed_in.get(reverse("customers:list"), follow=True)
    assert "6 hours after you signed in" in response.content.decode()
    assert "_auth_user_id" not in signed_in.session


@override_settings(SESSION_IDLE_SECONDS=5 * 60, SESSION_ABSOLUTE_SECONDS=3600)
def test_both_limits_are_settings(signed_in, traveller):
    traveller.shift(timedelta(minutes=4))
    assert still_signed_in(signed_in)
    traveller.shift(timedelta(minutes=5))
    assert not still_signed_in(signed_in)


def test_the_cookie_never_outlives_the_absolute_limit(signed_in, settings):
    assert signed_in.session.get_expiry_age() <= settings.SESSION_ABSOLUTE_SECONDS
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600


def test_activity_never_carries_the_cookie_past_the_absolute_end(signed_in, traveller):
    """The cookie and the stored expiry stay at sign-in + 12 h however active the person is."""
    end = START + timedelta(hours=12)
    cookies_seen = 0
    for _ in range(11 * 3):
        traveller.shift(timedelta(minutes=20))
        response = signed_in.get(reverse("customers:list"))
        assert response.status_code == 200
        cookie = response.cookies.get("sessionid")
        if cookie is not None:  # sent whenever the activity time was saved
            cookies_seen += 1
            expires = datetime.strptime(cookie["expires"], "%a, %d %b %Y %H:%M:%S GMT")
            assert expires.replace(tzinfo=UTC) == end
        assert signed_in.session.get_expiry_date() == end
    assert cookies_seen >= 30
