"""manage.py load_demo: the simulator's catalogue, the demo reseller, its customers and logins."""

import os

from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.sync import catalog_sync
from customers import demo
from customers.services import reseller_check_partner
from customers.upstream import client_for, default_connection
from marketplace.exceptions import APIConnectionError, APITimeoutError, MarketplaceError


class Command(BaseCommand):
    help = (
        "Load the demo data (idempotent): sync the catalogue from the configured marketplace, "
        "create the reseller Northwind IT with its customers, and the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--offline",
            action="store_true",
            help="Do not call the marketplace: no catalogue sync, no upstream customers.",
        )
        parser.add_argument(
            "--site-url",
            default=os.environ.get("SITE_URL", "http://127.0.0.1:8000/"),
            help="The address printed at the end (default: $SITE_URL or http://127.0.0.1:8000/).",
        )
        parser.add_argument(
            "--no-logins",
            action="store_true",
            help="Do not list the demo logins at the end (dev.py up lists them in its banner).",
        )

    def handle(self, *args, offline=False, site_url="", no_logins=False, **options):
        connection = default_connection()
        client = None if offline else client_for(connection)
        if client is not None and not self.sync_catalogue(client, connection):
            client = None

        with transaction.atomic():
            reseller = demo.demo_reseller(connection=connection)
            customers = {
                spec.company_name: demo.demo_customer(reseller=reseller, spec=spec)
                for spec in demo.CUSTOMERS
            }
            for spec in demo.USERS:
                demo.demo_user(spec=spec, reseller=reseller, customers=customers)

        if client is not None:
            self.sync_upstream(client, reseller, customers.values())
            client.close()

        self.print_summary(reseller, customers.values(), site_url, logins=not no_logins)

    def sync_catalogue(self, client, connection):
        """Sync the catalogue; return False (after a warning) if the marketplace is unreachable."""
        try:
            result = catalog_sync(client=client)
        except (APIConnectionError, APITimeoutError) as error:
            self.stderr.write(
                self.style.WARNING(
                    f"The marketplace at {connection.base_url} is not reachable ({error.message}). "
                    "Demo data is loaded without the catalogue and without upstream customers; "
                    "start the simulator (python -m simulator) and run load_demo again."
                )
            )
            return False
        self.stdout.write(f"Catalogue synced from {connection.base_url}: {result}")
        return True

    def sync_upstream(self, client, reseller, customers):
        """Create missing customers upstream and check the reseller's partner profile."""
        for customer in customers:
            try:
                if demo.ensure_upstream_customer(customer=customer, client=client):
                    self.stdout.write(
                        f"Created {customer} upstream (customer {customer.upstream_customer_id})."
                    )
            except MarketplaceError as error:
                self.stderr.write(
                    self.style.WARNING(f"Could not create {customer} upstream: {error}")
                )
        try:
            reseller_check_partner(reseller=reseller, client=client)
        except MarketplaceError as error:
            self.stderr.write(
                self.style.WARNING(f"Could not check the partner profile of {reseller}: {error}")
            )

    def print_summary(self, reseller, customers, site_url, *, logins=True):
        reseller.refresh_from_db()
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(
            f"  Reseller: {reseller} (MPN ID {reseller.mpn_id}, "
            f"partner profile {reseller.get_tier_status_display()})"
        )
        for customer in customers:
            upstream = customer.upstream_customer_id or "not created upstream"
            self.stdout.write(f"  Customer: {customer} ({customer.country}, {upstream})")
        if not logins:
            return
        self.stdout.write("")
        self.stdout.write(
            f"Open {site_url} and sign in as (username, password, authenticator key):"
        )
        for user in demo.USERS:
            self.stdout.write(
                f"  {user.username:<9} {user.password:<20} {user.totp_secret}  {user.description}"
            )
        self.stdout.write(
            "The code after the password: add the key to an authenticator app, or run "
            "`python3 manage.py demo_code <username>` (or `oathtool --totp -b <key>`)."
        )
