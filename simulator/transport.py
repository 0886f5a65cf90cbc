"""SimulatorTransport: serve httpx requests from the simulator app in-process, with no socket.

A scripted dropped connection raises httpx.RemoteProtocolError, as httpx does when a server
closes the socket without answering. A scripted delay longer than the request's read timeout
(request.extensions["timeout"]["read"]) raises httpx.ReadTimeout at once, without sleeping;
a delay within the timeout is slept for real (bounded by config.max_real_delay_seconds).
In both cases the request was served first when the rule says when="after" (the default).
"""

from __future__ import annotations

import httpx
from werkzeug.test import EnvironBuilder, run_wsgi_app

from .wsgi import ClientTimedOut, ConnectionDropped

SKIPPED_HEADERS = {"host", "content-length"}


class SimulatorTransport(httpx.BaseTransport):
    def __init__(self, app):
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        url = request.url
        headers = [
            (k, v) for k, v in request.headers.multi_items() if k.lower() not in SKIPPED_HEADERS
        ]
        builder = EnvironBuilder(
            method=request.method,
            base_url=f"{url.scheme}://{url.netloc.decode('ascii')}",
            path=url.path,
            query_string=url.query.decode("ascii"),
            headers=headers,
            data=body,
        )
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        timeout = request.extensions.get("timeout") or {}
        environ["simulator.read_timeout"] = timeout.get("read")
        try:
            app_iter, status, response_headers = run_wsgi_app(self.app, environ)
            try:
                content = b"".join(app_iter)
            finally:
                if hasattr(app_iter, "close"):
                    app_iter.close()
        except ConnectionDropped as error:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from error
        except ClientTimedOut as error:
            raise httpx.ReadTimeout("The read operation timed out", request=request) from error
        return httpx.Response(
            status_code=int(status.split(" ", 1)[0]),
            headers=list(response_headers.items()),
            content=content,
            request=request,
        )
