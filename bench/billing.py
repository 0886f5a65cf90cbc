"""Reconciling a month's bill: 10,000 subscriptions against 50,000 and 100,000 report lines.

Run from the project root:

    .venv/bin/python bench/billing.py            # starts a throw-away PostgreSQL itself
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/billing.py

It creates its own test database, fills it with one reseller's 10,000 subscriptions (each bought
by an order of ours, billed monthly) and writes two rated-data reports as CSV files in the
layout of docs/upstream.md "Reports": the last 150 days (50,000 lines) and the last 300 days
(100,000 lines), each with 50 lines dropped and 50 billed twice. Then, round after round with
the sizes interleaved, each report is reconciled by the product's own
``billing.services.bill_check_reconcile`` reading the file as a stream, in a fresh process
pinned to one core, which prints its wall time and its peak RSS. The anchor, measured in the
same rounds, is the same file only read and parsed (``Charge.from_report``), without the
database or the matching.
"""

import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine_facts import cpu_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

SUBSCRIPTIONS = 10_000
SIZES = {"50k": 150, "100k": 300}  # report: lines ≈ subscriptions × days / 30
FAULTS = 50
ROUNDS = 3
COLUMNS = (
    "lineId chargeDate customerId subscriptionId orderNumber mpn productName chargeType "
    "quantity unitCost periodDays chargedDays amount currency"
).split()


def django_ready(database_name=None):
    import django

    django.setup()
    if database_name:
        from django.db import connection

        connection.settings_dict["NAME"] = database_name


