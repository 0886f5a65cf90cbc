"""`python -m simulator` as its own process, over a real loopback socket."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import CUSTOMER, KEY, sales_body

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port, state_path):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--profile",
            "test",
            "--state",
            str(state_path),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/_simulator/stats", timeout=0.5)
            return process
        except httpx.TransportError:
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read().decode()) from None
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("The simulator did not start within 15 s.")


def stop(process):
    process.terminate()
    process.wait(timeout=10)


class Server:
    """One simulator process on a free port, with a state file that outlives it."""

    def __init__(self, state_path):
        self.port = free_port()
        self.state_path = state_path
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = start(self.port, state_path)

    def restart(self):
        stop(self.process)
        self.process = start(self.port, self.state_path)

    def close(self):
        if self.process.poll() is None:
            stop(self.process)


@pytest.fixture
def server(tmp_path):
    server = Server(tmp_path / "simulator.sqlite3")
    yield server
    server.close()


def login(base):
    client = httpx.Client(base_url=f"{base}/marketplace/eu", headers={"X-Subscription-Key": KEY})
    token = client.post(
        "/token", json={"marketplace": "us"}, auth=("demo-reseller", "demo-password")
    ).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_over_a_real_socket_including_a_dropped_connection(server):
    client = login(server.base)
    response = client.get("/products", params={"limit": 2})
    assert response.status_code == 200
    assert response.headers["X-Correlation-ID"].startswith("a8n-")

    control = httpx.Client(base_url=f"{server.base}/_simulator")
    control.post(
        "/failures", json={"kind": "drop", "path": "/orders", "method": "POST", "count": 1}
    ).raise_for_status()
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/orders", json=sales_body(po_number="PO-socket-1"))
    rows = client.get("/orders", params={"customerId": CUSTOMER}).json()["data"]
    assert client.get(f"/orders/{rows[0]['id']}").json()["poNumber"] == "PO-socket-1"

    control.post(
        "/failures",
        json={"kind": "delay", "seconds": 2, "path": "/orders", "method": "POST", "count": 1},
    ).raise_for_status()
    with pytest.raises(httpx.ReadTimeout):
        client.post(
            "/orders",
            json=sales_body(po_number="PO-socket-2", domain="slowtenant.onmicrosoft.com"),
            timeout=0.5,
        )
    assert control.get("/stats").json()["ordersByPoNumber"] == {"PO-socket-1": 1, "PO-socket-2": 1}


def test_state_survives_a_restart(server):
    client = login(server.base)
    order = client.post("/orders", json=sales_body(po_number="PO-kept")).json()
    server.restart()
    client = login(server.base)
    assert client.get(f"/orders/{order['id']}").json()["poNumber"] == "PO-kept"
    # The tenant the order created stays taken.
    next_order = client.post("/orders", json=sales_body(po_number="PO-again"))
    assert next_order.status_code == 400
