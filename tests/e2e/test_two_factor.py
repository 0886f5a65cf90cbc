"""Two-factor sign-in in a real browser: setting up an authenticator from the page's key,
then signing in with the password and a code; the step-up before View password is in
tests/e2e/test_view_password.py."""

import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from customers.two_factor import secret_hex
from tests.factories import UserFactory
from tests.two_factor import authenticator, next_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def sign_in_with_code(page, live_server, user):
    """Sign ``user`` (enrolled) in through the pages: the password, then the code."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_role("textbox", name="Code").fill(next_code(authenticator(user)))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_support_sets_up_an_authenticator_then_signs_in_with_a_code(page, live_server):
    sam = UserFactory(support=True, username="sam")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator")).to_be_visible()
    key = page.locator("code.secret-key").inner_text()
    page.shots("enrol")
    # What an authenticator app does with the key the page shows.
    page.get_by_role("textbox", name="Code").fill(f"{totp(bytes.fromhex(secret_hex(key))):06d}")
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"\w+", code) for code in codes)
    page.shots("recovery-codes")
    page.get_by_role("button", name="Log out").click()

    sign_in_with_code(page, live_server, sam)
    expect(page).to_have_url(re.compile(r"/support/"))
    page.shots("signed-in")
