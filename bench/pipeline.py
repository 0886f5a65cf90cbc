"""Benchmark the order pipeline: PostgreSQL, Redis, a real Celery worker and the simulator.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/pipeline.py [--orders 500] [--in-flight 10000] [--latency-ms 50] \\
        [--workers 1,2,4] [--worker-hosts 1]

It creates its own database (dropped at the end) and Redis key space, starts
``python -m simulator`` and ``celery -A config worker``, and prints:

1. a no-op Celery task's round trip (one at a time) and throughput, on the same broker and worker;
2. orders per second from placed to submitted, the simulator answering POST /orders after a
   fixed latency;
3. for each process count in ``--workers`` (one round each, the simulator reset between
   rounds), with N orders in flight (rows created directly, upstream orders seeded in the
   simulator): completions recorded per second, the delay between an order completing
   upstream and the product showing it completed (p50/p95/max), the delay until its detail
   (its subscriptions) was recorded too, upstream requests per minute against the budget, and
   duplicates (orders the simulator created twice, plus orders completed twice here: must
   be 0).

``--worker-hosts N`` runs the processes as N separate ``celery worker`` instances (as N
machines would; one of them runs the beat) instead of one instance with N processes.
Phases 1 and 2 run once, with the first process count; ``--noop 0`` / ``--orders 0`` skip them.
"""

import argparse
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from machine_facts import cpu_name

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEEDED_CUSTOMERS = ("1000101", "1000102", "1000103")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=500, help="orders sent placed→submitted")
    parser.add_argument("--noop", type=int, default=2000, help="no-op tasks for throughput")
    parser.add_argument("--in-flight", type=int, default=10000, help="orders in flight")
    parser.add_argument(
        "--latency-ms", type=float, default=50.0, help="simulator latency on POST /orders"
    )
    parser.add_argument(
        "--workers",
        default="1,2,4",
        help="worker process counts, one round each (comma-separated)",
    )
    parser.add_argument(
        "--worker-hosts",
        type=int,
        default=1,
        help="separate celery worker instances sharing each round's processes",
    )
    parser.add_argument(
        "--budget", type=int, default=6000, help="upstream poll requests per minute per connection"
    )
    parser.add_argument(
        "--upstream-seconds",
        type=float,
        default=180.0,
        help="how long a seeded order takes upstream to complete",
    )
    parser.add_argument(
        "--max-minutes",
        type=float,
        default=20.0,
        help="give up waiting for the in-flight orders after this long",
    )
    args = parser.parse_args()
    args.workers = [int(n) for n in args.workers.split(",") if n.strip()]
    if not args.workers or min(args.workers) < 1 or args.worker_hosts < 1:
        parser.error("--workers takes positive counts (e.g. 1,2,4); --worker-hosts at least 1")
    return args


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout, what, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise SystemExit(f"Timed out waiting for {what}.")


def machine(database_url, redis_url):
    import psycopg
    import redis

    cpu = cpu_name()
    with psycopg.connect(database_url, autocommit=True) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    redis_version = redis.Redis.from_url(redis_url).info()["redis_version"]
    return {
        "CPU": cpu,
        "cores": os.cpu_count(),
        "Python": platform.python_version(),
        "PostgreSQL": pg,
        "Redis": redis_version,
        "OS": platform.platform(),
    }


