"""Adopting the estate: import time and marketplace requests per subscription (issue 23).

Run from the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/estate.py [--sizes 1000 10000] [--rounds 3]

It creates its own throw-away test database. The marketplace is the simulator in-process
(through its httpx transport: the product's own client, no socket), seeded with the sizes'
subscriptions spread over one customer per eight subscriptions. For each size, round by
round, interleaved:

- **list only (anchor)**: paging through GET /subscriptions with the product's client, rows
  only, nothing recorded: the least any import must do;
- **first import**: a new reseller record on the same marketplace account adopts everything
  (customers, then subscriptions: a detail read per subscription, each recorded with its
  history row);
- **steady state**: the same reseller imports again with nothing changed;
- **sync, 1 % changed**: 1 % of the subscriptions changed at the marketplace behind the
  product's back, then the scheduled sync.

It prints the median time of each, its ratio to the anchor, and the marketplace requests per
subscription (counted by the simulator, and by the run against its budget). The per-minute
budget is lifted for the timing; the minutes the run would take within 80 % of the default
budget (300 per minute) follow from the requests.
"""

import argparse
import os
import platform
import statistics
import sys
import time
import uuid
from pathlib import Path

from machine_facts import cpu_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["MARKETPLACE_TRANSPORT"] = "tests.simulated.transport"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

DEFAULT_BUDGET = 300
SHARE = 0.8


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3, help="rounds per size (interleaved)")
    return parser.parse_args()


def machine() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        database = f"PostgreSQL {cursor.fetchone()[0]}"
    return (
        f"CPU: {cpu_name()}; cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}; "
        f"Python {platform.python_version()}; Django {django.get_version()}; {database}"
    )


def requests_served(simulator) -> int:
    return sum(simulator.stats()["requests"].values())


def run_to_end(reseller, kind):
    from estate.services import import_run_start, import_run_step

    run = import_run_start(reseller=reseller, kind=kind)
    while import_run_step(run_id=run.pk) is not None:
        pass
    run.refresh_from_db()
    assert run.status == "done", run.last_error
    return run


def measure(simulator, action):
    """Return (seconds, requests the simulator served, the action's result)."""
    before = requests_served(simulator)
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, requests_served(simulator) - before, result


def one_round(simulator, size, seeded, results):
    from customers.upstream import client_for
    from estate.models import ImportRun
    from tests.factories import MarketplaceConnectionFactory, ResellerFactory
    from tests.simulated import BASE_URL

    reseller = ResellerFactory(
        connection=MarketplaceConnectionFactory(base_url=BASE_URL),
        upstream_reseller_id="1000001",
        name=f"Bench {uuid.uuid4().hex[:6]}",
    )
    client = client_for(reseller)

    def list_only():
        return sum(1 for _ in client.list_subscriptions())

    def changed_outside():
        for subscription_id in seeded[::100]:
            simulator.post(f"subscriptions/{subscription_id}/outside", {"quantity": 41})
        return run_to_end(reseller, ImportRun.Kind.SYNC)

    variants = [
        ("list only (anchor)", list_only),
        ("first import", lambda: run_to_end(reseller, ImportRun.Kind.IMPORT)),
        ("steady state (import again)", lambda: run_to_end(reseller, ImportRun.Kind.IMPORT)),
        ("sync, 1 % changed outside", changed_outside),
    ]
    for name, action in variants:
        seconds, served, result = measure(simulator, action)
        budgeted = getattr(result, "requests", served)  # the simulator counts API calls only
        results.setdefault(name, []).append((seconds, served, budgeted))
        if name == "first import":
            assert result.subscriptions_adopted == size, result.subscriptions_adopted


def main():
    from catalog.sync import catalog_sync
    from customers.upstream import client_for
    from tests.simulated import simulated_marketplace, synced_reseller

    args = parse_args()
    if connection.vendor != "postgresql":
        print("bench/estate.py runs on PostgreSQL: set DATABASE_URL to a PostgreSQL URL.")
        return 2
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    budget = {"POLL_REQUESTS_PER_MINUTE": 10**9}
    try:
        print(machine())
        print(f"{args.rounds} interleaved rounds per size; the simulator in-process.\n")
        for size in args.sizes:
            with override_settings(ORDERS_PIPELINE=budget), simulated_marketplace() as simulator:
                catalog_sync(client=client_for(synced_reseller()))
                seeded = simulator.post(
                    "estate",
                    {
                        "resellerId": "1000001",
                        "customers": max(1, size // 8),
                        "subscriptions": size,
                    },
                )["subscriptionIds"]
                results = {}
                for _ in range(args.rounds):
                    one_round(simulator, size, seeded, results)
            report(size, results)
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def report(size, results):
    anchor = statistics.median(s for s, _, _ in results["list only (anchor)"])
    print(f"{size:,} subscriptions over {max(1, size // 8):,} customers")
    print(
        f"  {'variant':32} {'median s':>9} {'× anchor':>9} {'req/sub':>8} "
        f"{'budgeted':>9} {'min @80%':>9}"
    )
    for name, rows in results.items():
        seconds = statistics.median(s for s, _, _ in rows)
        served = statistics.median(r for _, r, _ in rows)
        budgeted = statistics.median(b for _, _, b in rows)
        minutes = served / (DEFAULT_BUDGET * SHARE)
        print(
            f"  {name:32} {seconds:9.2f} {seconds / anchor:9.1f} {served / size:8.3f} "
            f"{budgeted / size:9.3f} {minutes:9.1f}"
        )
    print()


if __name__ == "__main__":
    sys.exit(main())
