"""Real parts for the order pipeline: PostgreSQL, Redis, Celery workers and the simulator over HTTP.

Nothing here is faked. The simulator runs as ``python -m simulator`` on a free
port, workers as ``celery -A config worker`` subprocesses that see the test
database (committed data: ``transactional_db``) and the run's own Redis key
space (TEST_RUN_ID, set by config.settings.test). Without DATABASE_URL and
REDIS_URL these tests fail: they prove what the unit tests cannot.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from django.db import connection
from kombu import pools as kombu_pools

from catalog.models import Product
from catalog.sync import catalog_sync
from customers.upstream import client_for
from orders.models import Order
from orders.services import order_place
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    MarketplaceConnectionFactory,
    ResellerFactory,
    UserFactory,
)
from tests.orders.helpers import order_request

ROOT = Path(__file__).resolve().parents[2]
#: Short timings so a dead worker or a lost answer is noticed within seconds.
PIPELINE_ENV = {
    "ORDERS_SUBMIT_STALE_SECONDS": "4",
    "ORDERS_RECONCILE_SETTLE_SECONDS": "3",
    "ORDERS_RECONCILE_INTERVAL_SECONDS": "1",
    "ORDERS_PLACED_GRACE_SECONDS": "2",
    "ORDERS_RETRY_BASE_SECONDS": "0.5",
    "ORDERS_RETRY_MAX_SECONDS": "4",
    "ORDERS_SWEEP_INTERVAL_SECONDS": "1",
    "ORDERS_POLL_DUE_INTERVAL_SECONDS": "1",
}
SEEDED_CUSTOMER_ID = "1000101"


def require_real_services():
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing:
        pytest.fail(
            f"tests/pipeline need a real PostgreSQL and Redis: set {' and '.join(missing)} "
            "(e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test "
            "REDIS_URL=redis://127.0.0.1:6379/0).",
            pytrace=False,
        )
    if connection.vendor != "postgresql":
        pytest.fail(f"tests/pipeline need PostgreSQL, not {connection.vendor}.", pytrace=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout=45.0, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")


class Service:
    """A subprocess in its own process group, with its output in a log file."""

    def __init__(self, name, command, env, log_dir):
        self.name = name
        self.log_path = Path(log_dir) / f"{name}.log"
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self):
        """SIGKILL the whole group: no shutdown, no acknowledgement, nothing flushed."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


