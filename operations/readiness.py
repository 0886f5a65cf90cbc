"""Which readiness checks run, by name: the names /readyz answers with."""

import datetime

from django.conf import settings
from health_check.checks import Cache, Database
from health_check.contrib.celery import Ping

from .checks import BeatTick, Broker, MarketplaceTokenEndpoint


def _redis_check():
    if not settings.REDIS_URL:
        return Cache()  # the file cache of the embedded default
    from health_check.contrib.redis import Redis
    from redis.asyncio import Redis as RedisClient

    return Redis(
        client_factory=lambda: RedisClient.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
    )


def readiness_checks() -> dict:
    """Return {name: check} for every dependency the site needs to serve and place orders."""
    return {
        "database": Database(),
        "redis": _redis_check(),
        "broker": Broker(),
        # limit=1: done at the first answer, instead of waiting out the timeout for more.
        "worker": Ping(timeout=datetime.timedelta(seconds=2), limit=1),
        "beat": BeatTick(),
        "marketplace": MarketplaceTokenEndpoint(),
    }
