"""Requests per second of the JSON API, beside the hand-written API it replaced, in one run.

Run from the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/api.py [--requests 200] [--rounds 5]

It creates its own throw-away test database, a reseller with 500 orders, and
serves in one process, through Django's test client (no socket):

- the API of this tree (django-ninja) under /api/v1/;
- the hand-written API of the commit before the rebuild, read from git into a
  temporary package and mounted under /old-api/v1/ (same models and tokens);
- a bare Django view returning a small JSON object, the anchor.

Variants are interleaved round by round; the script prints the median
requests per second of each over the rounds, its ratio to the anchor, and the
median of the new/old ratios taken within each round (the fairest figure on a
shared, noisy machine). The
marketplace is the simulator in-process, so the readiness check's marketplace
call (is the new tenant's domain free?) is included. Rate limits are counted
as in production (one Redis INCR per request) but set too high to refuse.
"""

import argparse
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from machine_facts import cpu_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["MARKETPLACE_TRANSPORT"] = "tests.simulated.transport"
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

#: The modules of the hand-written API (its models and tokens are unchanged, so shared).
OLD_MODULES = ("auth", "errors", "parsing", "selectors", "serializers", "urls", "views")
ORDERS = 500
#: (new, old) variants compared round by round.
PAIRS = (
    ("GET orders (ninja)", "GET orders (old)"),
    ("POST orders/validate, not ready", "POST orders, not ready (old)"),
)
SEEDED_CUSTOMER_ID = "1000103"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60, help="requests per variant per round")
    parser.add_argument("--rounds", type=int, default=15, help="rounds (variants interleaved)")
    return parser.parse_args()


