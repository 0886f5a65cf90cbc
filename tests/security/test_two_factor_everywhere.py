"""Two-factor sign-in is bypassed nowhere: every route of the site (the crawl's list,
tests/e2e/crawl_pages.py), requested by an admin, a support user and a member of a reseller
that requires codes, signed in with the password only, is refused or sent to the code step.

The test client is enough here: the gate is a middleware in front of every view, and the
answer is a status and a Location.
"""

import re
import uuid

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.e2e.crawl_pages import url_patterns
from tests.factories import ResellerFactory, UserFactory
from tests.two_factor import authenticator, password_only_login

pytestmark = pytest.mark.django_db

#: The code step itself, and signing in and out: open before the code, by design.
BEFORE_CODE = {"login", "logout", "two_factor_verify", "two_factor_enrol", "set_language"}
CODE_STEP = (reverse("two_factor_verify"), reverse("two_factor_enrol"))
#: An answer that lets nothing through: not found, refused, or not a method it answers.
REFUSED = {400, 403, 404, 405}


def _value(converter_or_regex: str) -> list[str]:
    """Return candidate values for one parameter: whichever resolves to the pattern is used."""
    first_alternative = re.split(r"[|)]", converter_or_regex.strip("()"))[0]
    return ["1", str(uuid.UUID(int=1)), "x", "ORD-1", first_alternative, "x/y"]


def routes():
    """Yield (pattern name, one path that resolves to it) for every URL pattern."""
    for pattern in url_patterns():
        if pattern.regex:
            groups = dict(re.findall(r"\(\?P<(\w+)>([^)]*)\)", pattern.route))
        else:
            groups = dict(
                (name, converter)
                for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", pattern.route)
            )
        for attempt in range(6):
            values = {name: _value(body)[attempt] for name, body in groups.items()}
            path = pattern.url(values)
            try:
                resolve(path)
            except Resolver404:
                continue
            yield pattern.name, path
            break
        else:
            raise AssertionError(f"no path found for {pattern.route}")


@pytest.fixture
def password_only_clients():
    reseller = ResellerFactory(two_factor_required=True)
    users = {
        "admin": UserFactory(admin=True),
        "support": UserFactory(support=True),
        "reseller staff (codes required)": UserFactory(reseller=reseller),
    }
    clients = {}
    for role, user in users.items():
        authenticator(user)  # enrolled: the code step is owed, not the set-up
        client = Client()
        password_only_login(client, user)
        clients[role] = client
    return clients


def test_every_route_refuses_or_asks_for_the_code(password_only_clients):
    found = list(routes())
    assert len(found) > 100  # the whole site, not a handful
    let_through = []
    for role, client in password_only_clients.items():
        for name, path in found:
            if name in BEFORE_CODE:
                continue
            for method in (client.get, client.post):
                answer = method(path)
                location = answer.get("Location", "")
                if answer.status_code in REFUSED or (
                    answer.status_code == 302 and location.startswith(CODE_STEP)
                ):
                    continue
                let_through.append(
                    f"{role} {method.__name__.upper()} {path}: {answer.status_code} {location}"
                )
    assert let_through == []


def test_the_code_step_pages_show_nothing_else(password_only_clients):
    client = password_only_clients["admin"]
    login = client.get(reverse("login"))
    assert login.status_code == 302  # signed in already: on to home, which asks for the code
    assert client.get(login["Location"])["Location"].startswith(reverse("two_factor_verify"))
    assert client.get(reverse("two_factor_enrol"))["Location"] == reverse("two_factor")
    assert client.get(reverse("two_factor"))["Location"].startswith(reverse("two_factor_verify"))
