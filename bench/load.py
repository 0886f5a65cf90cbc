"""Load test of the whole stack with Locust: the pages against a bare Django view, as a ratio.

    .venv/bin/python bench/load.py [--minutes 10] [--users 1,2,4] [--workers 3] [--threads 1]
                                [--arrivals 2]
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --fixture people.json

Starts, on loopback only, a throwaway PostgreSQL and Redis (the locked wheels),
the simulator, `load_demo`, gunicorn (bench/load_settings.py: the product plus
a bare view), a Celery worker and beat; or, with --url, is pointed at a stack
already running on this machine (its fixture made by bench/load_fixture.py).
Then it runs Locust headless (bench/load_users.py), first the bare view alone
(its unloaded p95), then one step per entry of --users: that many resellers,
each a reseller of its own with its own marketplace account and key, whose
staff walk the wizard to Buy, whose end customers browse and order and whose
API clients place orders, support staff searching across them, and one user
hitting the bare view throughout; people arrive --arrivals a second. Every
step prints throughput and p50/p95/p99 per page, errors, and each page's p95
as a multiple of the bare view's p95 in the same step. It stops by itself
after --minutes, waits for every order placed to reach its end, and exits 1
unless the targets are met: no error, every order completed, and at the load
where the bare view's p95 has doubled (else the highest load run) every page's
p95 within 4x the bare view's.
"""

import argparse
import csv
import ipaddress
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from soak import machine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devsupport import services  # noqa: E402

VENV_BIN = ROOT / ".venv" / "bin"
VENV_PYTHON = VENV_BIN / "python"
BARE = "bare Django view"
CLASSES = ("Reseller", "EndCustomer", "Support", "ApiClient")
RATIO_TARGET = 4.0
#: Hashing the password is slow on purpose (Django's PBKDF2 iterations): printed, not judged.
DELIBERATELY_SLOW = {"sign-in (post)"}
END_STATUSES = {"completed", "failed", "cancelled", "declined"}
COMPLETION_GRACE_SECONDS = 300


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10, help="length of the whole run")
    parser.add_argument(
        "--users",
        default="1,2,4",
        help="people of each kind (reseller, end customer, support, API) per step",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (1: sync workers)"
    )
    parser.add_argument(
        "--arrivals",
        type=float,
        default=2,
        help="people arriving (signing in) per second at the start of each step",
    )
    parser.add_argument("--url", help="a running stack on this machine instead of starting one")
    parser.add_argument("--fixture", help="with --url: the JSON bench/load_fixture.py printed")
    parser.add_argument("--database-url", help="with --url: its DATABASE_URL, to follow orders")
    args = parser.parse_args()
    args.steps = [int(n) for n in args.users.split(",")]
    if args.url:
        host = urllib.parse.urlsplit(args.url).hostname or ""
        if not ipaddress.ip_address(socket.gethostbyname(host)).is_loopback:
            parser.error("--url must be on this machine (a loopback address).")
        if not (args.fixture and args.database_url):
            parser.error("--url needs --fixture and --database-url.")
    return args


def free_port():
    return services.free_port()


# --- the stack ------------------------------------------------------------------


