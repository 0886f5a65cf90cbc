"""A transport in front of the in-process simulator that replaces chosen answers' bodies.

The simulator plays a well-behaved upstream and is not loosened to misbehave;
a real upstream (or a proxy before it) that sends a body of the wrong shape
cannot be had here, so this wrapper fakes exactly that and nothing else: the
request still reaches the simulator and is served there, the status and
headers (the correlation id among them) are the simulator's, and only the body
of a matching answer is swapped for the one the test names.
"""

import fnmatch
import json

import httpx


class ManglingTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport):
        self.inner = inner
        self.rules: list[dict] = []

    def replace(self, method: str, path: str, body, *, count: int | None = None) -> None:
        """Answer ``method path`` (a glob under the API root) with ``body`` as JSON.

        NaN and infinities are written as the bare tokens Python's decoder accepts.
        """
        text = json.dumps(body, allow_nan=True)
        self.rules.append({"method": method, "path": path, "text": text, "left": count})

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        rule = self._match(request)
        if rule is None or response.status_code >= 400:
            return response
        if rule["left"] is not None:
            rule["left"] -= 1
        response.read()
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        return httpx.Response(response.status_code, headers=headers, content=rule["text"].encode())

    def _match(self, request):
        path = request.url.path.split("/marketplace/eu", 1)[-1]
        for rule in self.rules:
            if rule["left"] == 0 or rule["method"] != request.method:
                continue
            if fnmatch.fnmatchcase(path, rule["path"]):
                return rule
        return None

    def close(self):
        self.inner.close()
