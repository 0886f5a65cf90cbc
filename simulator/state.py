"""The simulator's state: one lock, plain dicts, a movable clock, an optional SQLite snapshot.

Next to the records it keeps what makes a request cost the same with 100 or 10,000 orders:
indexes (`indexes.py`), the orders still to move on, by when (`due_orders`), and the active
subscriptions by renewal date (`due_renewals`).
"""

from __future__ import annotations

import copy
import heapq
import json
import math
import sqlite3
import threading
import time
from collections import Counter
from datetime import UTC, datetime

from . import seed
from .catalogue import build_products
from .config import SimulatorConfig
from .failures import FailureBook
from .indexes import RecordIndex, TenantBook, order_buckets, subscription_buckets

RECORD_KINDS = ("customers", "orders", "subscriptions", "tenants")
SINGLETONS = ("taken_prefixes", "counters", "clock_offset", "tokens")
#: Written only by a save after they changed (touch_singleton): rarely, unlike the four above.
OCCASIONAL = ("reports", "report_faults", "resellers", "accounts", "partners")
INDEXED_KINDS = ("orders", "subscriptions")


class Stats:
    """Counters the control endpoint reports, so tests can prove there were no duplicates."""

    def __init__(self):
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.orders_created = 0
        self.orders_by_po_number: Counter[str] = Counter()
        self.rate_limited = 0
        self.failures_served: Counter[str] = Counter()

    def count_request(self, key: str) -> None:
        with self._lock:
            self.requests[key] += 1

    def count_failure(self, kind: str) -> None:
        with self._lock:
            self.failures_served[kind] += 1

    def count_rate_limited(self) -> None:
        with self._lock:
            self.rate_limited += 1

    def count_order(self, po_number: str | None) -> None:
        with self._lock:
            self.orders_created += 1
            self.orders_by_po_number[po_number or ""] += 1

    def as_json(self) -> dict:
        with self._lock:
            return self._snapshot()

    def _snapshot(self) -> dict:
        return {
            "requests": dict(self.requests),
            "ordersCreated": self.orders_created,
            "ordersByPoNumber": dict(self.orders_by_po_number),
            "rateLimited": self.rate_limited,
            "failuresServed": dict(self.failures_served),
        }


