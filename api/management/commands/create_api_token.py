"""Issue an API token for a reseller and print its secret once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.tokens import api_token_create
from customers.models import Reseller


class Command(BaseCommand):
    help = "Create an API token for a reseller; the secret is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("--reseller", type=int, required=True, help="The reseller's id.")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--created-by",
            dest="created_by",
            help="Username of the person answerable for the token (recorded on its orders).",
        )

    def handle(self, *args, reseller, name, created_by=None, **options):
        found = Reseller.objects.filter(pk=reseller).first()
        if found is None:
            raise CommandError(f"No reseller has the id {reseller}.")
        if not name.strip():
            raise CommandError("Give the token a --name that says what it is for.")
        user = None
        if created_by:
            user = get_user_model().objects.filter(username=created_by).first()
            if user is None:
                raise CommandError(f"No user is called {created_by!r}.")
        issued = api_token_create(reseller=found, name=name, created_by=user)
        self.stderr.write(
            f"Created API token {issued.token.prefix} “{issued.token.name}” for {found}. "
            "Copy it now; it is not stored and will not be shown again:"
        )
        self.stdout.write(issued.secret)