class SimulatorProcess(Service):
    def __init__(self, log_dir):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(
            "simulator",
            [
                sys.executable,
                "-m",
                "simulator",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--profile",
                "test",
            ],
            os.environ.copy(),
            log_dir,
        )
        wait_for(self._up, timeout=20, what="the simulator to listen")

    def _up(self):
        try:
            return httpx.get(f"{self.url}/_simulator/stats", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def control(self, method, path, json=None):
        response = httpx.request(method, f"{self.url}/_simulator/{path}", json=json, timeout=10)
        response.raise_for_status()
        return response.json()

    def fail(self, **rule):
        return self.control("POST", "failures", rule)

    def stats(self):
        return self.control("GET", "stats")

    def orders_with(self, reference) -> int:
        return sum(n for po, n in self.stats()["ordersByPoNumber"].items() if reference in po)


class RedisServer(Service):
    """A Redis of the test's own, without persistence, so a restart loses everything queued."""

    def __init__(self, log_dir, port=None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        super().__init__(
            f"redis-{self.port}-{uuid.uuid4().hex[:4]}",
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            os.environ.copy(),
            log_dir,
        )
        wait_for(self._up, timeout=10, what="redis-server to listen")

    def _up(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False


def worker_database_url() -> str:
    """Return DATABASE_URL for the database this test uses (the run's test database, or the
    test's own PostgreSQL)."""
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def own_postgres(transactional_db, tmp_path_factory):
    """A PostgreSQL of the test's own (pgserver's binaries), migrated, for a test that stops it.

    For the test, this process (the default connection) and the workers it starts use it;
    the machine's shared PostgreSQL is never stopped. Put it first among the test's fixtures,
    so the data the others create lands here.
    """
    from django.core.management import call_command

    from devsupport.services import PostgresServer, start_with_free_port, wheel_binaries

    require_real_services()
    bin_dir, _ = wheel_binaries(sys.executable, redis=False)
    folder = tmp_path_factory.mktemp("own-postgres")
    folder.chmod(0o755)  # PostgreSQL runs as another user when the tests run as root
    server = start_with_free_port(
        lambda port: PostgresServer(
            bin_dir=bin_dir,
            data_dir=folder / "data",
            port=port,
            env=os.environ.copy(),
            throwaway=True,
        )
    )
    saved = dict(connection.settings_dict)
    try:
        server.ensure_database("own")
        connection.close()
        connection.settings_dict.update(
            HOST="127.0.0.1", PORT=str(server.port), NAME="own", USER="postgres", PASSWORD=""
        )
        call_command("migrate", verbosity=0)
        yield server
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
        server.stop()


@pytest.fixture(scope="session")
def simulator_process(tmp_path_factory):
    process = SimulatorProcess(tmp_path_factory.mktemp("simulator"))
    yield process
    process.stop()


@pytest.fixture
def simulator(simulator_process):
    simulator_process.control("POST", "reset")
    return simulator_process


@pytest.fixture
def start_worker(transactional_db, tmp_path):
    """Start Celery workers (with the beat) on the test database; stop them at the end."""
    require_real_services()
    workers = []

    def start(
        *, name="w1", redis_url=None, concurrency=2, beat=True, database_url=None, pipeline_env=None
    ):
        env = os.environ.copy()
        env.update(PIPELINE_ENV)
        env.update(pipeline_env or {})
        env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        env["DATABASE_URL"] = database_url or worker_database_url()
        env.pop("MARKETPLACE_TRANSPORT", None)
        if redis_url:
            env["REDIS_URL"] = redis_url
        command = [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "config",
            "worker",
            "-Q",
            "submit,poll,default",
            "-c",
            str(concurrency),
            "-n",
            f"{name}-{uuid.uuid4().hex[:6]}@%h",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ]
        if beat:
            command += ["-B", "--schedule", str(tmp_path / f"beat-{name}-{len(workers)}")]
        worker = Service(f"worker-{name}-{len(workers)}", command, env, tmp_path)
        workers.append(worker)
        wait_for(
            lambda: b"ready." in worker.log_path.read_bytes(),
            timeout=40,
            what=f"worker {name} to start",
        )
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def upstream(simulator, transactional_db):
    """A READY reseller on the simulator's demo account, its catalogue, a customer, a buyer."""
    require_real_services()
    connection_row = MarketplaceConnectionFactory(base_url=f"{simulator.url}/marketplace/eu")
    reseller = ResellerFactory(
        connection=connection_row,
        upstream_reseller_id="1000001",
        mpn_id="1234567",
        tier_status="ready",
        indirect_reseller_domain="northwindit.onmicrosoft.com",
    )
    catalog_sync(client=client_for(reseller))
    customer = CustomerFactory(reseller=reseller, upstream_customer_id=SEEDED_CUSTOMER_ID)
    ContactFactory(customer=customer)
    buyer = UserFactory(reseller=reseller, email="buyer@northwind.example")
    return reseller, customer, buyer


def place_order(upstream, **overrides) -> Order:
    reseller, customer, buyer = upstream
    products = list(
        Product.objects.filter(
            active=True, segment="commercial", offer_attestation_required=False
        ).order_by("pk")[:1]
    )
    overrides.setdefault("microsoft_domain", f"wb{uuid.uuid4().hex[:10]}.onmicrosoft.com")
    request = order_request(customer, products, **overrides)
    return order_place(
        request=request,
        reseller=reseller,
        placed_by=buyer,
        idempotency_key=uuid.uuid4(),
        ip_address="198.51.100.4",
        channel="wizard",
    )


def wait_for_status(order, statuses, *, timeout=45.0, workers=()):
    statuses = {statuses} if isinstance(statuses, str) else set(statuses)

    def reached():
        current = Order.objects.get(pk=order.pk)
        return current if current.status in statuses else None

    try:
        return wait_for(reached, timeout=timeout, what=f"{order.reference} to reach {statuses}")
    except AssertionError:
        current = Order.objects.get(pk=order.pk)
        history = "\n".join(str(e) + " " + e.cause for e in current.events.all())
        logs = "\n".join(f"--- {w.name}\n{w.log()}" for w in workers)
        raise AssertionError(f"{order.reference} is {current.status}.\n{history}\n{logs}") from None


@contextmanager
def celery_broker(url):
    """Publish from this process to another broker (the test's own Redis) inside the block."""
    from config.celery import app

    def reset_pools():
        # app.pool is kombu's process-wide pool for the broker URL: closing it without
        # forgetting it would hand the closed pool back to the next task published there.
        kombu_pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    reset_pools()
    app.conf.broker_url = url
    try:
        yield
    finally:
        reset_pools()
        app.conf.broker_url = previous