def old_api_package() -> tuple[str, str]:
    """Write the pre-rebuild API as package ``api_old`` in a temp dir; return (dir, commit)."""
    deleted_in = subprocess.run(
        ["git", "rev-list", "-n1", "HEAD", "--", "api/parsing.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not deleted_in:
        raise SystemExit("Cannot find the commit that replaced api/parsing.py in git history.")
    commit = f"{deleted_in}^"
    folder = Path(tempfile.mkdtemp(prefix="bench-api-"))
    package = folder / "api_old"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in OLD_MODULES:
        source = subprocess.run(
            ["git", "show", f"{commit}:api/{name}.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        source = source.replace("from .models import", "from api.models import")
        source = source.replace("from .tokens import", "from api.tokens import")
        source = source.replace('app_name = "api"', 'app_name = "api_old"')
        (package / f"{name}.py").write_text(source)
    short = subprocess.run(
        ["git", "rev-parse", "--short", commit], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return str(folder), short


def bench_urlconf():
    """Return a URLconf module: the project's URLs, the old API and the anchor view."""
    import types

    from django.http import JsonResponse
    from django.urls import include, path

    import config.urls

    def bare(request):
        return JsonResponse({"ok": True})

    module = types.ModuleType("bench_api_urls")
    module.urlpatterns = [
        path("bench/bare", bare),
        path("old-api/v1/", include("api_old.urls")),
        *config.urls.urlpatterns,
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def machine() -> str:
    import django
    from django.conf import settings
    from django.db import connection

    cpu = cpu_name()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "select 1")
        database = (
            f"PostgreSQL {cursor.fetchone()[0]}"
            if connection.vendor == "postgresql"
            else connection.vendor
        )
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return (
        f"CPU: {cpu}; cores: {os.cpu_count()}; Python {platform.python_version()}; "
        f"Django {django.get_version()}; database: {database}; cache: {cache}"
    )


def world():
    """Return (token secret, body of a ready order, body of one that is not)."""
    from api.tokens import api_token_create
    from catalog.models import Product
    from catalog.sync import catalog_sync
    from customers.models import Reseller
    from customers.upstream import client_for
    from orders.models import Order
    from tests.factories import (
        CustomerFactory,
        MarketplaceConnectionFactory,
        OrderFactory,
        ResellerFactory,
        UserFactory,
    )

    reseller = ResellerFactory(
        name="Northwind IT",
        connection=MarketplaceConnectionFactory(base_url="http://simulator.bench/marketplace/eu"),
        upstream_reseller_id="1000001",
        mpn_id="1234567",
        indirect_reseller_domain="northwindit.onmicrosoft.com",
        tier_status=Reseller.TierStatus.READY,
        staff_email_domain="northwind-it.example",
    )
    catalog_sync(client=client_for(reseller))
    staff = UserFactory(reseller=reseller)
    customer = CustomerFactory(reseller=reseller, upstream_customer_id=SEEDED_CUSTOMER_ID)
    for _ in range(ORDERS):
        OrderFactory(customer=customer, status=Order.Status.COMPLETED)
    product = (
        Product.objects.filter(active=True, segment="commercial", offer_attestation_required=False)
        .order_by("pk")
        .first()
    )
    ready = {
        "customer_id": customer.pk,
        "lines": [
            {
                "mpn": product.mpn,
                "term": product.term,
                "billing": product.billing_period,
                "quantity": 3,
                "expected_unit_price": str(product.price),
            }
        ],
        "tenant": {"preference": "new", "domain": "benchfresh2026.onmicrosoft.com"},
        "partner_of_record_accepted": True,
        "agreement": {
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "jane.doe@contoso.example",
            "accepted_on": "01-31-2026",
        },
        "special_qualification": "None",
        "po_number": "PO-1",
        "terms_accepted": True,
    }
    not_ready = {**ready, "terms_accepted": False}
    secret = api_token_create(reseller=reseller, name="bench", created_by=staff).secret
    return secret, ready, not_ready


def variants(client, secret, ready, not_ready):
    """Return (name, expected status, request function) for each variant."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def post(path, body, key=False):
        extra = dict(auth)
        if key:
            extra["HTTP_IDEMPOTENCY_KEY"] = str(uuid.uuid4())
        return lambda: client.post(path, body, content_type="application/json", **extra)

    return [
        ("anchor: bare JSON view", 200, lambda: client.get("/bench/bare")),
        ("GET orders (old)", 200, lambda: client.get("/old-api/v1/orders", **auth)),
        ("GET orders (ninja)", 200, lambda: client.get("/api/v1/orders", **auth)),
        # The old API had no validate: its POST /orders runs the same parse + readiness
        # and answers 422 before placing, the same work as validating an order that is not ready.
        ("POST orders, not ready (old)", 422, post("/old-api/v1/orders", not_ready, key=True)),
        ("POST orders/validate, not ready", 422, post("/api/v1/orders/validate", not_ready)),
        ("POST orders/validate, ready", 200, post("/api/v1/orders/validate", ready)),
    ]


def run(send, expected, count) -> tuple[float, float]:
    """Send ``count`` requests; return requests per second and this process's CPU ms each."""
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        response = send()
        if response.status_code != expected:
            raise SystemExit(f"Expected {expected}, got {response.status_code}: {response.content}")
    return count / (time.perf_counter() - started), (time.process_time() - cpu) * 1000 / count


def main():
    args = parse_args()
    folder, commit = old_api_package()
    sys.path.insert(0, folder)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.simulated import start_simulator

    setup_test_environment()
    logging.getLogger("marketplace").setLevel(logging.WARNING)
    logging.getLogger("django.request").setLevel(logging.ERROR)
    settings.ROOT_URLCONF = bench_urlconf()
    huge = 10**9
    settings.API_RATE_LIMITS = {
        "REQUESTS_PER_MINUTE": huge,
        "ORDERS_PER_MINUTE": huge,
        "FAILED_AUTH_PER_MINUTE": huge,
    }
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    start_simulator()
    try:
        print(machine())
        print(
            f"Old API: git {commit} (api/ before the django-ninja rebuild). {ORDERS} orders; "
            f"{args.requests} requests per variant per round, {args.rounds} rounds interleaved; "
            "median requests/s; Django test client in-process, simulator in-process.\n"
        )
        client = Client()
        table = variants(client, *world())
        for _, expected, send in table:  # warm up every path once
            run(send, expected, 3)
        rates = {name: [] for name, _, _ in table}
        cpu = {name: [] for name, _, _ in table}
        for _ in range(args.rounds):
            for name, expected, send in table:
                rate, cpu_ms = run(send, expected, args.requests)
                rates[name].append(rate)
                cpu[name].append(cpu_ms)
        anchor = statistics.median(rates[table[0][0]])
        print(f"{'variant':36}{'req/s':>8}{'vs anchor':>11}{'req/s min-max':>15}{'CPU ms/req':>12}")
        for name, _, _ in table:
            median = statistics.median(rates[name])
            spread = f"{min(rates[name]):.0f}-{max(rates[name]):.0f}"
            print(
                f"{name:36}{median:8.0f}{median / anchor:10.2f}x{spread:>15}"
                f"{statistics.median(cpu[name]):12.2f}"
            )
        print(
            "\nCPU ms/req: this process's CPU time per request (Django, the API, the in-process"
            "\nsimulator; not PostgreSQL's or Redis's), less sensitive to other load than req/s."
        )
        print("\nNew / old, the median of the ratios measured within each round (same load):")
        for new, old in PAIRS:
            ratios = [n / o for n, o in zip(rates[new], rates[old], strict=True)]
            cpu_ratio = statistics.median(cpu[new]) / statistics.median(cpu[old])
            print(
                f"  {new} / {old}: req/s {statistics.median(ratios):.2f} "
                f"(rounds: {min(ratios):.2f}-{max(ratios):.2f}); CPU per request {cpu_ratio:.2f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
