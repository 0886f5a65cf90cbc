"""An httpx client that connects only to the addresses ``receiver_resolve`` checked.

The URL keeps its host name, so the Host header and the TLS server name
(SNI, and the certificate check) stay the receiver's own; only the TCP
connection is pinned, by a network backend that never resolves the name again.
"""

import httpcore
import httpx

from .addresses import Receiver


class PinnedBackend(httpcore.SyncBackend):
    """Open TCP connections to the receiver's checked addresses, and nowhere else."""

    def __init__(self, receiver: Receiver):
        self.receiver = receiver

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        if (host, port) != (self.receiver.host, self.receiver.port):
            raise httpcore.ConnectError(f"{host}:{port} is not the receiver that was checked.")
        failure = httpcore.ConnectError("The receiver has no address.")
        for address in self.receiver.addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure


class PinnedTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` whose connection pool dials through ``PinnedBackend``."""

    def __init__(self, receiver: Receiver):
        super().__init__()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=PinnedBackend(receiver),
        )


def pinned_client(receiver: Receiver, *, timeout: float) -> httpx.Client:
    """Return a client that reaches only ``receiver``, ignoring proxy settings and redirects."""
    return httpx.Client(
        transport=PinnedTransport(receiver),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
    )
