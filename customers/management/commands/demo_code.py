"""manage.py demo_code <username>: the code a demo login's authenticator shows now."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from customers import demo
from customers.two_factor import secret_hex


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of a demo login (its key is printed by load_demo "
        "and dev.py up), as an authenticator app would show it."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", choices=[user.username for user in demo.USERS])

    def handle(self, *args, username, **options):
        spec = next(user for user in demo.USERS if user.username == username)
        if not spec.totp_secret:
            raise CommandError(f"The demo login {username} has no authenticator key.")
        self.stdout.write(f"{totp(bytes.fromhex(secret_hex(spec.totp_secret))):06d}")
