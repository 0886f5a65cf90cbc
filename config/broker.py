"""The Redis broker transport, with one fix to kombu 5.7's redis channel close.

A worker whose channel is waiting in BRPOP when Redis dies closes that channel twice:
first while collecting the broken connection, where reading the pending BRPOP answer
raises ConnectionError and the close stops before it marks the channel closed; then
when the connection itself is closed, after kombu has already detached the transport
from it. That second close drops the channel's connection pool and restores the
unacknowledged messages through a new pool, whose parameters are read from the
detached (None) client: ``AttributeError: 'NoneType' object has no attribute 'hostname'``
in ``restore_unacked``, which Celery treats as unrecoverable, and the worker exits.
The pending read was added by celery/kombu#1733 (2023) so a popped message is not lost
at a normal close; no kombu release handles the broken-connection case yet.

Here a close that cannot read the pending answer (the connection is gone, and the
message with it: the database, not the broker, says what still needs doing) carries
on and closes the channel the first time. Selected by CELERY_BROKER_TRANSPORT.
"""

from kombu.transport import redis


class Channel(redis.Channel):
    def close(self):
        if self._in_poll and not self.closed:
            try:
                self._brpop_read()
            except redis.Empty:
                pass
            except self.connection_errors:
                # Nothing more will come from this connection; close the rest as usual.
                self._in_poll = None
        super().close()


class Transport(redis.Transport):
    Channel = Channel