def fill(folder: Path) -> str:
    """Create and fill the test database, write the reports; return the database's name."""
    django_ready()
    from datetime import timedelta
    from decimal import Decimal
    from uuid import uuid4

    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from billing.ledger import expected_charges
    from catalog.models import Product
    from customers.models import Customer
    from orders.models import Order, OrderLine, Subscription
    from tests.factories import MarketplaceConnectionFactory, ResellerFactory

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    reseller = ResellerFactory(connection=MarketplaceConnectionFactory())
    product = Product.objects.create(
        mpn="CFQ7TTC0LH18:0001",
        name="Microsoft 365 Business Basic (NCE COM ANN)",
        segment="commercial",
        term="P1Y",
        billing_period="P1M",
        price=Decimal("6.00"),
        cost=Decimal("5.10"),
    )
    customers = Customer.objects.bulk_create(
        [
            Customer(
                reseller=reseller,
                company_name=f"Customer {n:04d}",
                upstream_customer_id=str(2_000_000 + n),
            )
            for n in range(100)
        ]
    )
    end = timezone.now().date() - timedelta(days=1)
    bought = timezone.now() - timedelta(days=300)
    orders = Order.objects.bulk_create(
        [
            Order(
                reference=f"NCE-B{n:07d}",
                idempotency_key=uuid4(),
                reseller=reseller,
                customer=customers[n % 100],
                status=Order.Status.COMPLETED,
                upstream_order_id=str(3_000_000 + n),
                upstream_order_number=f"SO{n:06d}",
                completed_at=bought,
            )
            for n in range(SUBSCRIPTIONS)
        ],
        batch_size=2000,
    )
    subscriptions = Subscription.objects.bulk_create(
        [
            Subscription(
                customer=order.customer,
                order=order,
                product=product,
                upstream_id=str(4_000_000 + n),
                status="active",
                seats=1 + n % 9,
                created_at=bought,
                cancellation_window_ends_at=bought + timedelta(days=7),
                unit_cost=product.cost,
                unit_price=product.price,
                currency="USD",
            )
            for n, order in enumerate(orders)
        ],
        batch_size=2000,
    )
    OrderLine.objects.bulk_create(
        [
            OrderLine.for_product(s.order, product, s.seats, subscription=s, unit_cost=s.unit_cost)
            for s in subscriptions
        ],
        batch_size=2000,
    )
    for size, days in SIZES.items():
        expected, _ = expected_charges(
            reseller=reseller, start=end - timedelta(days=days - 1), end=end
        )
        with open(folder / f"{size}.csv", "w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(COLUMNS)
            for number, charge in enumerate(expected.values()):
                if number % (len(expected) // FAULTS) == 1:
                    continue  # dropped: ordered but not billed
                row = _row(number, charge)
                writer.writerow(row)
                if number % (len(expected) // FAULTS) == 3:
                    writer.writerow(row)  # billed twice
        (folder / f"{size}.json").write_text(
            json.dumps({"start": str(end - timedelta(days=days - 1)), "end": str(end)})
        )
    print(f"{SUBSCRIPTIONS:,} subscriptions of 100 customers, one reseller; reports:")
    for size in SIZES:
        with open(folder / f"{size}.csv") as file:
            print(f"  {size}: {sum(1 for _ in file) - 1:,} lines")
    (folder / "reseller").write_text(str(reseller.pk))
    connection.close()
    return name


def _row(number, charge):
    return (
        number + 1,
        charge.day.isoformat(),
        charge.customer,
        charge.subscription,
        charge.order_number,
        "CFQ7TTC0LH18:0001",
        charge.product,
        charge.charge_type,
        charge.quantity,
        charge.unit_cost,
        charge.period_days,
        charge.charged_days,
        charge.amount,
        charge.currency,
    )


def measure(database_name: str, folder: Path, variant: str, size: str) -> dict:
    """In this (child) process, on one core: read or reconcile one report; return figures."""
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    django_ready(database_name)
    from datetime import date

    from billing.charges import Charge
    from billing.models import BillCheck
    from billing.services import bill_check_reconcile
    from customers.models import Reseller

    period = json.loads((folder / f"{size}.json").read_text())
    path = folder / f"{size}.csv"
    started = time.perf_counter()
    with open(path, newline="") as file:
        if variant == "read":
            lines = sum(1 for _ in (Charge.from_report(r) for r in csv.DictReader(file)))
            found = 0
        else:
            check = BillCheck.objects.create(
                reseller=Reseller.objects.get(pk=int((folder / "reseller").read_text())),
                period_start=date.fromisoformat(period["start"]),
                period_end=date.fromisoformat(period["end"]),
            )
            check = bill_check_reconcile(check=check, lines=file)
            lines, found = check.lines_read, check.mismatches.count()
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "peak_mib": peak_kib / 1024, "lines": lines, "mismatches": found}


def child(args: list[str], env) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *args], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(env):
    import django

    folder = Path(tempfile.mkdtemp(prefix="bench-billing-"))
    name = (
        subprocess.run(
            [sys.executable, __file__, "--fill", str(folder)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()
    )
    print("\n".join(name[:-1]))
    database = name[-1]
    print(
        f"Machine: {cpu_name()}, {os.cpu_count()} cores (each run pinned to one), "
        f"Python {sys.version.split()[0]}, Django {django.get_version()}; load average "
        f"{os.getloadavg()[0]:.1f}. {ROUNDS} rounds, sizes and variants interleaved.\n"
    )
    results = {}
    for round_number in range(ROUNDS):
        for size in SIZES:
            for variant in ("read", "reconcile"):
                figures = child(["--measure", database, str(folder), variant, size], env)
                results.setdefault((variant, size), []).append(figures)
                print(
                    f"round {round_number + 1} {variant:9} {size:>4}: {figures['seconds']:6.2f} s, "
                    f"peak RSS {figures['peak_mib']:6.1f} MiB, {figures['lines']:,} lines, "
                    f"{figures['mismatches']} mismatches"
                )
    print("\nMedian of the rounds (ratio = reconcile / read of the same file, same rounds):")
    for size in SIZES:
        read = statistics.median(r["seconds"] for r in results[("read", size)])
        rec = statistics.median(r["seconds"] for r in results[("reconcile", size)])
        rss_read = statistics.median(r["peak_mib"] for r in results[("read", size)])
        rss = statistics.median(r["peak_mib"] for r in results[("reconcile", size)])
        print(
            f"  {size:>4}: reconcile {rec:6.2f} s ({rec / read:4.1f}x the read), peak RSS "
            f"{rss:6.1f} MiB (read only: {rss_read:6.1f} MiB)"
        )


def main():
    if "--fill" in sys.argv:
        print(fill(Path(sys.argv[sys.argv.index("--fill") + 1])))
        return 0
    if "--measure" in sys.argv:
        database, folder, variant, size = sys.argv[sys.argv.index("--measure") + 1 :]
        print(json.dumps(measure(database, Path(folder), variant, size)))
        return 0
    env = dict(os.environ)
    if env.get("DATABASE_URL"):
        run(env)
        return 0
    from devsupport import services

    with services.throwaway_services(
        venv_python=Path(sys.executable), postgres=True, redis=False, env=env, say=print
    ) as started:
        env.update(started)
        run(env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
