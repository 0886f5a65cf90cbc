"""The README's first command brings the whole site up on a machine with nothing running.

`dev.py up` runs as a subprocess with none of the service variables set
(no DATABASE_URL, REDIS_URL, MARKETPLACE_*...), on free ports and a VAR_DIR of
its own, reusing the project's .venv. It starts its own PostgreSQL and Redis
under that VAR_DIR. The demo reseller signs in over real HTTP (CSRF token and
session cookie), then the process group gets SIGINT as from Ctrl-C, and every
process it started must be gone.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from binascii import unhexlify
from pathlib import Path

import httpx
import pytest
from django.urls import reverse
from django_otp.oath import totp

from customers.two_factor import secret_hex

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60
STOP_SECONDS = 30
READY_LINE = "The site is up at"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment(var_dir, port, simulator_port):
    """Return an environment with no service configuration at all, as on a fresh machine."""
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": os.environ.get("HOME", str(var_dir)),
        "LANG": "C.UTF-8",
        "VAR_DIR": str(var_dir),
        "PORT": str(port),
        "SIMULATOR_PORT": str(simulator_port),
    }


def processes_with(marker):
    """Return the ids of live processes whose environment contains marker (VAR_DIR=...)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in environ and state != "Z":
            found.append(int(entry.name))
    return found