class Stack:
    """gunicorn, Celery worker and beat and the simulator, each in its own process group."""

    def __init__(self, folder: Path, database_url: str, redis_url: str, workers: int, threads: int):
        self.folder = folder
        self.port, self.simulator_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ)
        self.env.update(
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            DJANGO_SETTINGS_MODULE="load_settings",
            PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            FIELD_ENCRYPTION_SALT=secrets.token_urlsafe(16),
            VAR_DIR=str(folder / "var"),
            SIMULATOR_URL=f"http://127.0.0.1:{self.simulator_port}",
            PATH=os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "")]),
        )
        self.workers, self.threads = workers, threads
        self.processes = []

    def start(self):
        self.manage("migrate", "--noinput")
        self.spawn(
            "simulator",
            [str(VENV_PYTHON), "-m", "simulator", "--host", "127.0.0.1"]
            + ["--port", str(self.simulator_port), "--profile", "demo"],
        )
        wait_until_answers(f"{self.env['SIMULATOR_URL']}/_simulator/stats", self)
        self.manage("load_demo", "--site-url", self.url + "/", "--no-logins")
        self.spawn(
            "web",
            [str(VENV_BIN / "gunicorn"), "config.wsgi:application"]
            + ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
            + ["--threads", str(self.threads)]
            + ["--timeout", "60", "--graceful-timeout", "10"],
        )
        self.spawn(
            "worker",
            [str(VENV_BIN / "celery"), "-A", "config", "worker"]
            + ["--queues", "default,submit,poll", "--concurrency", "2", "--loglevel", "INFO"],
        )
        self.spawn(
            "beat",
            [str(VENV_BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO"]
            + ["--schedule", str(self.folder / "celerybeat-schedule")],
        )
        wait_until_answers(f"{self.url}/_load/bare/", self)

    def manage(self, *args):
        command = [str(VENV_PYTHON), str(ROOT / "manage.py"), *args]
        result = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def fixture(self, how_many):
        command = [str(VENV_PYTHON), str(ROOT / "bench" / "load_fixture.py"), str(how_many)]
        result = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"load_fixture.py failed:\n{result.stderr[-3000:]}")
        return result.stdout.strip().splitlines()[-1]

    def spawn(self, name, command):
        log = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append((name, process))

    def dead(self):
        return [name for name, process in self.processes if process.poll() is not None]

    def stop(self):
        for _, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _, process in reversed(self.processes):
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_until_answers(url, stack, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stack.dead():
            raise SystemExit(f"{stack.dead()} stopped at start; logs in {stack.folder}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout} s; logs in {stack.folder}")


# --- Locust -----------------------------------------------------------------------


def locust_step(url, fixture_path, placed_path, counts, seconds, folder, name, arrivals):
    """Run bench/load_users.py headless for `seconds`; return its stats and exceptions."""
    prefix = folder / name
    env = dict(os.environ)
    env.update(
        LOAD_FIXTURE=fixture_path.read_text(),
        LOAD_COUNTS=json.dumps(counts),
        LOAD_PLACED=str(placed_path),
    )
    users = sum(counts.values())
    command = [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "load_users.py")]
    command += ["--headless", "--host", url, "--users", str(users), "--spawn-rate", str(arrivals)]
    command += ["--run-time", f"{int(seconds)}s", "--stop-timeout", "60", "--csv", str(prefix)]
    command += ["--only-summary", "--loglevel", "WARNING", *[k for k, n in counts.items() if n]]
    with (folder / f"{name}.log").open("wb") as log:
        subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    with open(f"{prefix}_stats.csv") as stats:
        rows = [row for row in csv.DictReader(stats) if row["Name"] != "Aggregated"]
    with open(f"{prefix}_exceptions.csv") as exceptions:
        errors = [row for row in csv.DictReader(exceptions)]
    return rows, errors


def ms(row, column):
    value = row[column]
    return float(value) if value not in ("", "N/A") else 0.0


def step_report(label, rows, errors, seconds, baseline_p95):
    """Print one step's table; return (bare p95, {page: p95 ratio}, failures)."""
    bare = next((row for row in rows if row["Name"] == BARE), None)
    bare_p95 = ms(bare, "95%") if bare else 0.0
    requests = sum(int(row["Request Count"]) for row in rows)
    failures = sum(int(row["Failure Count"]) for row in rows)
    print(
        f"\n{label}: {requests} requests in {seconds:.0f} s = {requests / seconds:.1f} req/s; "
        f"failures {failures}; exceptions {sum(int(e['Count']) for e in errors)}"
    )
    if baseline_p95:
        print(
            f"  bare view p95 {bare_p95:.0f} ms = {bare_p95 / baseline_p95:.1f}x its unloaded "
            f"p95 ({baseline_p95:.0f} ms)"
        )
    print(f"  {'page':44} {'n':>6} {'fail':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'p95/bare':>9}")
    ratios = {}
    for row in sorted(rows, key=lambda r: r["Name"] != BARE):
        p95 = ms(row, "95%")
        ratio = p95 / bare_p95 if bare_p95 else float("inf")
        if row["Name"] != BARE and row["Name"] not in DELIBERATELY_SLOW:
            ratios[row["Name"]] = ratio
        print(
            f"  {row['Name'][:44]:44} {row['Request Count']:>6} {row['Failure Count']:>5} "
            f"{ms(row, '50%'):5.0f}ms {p95:5.0f}ms {ms(row, '99%'):5.0f}ms {ratio:8.1f}x"
        )
    for error in errors:
        print(f"  exception x{error['Count']}: {error['Message'][:200]}")
    return bare_p95, ratios, failures + sum(int(e["Count"]) for e in errors)


# --- orders -----------------------------------------------------------------------


def order_statuses(database_url, references):
    import psycopg

    with psycopg.connect(database_url) as db:
        rows = db.execute(
            "select reference, status from orders_order where reference = any(%s)", [references]
        ).fetchall()
    return dict(rows)


def follow_orders(database_url, references):
    deadline = time.monotonic() + COMPLETION_GRACE_SECONDS
    while True:
        statuses = order_statuses(database_url, references)
        open_orders = [r for r in references if statuses.get(r) not in END_STATUSES]
        if not open_orders or time.monotonic() > deadline:
            return statuses
        time.sleep(2)


# --- the run ----------------------------------------------------------------------


def run(args, url, fixture_path, database_url, folder):
    placed_path = folder / "placed.txt"
    placed_path.touch()
    total = args.minutes * 60
    baseline_seconds = max(15.0, total * 0.1)
    step_seconds = (total - baseline_seconds) / len(args.steps)
    print(f"Command: {' '.join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]])}")
    print(f"Machine: {machine()}")
    print(
        f"Stack: {url}; gunicorn workers {args.workers} x {args.threads} threads; steps "
        f"{args.steps} people of each kind, {step_seconds:.0f} s each, arriving "
        f"{args.arrivals:g} a second, after {baseline_seconds:.0f} s of the bare view alone"
    )
    rows, errors = locust_step(
        url, fixture_path, placed_path, {"BareView": 1}, baseline_seconds, folder, "baseline", 1
    )
    baseline_p95, _, baseline_failures = step_report(
        "Bare view alone (1 user)", rows, errors, baseline_seconds, 0
    )
    results = []
    for n in args.steps:
        counts = {kind: n for kind in CLASSES} | {"BareView": 1}
        rows, errors = locust_step(
            url, fixture_path, placed_path, counts, step_seconds, folder, f"step-{n}", args.arrivals
        )
        label = f"{n} of each kind ({4 * n} people + the bare-view user)"
        results.append((n, *step_report(label, rows, errors, step_seconds, baseline_p95)))

    references = sorted(set(placed_path.read_text().split()))
    statuses = follow_orders(database_url, references)
    by_status = {}
    for reference in references:
        by_status.setdefault(statuses.get(reference, "missing"), []).append(reference)
    print(
        f"\nOrders placed: {len(references)}; "
        + ", ".join(f"{status}: {len(refs)}" for status, refs in sorted(by_status.items()))
    )

    doubled = [r for r in results if baseline_p95 and r[1] >= 2 * baseline_p95]
    judged = doubled[0] if doubled else results[-1]
    n, bare_p95, ratios, _ = judged
    worst = max(ratios.items(), key=lambda item: item[1]) if ratios else ("-", 0)
    where = (
        "the first load where the bare view's p95 doubled"
        if doubled
        else "the highest load run (the bare view's p95 never doubled)"
    )
    print(
        f"Judged at {n} of each kind, {where}: bare p95 {bare_p95:.0f} ms; worst page "
        f"{worst[0]} at {worst[1]:.1f}x (target <= {RATIO_TARGET:g}x)"
    )
    errors_total = baseline_failures + sum(r[3] for r in results)
    ok = (
        errors_total == 0
        and set(by_status) <= {"completed"}
        and references
        and worst[1] <= RATIO_TARGET
    )
    print(f"Not judged (slow on purpose): {', '.join(sorted(DELIBERATELY_SLOW))}")
    print(f"Errors: {errors_total}. Verdict: {'passed' if ok else 'FAILED'}")
    return ok


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    folder = Path(tempfile.mkdtemp(prefix="nce-load-"))
    folder.chmod(0o755)
    print(f"Logs and Locust CSVs in {folder}", flush=True)
    if args.url:
        fixture_path = Path(args.fixture)
        return 0 if run(args, args.url, fixture_path, args.database_url, folder) else 1
    env = dict(os.environ)
    with services.throwaway_services(
        venv_python=VENV_PYTHON, postgres=True, redis=True, env=env, say=print
    ) as started:
        stack = Stack(
            folder, started["DATABASE_URL"], started["REDIS_URL"], args.workers, args.threads
        )
        try:
            stack.start()
            fixture_path = folder / "fixture.json"
            fixture_path.write_text(stack.fixture(max(args.steps)))
            fixture_path.chmod(0o600)
            ok = run(args, stack.url, fixture_path, started["DATABASE_URL"], folder)
            if stack.dead():
                print(f"Died during the run: {stack.dead()}")
                ok = False
        finally:
            stack.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
