"""Authenticator keys and recovery codes are stored encrypted, and still sign in.

The columns are read raw with a cursor, as someone holding a copy of the database would,
and the codes are computed from the secret the enrolment page shows, as an app would.
"""

import re
from base64 import b32decode

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from customers.devices import Authenticator, RecoveryCode, RecoveryCodes
from customers.two_factor import enrol_with_secret, recovery_codes_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
BEFORE, AFTER = "0011_two_factor_devices_encrypted", "0012_two_factor_secrets_encrypt"


def raw_column(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # the names are our own
        return [value for (value,) in cursor.fetchall()]


def code_of(base32_secret: str) -> str:
    secret = base32_secret.replace(" ", "")
    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)))
    return f"{totp.token():06d}"


def test_an_enrolled_authenticator_key_is_not_stored_in_clear_and_its_codes_sign_in():
    user = UserFactory(admin=True)
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    page = client.get(reverse("two_factor_enrol")).content.decode()
    shown = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page).group(1)
    secret_hex = b32decode(shown.replace(" ", "") + "=" * (-len(shown.replace(" ", "")) % 8)).hex()

    [stored] = raw_column("customers_authenticator", "key")
    assert secret_hex not in stored.lower() and shown.replace(" ", "") not in stored.upper()
    assert Authenticator.objects.get(user=user).key == secret_hex  # the field decrypts it

    enrolled = client.post(reverse("two_factor_enrol"), {"code": code_of(shown)})
    assert enrolled.status_code == 302
    assert Authenticator.objects.get(user=user).confirmed

    again = Client()
    again.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    device = Authenticator.objects.get(user=user)
    device.last_t = -1  # the enrolment used this period's code; an app shows it again later
    device.save(update_fields=["last_t"])
    signed_in = again.post(reverse("two_factor_verify"), {"code": code_of(shown), "next": "/"})
    assert signed_in["Location"] == "/" and "_auth_user_id" in again.session


def test_recovery_codes_are_not_stored_in_clear_and_each_signs_in_once():
    user = UserFactory(support=True)
    enrol_with_secret(user=user, base32_secret="JBSWY3DPEHPK3PXP")
    codes = recovery_codes_issue(user=user)

    stored = raw_column("customers_recoverycode", "code")
    assert len(stored) == len(codes) == 10
    assert not any(code in value.lower() for code in codes for value in stored)

    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    answer = client.post(reverse("two_factor_verify"), {"code": codes[3].upper(), "next": "/"})
    assert answer["Location"] == "/"
    assert RecoveryCodes.objects.get(user=user).codes.count() == 9


def test_new_recovery_codes_are_shown_once_and_never_stored_in_the_session():
    user = UserFactory(support=True)
    enrol_with_secret(user=user, base32_secret="JBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(user)  # signed in with the code step done (tests/two_factor.py)

    made = client.post(reverse("two_factor"))
    assert made.status_code == 302
    codes = [code for (code,) in RecoveryCode.objects.values_list("code").order_by("pk")]
    sessions = raw_column("django_session", "session_data")
    decoded = [Session(session_data=data).get_decoded() for data in sessions]
    assert not any(code in str(data) for code in codes for data in [*sessions, *decoded])

    shown = client.get(reverse("two_factor")).content.decode()
    assert all(code in shown for code in codes)
    assert not any(code in client.get(reverse("two_factor")).content.decode() for code in codes)


def test_the_demo_key_enrols_once_though_its_stored_form_changes_each_write():
    user = UserFactory(support=True)
    first = enrol_with_secret(user=user, base32_secret="JBSWY3DPEHPK3PXP")
    again = enrol_with_secret(user=user, base32_secret="JBSW Y3DP EHPK 3PXP")
    assert again == first and Authenticator.objects.filter(user=user).count() == 1
    assert again.bin_key == b32decode("JBSWY3DPEHPK3PXP")


def test_the_migration_encrypts_plain_keys_and_codes_and_moves_them_back_in_clear():
    """customers 0012 on rows django-otp stored in clear before it, then reversed."""
    user = UserFactory(support=True)
    executor = MigrationExecutor(connection)
    executor.migrate([("customers", BEFORE)])
    old = executor.loader.project_state(
        [
            ("customers", BEFORE),
            ("otp_totp", "0003_add_timestamps"),
            ("otp_static", "0003_add_timestamps"),
        ]
    ).apps
    plain_key = "3132333435363738393031323334353637383930"
    old.get_model("otp_totp", "TOTPDevice").objects.create(
        user_id=user.pk, name="authenticator", key=plain_key, last_t=12345
    )
    recovery = old.get_model("otp_static", "StaticDevice").objects.create(
        user_id=user.pk, name="recovery"
    )
    old.get_model("otp_static", "StaticToken").objects.create(device=recovery, token="abcd2345")

    executor = MigrationExecutor(connection)
    executor.migrate([("customers", AFTER)])

    assert raw_column("otp_totp_totpdevice", "key") == []
    assert raw_column("otp_static_statictoken", "token") == []
    [stored_key] = raw_column("customers_authenticator", "key")
    [stored_code] = raw_column("customers_recoverycode", "code")
    assert plain_key not in stored_key and "abcd2345" not in stored_code
    device = Authenticator.objects.get(user=user)
    assert (device.key, device.last_t, device.name) == (plain_key, 12345, "authenticator")
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    answer = client.post(reverse("two_factor_verify"), {"code": "abcd2345", "next": "/"})
    assert answer["Location"] == "/"  # the moved recovery code still signs in

    executor = MigrationExecutor(connection)
    executor.migrate([("customers", BEFORE)])
    assert raw_column("otp_totp_totpdevice", "key") == [plain_key]
    assert raw_column("customers_authenticator", "key") == []
    executor = MigrationExecutor(connection)
    executor.migrate([("customers", AFTER)])  # leave the database as the other tests expect
