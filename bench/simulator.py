"""The simulator's answer time against the number of orders it holds, before and after issue 14.

Run from the project root:

    .venv/bin/python bench/simulator.py [--sizes 100,1000,10000] [--rounds 5] [--state]
                                        [--before REF | --before none]

It builds one simulator app per (variant, size), in-process behind SimulatorTransport (no
socket, so the figures are the simulator's own work plus werkzeug's and httpx's), and fills
each through the API: 10 customers, then sales orders for new tenants spread over them, placed
with phases of 1 s / 2 s / 1 h, then the clock is moved 10 s on so that they are all in flight
(LO) while they are measured, the case of issue 14. "before" is the simulator package of REF
(default: the commit this work started from), extracted with `git archive` into a temporary
directory and imported as `simulator_before`; "after" is the working tree's `simulator`. With
`--state` every app keeps a SQLite state file (written after every POST).

Each round runs every (variant, size) in turn, rotating which goes first, and each of them
sends a batch of each request: GET /orders/{id}, GET /orders?customerId=..., POST /orders
(a new sales order, so the apps grow a little: the held counts are printed at the end) and
GET /subscriptions?customerId=.... It prints the median requests per second over the rounds
and the ratio of each size to the smallest size of the same variant in the same run.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import itertools
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

import httpx
from machine_facts import cpu_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.driving import foreign_order_body  # noqa: E402 (after the path is set)

BEFORE_REF = "2e3d425276d20de4f3622dc10acf500e5e01887e"  # main when issue 14's simulator work began
BASE = "http://simulator.test/marketplace/eu"
KEY = "demo-subscription-key"
CUSTOMERS = 10  # at 100 orders each has 10: a full first page (limit 10) at every size
HELD_TIMINGS = {"submitted": 1, "assigning": 2, "provisioning": 3600}
KINDS = (
    "GET /orders/{id}",
    "GET /orders?customerId",
    "POST /orders",
    "GET /subscriptions?customerId",
)
BATCH = {"POST /orders": 20}  # requests per batch; POST is kept small so that apps grow little
DEFAULT_BATCH = 50
BENCH_MPN = "CFQ7TTC0LH18:0001"  # Microsoft 365 Business Basic

CUSTOMER = {
    "name": "Bench Customer",
    "language": "en_US",
    "address": {
        "streetAddress": "1 Microsoft Way",
        "city": "Redmond",
        "state": "WA",
        "postalCode": "98052",
        "countryCode": "US",
    },
    "contactPersons": [
        {
            "type": "admin",
            "firstName": "Ada",
            "lastName": "Lovelace",
            "email": "ada@adatum.example",
            "phoneNumber": "+14255550100",
            "login": "ada.admin",
            "password": "Str0ng!pass",
        }
    ],
}


def before_package(ref: str, into: Path) -> str:
    """Extract `simulator/` of a git ref as the package `simulator_before`; return its name."""
    archive = subprocess.run(
        ["git", "archive", ref, "simulator"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    (into / "simulator").rename(into / "simulator_before")
    sys.path.insert(0, str(into))
    return "simulator_before"


class Variant:
    """One simulator app holding `size` orders, and the requests the benchmark sends it."""

    def __init__(self, package: str, label: str, size: int, state_path: str | None):
        app_module = importlib.import_module(f"{package}.app")
        config_module = importlib.import_module(f"{package}.config")
        transport = importlib.import_module(f"{package}.transport").SimulatorTransport
        self.label, self.size = label, size
        app = app_module.create_app(config_module.config_for_profile("test", state_path=state_path))
        self.http = httpx.Client(
            transport=transport(app), base_url=BASE, headers={"X-Subscription-Key": KEY}
        )
        self.control = httpx.Client(
            transport=transport(app), base_url="http://simulator.test/_simulator"
        )
        token = self.http.post(
            "/token", json={"marketplace": "us"}, auth=("demo-reseller", "demo-password")
        )
        self.http.headers["Authorization"] = f"Bearer {token.json()['token']}"
        self.control.post("/timings", json=HELD_TIMINGS)
        self.customers = [self._customer() for _ in range(CUSTOMERS)]
        self.orders: list[str] = []
        self.placed = 0
        for _ in range(size):
            self.place()
        # every held order is now in LO; the measured requests see no phase changes of theirs
        self.control.post("/clock", json={"advanceSeconds": 10})
        gc.collect()  # the filling's garbage is not charged to the first measured batch
        self.turn = itertools.count()

    def _customer(self) -> str:
        response = self.http.post("/customers", json=CUSTOMER)
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def place(self) -> None:
        self.placed += 1
        customer = self.customers[self.placed % CUSTOMERS]
        body = foreign_order_body(
            customer, f"PO-{self.placed}", f"bench{self.placed}.onmicrosoft.com", BENCH_MPN
        )
        response = self.http.post("/orders", json=body)
        assert response.status_code == 201, response.text
        self.orders.append(response.json()["id"])

    def send(self, kind: str) -> None:
        n = next(self.turn)
        customer = self.customers[n % CUSTOMERS]
        if kind == "POST /orders":
            self.place()
            return
        if kind == "GET /orders/{id}":
            response = self.http.get(f"/orders/{self.orders[(n * 7919) % len(self.orders)]}")
        elif kind == "GET /orders?customerId":
            response = self.http.get("/orders", params={"customerId": customer})
        else:
            response = self.http.get("/subscriptions", params={"customerId": customer})
        assert response.status_code == 200, response.text

    def rate(self, kind: str) -> float:
        count = BATCH.get(kind, DEFAULT_BATCH)
        started = time.perf_counter()
        for _ in range(count):
            self.send(kind)
        return count / (time.perf_counter() - started)


def machine() -> str:
    cpu = cpu_name()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"CPU: {cpu}; cores: {os.cpu_count()}; Python {platform.python_version()}; "
        f"load average at the start: {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", default=BEFORE_REF, help="git ref, or 'none'")
    parser.add_argument("--state", action="store_true", help="every app keeps a SQLite file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        packages = [("after", "simulator")]
        if args.before != "none":
            packages.insert(0, ("before", before_package(args.before, Path(tmp))))
            print(f"before: simulator/ of {args.before}; after: the working tree")
        print(f"state file: {'yes' if args.state else 'no'}; orders held in flight (LO)")
        variants = []
        for (label, package), size in itertools.product(packages, sizes):
            started = time.perf_counter()
            state_path = f"{tmp}/{label}-{size}.sqlite3" if args.state else None
            variants.append(Variant(package, label, size, state_path))
            print(f"  filled {label} with {size} orders in {time.perf_counter() - started:.1f} s")
        rates = {(v.label, v.size, kind): [] for v in variants for kind in KINDS}
        for round_number in range(args.rounds):
            shift = round_number % len(variants)
            for variant in variants[shift:] + variants[:shift]:
                for kind in KINDS:
                    rates[(variant.label, variant.size, kind)].append(variant.rate(kind))
            print(f"  round {round_number + 1}/{args.rounds} done")
    report(rates, packages, sizes, variants)


def report(rates, packages, sizes, variants) -> None:
    print()
    heads = [f"{label} {size:,}" for label, _ in packages for size in sizes]
    print(f"| request | {' | '.join(heads)} |")
    print(f"| --- |{' --- |' * len(packages) * len(sizes)}")
    for kind in KINDS:
        cells = []
        for label, _ in packages:
            anchor = statistics.median(rates[(label, sizes[0], kind)])
            for size in sizes:
                median = statistics.median(rates[(label, size, kind)])
                cells.append(f"{median:,.0f}/s ({median / anchor:.2f}×)")
        print(f"| {kind} | {' | '.join(cells)} |")
    print()
    print("req/s: median over the rounds; (×): that rate over the smallest size's, same variant")
    print(
        "orders held at the end: "
        + ", ".join(f"{v.label} {v.size:,}: {len(v.orders):,}" for v in variants)
    )


if __name__ == "__main__":
    main()
