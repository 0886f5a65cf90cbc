"""One marketplace client per connection per worker process, reused across tasks.

Building a client decrypts the connection's password and subscription key
(a deliberately slow key derivation, about 0.1 s) and opens a new connection
pool; a worker sending thousands of requests keeps both. A connection edited
in the admin (``updated_at`` changes) gets a fresh client.
"""

import threading

from django.conf import settings

from customers.upstream import client_for

_lock = threading.Lock()
_clients: dict = {}


def pipeline_client(reseller):
    """Return the shared client of the reseller's connection (do not close it)."""
    connection = reseller.connection
    key = (connection.updated_at, getattr(settings, "MARKETPLACE_TRANSPORT", None))
    with _lock:
        cached = _clients.get(connection.pk)
        if cached is not None and cached[0] == key:
            return cached[1]
        client = client_for(connection)
        _clients[connection.pk] = (key, client)
    if cached is not None:
        cached[1].close()
    return client
