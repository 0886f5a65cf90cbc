"""/readyz turns failed for each dependency stopped, and ok again when it is back.

Every part is real and the test's own, on free ports: a PostgreSQL (pgserver's
binaries), a Redis, the simulator, a Celery worker, beat, and the web tier under
gunicorn pointed at them. The machine's shared PostgreSQL and Redis are never
stopped. The stack starts once for the module; each test stops one part and starts
it again, so the next test begins with everything ready.
"""

import itertools
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from devsupport.services import PostgresServer, wheel_binaries
from tests.pipeline.conftest import RedisServer, Service, free_port, wait_for

pytestmark = pytest.mark.pipeline

BIN = Path(sys.executable).parent
CHECKS = ("database", "redis", "broker", "worker", "beat", "marketplace")


class Stack:
    """The processes /readyz depends on, each one stoppable and started again on its port."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._names = itertools.count()
        pg_bin, _ = wheel_binaries(sys.executable, redis=False)
        self.postgres = PostgresServer(
            bin_dir=pg_bin,
            data_dir=folder / "postgresql" / "data",
            port=free_port(),
            env=os.environ.copy(),
            throwaway=True,
        ).start()
        self.redis = RedisServer(folder)
        self.simulator_port = free_port()
        self.web_port = free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DATABASE_URL": self.postgres.url("postgres"),
            "REDIS_URL": self.redis.url,
            "MARKETPLACE_BASE_URL": f"http://127.0.0.1:{self.simulator_port}/marketplace/eu",
            "VAR_DIR": str(folder / "var"),
            "BEAT_MAX_SILENCE_SECONDS": "8",
        }
        self.env.pop("MARKETPLACE_TRANSPORT", None)
        self.simulator = self.simulator_start()
        self.worker = self.worker_start()
        self.beat = self.beat_start()
        self.web = self._service(
            "web",
            [str(BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{self.web_port}"]
            + ["--workers", "1", "--threads", "4", "--timeout", "60"],
        )

    def _service(self, name, command):
        return Service(f"{name}-{next(self._names)}", command, self.env, self.folder)

    def simulator_start(self):
        command = [sys.executable, "-m", "simulator", "--host", "127.0.0.1"]
        command += ["--port", str(self.simulator_port), "--profile", "test"]
        return self._service("simulator", command)

    def worker_start(self):
        command = [str(BIN / "celery"), "-A", "config", "worker", "-Q", "default,submit,poll"]
        command += ["-c", "1", "-n", f"ready-{next(self._names)}@%h", "--without-gossip"]
        command += ["--without-mingle"]
        return self._service("worker", command)

    def beat_start(self):
        schedule = self.folder / f"beat-schedule-{next(self._names)}"
        return self._service(
            "beat", [str(BIN / "celery"), "-A", "config", "beat", "--schedule", str(schedule)]
        )

    def redis_restart(self):
        self.redis = RedisServer(self.folder, port=self.redis.port)

    def readyz(self):
        try:
            response = httpx.get(f"http://127.0.0.1:{self.web_port}/readyz", timeout=20)
        except httpx.HTTPError:
            return None
        return response

    def wait_until(self, *, failed=(), timeout=60):
        """Wait until exactly the checks in ``failed`` fail (all others ok); return the answer."""

        def matches():
            response = self.readyz()
            if response is None:
                return None
            body = response.json()
            now_failed = {name for name, c in body["checks"].items() if c["status"] == "failed"}
            return response if now_failed == set(failed) else None

        try:
            return wait_for(matches, timeout=timeout, interval=0.5, what=f"failed={failed}")
        except AssertionError:
            last = self.readyz()
            logs = "\n".join(
                f"--- {s.name}\n{s.log()[-1500:]}" for s in (self.web, self.worker, self.beat)
            )
            raise AssertionError(f"{last and last.text}\n{logs}") from None

    def stop(self):
        for service in (self.web, self.beat, self.worker, self.simulator, self.redis):
            service.stop()
        self.postgres.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("readiness"))
    try:
        stack.wait_until(failed=(), timeout=90)
        yield stack
    finally:
        stack.stop()


def test_ready_answers_each_check_with_ok_and_its_seconds_only(stack):
    response = stack.wait_until(failed=())
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == set(CHECKS)
    for check in body["checks"].values():
        assert set(check) == {"status", "seconds"}
        assert 0 <= check["seconds"] < 5


def test_postgresql_stopped_fails_the_database_check(stack):
    stack.postgres.stop()
    response = stack.wait_until(failed=("database",))
    assert response.status_code == 503 and response.json()["status"] == "failed"
    # Nothing but the verdict: no error text, no host or port.
    assert "postgres" not in response.text.lower().replace('"database"', "")
    stack.postgres.start()
    assert stack.wait_until(failed=()).status_code == 200


def test_redis_stopped_fails_redis_broker_worker_and_beat(stack):
    stack.redis.stop()
    # The broker and the cache live there: the worker cannot be pinged, beat's tick not read.
    response = stack.wait_until(failed=("redis", "broker", "worker", "beat"))
    assert response.status_code == 503
    stack.redis_restart()  # empty, as a Redis without persistence comes back
    assert stack.wait_until(failed=(), timeout=90).status_code == 200


def test_no_worker_fails_the_worker_check(stack):
    stack.worker.stop()
    assert stack.wait_until(failed=("worker",)).status_code == 503
    stack.worker = stack.worker_start()
    assert stack.wait_until(failed=()).status_code == 200


def test_beat_stopped_fails_the_beat_check_once_it_has_been_silent(stack):
    stack.beat.stop()
    assert stack.wait_until(failed=("beat",)).status_code == 503
    stack.beat = stack.beat_start()
    assert stack.wait_until(failed=()).status_code == 200


def test_simulator_down_fails_the_marketplace_check(stack):
    stack.simulator.stop()
    assert stack.wait_until(failed=("marketplace",)).status_code == 503
    stack.simulator = stack.simulator_start()
    assert stack.wait_until(failed=()).status_code == 200


def test_healthz_answers_while_the_database_is_down(stack):
    stack.postgres.stop()
    try:
        response = httpx.get(f"http://127.0.0.1:{stack.web_port}/healthz", timeout=5)
        assert response.status_code == 200 and response.json() == {"status": "ok"}
    finally:
        stack.postgres.start()
    assert stack.wait_until(failed=()).status_code == 200


def test_the_compose_healthcheck_probe_passes_on_healthz_and_fails_without_a_server(stack):
    probe = [sys.executable, "-m", "operations.probe", "--path", "/healthz"]
    up = subprocess.run([*probe, "--port", str(stack.web_port)], env=stack.env, timeout=30)
    assert up.returncode == 0
    down = subprocess.run([*probe, "--port", str(free_port())], env=stack.env, timeout=30)
    assert down.returncode == 1
