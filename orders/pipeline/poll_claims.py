"""The right to poll an order, held across worker processes for as long as its holder lives.

Polls reach an order from more than one place (the due-orders beat, a customer's list
poll, the sweeper, the order page's refresh), so two workers may hold a poll task for the
same order at once. The claim is an atomic add in the shared cache (Redis): the second
worker finds it taken and leaves the order to the first.

A claim is short-lived and renewed by its holder while the work goes on: a worker killed
mid-poll (SIGKILL, no ``finally``) leaves a claim that lapses within ``CLAIM_SECONDS``,
not one that holds the order for the longest a task may run.
"""

import threading
import uuid
from contextlib import contextmanager

from django.core.cache import cache

#: How long a claim outlives its holder's last sign of life.
CLAIM_SECONDS = 15
#: The holder renews its claims this often (three chances before they lapse).
RENEW_EVERY_SECONDS = CLAIM_SECONDS / 3


def claim_key(order_id: int) -> str:
    return f"orders:poll-claim:{order_id}"


class _Renewal(threading.Thread):
    """Push the claims' expiry forward every few seconds until stopped."""

    def __init__(self, keys):
        super().__init__(name="poll-claim-renewal", daemon=True)
        self.keys = keys
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(RENEW_EVERY_SECONDS):
            for key in self.keys:
                try:
                    cache.touch(key, CLAIM_SECONDS)
                except Exception:  # noqa: BLE001 - Redis away: the claim lapses, work goes on
                    break

    def stop(self):
        self.done.set()
        self.join(RENEW_EVERY_SECONDS)


@contextmanager
def poll_claims(order_ids):
    """Claim many orders at once; yield the ids claimed (the others are being polled)."""
    token = uuid.uuid4().hex
    keys = {order_id: claim_key(order_id) for order_id in order_ids}
    claimed = [pk for pk, key in keys.items() if cache.add(key, token, timeout=CLAIM_SECONDS)]
    renewal = _Renewal([keys[pk] for pk in claimed])
    if claimed:
        renewal.start()
    try:
        yield claimed
    finally:
        if claimed:
            renewal.stop()
            # Only our own: a claim that lapsed (Redis lost it) may be another worker's now.
            held = cache.get_many([keys[pk] for pk in claimed])
            cache.delete_many([key for key, value in held.items() if value == token])


@contextmanager
def poll_claim(order_id: int):
    """Claim the right to poll one order; yield whether we got it."""
    with poll_claims([order_id]) as claimed:
        yield bool(claimed)
