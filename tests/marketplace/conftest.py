"""Helpers for the client's tests: a client over httpx.MockTransport, with sleeps recorded."""

import json

import httpx
import pytest

from marketplace.client import MarketplaceClient
from marketplace.retry import RetryPolicy

BASE_URL = "https://api.example.test/marketplace/eu"


class Upstream:
    """A scripted fake of the API for unit tests: /token answers, then `handler` serves calls.

    Records every request, so tests can count what was actually sent.
    """

    def __init__(self, handler, *, token_lifetime=1500):
        self.handler = handler
        self.token_lifetime = token_lifetime
        self.requests: list[httpx.Request] = []
        self.tokens_issued = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path.endswith("/token"):
            self.tokens_issued += 1
            return httpx.Response(
                200,
                json={
                    "token": f"token-{self.tokens_issued}",
                    "expiresInSeconds": self.token_lifetime,
                },
                headers={"X-Correlation-ID": "a8n-token"},
            )
        return self.handler(request)

    def calls(self, method=None, path_suffix=None):
        return [
            r
            for r in self.requests
            if not r.url.path.endswith("/token")
            and (method is None or r.method == method)
            and (path_suffix is None or r.url.path.endswith(path_suffix))
        ]


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def make_client(sleeps):
    clients = []

    def make(handler, *, upstream=None, max_retries=3, **kwargs):
        upstream = upstream or Upstream(handler)
        client = MarketplaceClient(
            base_url=BASE_URL,
            marketplace="us",
            username="demo-reseller",
            password="demo-password",
            subscription_key="demo-subscription-key",
            transport=httpx.MockTransport(upstream),
            retry_policy=RetryPolicy(max_retries=max_retries, sleep=sleeps.append),
            **kwargs,
        )
        client.upstream = upstream
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def body_of(request: httpx.Request):
    return json.loads(request.content) if request.content else None
