"""Catalogue and customer search with and without the PostgreSQL search indexes.

Run from the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/search.py

It creates its own throw-away test database (migrated, so with the indexes of
``catalog.0003_product_search_indexes`` and ``customers.0003_customer_search_indexes``),
fills it with 50,000 products and 20,000 customers of the searching reseller (plus
20,000 of another), and times the product's own search functions
(``catalog.selectors.product_page``, ``wizard.customer_search.customer_search_results``):
the unsearched first catalogue page (and the unsearched customer list) is the anchor,
every search is printed as a ratio to its anchor as it runs with the indexes. The
variants run interleaved, round after round; "without indexes" drops the search indexes
inside a transaction that is rolled back after the round. At the end
it prints EXPLAIN ANALYZE of every search as the product sends it.
"""

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

from machine_facts import cpu_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROUNDS = 40
PRODUCTS = 50_000
CUSTOMERS = 20_000
SEARCH_INDEXES = [
    "product_mpn_upper_prefix",
    "product_name_upper_trgm",
    "customer_name_upper_trgm",
    "customer_domain_upper_prefix",
    "customer_reseller_newest",
]
WORDS = ["Business", "Premium", "Exchange", "Teams", "Defender", "Visio", "Project", "Copilot"]


def fill():
    from catalog.models import Period, Product, Segment
    from customers.models import Customer
    from tests.factories import ResellerFactory, UserFactory

    Product.objects.bulk_create(
        [
            Product(
                mpn=f"CFQ7TTC0{n:05d}:{n % 7:04d}",
                name=f"Microsoft 365 {WORDS[n % len(WORDS)]} {n:05d} (NCE COM ANN)",
                segment=Segment.COMMERCIAL if n % 5 else Segment.EDUCATION,
                term=[Period.P1M, Period.P1Y, Period.P3Y][n % 3],
                billing_period=Period.P1M,
                price=Decimal("9.90"),
            )
            for n in range(PRODUCTS)
        ],
        batch_size=2000,
    )
    reseller, other = ResellerFactory(), ResellerFactory()
    for owner in (reseller, other):
        Customer.objects.bulk_create(
            [
                Customer(
                    reseller=owner,
                    company_name=f"{WORDS[n % len(WORDS)]} Holdings {owner.pk}-{n:05d}",
                    street_address="1 Main Street",
                    city="Seattle",
                    postal_code="98101",
                    country="US",
                    upstream_customer_id=f"9{owner.pk}{n:06d}",
                    tenant_domain=f"tenant{owner.pk}x{n:05d}.onmicrosoft.com",
                )
                for n in range(CUSTOMERS)
            ],
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE catalog_product")
        cursor.execute("VACUUM ANALYZE customers_customer")
    return UserFactory(reseller=reseller), reseller


def variants(user, reseller):
    from catalog.selectors import ProductFilters, product_page
    from wizard.customer_search import customer_search_results

    def page(query):
        return lambda: product_page(filters=ProductFilters(query=query), page=1)

    def customers(query):
        return lambda: customer_search_results(user=user, query=query)

    return [
        ("catalogue page, no search (anchor)", page("")),
        ("catalogue: name word 'premium 01234'", page("premium 01234")),
        ("catalogue: name word 'defender'", page("defender")),
        ("catalogue: MPN prefix 'cfq7ttc00123'", page("cfq7ttc00123")),
        ("catalogue: no match 'nothing like it'", page("nothing like it")),
        ("customers, no search (anchor)", customers("")),
        (
            f"customers: name 'holdings {reseller.pk}-0123'",
            customers(f"holdings {reseller.pk}-0123"),
        ),
        (f"customers: domain 'tenant{reseller.pk}x0123'", customers(f"tenant{reseller.pk}x0123")),
    ]


def machine() -> str:
    import platform

    cpu = cpu_name()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        database = f"PostgreSQL {cursor.fetchone()[0]}"
    return (
        f"CPU: {cpu}; cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}; "
        f"Python {platform.python_version()}; Django {django.get_version()}; {database}"
    )


def timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main():
    from django.db import connections

    if connection.vendor != "postgresql":
        print("bench/search.py measures PostgreSQL indexes: set DATABASE_URL to a PostgreSQL URL.")
        return 2
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(machine())
        user, reseller = fill()
        print(f"{PRODUCTS:,} products, {CUSTOMERS:,} customers of the reseller (+{CUSTOMERS:,}")
        print(f"of another); {ROUNDS} interleaved rounds after one warm-up round.\n")
        cases = variants(user, reseller)
        times = {(name, indexed): [] for name, _ in cases for indexed in (True, False)}
        for round_number in range(ROUNDS + 1):
            for indexed in (True, False) if round_number % 2 else (False, True):
                with transaction.atomic():
                    if not indexed:
                        with connection.cursor() as cursor:
                            for index in SEARCH_INDEXES:
                                cursor.execute(f'DROP INDEX "{index}"')
                    for name, function in cases:
                        elapsed = timed(function)
                        if round_number:
                            times[(name, indexed)].append(elapsed)
                    transaction.set_rollback(True)
        anchors = {
            "catalogue": statistics.median(times[(cases[0][0], True)]),
            "customers": statistics.median(times[(cases[5][0], True)]),
        }
        print(
            f"{'search (server time of the selector)':46}{'p50':>9}{'p95':>9}{'× anchor':>10}"
            f"{'no index p50':>14}{'× anchor':>10}{'index/none':>12}"
        )
        for name, _ in cases:
            anchor = anchors[name.split()[0].rstrip(":,")]
            with_index = sorted(times[(name, True)])
            without = sorted(times[(name, False)])
            p50, p95 = statistics.median(with_index), with_index[int(len(with_index) * 0.95) - 1]
            bare = statistics.median(without)
            print(
                f"{name:46}{p50 * 1000:7.2f}ms{p95 * 1000:7.2f}ms{p50 / anchor:9.2f}×"
                f"{bare * 1000:12.2f}ms{bare / anchor:9.2f}×{p50 / bare:11.2f}×"
            )
        print("\nEXPLAIN ANALYZE of each search as the product sends it (indexes present):")
        for name, function in cases[1:]:
            with CaptureQueriesContext(connection) as captured:
                function()
            sql = captured.captured_queries[-1]["sql"]
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}")
                plan = [row[0] for row in cursor.fetchall()]
            print(f"\n-- {name}")
            print("\n".join(plan))
        return 0
    finally:
        connections.close_all()


if __name__ == "__main__":
    sys.exit(main())
