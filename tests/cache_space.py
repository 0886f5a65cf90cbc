"""Empty this test run's cache without touching anything else in the same Redis.

``cache.clear()`` on django-redis is FLUSHDB: it would empty the whole Redis database, the
development server's keys and another run's (a parallel worker, another developer, CI) with
it. Deleting by the cache's own key pattern removes only this run's cache keys.
"""

from django.core.cache import cache


def cache_empty():
    """Delete every key of this run's cache (what a Redis restart would lose of it)."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:  # the file cache of a run without Redis lives in a folder of its own
        cache.clear()
