"""Rotating the Fernet key: every stored secret survives and reads back with the new key alone.

The secrets are stored by the product's own code (a customer's account password,
a webhook endpoint's generated and rotated secrets, a marketplace connection's credentials,
a user's authenticator key and recovery codes);
the fields are found in the model registry, so an encrypted field added later
without a row here makes the test fail instead of going unrotated.
"""

import io
from base64 import b32decode

import pytest
from django.core.management import CommandError, call_command
from django.db.models import TextField
from django.db.models.functions import Cast
from django.test import override_settings
from django_otp.oath import totp

from customers.credentials import account_password_keep
from customers.field_keys import encrypted_fields, field_keys_forget
from customers.two_factor import code_verify, enrol_with_secret, recovery_codes_issue
from tests.factories import (
    CustomerFactory,
    MarketplaceConnectionFactory,
    ResellerFactory,
    UserFactory,
)
from webhooks.models import Endpoint
from webhooks.services import endpoint_secret_rotate

pytestmark = pytest.mark.django_db

OLD_SECRET, NEW_SECRET = "old-secret-key-" + "o" * 40, "new-secret-key-" + "n" * 40
OLD_SALT, NEW_SALT = "old-salt", "new-salt"
AUTHENTICATOR_SECRET = "JBSWY3DPEHPK3PXP"


def keys(**changed):
    """Settings with the given keys, the fields' cached keys derived again from them."""

    class Keys(override_settings):
        def enable(self):
            super().enable()
            field_keys_forget()

        def disable(self):
            super().disable()
            field_keys_forget()

    return Keys(**changed)


def stored_secrets():
    """{(field label, pk): secret} for every row of every encrypted field, as the field reads it."""
    found = {}
    for encrypted in encrypted_fields():
        rows = encrypted.model._base_manager.exclude(**{f"{encrypted.field.attname}__isnull": True})
        for pk, secret in rows.values_list("pk", encrypted.field.attname):
            found[(encrypted.label, pk)] = secret
    return found


def stored_tokens():
    found = {}
    for encrypted in encrypted_fields():
        rows = encrypted.model._base_manager.annotate(
            token=Cast(encrypted.field.attname, TextField())
        ).values_list("pk", "token")
        found.update({(encrypted.label, pk): token for pk, token in rows})
    return found


def store_one_of_each():
    connection = MarketplaceConnectionFactory(password="mp-password-1", subscription_key="sk-1")
    reseller = ResellerFactory(connection=connection)
    customer = CustomerFactory(reseller=reseller)
    account_password_keep(customer=customer, login="admin@contoso.example", password="Pa55-word!")
    endpoint = Endpoint.objects.create(reseller=reseller, url="https://hooks.example/nce")
    # A rotated endpoint keeps its previous secret signing for the grace period.
    staff = UserFactory(reseller=reseller)
    endpoint_secret_rotate(endpoint=endpoint, user=staff)
    enrol_with_secret(user=staff, base32_secret=AUTHENTICATOR_SECRET)
    return staff, recovery_codes_issue(user=staff)


ROTATIONS = {
    "secret key": (
        {"SECRET_KEY": OLD_SECRET, "SECRET_KEY_FALLBACKS": [], "SALT_KEY": OLD_SALT},
        {"SECRET_KEY": NEW_SECRET, "SECRET_KEY_FALLBACKS": [OLD_SECRET], "SALT_KEY": OLD_SALT},
        {"SECRET_KEY": NEW_SECRET, "SECRET_KEY_FALLBACKS": [], "SALT_KEY": OLD_SALT},
    ),
    "salt": (
        {"SECRET_KEY": OLD_SECRET, "SECRET_KEY_FALLBACKS": [], "SALT_KEY": OLD_SALT},
        {"SECRET_KEY": OLD_SECRET, "SECRET_KEY_FALLBACKS": [], "SALT_KEY": [NEW_SALT, OLD_SALT]},
        {"SECRET_KEY": OLD_SECRET, "SECRET_KEY_FALLBACKS": [], "SALT_KEY": NEW_SALT},
    ),
}


@pytest.mark.parametrize("rotated", ROTATIONS)
def test_every_stored_secret_reads_back_with_only_the_new_key(rotated):
    before, during, after = ROTATIONS[rotated]
    with keys(**before):
        staff, recovery_codes = store_one_of_each()
        secrets = stored_secrets()
        tokens = stored_tokens()
    labels = {label for label, _ in secrets}
    missing = {e.label for e in encrypted_fields()} - labels
    assert not missing, f"store a secret in {missing} here so that the rotation test covers it"
    assert all(secrets.values()) and all(secrets[key] != tokens[key] for key in secrets)

    with keys(**after):  # without the rotation, the new key alone reads none of them
        assert all(secret != secrets[key] for key, secret in stored_secrets().items())

    with keys(**during):
        call_command("rotate_field_key", stdout=io.StringIO())
        assert stored_secrets() == secrets  # the site keeps working during the rotation

    with keys(**after):
        assert stored_secrets() == secrets
        assert all(token != tokens[key] for key, token in stored_tokens().items())
        # The authenticator app and a recovery code still sign in.
        app_code = f"{totp(b32decode(AUTHENTICATOR_SECRET)):06d}"
        assert code_verify(user=staff, code=app_code) is not None
        assert code_verify(user=staff, code=recovery_codes[0]) is not None


def test_a_secret_no_key_reads_stops_the_rotation_before_anything_changes():
    with keys(SECRET_KEY=OLD_SECRET, SECRET_KEY_FALLBACKS=[], SALT_KEY=OLD_SALT):
        store_one_of_each()
        tokens = stored_tokens()
    with keys(SECRET_KEY=NEW_SECRET, SECRET_KEY_FALLBACKS=[], SALT_KEY=OLD_SALT):
        with pytest.raises(CommandError, match="not decrypted by any configured key"):
            call_command("rotate_field_key")
    assert stored_tokens() == tokens
