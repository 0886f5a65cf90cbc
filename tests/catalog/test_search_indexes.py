"""The catalogue and customer searches use the PostgreSQL search indexes and find the same rows.

``catalog.0003_product_search_indexes`` and ``customers.0003_customer_search_indexes``
build pg_trgm and prefix indexes on exactly the expressions Django writes for the
searches (``UPPER(col) LIKE UPPER(...)``). These tests drive the product's own
search functions, read the SQL they send, and check on PostgreSQL that the plan
uses the indexes and that dropping the indexes (inside the test's transaction)
changes no result. On SQLite (the embedded run) the migrations skip the indexes and
the plain query must still answer.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Period, Product, Segment
from catalog.selectors import ProductFilters, product_page
from catalog.trigram import trigram_available
from customers.models import Customer
from tests.factories import ResellerFactory, UserFactory
from wizard.customer_search import customer_search_results

pytestmark = pytest.mark.django_db

PRODUCT_INDEXES = ["product_mpn_upper_prefix", "product_name_upper_trgm"]
CUSTOMER_INDEXES = ["customer_name_upper_trgm", "customer_domain_upper_prefix"]
WORDS = ["Business", "Premium", "Exchange", "Teams", "Defender", "Visio", "Project", "Copilot"]

PRODUCT_QUERIES = [
    "premium",  # a word anywhere in the name, other case
    "PREMIUM",
    "dEfEnDeR 0004",
    "premium 0001",
    "cfq7ttc0lh16",  # an MPN prefix, lower case
    "CFQ7TTC0LH16:00",
    "plan 0123",
    "n_12",  # LIKE wildcards are searched literally
    "100%",
    "te",  # shorter than a trigram
    "nothing like it",
]
CUSTOMER_QUERIES = [
    "trading 00",
    "TRADING 0042",
    "fabrikam trading 0009",
    "fabrikam",
    "contoso0",  # a tenant domain prefix
    "CONTOSO0012.ONMICROSOFT",
    "1000007",  # an upstream customer id, exactly
    "co",
    "nobody here",
]


@pytest.fixture
def catalogue():
    rows = []
    for n in range(3000):
        word = WORDS[n % len(WORDS)]
        rows.append(
            Product(
                mpn=f"CFQ7TTC0{'LH16' if n % 500 == 1 else f'{n:04d}'}:{n % 7:04d}",
                name=f"Microsoft 365 {word} {n:04d} Plan_{n % 13} {100 if n % 11 else '100%'}",
                segment=Segment.COMMERCIAL if n % 5 else Segment.EDUCATION,
                term=[Period.P1M, Period.P1Y, Period.P3Y][n % 3],
                billing_period=Period.P1M,
                price=Decimal("9.90"),
                active=n % 17 != 0,
            )
        )
    Product.objects.bulk_create(rows, batch_size=1000)
    analyze("catalog_product")


@pytest.fixture
def staff_with_customers():
    reseller = ResellerFactory()
    other = ResellerFactory()
    rows = []
    for n in range(3000):
        owner = reseller if n % 10 else other
        rows.append(
            Customer(
                reseller=owner,
                company_name=f"{'Fabrikam' if n % 9 == 0 else 'Contoso'} Trading {n:04d}",
                street_address="1 Main Street",
                city="Seattle",
                postal_code="98101",
                country="US",
                upstream_customer_id=str(1000000 + n),
                tenant_domain=f"contoso{n:04d}.onmicrosoft.com" if n % 4 else "",
            )
        )
    Customer.objects.bulk_create(rows, batch_size=1000)
    analyze("customers_customer")
    return UserFactory(reseller=reseller)


def analyze(table):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{table}"')


def existing_indexes(table):
    with connection.cursor() as cursor:
        return {
            name
            for name, info in connection.introspection.get_constraints(cursor, table).items()
            if info["index"]
        }


def drop_indexes(names):
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f'DROP INDEX "{name}"')


def plan_of(sql):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    return plan


def product_results(query):
    with CaptureQueriesContext(connection) as captured:
        page = product_page(filters=ProductFilters(query=query), page=1, page_size=50)
    return [product.pk for product in page.products], captured.captured_queries[-1]["sql"]


def customer_results(user, query):
    with CaptureQueriesContext(connection) as captured:
        context = customer_search_results(user=user, query=query)
    return [customer.pk for customer in context["results"]], captured.captured_queries[-1]["sql"]


def test_product_search_finds_the_same_rows_with_and_without_the_indexes(catalogue):
    with_indexes = {query: product_results(query) for query in PRODUCT_QUERIES}

    assert with_indexes["premium"][0], "the fixture must give the searches something to find"
    assert with_indexes["cfq7ttc0lh16"][0]
    assert with_indexes["n_12"][0] and with_indexes["100%"][0]
    assert not with_indexes["nothing like it"][0]
    if trigram_available(connection):
        assert set(PRODUCT_INDEXES) <= existing_indexes("catalog_product")
        assert "product_name_upper_trgm" in plan_of(with_indexes["premium 0001"][1])
        assert "product_mpn_upper_prefix" in plan_of(with_indexes["cfq7ttc0lh16"][1])
        drop_indexes(PRODUCT_INDEXES)
    elif connection.vendor == "postgresql":  # a server without pg_trgm: the prefix index only
        assert set(PRODUCT_INDEXES) & existing_indexes("catalog_product") == {PRODUCT_INDEXES[0]}
        drop_indexes(PRODUCT_INDEXES[:1])
    else:
        assert not set(PRODUCT_INDEXES) & existing_indexes("catalog_product")

    without_indexes = {query: product_results(query)[0] for query in PRODUCT_QUERIES}
    assert without_indexes == {query: found for query, (found, _) in with_indexes.items()}


def test_customer_search_finds_the_same_rows_with_and_without_the_indexes(
    staff_with_customers,
):
    user = staff_with_customers
    with_indexes = {query: customer_results(user, query) for query in CUSTOMER_QUERIES}

    assert with_indexes["fabrikam"][0] and with_indexes["contoso0"][0]
    assert with_indexes["1000007"][0]
    assert not with_indexes["nobody here"][0]
    # Only the user's own reseller's customers are ever found.
    found = {pk for pks, _ in with_indexes.values() for pk in pks}
    assert set(Customer.objects.filter(pk__in=found).values_list("reseller", flat=True)) == {
        user.reseller_id
    }
    if trigram_available(connection):
        assert set(CUSTOMER_INDEXES) <= existing_indexes("customers_customer")
        plan = plan_of(with_indexes["fabrikam trading 0009"][1])
        assert "customer_name_upper_trgm" in plan
        assert "customer_domain_upper_prefix" in plan
        drop_indexes(CUSTOMER_INDEXES)
    elif connection.vendor == "postgresql":  # a server without pg_trgm: the prefix index only
        assert set(CUSTOMER_INDEXES) & existing_indexes("customers_customer") == {
            CUSTOMER_INDEXES[1]
        }
        drop_indexes(CUSTOMER_INDEXES[1:])
    else:
        assert not set(CUSTOMER_INDEXES) & existing_indexes("customers_customer")

    without_indexes = {query: customer_results(user, query)[0] for query in CUSTOMER_QUERIES}
    assert without_indexes == {query: found for query, (found, _) in with_indexes.items()}
