"""The client against the simulator's own process, over a real loopback socket."""

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from marketplace.client import MarketplaceClient
from marketplace.exceptions import OrderOutcomeUnknown
from marketplace.retry import RetryPolicy

from .test_failures import CUSTOMER, sales

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def simulator_url():
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--profile",
            "test",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()  # "Simulator (test) listening on http://…"
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert match, f"The simulator did not start: {line!r}"
        yield match.group(0)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_orders_and_a_lost_response_over_a_real_socket(simulator_url):
    control = httpx.Client(base_url=simulator_url, timeout=5)
    client = MarketplaceClient(
        base_url=f"{simulator_url}/marketplace/eu",
        marketplace="us",
        username="demo-reseller",
        password="demo-password",
        subscription_key="demo-subscription-key",
        timeout=5,
        order_timeout=5,
        retry_policy=RetryPolicy(sleep=lambda seconds: None),
    )
    with control, client:
        assert len(list(client.list_products(page_size=25))) >= 40
        placed = client.create_order(order=sales("NCE-0002001", domain="sockets1.onmicrosoft.com"))
        assert placed.status == "submitted" and placed.order_number.startswith("SO")

        rule = {"kind": "drop", "when": "after", "method": "POST", "path": "/orders", "count": 1}
        assert control.post("/_simulator/failures", json=rule).status_code == 201
        with pytest.raises(OrderOutcomeUnknown):
            client.create_order(order=sales("NCE-0002002", domain="sockets2.onmicrosoft.com"))
        found = client.find_order_by_reference(customer_id=CUSTOMER, reference="NCE-0002002")
        assert found is not None and found.id != placed.id
        stats = control.get("/_simulator/stats").json()
        assert stats["ordersByPoNumber"]["NCE-0002002 / PO-7781"] == 1
