"""The backup and restore drill of docs/operations.md, run for real.

A database with orders in flight is dumped with pg_dump while a worker is
mid-send, restored with pg_restore into a fresh PostgreSQL server of the
test's own (a new host: nothing of the old one survives, not even the Redis
queue), and a real Celery worker started on the restored database finishes
every order. The simulator, over HTTP, counts the orders created per order
reference: each is created exactly once, including the one whose POST
reached the marketplace after the dump was taken, and the one the dump shows
placed that the old host sent after it (`manage.py orders_after_restore`, run
on the restored database before the worker starts, has them looked up first).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from devsupport.services import PostgresServer, available_binaries
from orders.models import Order, OrderEvent
from orders.tasks import submit_order

from .conftest import (
    ROOT,
    RedisServer,
    celery_broker,
    free_port,
    place_order,
    wait_for,
    wait_for_status,
)

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]


def postgres_bin() -> Path:
    """PostgreSQL's client and server binaries of the test database's own major version.

    pg_dump refuses a server newer than itself: the machine's PostgreSQL (CI) and pgserver's
    (a `dev.py test` that starts its own) may differ, so the binaries are chosen to match.
    """
    with connection.cursor() as cursor:
        cursor.execute("show server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    candidates = list(Path("/usr/lib/postgresql").glob("*/bin"))
    pgserver = available_binaries(sys.executable).get("pgserver")
    if pgserver:
        candidates.append(Path(pgserver))
    for bin_dir in candidates:
        version = subprocess.run(
            [str(bin_dir / "pg_dump"), "--version"], capture_output=True, text=True
        ).stdout
        if re.search(rf"\b{major}\.\d+", version):
            return bin_dir
    pytest.fail(f"The drill needs PostgreSQL {major}'s binaries (pg_dump, pg_restore, postgres).")


def pg_dump(bin_dir: Path, backup: Path) -> None:
    settings = connection.settings_dict
    command = [str(bin_dir / "pg_dump"), "--format=custom", "--file", str(backup)]
    command += ["--host", settings["HOST"] or "127.0.0.1", "--port", str(settings["PORT"] or 5432)]
    command += ["--username", settings["USER"] or "postgres", settings["NAME"]]
    env = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=60)


@pytest.fixture
def restore_target():
    """A PostgreSQL server of the test's own on a free port (the shared one is never touched).

    Its data lives outside pytest's temporary folder, which is private to root
    while PostgreSQL runs as another user (as devsupport.services does).
    """
    folder = Path(tempfile.mkdtemp(prefix="nce-restore-drill-"))
    folder.chmod(0o755)
    server = PostgresServer(
        bin_dir=postgres_bin(),
        data_dir=folder / "postgresql" / "data",
        port=free_port(),
        env=os.environ.copy(),
        throwaway=True,
    )
    try:
        server.start()
        server.ensure_database("restored")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


def pg_restore(server: PostgresServer, backup: Path) -> str:
    url = server.url("restored")
    command = [str(server.bin_dir / "pg_restore"), "--no-owner", "--exit-on-error"]
    command += ["--dbname", url, str(backup)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return url


def after_restore(database_url: str) -> None:
    """Run the runbook's step before the workers start: `manage.py orders_after_restore`."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    command = [sys.executable, str(ROOT / "manage.py"), "orders_after_restore"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=60)


def restored(url: str, reference: str) -> tuple[str, list[str]]:
    """The order's status and the actions of its history, as the restored database has them."""
    with psycopg.connect(url) as db:
        status, pk = db.execute(
            f"select status, id from {Order._meta.db_table} where reference = %s", [reference]
        ).fetchone()
        actions = db.execute(
            f"select action from {OrderEvent._meta.db_table} where order_id = %s order by id",
            [pk],
        ).fetchall()
    return status, [action for (action,) in actions]


def test_a_restored_backup_resumes_the_orders_in_flight_and_sends_none_twice(
    upstream, simulator, start_worker, tmp_path, restore_target
):
    bin_dir = postgres_bin()
    old_redis = RedisServer(tmp_path)
    try:
        # Status reads fail for now, so an accepted order is still in flight at the dump.
        [reads_fail] = simulator.fail(kind="status", status=503, method="GET", path="/orders*")[
            "failures"
        ]
        old_worker = start_worker(name="old-host", redis_url=old_redis.url, beat=False)
        with celery_broker(old_redis.url):
            submitted = place_order(upstream)
            wait_for_status(submitted, "submitted", workers=[old_worker])
            # The next POST is served, then answered 5 s late: the dump falls in between.
            simulator.fail(kind="delay", seconds=5, method="POST", path="/orders", count=1)
            sending = place_order(upstream)
            wait_for_status(sending, "submitting", workers=[old_worker])
        # Queued on the run's broker, where no worker listens: placed, not sent, at the dump.
        placed = place_order(upstream)
        sent_later = place_order(upstream)
        backup = tmp_path / "nce.dump"
        pg_dump(bin_dir, backup)
        # The old host goes on for a moment: the order sent during the dump lands upstream,
        # and one the dump shows placed is sent after it.
        wait_for_status(sending, "submitted", workers=[old_worker])
        with celery_broker(old_redis.url):
            submit_order.delay(sent_later.pk)
        wait_for_status(sent_later, "submitted", workers=[old_worker])
        old_worker.stop()
    finally:
        old_redis.stop()
    assert simulator.orders_with(sending.reference) == 1
    assert simulator.orders_with(sent_later.reference) == 1

    simulator.control("DELETE", f"failures/{reads_fail['id']}")
    restored_url = pg_restore(restore_target, backup)
    assert restored(restored_url, submitted.reference)[0] == "submitted"
    assert restored(restored_url, sending.reference)[0] == "submitting"
    assert restored(restored_url, placed.reference)[0] == "placed"
    assert restored(restored_url, sent_later.reference)[0] == "placed"
    after_restore(restored_url)

    in_flight = (submitted, sending, placed, sent_later)
    new_redis = RedisServer(tmp_path)  # the queue of the old host is gone with it
    try:
        new_worker = start_worker(
            name="new-host", redis_url=new_redis.url, database_url=restored_url
        )
        for order in in_flight:
            wait_for(
                lambda order=order: restored(restored_url, order.reference)[0] == "completed",
                timeout=90,
                what=f"{order.reference} to complete on the restored database\n{new_worker.log()}",
            )
    finally:
        new_redis.stop()

    for order in in_flight:
        assert simulator.orders_with(order.reference) == 1, order.reference
    # Sent before the restore: found upstream and adopted, not sent a second time.
    _, actions = restored(restored_url, sending.reference)
    assert actions[:4] == ["place", "claim_for_submission", "lose_track", "accept"]
    _, actions = restored(restored_url, sent_later.reference)
    assert actions[:3] == ["place", "doubt_after_restore", "accept"]
    # Never sent: looked for, not found, then sent once.
    _, actions = restored(restored_url, placed.reference)
    assert actions[:4] == ["place", "doubt_after_restore", "release", "claim_for_submission"]
    assert actions.count("claim_for_submission") == 1