class Bench:
    def __init__(self, args):
        self.args = args
        self.run_id = uuid.uuid4().hex[:8]
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
        self.processes = []
        base = os.environ["DATABASE_URL"]
        self.admin_url = base
        self.db_name = f"bench_pipeline_{self.run_id}"
        self.database_url = urlunsplit(urlsplit(base)._replace(path="/" + self.db_name))
        self.prefix = f"bench-{self.run_id}"

    # --- setup -----------------------------------------------------------------------------
    def environment(self):
        env = os.environ.copy()
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.base",
                "DATABASE_URL": self.database_url,
                "CELERY_KEY_PREFIX": f"{self.prefix}:",
                "CACHE_KEY_PREFIX": self.prefix,
                "ORDERS_POLL_REQUESTS_PER_MINUTE": str(self.args.budget),
                "ORDERS_POLL_DUE_INTERVAL_SECONDS": "1",
                "ORDERS_SWEEP_INTERVAL_SECONDS": "15",
                "LOG_LEVEL": "WARNING",
                # DEBUG off, as in production; its secrets are the bench's own (its own database).
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY")
                or f"bench-{self.run_id}-not-secret",
                "FIELD_ENCRYPTION_SALT": env.get("FIELD_ENCRYPTION_SALT") or "bench-salt",
                "VAR_DIR": str(self.tmp / "var"),
            }
        )
        env.pop("MARKETPLACE_TRANSPORT", None)
        return env

    def start(self, name, command, env):
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 (kept open for the child)
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def setup(self):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        env = self.environment()
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        port = free_port()
        self.simulator_url = f"http://127.0.0.1:{port}"
        self.start(
            "simulator",
            [sys.executable, "-m", "simulator", "--port", str(port), "--profile", "test"],
            env,
        )
        import httpx

        def simulator_up():
            try:
                return httpx.get(f"{self.simulator_url}/_simulator/stats").status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(simulator_up, 20, "the simulator")
        self.http = httpx.Client(base_url=f"{self.simulator_url}/_simulator", timeout=30)
        self.make_reseller()

    def start_workers(self, processes):
        """Start ``processes`` worker processes over --worker-hosts instances; one runs the beat."""
        self.stop_workers()
        celery = str(Path(sys.executable).with_name("celery"))
        hosts = min(self.args.worker_hosts, processes)
        shares = [processes // hosts + (1 if i < processes % hosts else 0) for i in range(hosts)]
        env = self.environment()
        self.workers = []
        for index, share in enumerate(shares):
            name = f"worker-{processes}-{index}"
            command = [
                celery,
                "-A",
                "config",
                "worker",
                "-n",
                f"{name}-{self.run_id}@%h",
                "-Q",
                "submit,poll,default",
                "-c",
                str(share),
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
            ]
            if index == 0:
                command += ["-B", "--schedule", str(self.tmp / f"beat-{processes}")]
            self.workers.append(self.start(name, command, env))
            log = self.tmp / f"{name}.log"
            wait_for(lambda log=log: b"ready." in log.read_bytes(), 60, f"worker {name}")
        return shares

    def stop_workers(self):
        for process in getattr(self, "workers", []):
            if process.poll() is None:
                # The main process only: a warm shutdown (SIGTERM to the group kills the pool
                # children mid-task, and their tracebacks fill the logs).
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        self.workers = []

    def new_round(self):
        """Forget the previous round: the simulator back to its seed, our orders gone."""
        from django.db import connection

        from orders.models import Order, Subscription

        self.http.post("reset")
        tables = ", ".join(f'"{m._meta.db_table}"' for m in (Order, Subscription))
        with connection.cursor() as cursor:
            # The bench's own database: everything hanging off the orders goes with them.
            cursor.execute(f"TRUNCATE {tables} CASCADE")

    def make_reseller(self):
        from catalog.models import Product
        from catalog.sync import catalog_sync
        from customers.models import Customer, MarketplaceConnection, Reseller
        from customers.upstream import client_for

        connection = MarketplaceConnection.objects.create(
            name="Bench",
            base_url=f"{self.simulator_url}/marketplace/eu",
            marketplace_code="us",
            username="demo-reseller",
            password="demo-password",
            subscription_key="demo-subscription-key",
        )
        self.reseller = Reseller.objects.create(
            name="Bench reseller",
            connection=connection,
            upstream_reseller_id="1000001",
            mpn_id="1234567",
            indirect_reseller_domain="northwindit.onmicrosoft.com",
            tier_status="ready",
        )
        catalog_sync(client=client_for(self.reseller))
        self.customers = [
            Customer.objects.create(
                reseller=self.reseller,
                company_name=f"Bench {cid}",
                street_address="1 Main St",
                city="Seattle",
                state="WA",
                postal_code="98101",
                country="US",
                upstream_customer_id=cid,
            )
            for cid in SEEDED_CUSTOMERS
        ]
        self.product = Product.objects.filter(
            active=True, segment="commercial", offer_attestation_required=False
        ).first()

    def teardown(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        from django.db import connections

        connections.close_all()
        import psycopg
        import redis

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        for key in client.scan_iter(f"*{self.prefix}*"):
            client.delete(key)
        if os.environ.get("BENCH_KEEP_LOGS"):
            print(f"Logs kept in {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # --- 1. no-op tasks ----------------------------------------------------------------------
    def queue_empty(self):
        import redis

        if not hasattr(self, "redis"):
            self.redis = redis.Redis.from_url(os.environ["REDIS_URL"])
        waiting = self.redis.llen(f"{self.prefix}:default")
        unacked = self.redis.hlen(f"{self.prefix}:unacked")
        return waiting == 0 and unacked == 0

    def noop(self):
        from orders.tasks import noop

        round_trips = []
        for _ in range(50):
            started = time.perf_counter()
            noop.delay()
            wait_for(self.queue_empty, 30, "a no-op task", interval=0.001)
            round_trips.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        for _ in range(self.args.noop):
            noop.delay()
        wait_for(self.queue_empty, 300, "the no-op tasks")
        elapsed = time.perf_counter() - started
        return statistics.median(round_trips), self.args.noop / elapsed

    # --- 2. placed → submitted -----------------------------------------------------------------
    def orders_rows(self, count, *, status="placed", upstream=None):
        from django.db import transaction

        from orders.models import Order, OrderLine, OrderParameter
        from orders.reference import new_reference

        product = self.product
        orders = []
        with transaction.atomic():
            for index in range(count):
                position = upstream[index]["position"] if upstream else index
                customer = self.customers[position % len(self.customers)]
                row = Order(
                    reference=new_reference(),
                    idempotency_key=uuid.uuid4(),
                    reseller=self.reseller,
                    customer=customer,
                    status=status,
                    currency=product.currency,
                    total=product.price,
                )
                if upstream:
                    up = upstream[index]
                    row.upstream_order_id, row.upstream_order_number = up["id"], up["number"]
                    row.upstream_status, row.submitted_at = "submitted", up["created"]
                    row.next_poll_at = up["created"] + timedelta(seconds=2)
                    row.reference = up["reference"]
                orders.append(row)
            Order.objects.bulk_create(orders)
            OrderLine.objects.bulk_create(
                OrderLine(
                    order=o,
                    product=product,
                    mpn=product.mpn,
                    name=product.name,
                    term=product.term,
                    billing_period=product.billing_period,
                    quantity=1,
                    unit_price=product.price,
                )
                for o in orders
            )
            params = []
            for o in orders:
                params += [
                    OrderParameter(order=o, name="tenant_preference", value="new"),
                    OrderParameter(
                        order=o,
                        name="microsoft_domain",
                        value=f"b{uuid.uuid4().hex[:12]}.onmicrosoft.com",
                    ),
                    OrderParameter(
                        order=o,
                        name="partner_on_record_attestation_accepted",
                        structured_value={"attestation_accepted": True},
                    ),
                    OrderParameter(order=o, name="mca_acceptance", value="yes"),
                    OrderParameter(order=o, name="agreement_date", value="01-31-2026"),
                    OrderParameter(order=o, name="first_name_agreement", value="Jane"),
                    OrderParameter(order=o, name="last_name_agreement", value="Doe"),
                    OrderParameter(
                        order=o, name="email_address_agreement", value="jane.doe@contoso.example"
                    ),
                    OrderParameter(order=o, name="special_qualifications", value="None"),
                ]
            OrderParameter.objects.bulk_create(params)
        return orders

    def submit_throughput(self):
        from orders.dispatch import enqueue_submit
        from orders.models import Order

        self.http.post(
            "failures",
            json={
                "kind": "delay",
                "seconds": self.args.latency_ms / 1000,
                "method": "POST",
                "path": "/orders",
            },
        )
        orders = self.orders_rows(self.args.orders)
        ids = [o.pk for o in orders]
        started = time.perf_counter()
        for order_id in ids:
            enqueue_submit(order_id)
        wait_for(
            lambda: (
                not Order.objects.filter(
                    pk__in=ids, status__in=["placed", "submitting", "unknown"]
                ).exists()
            ),
            900,
            "the orders to be submitted",
        )
        elapsed = time.perf_counter() - started
        self.http.delete("failures")
        failed = Order.objects.filter(pk__in=ids, status="failed").count()
        created = sum(self.http.get("stats").json()["ordersByPoNumber"].values())
        return len(ids) / elapsed, elapsed, failed, created

    # --- 3. many orders in flight ------------------------------------------------------------
    def seed_upstream(self, count):
        """POST ``count`` orders to the simulator, inserting our rows as each batch lands."""
        from customers.upstream import client_for
        from marketplace.types import OrderInput, OrderLineInput, ParameterValue
        from orders.reference import new_reference

        third = self.args.upstream_seconds / 3
        self.http.post(
            "timings", json={"submitted": third, "assigning": third, "provisioning": third}
        )
        product = self.product

        def place(index):
            reference = new_reference()
            with client_for(self.reseller) as client:
                order = client.create_order(
                    order=OrderInput(
                        customer_id=SEEDED_CUSTOMERS[index % len(SEEDED_CUSTOMERS)],
                        reference=reference,
                        lines=(
                            OrderLineInput(
                                mpn=product.mpn,
                                quantity=1,
                                subscription_period=product.term,
                                billing_period=product.billing_period,
                                parameters=(
                                    ParameterValue("tenant_preference", "new"),
                                    ParameterValue(
                                        "microsoft_domain",
                                        f"s{uuid.uuid4().hex[:12]}.onmicrosoft.com",
                                    ),
                                    ParameterValue(
                                        "partner_on_record_attestation_accepted",
                                        structured_value={"attestation_accepted": True},
                                    ),
                                    ParameterValue(
                                        "offer_attestation",
                                        structured_value={"attestation_accepted": False},
                                    ),
                                    ParameterValue("mca_acceptance", "yes"),
                                    ParameterValue("agreement_date", "01-31-2026"),
                                    ParameterValue("first_name_agreement", "Jane"),
                                    ParameterValue("last_name_agreement", "Doe"),
                                    ParameterValue(
                                        "email_address_agreement", "jane@contoso.example"
                                    ),
                                    ParameterValue("special_qualifications", "None"),
                                ),
                            ),
                        ),
                    )
                )
            return {
                "id": order.id,
                "number": order.order_number,
                "reference": reference,
                "created": order.creation_date,
                "position": index,
            }

        seeded = 0
        self.seeded_ids = []
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=8) as pool:
            while seeded < count:
                batch = min(100, count - seeded)
                upstream = list(pool.map(place, range(seeded, seeded + batch)))
                rows = self.orders_rows(batch, status="submitted", upstream=upstream)
                self.seeded_ids += [row.pk for row in rows]
                seeded += batch
        return time.perf_counter() - started

    def in_flight(self):
        from django.db.models import Count

        from orders.models import Order, OrderEvent

        count = self.args.in_flight
        seconds_to_seed = self.seed_upstream(count)
        requests_start = sum(self.http.get("stats").json()["requests"].values())
        started = time.perf_counter()
        deadline = started + self.args.max_minutes * 60
        samples = []
        while time.perf_counter() < deadline:
            time.sleep(2)
            done = Order.objects.filter(pk__in=self.seeded_ids, status__in=["completed", "failed"])
            counts = dict(
                done.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
            )
            requests = sum(self.http.get("stats").json()["requests"].values()) - requests_start
            samples.append((time.perf_counter() - started, sum(counts.values()), requests))
            # Finished, with every detail read: the subscriptions are recorded too.
            if sum(counts.values()) >= count and not done.filter(details_pending=True).exists():
                break
        elapsed, finished, requests = samples[-1]
        upstream_total = timedelta(seconds=self.args.upstream_seconds)
        completed = list(
            Order.objects.filter(pk__in=self.seeded_ids, status="completed").only(
                "completed_at", "submitted_at", "details_pending"
            )
        )
        delays = sorted(
            (o.completed_at - (o.submitted_at + upstream_total)).total_seconds() for o in completed
        )
        # An order completed from a list row has its detail recorded later (an event); one
        # polled on its own was recorded whole when it completed.
        details_at = dict(
            OrderEvent.objects.filter(
                order_id__in=self.seeded_ids, action="details_recorded"
            ).values_list("order_id", "created_at")
        )
        details_delays = sorted(
            (
                details_at.get(o.pk, o.completed_at) - (o.submitted_at + upstream_total)
            ).total_seconds()
            for o in completed
            if not o.details_pending
        )
        details_missing = sum(1 for o in completed if o.details_pending)
        rate = None
        if len(completed) > 1:
            first_upstream = min(o.submitted_at for o in completed) + upstream_total
            last = max(o.completed_at for o in completed)
            rate = len(completed) / max(0.001, (last - first_upstream).total_seconds())
        stats = self.http.get("stats").json()
        created_twice = sum(n - 1 for n in stats["ordersByPoNumber"].values() if n > 1)
        completed_twice = (
            OrderEvent.objects.filter(order_id__in=self.seeded_ids, action="complete")
            .values("order_id")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count()
        )
        from customers.upstream import client_for

        stuck = Order.objects.filter(
            pk__in=self.seeded_ids, status__in=["submitted", "processing"]
        )[:3]
        with client_for(self.reseller) as client:
            for order in stuck:
                upstream = client.get_order(order_id=order.upstream_order_id)
                print(
                    f"     unfinished {order.reference}: upstream {upstream.status} "
                    f"{upstream.status_code}, next poll {order.next_poll_at:%H:%M:%S}, "
                    f"polls {order.poll_count}"
                )
        by_status = dict(
            Order.objects.filter(pk__in=self.seeded_ids)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        return {
            "seeded in s": round(seconds_to_seed, 1),
            "orders by status at the end": by_status,
            "finished": finished,
            "minutes": round(elapsed / 60, 2),
            "requests": requests,
            "requests per minute": round(requests / (elapsed / 60)),
            "of the budget %": round(100 * requests / (elapsed / 60) / self.args.budget, 1),
            "completions recorded per s": round(rate, 1) if rate else None,
            "duplicates (created twice upstream + completed twice here)": (
                created_twice + completed_twice
            ),
            "delay p50 s": round(statistics.median(delays), 1) if delays else None,
            "delay p95 s": round(delays[int(len(delays) * 0.95) - 1], 1) if delays else None,
            "delay max s": round(delays[-1], 1) if delays else None,
            "details recorded p50 s": (
                round(statistics.median(details_delays), 1) if details_delays else None
            ),
            "details recorded p95 s": (
                round(details_delays[int(len(details_delays) * 0.95) - 1], 1)
                if details_delays
                else None
            ),
            "details recorded max s": round(details_delays[-1], 1) if details_delays else None,
            "details still pending at the end": details_missing,
        }


def main():
    args = parse_args()
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            raise SystemExit(f"Set {name}: this benchmark runs on PostgreSQL and Redis.")
    bench = Bench(args)
    print("Machine:")
    for key, value in machine(os.environ["DATABASE_URL"], os.environ["REDIS_URL"]).items():
        print(f"  {key}: {value}")
    print(
        f"Workers: celery prefork, acks_late, prefetch 1; processes {args.workers} over "
        f"up to {args.worker_hosts} instance(s); load average {os.getloadavg()[0]:.1f}"
    )
    summary = []
    try:
        bench.setup()
        shares = bench.start_workers(args.workers[0])
        if args.noop:
            median_ms, noop_rate = bench.noop()
            print(
                f"\n1. No-op Celery task: round trip {median_ms:.1f} ms (median of 50, one at a "
                f"time); {noop_rate:.0f} tasks/s for {args.noop} queued at once"
            )
        if args.orders:
            rate, elapsed, failed, created = bench.submit_throughput()
            print(
                f"2. Placed → submitted, simulator latency {args.latency_ms:.0f} ms on "
                f"POST /orders: {rate:.1f} orders/s ({args.orders} orders in {elapsed:.1f} s; "
                f"{failed} failed; {created} created upstream)"
            )
        for processes in args.workers:
            # No worker may hold a lock on the orders while the last round's are emptied.
            bench.stop_workers()
            bench.new_round()
            shares = bench.start_workers(processes)
            print(
                f"3. {processes} process(es) as instances of {shares}: {args.in_flight} orders "
                f"in flight, each completing upstream {args.upstream_seconds:.0f} s after "
                f"creation, poll budget {args.budget}/min (load average "
                f"{os.getloadavg()[0]:.1f}):"
            )
            figures = bench.in_flight()
            for key, value in figures.items():
                print(f"     {key}: {value}")
            summary.append((processes, figures))
    finally:
        bench.stop_workers()
        bench.teardown()
    if summary:
        anchor = summary[0][1]["completions recorded per s"] or 0
        print(
            "\nprocesses | recorded/s (× 1st) | completed p50 / p95 / max s "
            "| details p50 / p95 / max s | requests/min (% budget) | dup"
        )
        for processes, f in summary:
            rate = f["completions recorded per s"] or 0
            ratio = f"{rate / anchor:.2f}" if anchor else "-"
            print(
                f"{processes} | {rate} ({ratio}) | {f['delay p50 s']} / {f['delay p95 s']} / "
                f"{f['delay max s']} | {f['details recorded p50 s']} / "
                f"{f['details recorded p95 s']} / {f['details recorded max s']} | "
                f"{f['requests per minute']} ({f['of the budget %']} %) | "
                f"{f['duplicates (created twice upstream + completed twice here)']}"
            )


if __name__ == "__main__":
    main()