class RunningCommand:
    def __init__(self, var_dir, port, simulator_port):
        self.log_path = var_dir.parent / "dev-up.log"
        self.marker = f"VAR_DIR={var_dir}"
        self.base_url = f"http://127.0.0.1:{port}"
        var_dir.mkdir()
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            # The interpreter running the tests is a Python 3.11 like `python3`.
            [sys.executable, str(ROOT / "dev.py"), "up"],
            cwd=ROOT,
            env=clean_environment(var_dir, port, simulator_port),
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self):
        return self.log_path.read_text(errors="replace")

    def wait_until_ready(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        while READY_LINE not in self.output():
            assert self.process.poll() is None, f"dev.py up exited early:\n{self.output()[-4000:]}"
            assert time.monotonic() < deadline, f"not up in {STARTUP_SECONDS}s:\n{self.output()}"
            time.sleep(0.25)

    def press_ctrl_c(self):
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=STOP_SECONDS)

    def kill_leftovers(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for pid in processes_with(self.marker):
            os.kill(pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture
def running_command():
    # Not under pytest's tmp_path: PostgreSQL runs as another user when the tests run as root,
    # and pytest takes back the other users' access to its own folder whenever a process of
    # the run (another xdist worker) first asks for a temporary path.
    folder = Path(tempfile.mkdtemp(prefix="nce-run-command-"))
    command = RunningCommand(folder / "var", free_port(), free_port())
    yield command
    command.kill_leftovers()
    shutil.rmtree(folder, ignore_errors=True)


def csrf_token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the login page has no CSRF token"
    return match[1]


@pytest.mark.timeout(STARTUP_SECONDS + STOP_SECONDS + 30)
def test_the_run_command_serves_the_site_and_the_demo_reseller_signs_in(running_command):
    running_command.wait_until_ready()
    output = running_command.output()
    assert "reseller / reseller-demo-2026" in output
    # With no DATABASE_URL or REDIS_URL it runs its own PostgreSQL and Redis (from the wheels).
    embedded_servers = [
        ("127.0.0.1", int(port))
        for port in re.findall(
            r"(?:PostgreSQL|Redis)[^\n]*: \w+://[^@/]*@?127\.0\.0\.1:(\d+)/", output
        )
    ]
    assert len(embedded_servers) == 2, output[-3000:]
    for address in embedded_servers:
        socket.create_connection(address, timeout=1).close()

    with httpx.Client(base_url=running_command.base_url, timeout=10) as browser:
        login_page = browser.get(reverse("login"))
        assert login_page.status_code == 200
        signed_in = browser.post(
            reverse("login"),
            data={
                "username": "reseller",
                "password": "reseller-demo-2026",
                "csrfmiddlewaretoken": csrf_token(login_page.text),
            },
            headers={"Referer": f"{running_command.base_url}{reverse('login')}"},
        )
        assert signed_in.status_code == 302, signed_in.text[:2000]
        # The demo logins are enrolled: the code from the key in the banner comes next.
        verify_url = signed_in.headers["location"]
        assert verify_url.startswith(reverse("two_factor_verify")), verify_url
        verify_page = browser.get(verify_url)
        assert verify_page.status_code == 200
        key = re.search(r"reseller / reseller-demo-2026 / (\w+)", output)
        assert key, output[-3000:]
        verified = browser.post(
            verify_url,
            data={
                "code": f"{totp(unhexlify(secret_hex(key[1]))):06d}",
                "csrfmiddlewaretoken": csrf_token(verify_page.text),
            },
            headers={"Referer": f"{running_command.base_url}{verify_url}"},
        )
        assert verified.status_code == 302, verified.text[:2000]
        assert verified.headers["location"] == reverse("home")

        home = browser.get(reverse("home"))
        assert home.status_code == 200
        assert "Northwind IT" in home.text
        # Static files are served too (the stylesheet and htmx the layout links).
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', home.text)
        assert assets
        for asset in assets:
            assert browser.get(asset).status_code == 200, asset

        # An expected refusal (reseller staff on support's page) is one log line, no traceback.
        assert browser.get(reverse("support:search")).status_code == 403
        wait_for_output(running_command, r"Forbidden \(Permission denied\): /support/")

    output = running_command.output()
    assert output.count("Forbidden (Permission denied): /support/") == 1, output[-3000:]
    assert "Traceback" not in output and "PermissionDenied" not in output, output[-3000:]
    # Human-readable lines, not the JSON objects production logs (docs/operations.md).
    assert '| {"' not in output, output[-3000:]
    # The demo logins are listed once, in the banner.
    assert output.count("reseller-demo-2026") == 1, output[-3000:]

    assert running_command.press_ctrl_c() == 0, running_command.output()[-4000:]
    assert running_command.output().rstrip().endswith("dev.py | Stopped.")
    deadline = time.monotonic() + 5
    while processes_with(running_command.marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_with(running_command.marker) == [], "processes outlived Ctrl-C"
    # redis-server writes its title over its environment, so the marker cannot
    # find it: its port, and PostgreSQL's, must be closed instead.
    for address in embedded_servers:
        with pytest.raises(OSError):
            socket.create_connection(address, timeout=1).close()


def process_ids(marker, command_part):
    """Return the ids of live processes with marker in their environment, command_part in argv."""
    found = []
    for pid in processes_with(marker):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if command_part in argv:
            found.append(pid)
    return found


def wait_for_output(running_command, text, count=1):
    """Wait until the output holds count lines matching the regular expression text."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while len(re.findall(text, running_command.output(), re.MULTILINE)) < count:
        assert running_command.process.poll() is None, running_command.output()[-4000:]
        assert time.monotonic() < deadline, f"no {text!r} x{count}:\n{running_command.output()}"
        time.sleep(0.25)


@pytest.mark.timeout(2 * STARTUP_SECONDS + STOP_SECONDS + 30)
def test_a_process_that_dies_is_named_with_the_reason_and_started_again(running_command):
    running_command.wait_until_ready()
    worker = process_ids(running_command.marker, "celery -A config worker")
    assert worker, "no Celery worker among the processes dev.py up started"

    # The worker's main process (the oldest) is killed, as the OOM killer would.
    os.kill(min(worker), signal.SIGKILL)

    wait_for_output(
        running_command, r"^dev\.py \| worker stopped unexpectedly: killed by SIGKILL\."
    )
    wait_for_output(running_command, r"^dev\.py \| Starting worker again")
    # Celery's "celery@<host> ready." from the worker, a second time.
    wait_for_output(running_command, r"^\S+ worker +\| .*celery@\S+ ready\.$", count=2)
    assert process_ids(running_command.marker, "celery -A config worker")
    assert running_command.process.poll() is None  # the rest stayed up

    assert running_command.press_ctrl_c() == 0, running_command.output()[-4000:]
    assert running_command.output().rstrip().endswith("dev.py | Stopped.")
