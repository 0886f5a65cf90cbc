"""Server time and SQL queries of every catalogue and wizard step, as the data grows.

Run from the project root:

    .venv/bin/python bench/wizard.py                      # SQLite (in memory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/wizard.py

It creates its own throw-away test database, fills it to each size (1,000 and
50,000 products; 100 and 20,000 customers for the reseller), walks the
reseller journey with Django's test client and prints, per step, the median
server time of several walks and the number of SQL queries. The marketplace is
the project's simulator served in-process (no socket), so the time of the
steps that ask it something (partner, tenant, review) includes the simulator's
own work. The query count must not grow with the data; the script exits 1 if
it does.
"""

import os
import platform
import statistics
import sys
import time
from pathlib import Path

from machine_facts import cpu_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# The tests' in-process simulator transport (simulator app started in main()).
os.environ["MARKETPLACE_TRANSPORT"] = "tests.simulated.transport"

import django  # noqa: E402

django.setup()

from decimal import Decimal  # noqa: E402

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

WALKS = 5
SIZES = [(1_000, 100), (1_000, 20_000), (50_000, 20_000), (50_000, 100)]
TAILSPIN = {"id": "1000102", "tenant": "tailspintoys.onmicrosoft.com"}


def machine() -> str:
    cpu = cpu_name()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("select sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]} (in memory)"
    return (
        f"CPU: {cpu}; cores: {os.cpu_count()}; Python {platform.python_version()}; "
        f"Django {django.get_version()}; database: {database}"
    )


class World:
    """The reseller, its staff user and the data that grows between sizes."""

    def __init__(self):
        from catalog.sync import catalog_sync
        from customers.models import Reseller
        from customers.upstream import client_for
        from tests.factories import MarketplaceConnectionFactory, ResellerFactory, UserFactory

        connection_row = MarketplaceConnectionFactory(
            base_url="http://simulator.bench/marketplace/eu"
        )
        self.reseller = ResellerFactory(
            name="Northwind IT",
            connection=connection_row,
            upstream_reseller_id="1000001",
            mpn_id="1234567",
            indirect_reseller_domain="northwindit.onmicrosoft.com",
            tier_status=Reseller.TierStatus.READY,
            staff_email_domain="northwind-it.example",
        )
        catalog_sync(client=client_for(self.reseller))
        self.user = UserFactory(reseller=self.reseller, username="bench")
        self.small_reseller = ResellerFactory(connection=connection_row)
        self.small_user = UserFactory(reseller=self.small_reseller, username="bench-small")
        self.products = 0
        self.customers = {self.reseller.pk: 0, self.small_reseller.pk: 0}

    def grow_products(self, total):
        from catalog.models import Period, Product, Segment

        existing = self.products
        rows = [
            Product(
                mpn=f"BENCH{n:07d}:0001",
                name=f"Bench plan {n:06d} (NCE COM ANN)",
                segment=Segment.COMMERCIAL,
                term=Period.P1Y,
                billing_period=Period.P1M,
                price=Decimal("9.90"),
                minimum_quantity=1,
                maximum_quantity=300,
            )
            for n in range(existing, total)
        ]
        Product.objects.bulk_create(rows, batch_size=2000)
        self.products = total

    def grow_customers(self, reseller, total):
        from customers.models import Customer

        existing = self.customers[reseller.pk]
        rows = [
            Customer(
                reseller=reseller,
                company_name=f"Customer {reseller.pk}-{n:06d}",
                street_address="1 Main Street",
                city="Seattle",
                state="WA",
                postal_code="98101",
                country="US",
                upstream_customer_id=f"9{reseller.pk}{n:07d}",
            )
            for n in range(existing, total)
        ]
        Customer.objects.bulk_create(rows, batch_size=2000)
        self.customers[reseller.pk] = total

    def shopper(self, reseller, user):
        """Return a customer the simulator knows (relationship, no MCA) for this walk."""
        from customers.models import Customer

        customer, _ = Customer.objects.get_or_create(
            reseller=reseller,
            upstream_customer_id=TAILSPIN["id"],
            defaults={
                "company_name": "Tailspin Toys",
                "street_address": "77 Alder Avenue",
                "city": "Portland",
                "state": "OR",
                "postal_code": "97204",
                "country": "US",
            },
        )
        return customer


def walk(client, user, customer, product_id):
    """Walk the journey once; return [(step, seconds, queries)]."""
    from wizard.forms.cart import cart_signature

    management = "order_wizard_view-current_step"
    today = time.strftime("%Y-%m-%d")  # the date picker sends ISO
    steps = [
        ("catalogue list + search", "get", "/catalog/", {"q": "plan 0004"}),
        ("add to cart", "post", f"/catalog/add/{product_id}/", {}),
        ("cart page", "get", "/catalog/cart/", {}),
        ("wizard: cart (show)", "get", "/order/cart/", {}),
        ("wizard: cart (next)", "post", "/order/cart/", None),
        ("wizard: customer (search)", "get", "/order/customer/", {"q": "tailspin"}),
        (
            "wizard: customer (next)",
            "post",
            "/order/customer/",
            {"customer-mode": "existing", "customer-customer": customer.pk},
        ),
        ("wizard: partner (show)", "get", "/order/partner/", {}),
        (
            "wizard: partner (next)",
            "post",
            "/order/partner/",
            {
                "partner-mpn_id": "1234567",
                "partner-indirect_reseller_domain": "northwindit.onmicrosoft.com",
            },
        ),
        ("wizard: tenant (show)", "get", "/order/tenant/", {}),
        (
            "wizard: tenant (next)",
            "post",
            "/order/tenant/",
            {"tenant-tenant_preference": "existing", "tenant-existing_tenant": TAILSPIN["tenant"]},
        ),
        ("wizard: attestation (show)", "get", "/order/attestation/", {}),
        (
            "wizard: attestation (next)",
            "post",
            "/order/attestation/",
            {"attestation-partner_of_record": "on"},
        ),
        ("wizard: agreement (show)", "get", "/order/agreement/", {}),
        (
            "wizard: agreement (next)",
            "post",
            "/order/agreement/",
            {
                "agreement-first_name": "Liam",
                "agreement-last_name": "Okafor",
                "agreement-email": "liam@tailspintoys.example",
                "agreement-accepted_on": today,
                "agreement-accept": "on",
            },
        ),
        ("wizard: qualification (show)", "get", "/order/qualification/", {}),
        (
            "wizard: qualification (next)",
            "post",
            "/order/qualification/",
            {"qualification-special_qualification": "None"},
        ),
        ("wizard: review (show)", "get", "/order/review/", {}),
        ("wizard: review (buy)", "post", "/order/review/", {"review-terms": "on"}),
        ("wizard: done (place order)", "get", "/order/done/", {}),
    ]
    results = []
    for name, method, url, data in steps:
        if data is None:
            from catalog.selectors import cart_lines

            data = {"cart-lines": cart_signature(cart_lines(user=user))}
        if method == "post" and url.startswith("/order/"):
            data = {management: url.split("/")[2], **data}
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = getattr(client, method)(url, data)
            elapsed = time.perf_counter() - started
        expected = (302,) if method == "post" or "done" in url else (200,)
        if response.status_code not in expected:
            raise SystemExit(f"{name}: HTTP {response.status_code} (expected {expected})")
        results.append((name, elapsed, len(queries)))
    return results


def measure(world, reseller, user):
    from catalog.models import Product

    product = Product.objects.filter(
        mpn="CFQ7TTC0LH16:0001", term="P1Y", billing_period="P1M"
    ).get()
    customer = world.shopper(reseller, user)
    client = Client()
    client.force_login(user)
    walk(client, user, customer, product.pk)  # warm-up: makes the cart, the session, caches
    runs = [walk(client, user, customer, product.pk) for _ in range(WALKS)]
    table = []
    for index, (name, _, _) in enumerate(runs[0]):
        times = [run[index][1] for run in runs]
        counts = {run[index][2] for run in runs}
        table.append((name, statistics.median(times) * 1000, max(counts), len(counts) > 1))
    return table


def main():
    from django.db import connections

    from tests.simulated import start_simulator

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    start_simulator()
    try:
        print(machine())
        print(f"Median of {WALKS} walks per size after one warm-up walk; simulator in-process.\n")
        world = World()
        columns = []
        for products, customers in SIZES:
            world.grow_products(products)
            if customers == 100 and products == 50_000:
                reseller, user = world.small_reseller, world.small_user
            else:
                reseller, user = world.reseller, world.user
            world.grow_customers(reseller, customers)
            label = f"{products:,} products / {customers:,} customers"
            columns.append((label, measure(world, reseller, user)))
        names = [row[0] for row in columns[0][1]]
        print(f"{'step':32}" + "".join(f"{label:>42}" for label, _ in columns))
        grew = False
        for index, name in enumerate(names):
            cells = []
            counts = []
            for _, table in columns:
                _, ms, queries, varied = table[index]
                counts.append(queries)
                cells.append(f"{ms:8.1f} ms {queries:3d} q{'*' if varied else ' '}".rjust(42))
            grew |= len(set(counts)) > 1
            print(f"{name:32}" + "".join(cells))
        print("\nq = SQL queries of the step (* = differed between walks).")
        print(
            "Query counts constant across sizes." if not grew else "QUERY COUNT GREW WITH THE DATA."
        )
        return 1 if grew else 0
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
