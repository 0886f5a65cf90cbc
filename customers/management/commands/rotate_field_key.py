"""Re-encrypt every stored secret with the current Fernet key (docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError

from customers.field_keys import UnreadableSecret, field_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the key derived from DJANGO_SECRET_KEY and "
        "FIELD_ENCRYPTION_SALT, reading with the old one still listed in "
        "DJANGO_SECRET_KEY_FALLBACKS or FIELD_ENCRYPTION_SALT_FALLBACKS."
    )

    def handle(self, *args, **options):
        try:
            rotated = field_keys_rotate()
        except UnreadableSecret as error:
            raise CommandError(str(error)) from None
        for label, count in rotated.items():
            self.stdout.write(f"{label}: {count} re-encrypted")
        self.stdout.write(
            "Done. Every secret now decrypts with the new key alone: remove the old key from "
            "the fallbacks and restart web, worker and beat."
        )
