"""The pause of a marketplace connection after a 429, shared by every process through the cache.

A 429's Retry-After pauses the whole connection, not just the request that got it:
``ConnectionPause`` is the ``marketplace.ratelimit.RateGate`` every client of the
connection asks before each request and tells about each 429, in every worker
process and the web process alike. Nothing goes out on the key before the time.

The pause is kept in the database too (``MarketplaceConnection.paused_until``): a
Redis that restarts (or is down when the 429 arrives) would otherwise forget it,
and the next request would go out inside the window. The database is read only
when the cache shows it lost its contents (its epoch key is missing), so each
request still costs one cache round trip.
"""

import logging
import time
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import MarketplaceConnection

logger = logging.getLogger(__name__)

#: Present while the cache holds what it was told: missing after a Redis restart or flush.
EPOCH_KEY = "orders:pause-epoch"
#: Connections whose pause this process could not write to the cache (it was down).
_cache_missed_a_pause: set = set()


def _pause_key(connection_id) -> str:
    return f"orders:paused:{connection_id}"


def pause_connection(connection_id, seconds: float) -> datetime:
    """Hold every request on this connection for ``seconds`` (a Retry-After); return until when."""
    until = timezone.now() + timedelta(seconds=seconds)
    if seconds <= 0:
        # "Retry-After: 0" asks for no pause; stored, it would hold the next request a moment
        # (the end is rounded up to the next millisecond) and a quick retry would not be sent.
        return until
    # The cache first: every worker must see the pause at once. The database copy is written
    # after the caller's transaction (never waiting on, or rolled back with, its locks).
    try:
        _cache_raise(connection_id, until.timestamp())
    except Exception:  # noqa: BLE001 - Redis is down: the database keeps the pause
        logger.warning("Could not keep the pause of connection %s in the cache.", connection_id)
        _cache_missed_a_pause.add(connection_id)
    try:
        transaction.on_commit(lambda: _store_pause(connection_id, until))
    except DatabaseError:
        logger.warning("Could not keep the pause of connection %s in the database.", connection_id)
    return max(until, paused_until(connection_id) or until)


#: Set the pause to the later of the stored one and ours, in one step: two workers that got
#: a 429 at once must not leave the earlier end behind (a read-then-write would).
RAISE_SCRIPT = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if current < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 0
"""


def _cache_raise(connection_id, until: float) -> None:
    """Make the cached pause end no earlier than ``until`` (kept as whole milliseconds)."""
    key = _pause_key(connection_id)
    millis = int(until * 1000) + 1
    ttl = max(1000, millis - int(time.time() * 1000) + 2000)
    client = getattr(getattr(cache, "client", None), "get_client", None)
    if client is not None:  # django-redis: atomically
        client(write=True).eval(RAISE_SCRIPT, 1, cache.make_key(key), millis, ttl)
        return
    if int(cache.get(key) or 0) < millis:  # other backends (development): good enough
        cache.set(key, millis, timeout=ttl / 1000)


def paused_until(connection_id) -> datetime | None:
    """Return when the connection may be used again, or None if it may be used now."""
    value = _paused_timestamp(connection_id)
    if value <= time.time():
        return None
    return datetime.fromtimestamp(value, tz=timezone.get_current_timezone())


def _paused_timestamp(connection_id) -> float:
    """Return the end of the connection's pause as a Unix time (0: none known)."""
    try:
        if _cache_missed_a_pause:
            # Back after missing a pause: have every process read the database once.
            cache.delete(EPOCH_KEY)
            _cache_missed_a_pause.clear()
        values = cache.get_many([_pause_key(connection_id), EPOCH_KEY])
    except Exception:  # noqa: BLE001 - Redis is down: ask the database
        return _stored_pause(connection_id)
    cached = int(values.get(_pause_key(connection_id)) or 0) / 1000
    if EPOCH_KEY in values:
        return cached
    # The cache lost its contents (or never had them): the database still knows.
    try:
        stored = _stored_pause(connection_id)
    except DatabaseError:
        return cached  # asked again next time: the epoch stays missing
    if stored > max(cached, time.time()):
        _cache_raise(connection_id, stored)
    cache.set(EPOCH_KEY, 1, timeout=None)
    return max(cached, stored)


def _store_pause(connection_id, until: datetime) -> None:
    try:
        MarketplaceConnection.objects.filter(pk=connection_id).filter(
            Q(paused_until__isnull=True) | Q(paused_until__lt=until)
        ).update(paused_until=until)
    except DatabaseError:
        logger.warning("Could not keep the pause of connection %s in the database.", connection_id)


def _stored_pause(connection_id) -> float:
    until = (
        MarketplaceConnection.objects.filter(pk=connection_id)
        .values_list("paused_until", flat=True)
        .first()
    )
    return until.timestamp() if until else 0.0


class ConnectionPause:
    """The connection's shared pause, as the marketplace client's rate gate."""

    def __init__(self, connection_id):
        self.connection_id = connection_id

    def paused_for(self) -> float:
        return max(0.0, _paused_timestamp(self.connection_id) - time.time())

    def pause(self, seconds: float) -> None:
        pause_connection(self.connection_id, seconds)
