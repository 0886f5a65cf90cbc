"""Soak `python3 dev.py up`: place an order through the JSON API every 30 s for an hour.

    .venv/bin/python bench/soak.py [--minutes 60] [--interval 30] [--keep-var]

Starts `dev.py up` as a person would (no DATABASE_URL or REDIS_URL: it runs
its own PostgreSQL and Redis), on free, non-default ports and a VAR_DIR of its
own; issues an API token for the demo reseller; then every --interval seconds
places one order with `POST /api/v1/orders` (the body of docs/api.md) and
follows every order to `completed`. At the end it checks that every order
completed and that every process `dev.py up` started is the one it started
(none died, none was restarted), stops it with SIGINT like Ctrl-C and checks
nothing is left running. It prints the machine, the figures and a verdict, and
exits 1 when the verdict is not "passed".
"""

import argparse
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from machine_facts import cpu_name

ROOT = Path(__file__).resolve().parents[1]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
READY_LINE = "The site is up at"
STARTUP_SECONDS = 180
COMPLETION_GRACE_SECONDS = 300
PROCESS_NAMES = ("postgres", "redis-server", "runserver", "worker", "beat", "simulator")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60, help="how long to place orders")
    parser.add_argument("--interval", type=float, default=30, help="seconds between two orders")
    parser.add_argument("--keep-var", action="store_true", help="keep the run's VAR_DIR")
    return parser.parse_args()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def machine():
    cpu = cpu_name()
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 2**30} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"load average at start {os.getloadavg()[0]:.2f}"
    )


# --- the processes dev.py up started -----------------------------------------


def processes_with(marker, also=None):
    """Return {pid: (name, rss in MiB)} of live processes whose environment holds marker.

    redis-server overwrites its environment with its title, so it is found by
    its title (`also`: "redis-server 127.0.0.1:<port>", after the binary's path) instead.
    """
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker.encode() not in environ and not (also and also in cmdline):
            continue
        if stat[0] == "Z":
            continue
        name = next((n for n in PROCESS_NAMES if n in cmdline), None)
        if name:
            found[int(entry.name)] = (name, int(stat[21]) * os.sysconf("SC_PAGE_SIZE") / 2**20)
    return found


class DevUp:
    def __init__(self, var_dir):
        self.var_dir = var_dir
        self.port, self.simulator_port = free_port(), free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.marker = f"VAR_DIR={var_dir}"
        self.redis_title = None
        self.log_path = var_dir.parent / "dev-up.log"
        env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
        for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "MARKETPLACE_BASE_URL"):
            env.pop(name, None)
        env.update(
            VAR_DIR=str(var_dir), PORT=str(self.port), SIMULATOR_PORT=str(self.simulator_port)
        )
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "dev.py"), "up"],
            cwd=ROOT,
            env=env,
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
            if self.process.poll() is not None:
                raise SystemExit(f"dev.py up exited early:\n{self.output()[-4000:]}")
            if time.monotonic() > deadline:
                raise SystemExit(f"dev.py up was not ready in {STARTUP_SECONDS} s")
            time.sleep(0.5)
        match = re.search(r"PostgreSQL: (postgres://\S+)", self.output())
        self.database_url = match[1] if match else None
        match = re.search(
            r"Redis \(Celery broker and cache\): redis://([\d.]+:\d+)/", self.output()
        )
        self.redis_title = f"redis-server {match[1]}" if match else None

    def processes(self):
        return processes_with(self.marker, also=self.redis_title)

    def supervisor_reports(self):
        return [line for line in self.output().splitlines() if "stopped unexpectedly" in line]

    def press_ctrl_c(self):
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=60)


