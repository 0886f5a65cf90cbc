"""The readiness checks behind /readyz: one small probe per dependency (django-health-check).

Each check raises ``ServiceUnavailable`` with a short reason for the log; the view
shows only ok or failed and the seconds it took, never the reason.
"""

import dataclasses
import datetime
import time

import httpx
from django.conf import settings
from django.core.cache import cache
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

#: Where beat writes the time of its last tick (operations.beat); readyz reads it.
BEAT_TICK_KEY = "operations:beat:last-tick"


@dataclasses.dataclass
class Broker(HealthCheck):
    """Connect to Celery's broker and open a channel."""

    timeout = datetime.timedelta(seconds=3)

    def run(self):
        from config.celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
                connection.default_channel  # noqa: B018 (opening it is the check)
        except Exception as exc:  # kombu raises a different family per transport
            raise ServiceUnavailable(f"Broker unreachable: {type(exc).__name__}") from exc


@dataclasses.dataclass
class BeatTick(HealthCheck):
    """Beat ticked within ``BEAT_MAX_SILENCE_SECONDS`` (it writes the time to the cache)."""

    def run(self):
        try:
            last_tick = cache.get(BEAT_TICK_KEY)
        except Exception as exc:  # the cache being down is the Redis check's failure too
            raise ServiceUnavailable("Cannot read beat's last tick") from exc
        if last_tick is None:
            raise ServiceUnavailable("Beat has not ticked")
        silence = time.time() - float(last_tick)
        if silence > settings.OPERATIONS["BEAT_MAX_SILENCE_SECONDS"]:
            raise ServiceUnavailable(f"Beat silent for {silence:.0f} s")


@dataclasses.dataclass
class MarketplaceTokenEndpoint(HealthCheck):
    """The marketplace's POST /token answers (any status below 500).

    No credentials are sent: a token is cached for 25 minutes, so asking for one would
    prove nothing most of the time, and readyz must not spend the account's quota.
    """

    timeout = datetime.timedelta(seconds=4)

    def run(self):
        url = settings.MARKETPLACE["BASE_URL"].rstrip("/") + "/token"
        try:
            response = httpx.post(url, json={}, timeout=3)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(f"Token endpoint unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise ServiceUnavailable(f"Token endpoint answered {response.status_code}")
