"""Indexes over the simulator's records, so that no request has to read every order.

Orders and subscriptions are kept in buckets (a reseller's, a customer's, a status within
either, an order number's, a subscription's orders), each sorted oldest first by (creation time,
numeric id): the lists' newest-first order, reversed. A record is filed again when it is touched
(`State.touch`), which every change already does for the state file. Tenants are a dict by
domain that also knows their GUIDs and domain prefixes.
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Iterable

Key = tuple[float, int, str]


def sort_key(record: dict) -> Key:
    return (record["_created"], int(record["id"]), record["id"])


class Bucket:
    """Record keys sorted oldest first."""

    def __init__(self):
        self.keys: list[Key] = []

    def add(self, key: Key) -> None:
        insort(self.keys, key)

    def remove(self, key: Key) -> None:
        index = bisect_left(self.keys, key)
        if index < len(self.keys) and self.keys[index] == key:
            del self.keys[index]

    def span(self, since: float | None, until: float | None) -> tuple[int, int]:
        """Return the slice of keys created at or after `since` and at or before `until`."""
        low = 0 if since is None else bisect_left(self.keys, (since,))
        high = len(self.keys) if until is None else bisect_left(self.keys, (until, math.inf))
        return low, max(low, high)


EMPTY = Bucket()


class RecordIndex:
    """Records filed in buckets named by `buckets_of(record)`; a record may be in several."""

    def __init__(self, buckets_of: Callable[[dict], Iterable[tuple]]):
        self.buckets_of = buckets_of
        self.buckets: dict[tuple, Bucket] = {}
        self.filed: dict[str, tuple[Key, frozenset]] = {}

    def file(self, record_id: str, record: dict | None) -> None:
        """File a record under its current buckets (None: it is gone)."""
        old_key, old_buckets = self.filed.pop(record_id, (None, frozenset()))
        if record is None:
            new_key, new_buckets = None, frozenset()
        else:
            new_key, new_buckets = sort_key(record), frozenset(self.buckets_of(record))
            self.filed[record_id] = (new_key, new_buckets)
        for name in old_buckets if old_key != new_key else old_buckets - new_buckets:
            self.buckets[name].remove(old_key)
        for name in new_buckets if old_key != new_key else new_buckets - old_buckets:
            self.buckets.setdefault(name, Bucket()).add(new_key)

    def bucket(self, name: tuple) -> Bucket:
        return self.buckets.get(name, EMPTY)


def order_buckets(order: dict) -> list[tuple]:
    reseller, customer = order["_resellerId"], order["customerId"]
    names = [("number", reseller, order["orderNumber"])]
    for scope in (("reseller", reseller), ("customer", reseller, customer)):
        names += [scope, (*scope, "status", order["status"]), (*scope, "code", order["statusCode"])]
    subscriptions = {line.get("_subscriptionId") for line in order.get("products", [])}
    subscriptions.add(order.get("subscriptionId"))
    names += [("subscription", reseller, s) for s in subscriptions - {None}]
    return names


def subscription_buckets(subscription: dict) -> list[tuple]:
    reseller, customer = subscription["_resellerId"], subscription["customerId"]
    names = []
    for scope in (("reseller", reseller), ("customer", reseller, customer)):
        names += [scope, (*scope, "status", subscription["status"])]
    return names


class TenantBook(dict):
    """Tenants by domain; also by GUID and by domain prefix. Adding or removing one is a change."""

    def __init__(self, tenants: Iterable[dict] = (), on_change: Callable[[str], None] = None):
        super().__init__()
        self.on_change = on_change or (lambda domain: None)
        self.by_id: dict[str, list[str]] = {}
        self.prefixes: Counter[str] = Counter()
        for tenant in tenants:
            self[tenant["domain"]] = tenant

    def __setitem__(self, domain: str, tenant: dict) -> None:
        if domain in self:
            self._forget(domain)
        super().__setitem__(domain, tenant)
        self.by_id.setdefault(tenant["tenantId"].lower(), []).append(domain)
        self.prefixes[domain.split(".")[0]] += 1
        self.on_change(domain)

    def __delitem__(self, domain: str) -> None:
        self._forget(domain)
        super().__delitem__(domain)
        self.on_change(domain)

    def pop(self, domain: str, *default):
        if domain in self:
            tenant = self[domain]
            del self[domain]
            return tenant
        return super().pop(domain, *default)

    def _forget(self, domain: str) -> None:
        tenant_id = self[domain]["tenantId"].lower()
        self.by_id[tenant_id].remove(domain)
        if not self.by_id[tenant_id]:
            del self.by_id[tenant_id]
        prefix = domain.split(".")[0]
        self.prefixes[prefix] -= 1
        if not self.prefixes[prefix]:
            del self.prefixes[prefix]

    def with_id(self, tenant_id: str) -> dict | None:
        domains = self.by_id.get(tenant_id.lower())
        return self[domains[0]] if domains else None

    def prefix_used(self, prefix: str) -> bool:
        return prefix in self.prefixes


class Selection:
    """The records of one bucket created between two times, newest first, maybe filtered more.

    Without a further filter a page costs its own length; with one (a combination of filters
    that no bucket answers alone) the bucket's records in the time span are read once.
    """

    def __init__(self, bucket: Bucket, records: dict, since=None, until=None, keep=None):
        self.keys = bucket.keys
        self.low, self.high = bucket.span(since, until)
        self.records = records
        self.keep = keep

    def page(self, offset: int, limit: int) -> tuple[list[dict], int]:
        """Return (the records at offset..offset+limit, the total)."""
        if self.keep is None:
            start = self.high - offset
            stop = max(self.low, start - limit)
            keys = self.keys[stop:start] if start > self.low else []
            return [self.records[key[2]] for key in reversed(keys)], self.high - self.low
        rows = [self.records[key[2]] for key in reversed(self.keys[self.low : self.high])]
        rows = [row for row in rows if self.keep(row)]
        return rows[offset : offset + limit], len(rows)
