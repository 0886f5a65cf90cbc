"""Helpers for tests and benches that drive a running simulator over HTTP (never the product).

- ``seed_foreign_orders``: orders a customer already has upstream, placed through another
  channel (their poNumber is not one of the product's references), so a reference search
  has to wade through them.
- ``read_request_log``: the whole timed request log, paged with its cursor.
- ``inside_retry_after``: the requests that started while a Retry-After given on the same
  key was still running.
"""

from __future__ import annotations

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import httpx

#: A request that started this soon after a 429 was answered was already on its way (its
#: sender had asked the shared pause before the 429 reached anyone): not counted as ignoring it.
IN_FLIGHT_SECONDS = 0.05
#: The User-Agent of the requests these helpers send (the request log shows it).
DRIVER_AGENT = "simulator-driving"


def foreign_order_body(customer_id: str, po_number: str, domain: str, mpn: str) -> dict:
    """Return a valid NCE sales order for a new tenant (upstream README §1.9)."""
    parameters = [
        {"name": "tenant_preference", "value": "new"},
        {"name": "microsoft_domain", "value": domain},
        {
            "name": "partner_on_record_attestation_accepted",
            "structured_value": {"attestation_accepted": True},
        },
        # Seed 004: required on every line, false for an offer that needs no attestation.
        {"name": "offer_attestation", "structured_value": {"attestation_accepted": False}},
        {"name": "special_qualifications", "value": "None"},
        {"name": "mca_acceptance", "value": "yes"},
        {"name": "agreement_date", "value": "01-31-2022"},
        {"name": "first_name_agreement", "value": "Jane"},
        {"name": "last_name_agreement", "value": "Doe"},
        {"name": "email_address_agreement", "value": "jane@contoso.example"},
    ]
    return {
        "customerId": customer_id,
        "type": "sales",
        "poNumber": po_number,
        "subscriptionPeriod": {"type": "year", "duration": 1},
        "products": [
            {
                "mpn": mpn,
                "quantity": 1,
                "billingPeriod": {"type": "month", "duration": 1},
                "parameters": parameters,
            }
        ],
    }


def seed_foreign_orders(
    base_url: str,
    customer_id: str,
    count: int,
    *,
    username: str = "demo-reseller",
    password: str = "demo-password",
    key: str = "demo-subscription-key",
    mpn: str = "CFQ7TTC0LH18:0001",
    tag: str = "PORTAL",
    interval: float = 0.0,
) -> list[str]:
    """POST ``count`` orders for ``customer_id`` (poNumber ``<tag>-<customer>-<n>``); return ids.

    ``base_url`` is the API root, e.g. ``http://127.0.0.1:8100/marketplace/eu``. With an
    ``interval`` they are placed one at a time that many seconds apart (a busy other channel).
    """
    # A new connection each time: a kept-alive one the server has closed would lose a POST.
    headers = {"X-Subscription-Key": key, "Connection": "close", "User-Agent": DRIVER_AGENT}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as http:
        token = http.post("/token", json={"marketplace": "us"}, auth=(username, password))
        token.raise_for_status()
        bearer = {"Authorization": f"Bearer {token.json()['token']}"}

        def place(index: int) -> str:
            body = foreign_order_body(
                customer_id,
                f"{tag}-{customer_id}-{index}",
                f"{tag.lower()}{customer_id}n{index}.onmicrosoft.com",
                mpn,
            )
            response = http.post("/orders", json=body, headers=bearer)
            response.raise_for_status()
            return response.json()["id"]

        if interval:
            placed = []
            for index in range(count):
                placed.append(place(index))
                time.sleep(interval)
            return placed
        with ThreadPoolExecutor(max_workers=4) as pool:
            return list(pool.map(place, range(count)))


def read_request_log(simulator_url: str, since: int = 0) -> tuple[list[dict], int, int]:
    """Return (entries after ``since``, the next cursor, how many the log let go)."""
    entries, dropped = [], 0
    with httpx.Client(base_url=f"{simulator_url}/_simulator", timeout=30) as http:
        while True:
            page = http.get("requests", params={"since": since}).json()
            entries += page["requests"]
            dropped = page["dropped"]
            if not page["requests"]:
                return entries, since, dropped
            since = page["next"]


def inside_retry_after(entries: list[dict], in_flight: float = IN_FLIGHT_SECONDS) -> list[dict]:
    """Return the requests that started inside a Retry-After window given on their key.

    A 429 answered at ``t`` with ``Retry-After: R`` opens the window (t + in_flight, t + R)
    for every request on the same subscription key. Monotonic clocks of the simulator.
    Requests these helpers sent (another channel on the same key) are left out.
    """
    entries = [e for e in entries if e.get("userAgent") != DRIVER_AGENT]
    windows = defaultdict(list)
    for entry in entries:
        if entry.get("status") == 429 and entry.get("retryAfter"):
            try:
                seconds = float(entry["retryAfter"])
            except ValueError:
                continue
            end = entry["endedMonotonic"]
            windows[entry["keyFingerprint"]].append((end + in_flight, end + seconds, entry))
    inside = []
    for entry in entries:
        for start, end, limited in windows.get(entry["keyFingerprint"], ()):
            if entry is not limited and start < entry["startedMonotonic"] < end:
                inside.append(entry)
                break
    return inside
