"""The simulator's state: one lock, plain dicts, a movable clock, an optional SQLite snapshot."""

from __future__ import annotations

import copy
import json
import sqlite3
import threading
import time
from collections import Counter
from datetime import UTC, datetime

from . import seed
from .catalogue import build_products
from .config import SimulatorConfig
from .failures import FailureBook

RECORD_KINDS = ("customers", "orders", "subscriptions")
SINGLETONS = ("tenants", "taken_prefixes", "counters", "clock_offset", "tokens")


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
            self.products = build_products()
            self.resellers = {r["id"]: copy.deepcopy(r) for r in seed.RESELLERS}
            start = time.time() - 86400 * 30
            self.customers = {}
            for index, customer in enumerate(seed.CUSTOMERS):
                record = copy.deepcopy(customer)
                record["_created"] = start + index
                self.customers[record["id"]] = record
            self.tenants = {t["domain"]: copy.deepcopy(t) for t in seed.EXISTING_TENANTS}
            for customer_id, domain in seed.CUSTOMER_TENANTS.items():
                self.tenants[domain]["customerId"] = customer_id
            self.taken_prefixes = sorted(seed.TAKEN_PREFIXES)
            self.orders: dict[str, dict] = {}
            self.subscriptions: dict[str, dict] = {}
            self.tokens: dict[str, dict] = {}
            self.counters = dict(seed.FIRST_IDS, order_number=seed.FIRST_ORDER_NUMBER)
            self.clock_offset = 0.0
            self.timings = self.config.timings
            self.rate_limit = self.config.rate_limit
            self.rate_windows: dict[str, tuple[float, int]] = {}
            self.failures = FailureBook()
            self.stats = Stats()
            self._dirty: set[tuple[str, str]] = set()

    # --- clock --------------------------------------------------------------------------------
    def now(self) -> float:
        """Return the simulated time as a Unix timestamp (real time plus the offset)."""
        return time.time() + self.clock_offset

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    # --- ids ----------------------------------------------------------------------------------
    def next_id(self, kind: str) -> str:
        with self.lock:
            self.counters[kind] += 1
            return str(self.counters[kind])

    def next_order_number(self, prefix: str) -> str:
        with self.lock:
            self.counters["order_number"] += 1
            return f"{prefix}{self.counters['order_number']:06d}"

    # --- lookups ------------------------------------------------------------------------------
    def tenant_by_id(self, tenant_id: str) -> dict | None:
        for tenant in self.tenants.values():
            if tenant["tenantId"].lower() == tenant_id.lower():
                return tenant
        return None

    def prefix_taken(self, prefix: str) -> bool:
        prefix = prefix.lower()
        if prefix in self.taken_prefixes:
            return True
        return any(domain.split(".")[0] == prefix for domain in self.tenants)

    # --- persistence --------------------------------------------------------------------------
    # Customers, orders and subscriptions are one row each, written when touched; the small
    # rest (tenants, prefixes, counters, clock, tokens) is rewritten on every save.
    def touch(self, kind: str, record_id: str) -> None:
        """Mark a customer, order or subscription as changed, for the next save."""
        self._dirty.add((kind, record_id))

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
        for kind in RECORD_KINDS:
            getattr(self, kind).clear()
        for kind, record_id, data in self._db.execute("SELECT kind, id, data FROM records"):
            getattr(self, kind)[record_id] = json.loads(data)
        for name, data in self._db.execute("SELECT name, data FROM singletons"):
            setattr(self, name, json.loads(data))

    def save(self) -> None:
        """Write what changed to the SQLite file, if there is one."""
        if not self.config.state_path:
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
            self._db.executemany(
                "INSERT OR REPLACE INTO singletons VALUES (?, ?)",
                [(name, json.dumps(getattr(self, name))) for name in SINGLETONS],
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