class State:
    def __init__(self, config: SimulatorConfig):
        self.config = config
        self.lock = threading.RLock()
        self.reset()
        if config.state_path:
            self._open_store()
            self._load()

    # --- seed -------------------------------------------------------------------------------
    def reset(self) -> None:
        """Return to the seed: data, clock, timings, scripted failures, rate budget and stats."""
        with self.lock:
            self._dirty: set[tuple[str, str]] = set()
            self.products = build_products()
            self.resellers = {r["id"]: copy.deepcopy(r) for r in seed.RESELLERS}
            # Onboarded after the seed (accounts.py): API users, and MPN ID -> reseller tenants.
            self.accounts: list[dict] = []
            self.partners = {mpn: sorted(domains) for mpn, domains in seed.VALID_PARTNERS.items()}
            start = time.time() - 86400 * 30
            self.customers = {}
            for index, customer in enumerate(seed.CUSTOMERS):
                record = copy.deepcopy(customer)
                record["_created"] = start + index
                self.customers[record["id"]] = record
            self.tenants = self._tenant_book(copy.deepcopy(seed.EXISTING_TENANTS))
            for customer_id, domain in seed.CUSTOMER_TENANTS.items():
                self.tenants[domain]["customerId"] = customer_id
            self.taken_prefixes = sorted(seed.TAKEN_PREFIXES)
            self.orders: dict[str, dict] = {}
            self.subscriptions: dict[str, dict] = {}
            self.tokens: dict[str, dict] = {}
            self.reports: dict[str, dict] = {}  # rated-data reports, by id (reports.py)
            self.report_faults: list[dict] = []  # scripted faults of their lines (rating.py)
            self._dirty_singletons = set(OCCASIONAL)
            self.counters = dict(seed.FIRST_IDS, order_number=seed.FIRST_ORDER_NUMBER)
            self.clock_offset = 0.0
            self.timings = self.config.timings
            self.rate_limit = self.config.rate_limit
            self.rate_windows: dict[str, tuple[float, int]] = {}
            self.failures = FailureBook()
            self.stats = Stats()
            self._clear_schedules()

    def _tenant_book(self, tenants) -> TenantBook:
        return TenantBook(tenants, on_change=lambda domain: self.touch("tenants", domain))

    def _clear_schedules(self) -> None:
        self.index = {
            "orders": RecordIndex(order_buckets),
            "subscriptions": RecordIndex(subscription_buckets),
        }
        self._unfiled = {kind: set(getattr(self, kind)) for kind in INDEXED_KINDS}
        # (when, numeric id, id) of orders whose phase changes next at `when`; see lifecycle.
        self.due_orders: list[tuple[float, int, str]] = []
        self.open_orders: set[str] = set()  # placed, not final (or final effects not applied)
        self.advanced_to = -math.inf  # the simulated time orders were last brought up to
        self.recheck_open = False  # the next advance recomputes every open order
        self.due_renewals: list[tuple[str, int, str]] = []  # (renewalDate, numeric id, id)

    def _rebuild_schedules(self) -> None:
        """Index loaded records and schedule what is still to happen to them."""
        self._clear_schedules()
        self.open_orders = {i for i, order in self.orders.items() if not order["_applied"]}
        self.recheck_open = True
        for subscription in self.subscriptions.values():
            self.schedule_renewal(subscription)

    # --- clock --------------------------------------------------------------------------------
    def now(self) -> float:
        """Return the simulated time as a Unix timestamp (real time plus the offset)."""
        return time.time() + self.clock_offset

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    # --- ids ----------------------------------------------------------------------------------
    def next_id(self, kind: str) -> str:
        with self.lock:
            # A state file older than a kind of id has no counter for it yet.
            self.counters[kind] = self.counters.get(kind, seed.FIRST_IDS[kind]) + 1
            return str(self.counters[kind])

    def next_order_number(self, prefix: str) -> str:
        with self.lock:
            self.counters["order_number"] += 1
            return f"{prefix}{self.counters['order_number']:06d}"

    # --- lookups ------------------------------------------------------------------------------
    def tenant_by_id(self, tenant_id: str) -> dict | None:
        return self.tenants.with_id(tenant_id)

    def prefix_taken(self, prefix: str) -> bool:
        prefix = prefix.lower()
        return prefix in self.taken_prefixes or self.tenants.prefix_used(prefix)

    def indexed(self, kind: str) -> RecordIndex:
        """Return the index of orders or subscriptions, refiled for every record touched since."""
        records, index = getattr(self, kind), self.index[kind]
        for record_id in self._unfiled[kind]:
            index.file(record_id, records.get(record_id))
        self._unfiled[kind].clear()
        return index

    # --- schedules ----------------------------------------------------------------------------
    def schedule_order(self, order: dict, when: float | None) -> None:
        """Have the lifecycle look at an open order again at simulated time `when` (None: never,
        unless the clock goes back)."""
        self.open_orders.add(order["id"])
        if when is not None:
            heapq.heappush(self.due_orders, (when, int(order["id"]), order["id"]))

    def due_order_ids(self, now: float) -> list[str]:
        """Take the orders due by `now` off the schedule (every open one if the clock went
        back), in id order: the order in which the lifecycle applies their effects."""
        if now < self.advanced_to or self.recheck_open:
            self.due_orders.clear()
            self.recheck_open = False
            due = set(self.open_orders)
        else:
            due = set()
            while self.due_orders and self.due_orders[0][0] <= now:
                due.add(heapq.heappop(self.due_orders)[2])
        self.advanced_to = now
        return sorted(due, key=int)

    def schedule_renewal(self, subscription: dict) -> None:
        """Have the renewals look at an active subscription on its renewal date."""
        if subscription["status"] == "active":
            entry = (subscription["renewalDate"], int(subscription["id"]), subscription["id"])
            heapq.heappush(self.due_renewals, entry)

    def due_renewal_ids(self, today: str) -> list[str]:
        """Take the subscriptions whose renewal date has come off the schedule, in id order."""
        due = set()
        while self.due_renewals and self.due_renewals[0][0] <= today:
            due.add(heapq.heappop(self.due_renewals)[2])
        return sorted(due, key=int)

    # --- persistence --------------------------------------------------------------------------
    # Customers, orders, subscriptions and tenants are one row each, written when touched; the
    # small rest (prefixes, counters, clock, tokens) is rewritten on every save.
    def touch(self, kind: str, record_id: str) -> None:
        """Mark a customer, order, subscription or tenant as changed, for the indexes and the
        next save."""
        self._dirty.add((kind, record_id))
        if kind in INDEXED_KINDS:
            self._unfiled[kind].add(record_id)

    def touch_singleton(self, name: str) -> None:
        """Mark one of OCCASIONAL as changed, for the next save."""
        self._dirty_singletons.add(name)

    def _open_store(self) -> None:
        self._db = sqlite3.connect(self.config.state_path, check_same_thread=False)
        self._db.executescript(
            "CREATE TABLE IF NOT EXISTS records (kind TEXT, id TEXT, data TEXT,"
            " PRIMARY KEY (kind, id));"
            "CREATE TABLE IF NOT EXISTS singletons (name TEXT PRIMARY KEY, data TEXT);"
        )
        self._db.commit()

    def _load(self) -> None:
        if self._db.execute("SELECT COUNT(*) FROM singletons").fetchone()[0] == 0:
            self.reset_and_save()  # a new file starts from the seed
            return
        self.customers, self.orders, self.subscriptions = {}, {}, {}
        self.tenants = self._tenant_book(())
        for kind, record_id, data in self._db.execute("SELECT kind, id, data FROM records"):
            getattr(self, kind)[record_id] = json.loads(data)
        legacy_tenants = None
        for name, data in self._db.execute("SELECT name, data FROM singletons"):
            if name == "tenants":  # files written before tenants became rows
                legacy_tenants = json.loads(data).values()
            else:
                setattr(self, name, json.loads(data))
        self._dirty.clear()
        self._dirty_singletons.clear()
        if legacy_tenants is not None:
            self.tenants = self._tenant_book(legacy_tenants)
            self._db.execute("DELETE FROM singletons WHERE name = 'tenants'")
            self.save()
        self._rebuild_schedules()

    def save(self) -> None:
        """Write what changed to the SQLite file, if there is one."""
        if not self.config.state_path:
            self._dirty.clear()
            self._dirty_singletons.clear()
            return
        with self.lock:
            for kind, record_id in self._dirty:
                record = getattr(self, kind).get(record_id)
                if record is None:
                    self._db.execute(
                        "DELETE FROM records WHERE kind = ? AND id = ?", (kind, record_id)
                    )
                else:
                    self._db.execute(
                        "INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
                        (kind, record_id, json.dumps(record)),
                    )
            self._dirty.clear()
            names = SINGLETONS + tuple(sorted(self._dirty_singletons))
            self._dirty_singletons.clear()
            self._db.executemany(
                "INSERT OR REPLACE INTO singletons VALUES (?, ?)",
                [(name, json.dumps(getattr(self, name))) for name in names],
            )
            self._db.commit()

    def reset_and_save(self) -> None:
        with self.lock:
            self.reset()
            if self.config.state_path:
                self._db.execute("DELETE FROM records")
                for kind in RECORD_KINDS:
                    for record_id in getattr(self, kind):
                        self.touch(kind, record_id)
            self.save()
