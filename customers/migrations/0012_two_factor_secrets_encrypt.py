"""Move every authenticator and recovery code from django-otp's plain-text tables into ours.

Forward, each ``otp_totp.TOTPDevice`` becomes a ``customers.Authenticator`` with the same
key, now encrypted with the field key (DJANGO_SECRET_KEY, FIELD_ENCRYPTION_SALT), and each
``otp_static.StaticDevice`` a ``customers.RecoveryCodes`` with its tokens encrypted; the
plain rows are deleted. Users keep their authenticator app and their unused recovery codes;
a session verified before the migration names a device that is gone, so it asks for a code
again. Backward moves them back in clear (the same key), so the migration is reversible.
"""

from django.db import migrations

DEVICE_FIELDS = (
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "last_used_at",
)
TOTP_FIELDS = ("key", "step", "t0", "digits", "tolerance", "drift", "last_t")


def _copy(source, target_model, fields):
    """Create a ``target_model`` row with ``fields`` of ``source``, keeping when it was made."""
    target = target_model.objects.create(**{field: getattr(source, field) for field in fields})
    # created_at is auto_now_add: set it after the insert to keep the original date.
    target_model.objects.filter(pk=target.pk).update(created_at=source.created_at)
    return target


def encrypt(apps, schema_editor):
    totp_device = apps.get_model("otp_totp", "TOTPDevice")
    static_device = apps.get_model("otp_static", "StaticDevice")
    authenticator = apps.get_model("customers", "Authenticator")
    recovery_codes = apps.get_model("customers", "RecoveryCodes")
    recovery_code = apps.get_model("customers", "RecoveryCode")
    for device in totp_device.objects.order_by("pk"):
        _copy(device, authenticator, DEVICE_FIELDS + TOTP_FIELDS)
    for device in static_device.objects.order_by("pk"):
        codes = _copy(device, recovery_codes, DEVICE_FIELDS)
        recovery_code.objects.bulk_create(
            recovery_code(device=codes, code=token.token) for token in device.token_set.all()
        )
    totp_device.objects.all().delete()
    static_device.objects.all().delete()


def decrypt(apps, schema_editor):
    totp_device = apps.get_model("otp_totp", "TOTPDevice")
    static_device = apps.get_model("otp_static", "StaticDevice")
    static_token = apps.get_model("otp_static", "StaticToken")
    authenticator = apps.get_model("customers", "Authenticator")
    recovery_codes = apps.get_model("customers", "RecoveryCodes")
    for device in authenticator.objects.order_by("pk"):
        try:
            bytes.fromhex(device.key)
        except ValueError:  # the field hands back a value no configured key decrypts as is
            raise RuntimeError(
                f"The authenticator {device.pk} is not decrypted by any configured key: put "
                "the key it was written with in DJANGO_SECRET_KEY_FALLBACKS (or its salt in "
                "FIELD_ENCRYPTION_SALT_FALLBACKS) and migrate back again."
            ) from None
        _copy(device, totp_device, DEVICE_FIELDS + TOTP_FIELDS)
    for device in recovery_codes.objects.order_by("pk"):
        tokens = _copy(device, static_device, DEVICE_FIELDS)
        static_token.objects.bulk_create(
            static_token(device=tokens, token=code.code) for code in device.codes.all()
        )
    authenticator.objects.all().delete()
    recovery_codes.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0011_two_factor_devices_encrypted"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
