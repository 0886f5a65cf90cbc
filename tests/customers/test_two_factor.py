"""Two-factor sign-in through its pages: the code step, enrolment, recovery codes, the lockout,
the step-up before secrets, and the admin's recorded reset."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from customers.devices import Authenticator, RecoveryCodes
from customers.models import TwoFactorReset
from customers.two_factor import recovery_codes_issue, two_factor_required
from tests.factories import CustomerFactory, ResellerFactory, UserFactory
from tests.two_factor import authenticator, next_code, password_only_login

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
VERIFY = reverse("two_factor_verify")


def sign_in(client, user, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": password}, **extra)


def give_code(client, code, **extra):
    return client.post(VERIFY, {"code": code, "next": "/"}, **extra)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_who_must_give_a_code():
    reseller = ResellerFactory()
    staff = UserFactory(reseller=reseller)
    assert two_factor_required(UserFactory(admin=True))
    assert two_factor_required(UserFactory(support=True))
    assert not two_factor_required(staff)
    assert not two_factor_required(UserFactory(end_customer=True))
    reseller.two_factor_required = True
    reseller.save()
    staff.refresh_from_db()
    assert two_factor_required(staff)


def test_the_password_alone_does_not_sign_in_an_enrolled_user():
    user = UserFactory(support=True)
    device = authenticator(user)
    client = Client()

    answer = sign_in(client, user)

    assert answer.status_code == 302 and answer["Location"].startswith(VERIFY)
    assert not is_signed_in(client)
    assert client.get("/").status_code == 302  # still signed out: sent to sign in
    assert client.get(VERIFY).status_code == 200

    assert give_code(client, next_code(device))["Location"] == "/"
    assert is_signed_in(client)
    assert client.get(reverse("home"), follow=True).status_code == 200


def test_a_code_is_accepted_once():
    user = UserFactory(admin=True)
    device = authenticator(user)
    code = next_code(device)
    first = Client()
    sign_in(first, user)
    give_code(first, code)
    assert is_signed_in(first)

    second = Client()
    sign_in(second, user)
    answer = give_code(second, code)
    assert answer.status_code == 400 and not is_signed_in(second)


def test_a_user_without_an_authenticator_who_must_have_one_is_sent_to_set_it_up():
    user = UserFactory(admin=True)
    client = Client()
    assert sign_in(client, user).status_code == 302 and is_signed_in(client)

    answer = client.get("/admin/")
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("two_factor_enrol"))

    page = client.get(answer["Location"])
    assert b"<svg" in page.content
    device = Authenticator.objects.get(user=user, confirmed=False)
    shown = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page.content.decode())
    assert shown.group(1).replace(" ", "") in device.config_url

    assert client.post(reverse("two_factor_enrol"), {"code": "000000"}).status_code == 400
    device.throttle_reset()
    done = client.post(reverse("two_factor_enrol"), {"code": next_code(device), "next": "/admin/"})
    assert done.status_code == 302
    codes_page = client.get(done["Location"])
    codes = re.findall(r"<li><code>(\w+)</code></li>", codes_page.content.decode())
    assert len(codes) == 10
    assert codes_page.context["next"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Shown once: the next visit of the page lists none.
    assert re.findall(r"<li><code>", client.get(reverse("two_factor")).content.decode()) == []


def test_a_recovery_code_signs_in_once_and_new_ones_replace_the_old():
    user = UserFactory(support=True)
    authenticator(user)
    codes = recovery_codes_issue(user=user)

    client = Client()
    sign_in(client, user)
    assert give_code(client, codes[0])["Location"] == "/"
    assert is_signed_in(client)
    assert RecoveryCodes.objects.get(user=user).codes.count() == 9

    again = Client()
    sign_in(again, user)
    assert give_code(again, codes[0]).status_code == 400
    assert not is_signed_in(again)

    client.post(reverse("two_factor"))  # make new ones (the session gave a code)
    new_codes = re.findall(
        r"<li><code>(\w+)</code></li>", client.get(reverse("two_factor")).content.decode()
    )
    assert len(new_codes) == 10 and codes[1] not in new_codes
    RecoveryCodes.objects.filter(user=user).update(throttling_failure_count=0)
    third = Client()
    sign_in(third, user)
    assert give_code(third, codes[1]).status_code == 400
    RecoveryCodes.objects.filter(user=user).update(throttling_failure_count=0)
    assert give_code(third, new_codes[1])["Location"] == "/"


def test_wrong_codes_lock_the_sign_in_like_wrong_passwords(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    user = UserFactory(admin=True, username="target")
    device = authenticator(user)
    client = Client()
    address = {"REMOTE_ADDR": "203.0.113.7"}

    for _ in range(4):
        sign_in(client, user, **address)  # the right password does not clear wrong codes
        assert give_code(client, "123456", **address).status_code == 400
    sign_in(client, user, **address)
    fifth = give_code(client, "123456", **address)
    assert fifth.status_code == 429
    assert not is_signed_in(client)

    # Locked: the right password is refused, and so is a right code.
    assert sign_in(client, user, **address).status_code == 429
    device.throttle_reset()
    assert give_code(client, next_code(device), **address).status_code in (302, 429)
    assert not is_signed_in(client)


def test_the_admin_login_page_does_not_skip_the_code_or_clear_wrong_codes():
    user = UserFactory(admin=True, username="admin-target")
    device = authenticator(user)
    client = Client()
    address = {"REMOTE_ADDR": "203.0.113.8"}
    for _ in range(5):
        client.post(
            reverse("admin:login"), {"username": user.username, "password": PASSWORD}, **address
        )
        assert client.get("/admin/")["Location"].startswith(VERIFY)
        answer = give_code(client, "999999", **address)
    assert answer.status_code == 429
    assert (
        client.post(
            reverse("admin:login"), {"username": user.username, "password": PASSWORD}, **address
        ).status_code
        == 429
    )
    assert device.user == user


def test_view_password_and_webhook_secrets_ask_for_a_code_even_when_sign_in_does_not():
    reseller = ResellerFactory()
    staff = UserFactory(reseller=reseller)
    customer = CustomerFactory(reseller=reseller)
    client = Client()
    password_only_login(client, staff)  # the reseller does not require codes at sign-in
    assert client.get(reverse("home")).status_code == 200

    for path in (
        reverse("customers:credentials", args=[customer.pk]),
        reverse("webhooks:list"),
    ):
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer["Location"].startswith(reverse("two_factor_enrol")), path
        refused = client.post(path, {"kind": "account", "url": "https://example.com/hook"})
        assert refused.status_code == 302, path

    device = authenticator(staff)
    answer = client.get(reverse("webhooks:list"))
    assert answer["Location"].startswith(VERIFY)
    give_code(client, next_code(device))
    assert client.get(reverse("webhooks:list")).status_code == 200
    assert client.get(reverse("customers:credentials", args=[customer.pk])).status_code == 200


def test_an_end_customer_asks_for_a_code_before_a_password_too():
    user = UserFactory(end_customer=True)
    client = Client()
    password_only_login(client, user)
    assert client.get(reverse("home")).status_code == 200
    answer = client.get(reverse("customers:credentials", args=[user.customer_id]))
    assert answer["Location"].startswith(reverse("two_factor_enrol"))


def test_a_reseller_turning_it_on_sends_its_staff_to_the_code_step():
    reseller = ResellerFactory(two_factor_required=True)
    staff = UserFactory(reseller=reseller)
    client = Client()
    password_only_login(client, staff)
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_enrol"))


def test_the_admins_reset_removes_the_devices_and_is_recorded():
    lost = UserFactory(support=True)
    authenticator(lost)
    recovery_codes_issue(user=lost)
    their_session = Client()
    their_session.force_login(lost)
    assert their_session.get("/support/").status_code == 200
    admin_user = UserFactory(admin=True)
    admin = Client()
    admin.force_login(admin_user)
    changelist = reverse("admin:customers_user_changelist")
    form = admin.post(changelist, {"action": "reset_two_factor", "_selected_action": [lost.pk]})
    assert b"Why, and how you checked" in form.content
    missing_reason = admin.post(
        changelist, {"action": "reset_two_factor", "_selected_action": [lost.pk], "apply": "yes"}
    )
    assert not TwoFactorReset.objects.exists() and missing_reason.status_code == 200

    admin.post(
        changelist,
        {
            "action": "reset_two_factor",
            "_selected_action": [lost.pk],
            "apply": "yes",
            "reason": "Lost phone; called back on the number on file.",
        },
    )

    reset = TwoFactorReset.objects.get()
    assert (reset.user, reset.reset_by, reset.devices_removed) == (lost, admin_user, 2)
    assert reset.reason == "Lost phone; called back on the number on file."
    assert not Authenticator.objects.filter(user=lost).exists()
    assert not RecoveryCodes.objects.filter(user=lost).exists()
    # Their session no longer counts as verified: the next page is the set-up.
    assert their_session.get("/support/")["Location"].startswith(reverse("two_factor_enrol"))
