"""WSGI-level failures: a connection dropped before or after the request was served, a late answer.

These cannot be expressed as a Flask response, so they wrap the whole app. Over a real socket
(werkzeug's server) the socket is shut down; in-process, SimulatorTransport turns the
exceptions below into the httpx exceptions a socket would have raised.
"""

from __future__ import annotations

import io
import json
import re
import socket
import time
from urllib.parse import parse_qsl

from .failures import ANSWERED_INSTEAD

API_PATH = re.compile(r"^/marketplace/[^/]+(/.*)?$")


class ConnectionDropped(ConnectionResetError):
    """The server closed the connection without answering."""


class ClientTimedOut(TimeoutError):
    """The scripted delay is longer than the client's read timeout (in-process only)."""


def api_path(path: str) -> str | None:
    """Return the path below /marketplace/<region>, or None for anything else."""
    match = API_PATH.match(path)
    if not match:
        return None
    return match.group(1) or "/"


def po_number_of(body: bytes) -> str | None:
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return None
    if isinstance(data, dict) and data.get("poNumber") is not None:
        return str(data["poNumber"])
    return None


class FailureMiddleware:
    def __init__(self, app, state):
        self.app = app
        self.state = state

    def __call__(self, environ, start_response):
        path = api_path(environ.get("PATH_INFO", ""))
        if path is None:
            return self.app(environ, start_response)
        environ["simulator.api_path"] = path
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        method = environ["REQUEST_METHOD"]
        po_number = po_number_of(body) if method == "POST" else None
        book, stats = self.state.failures, self.state.stats

        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        rule = book.take({"drop", "delay"}, method, path, po_number, query)
        if rule and rule.get("when") == "before":
            stats.count_failure(rule["kind"])
            if rule["kind"] == "drop":
                self._drop(environ)
            self._wait(environ, rule["seconds"])
            rule = None

        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        chunks = self.app(environ, capture)
        try:
            content = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()

        if rule and rule["kind"] == "delay" and environ.get(ANSWERED_INSTEAD):
            rule = None  # nothing was served to answer late: the 429 (or error) goes at once
        if rule:
            stats.count_failure(rule["kind"])
            if rule["kind"] == "drop":
                self._drop(environ)
            self._wait(environ, rule["seconds"])
        start_response(captured["status"], captured["headers"])
        return [content]

    def _drop(self, environ):
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        raise ConnectionDropped("The simulator dropped the connection (scripted).")

    def _wait(self, environ, seconds: float):
        timeout = environ.get("simulator.read_timeout")
        if timeout is not None and seconds > timeout:
            raise ClientTimedOut(f"Scripted delay of {seconds} s exceeds the read timeout.")
        time.sleep(min(float(seconds), self.state.config.max_real_delay_seconds))