def manage(dev_up, *args):
    env = dict(
        os.environ, VAR_DIR=str(dev_up.var_dir), DJANGO_SETTINGS_MODULE="config.settings.base"
    )
    if dev_up.database_url:
        env["DATABASE_URL"] = dev_up.database_url
    result = subprocess.run(
        [str(VENV_PYTHON), str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


# --- the JSON API (the one place that knows the request) ---------------------


def order_body(*, customer, product, number):
    """Return the order body of docs/api.md: one line for the customer's existing tenant."""
    body = {
        "customer_id": customer["id"],
        "lines": [
            {
                "mpn": product["mpn"],
                "term": product["term"],
                "billing": product["billing"],
                "quantity": 1 + number % 5,
            }
        ],
        "tenant": {"preference": "existing", "domain": customer["tenant"]["domain"]},
        "partner_of_record_accepted": True,
        "special_qualification": "None",
        "po_number": f"SOAK-{number:04d}",
        "terms_accepted": True,
    }
    if not customer["agreement_accepted_on"]:
        body["agreement"] = {
            "first_name": "Sam",
            "last_name": "Soak",
            "email": "sam.soak@woodgrove.example",
            "accepted_on": date.today().strftime("%m-%d-%Y"),
        }
    return body


def api_place_order(client, body):
    """POST one order; return (reference, seconds the request took). The only write call."""
    started = time.monotonic()
    response = client.post(
        "/api/v1/orders", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
    )
    elapsed = time.monotonic() - started
    if response.status_code != 201:
        raise RuntimeError(f"POST /api/v1/orders: {response.status_code} {response.text[:500]}")
    return response.json()["reference"], elapsed


def api_order_status(client, reference):
    response = client.get(f"/api/v1/orders/{reference}")
    response.raise_for_status()
    return response.json()["status"]


def api_first(client, path, **params):
    response = client.get(path, params=params)
    response.raise_for_status()
    results = response.json()["results"]
    if not results:
        raise SystemExit(f"GET {path} {params} returned nothing")
    return results[0]


# --- the soak -----------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def spread(values, unit, scale):
    median, p95, most = (
        f"{value * scale:.1f} {unit}"
        for value in (statistics.median(values), percentile(values, 0.95), max(values))
    )
    return f"median {median}, p95 {p95}, max {most}"


def follow(client, pending, completed_in, failed, placed_at):
    for reference in list(pending):
        status = api_order_status(client, reference)
        if status == "completed":
            completed_in[reference] = time.monotonic() - placed_at[reference]
            pending.discard(reference)
        elif status in ("failed", "cancelled"):
            failed[reference] = status
            pending.discard(reference)


def soak(dev_up, args):
    import httpx

    reseller_id = manage(
        dev_up,
        "shell",
        "-c",
        "from customers.models import Reseller; "
        "print(Reseller.objects.get(name='Northwind IT').pk)",
    )
    reseller_id = reseller_id.splitlines()[-1]  # after Django's "objects imported" banner
    token = manage(dev_up, "create_api_token", "--reseller", reseller_id, "--name", "soak")
    client = httpx.Client(
        base_url=dev_up.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    customer = api_first(client, "/api/v1/customers", q="Woodgrove")
    product = api_first(client, "/api/v1/products", term="P1Y", billing="P1M", q="business")
    print(f"Ordering {product['name']} for {customer['company_name']} every {args.interval:g} s")

    processes_at_start = dev_up.processes()
    placed_at, post_seconds, completed_in, failed = {}, [], {}, {}
    pending = set()
    started = time.monotonic()
    end = started + args.minutes * 60
    number = 0
    while time.monotonic() < end:
        number += 1
        body = order_body(customer=customer, product=product, number=number)
        reference, seconds = api_place_order(client, body)
        placed_at[reference] = time.monotonic()
        post_seconds.append(seconds)
        pending.add(reference)
        next_at = started + number * args.interval
        while time.monotonic() < min(next_at, end):
            follow(client, pending, completed_in, failed, placed_at)
            time.sleep(1)
        if number % 10 == 0:
            minutes = (time.monotonic() - started) / 60
            print(
                f"  {minutes:5.1f} min: {number} placed, {len(completed_in)} completed", flush=True
            )
    placing_minutes = (time.monotonic() - started) / 60
    grace_end = time.monotonic() + COMPLETION_GRACE_SECONDS
    while pending and time.monotonic() < grace_end:
        follow(client, pending, completed_in, failed, placed_at)
        time.sleep(1)
    processes_at_end = dev_up.processes()
    client.close()
    return {
        "placing_minutes": placing_minutes,
        "placed": len(placed_at),
        "completed_in": completed_in,
        "failed": failed,
        "pending": pending,
        "post_seconds": post_seconds,
        "start": processes_at_start,
        "end": processes_at_end,
    }


def report(figures, dev_up, leftovers, stop_status):
    completed = list(figures["completed_in"].values())
    print(f"\nMachine: {machine()}")
    print(f"Ordering ran {figures['placing_minutes']:.1f} min; {figures['placed']} orders placed")
    print(
        f"Completed: {len(completed)}; failed: {figures['failed'] or 0}; "
        f"not completed: {sorted(figures['pending']) or 0}"
    )
    if completed:
        print(f"Placed -> completed: {spread(completed, 's', 1)}")
    if figures["post_seconds"]:
        print(f"POST /api/v1/orders: {spread(figures['post_seconds'], 'ms', 1000)}")
    start, end = figures["start"], figures["end"]
    print("Processes (pid: name, RSS at start -> end):")
    for pid, (name, rss) in sorted(start.items(), key=lambda item: item[1][0]):
        after = end.get(pid)
        now = f"{after[1]:.0f} MiB" if after else "GONE"
        print(f"  {pid}: {name}, {rss:.0f} MiB -> {now}")
    reports = dev_up.supervisor_reports()
    print(f"Supervisor reports of a dead process: {len(reports)}")
    for line in reports:
        print(f"  {line}")
    print(f"dev.py up after Ctrl-C: exit status {stop_status}; left running: {leftovers or 0}")
    ok = (
        figures["placed"] > 0
        and len(completed) == figures["placed"]
        and not reports
        and set(start) <= set(end)
        and stop_status == 0
        and not leftovers
    )
    print(f"Verdict: {'passed' if ok else 'FAILED'}")
    return ok


def main():
    args = parse_args()
    # SIGTERM (or a terminal closing) stops the soak like Ctrl-C: dev.py up is stopped too.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with nohup &
    if not VENV_PYTHON.exists():
        raise SystemExit("Run python3 dev.py test or up once first (it makes .venv).")
    folder = Path(tempfile.mkdtemp(prefix="nce-soak-"))
    dev_up = DevUp(folder / "var")
    ports = f"port {dev_up.port} (simulator {dev_up.simulator_port})"
    print(f"dev.py up on {ports}; log {dev_up.log_path}")
    figures = None
    try:
        dev_up.wait_until_ready()
        figures = soak(dev_up, args)
    finally:
        stop_status = dev_up.press_ctrl_c() if dev_up.process.poll() is None else "exited early"
        deadline = time.monotonic() + 10
        while dev_up.processes() and time.monotonic() < deadline:
            time.sleep(0.5)
        leftovers = dev_up.processes()
    ok = report(figures, dev_up, leftovers, stop_status) if figures else False
    if not args.keep_var and ok:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
