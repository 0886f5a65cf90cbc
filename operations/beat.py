"""Beat's scheduler, writing the time of its last tick where /readyz can read it."""

import logging
import time

from celery.beat import PersistentScheduler
from django.core.cache import cache

from .checks import BEAT_TICK_KEY

logger = logging.getLogger(__name__)
#: At most one cache write per this many seconds, however often beat ticks.
TICK_RECORD_INTERVAL_SECONDS = 5.0


class HeartbeatScheduler(PersistentScheduler):
    """Celery's default (file-backed) scheduler that also records each tick in the cache."""

    _recorded_at = 0.0

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        now = time.time()
        if now - self._recorded_at >= TICK_RECORD_INTERVAL_SECONDS:
            try:
                cache.set(BEAT_TICK_KEY, now, timeout=None)
                self._recorded_at = now
            except Exception:  # the cache down must not stop beat: readyz reports it
                logger.warning("Beat could not record its tick in the cache.", exc_info=True)
        return min(interval, TICK_RECORD_INTERVAL_SECONDS)
