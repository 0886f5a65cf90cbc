"""Re-encrypt every encrypted field with the current Fernet key, while old keys still decrypt.

django-fernet-encrypted-fields derives one Fernet key from each SECRET_KEY
(then each of SECRET_KEY_FALLBACKS) and each salt (SALT_KEY, a list while a
salt is rotated), encrypts with the first and decrypts with any. Rotating is
therefore: put the new secret first and the old one in the fallbacks, run
``field_keys_rotate``, then drop the old one. The fields are found in the
model registry, so an encrypted field added later is rotated too.
"""

from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from encrypted_fields.fields import EncryptedFieldMixin


class UnreadableSecret(Exception):
    """A stored value no configured key decrypts: rotating now would lose it."""


@dataclass(frozen=True)
class EncryptedField:
    model: type
    field: object

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"


def encrypted_fields() -> list[EncryptedField]:
    """Every concrete encrypted field of every installed model."""
    return [
        EncryptedField(model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedFieldMixin)
    ]


def field_keys_forget() -> None:
    """Drop the keys each field derived and cached, so the settings in force now apply."""
    for found in encrypted_fields():
        found.field.__dict__.pop("keys", None)
        found.field.__dict__.pop("f", None)


def field_keys_rotate() -> dict[str, int]:
    """Re-encrypt every stored secret with the first key; return how many per field.

    All or nothing: a value no configured key decrypts (the library would
    otherwise hand back the ciphertext as if it were the secret) stops the
    rotation before anything is written, naming the field and row.
    """
    field_keys_forget()
    rotated = {}
    with transaction.atomic():
        for found in encrypted_fields():
            rotated[found.label] = _field_rotate(found)
    return rotated


def _field_rotate(found: EncryptedField) -> int:
    field = found.field
    fernet = MultiFernet([Fernet(key) for key in field.keys])  # raises when none decrypts
    stored = (
        found.model._base_manager.select_for_update()
        .exclude(**{f"{field.attname}__isnull": True})
        .annotate(stored_token=Cast(field.attname, TextField()))  # the ciphertext, undecrypted
        .order_by("pk")
        .values_list("pk", "stored_token")
    )
    count = 0
    for pk, token in stored:
        if not token:
            continue
        try:
            secret = fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise UnreadableSecret(
                f"{found.label} of row {pk} is not decrypted by any configured key; nothing "
                "was changed. Put the key it was written with in DJANGO_SECRET_KEY_FALLBACKS "
                "(or its salt in FIELD_ENCRYPTION_SALT_FALLBACKS) and run the rotation again."
            ) from None
        # The field encrypts what it saves with the first key.
        found.model._base_manager.filter(pk=pk).update(**{field.attname: secret})
        count += 1
    return count
