import pytest

from .simulated import simulator, upstream_customer, upstream_reseller  # noqa: F401


@pytest.fixture
def enqueued(monkeypatch):
    """Record what would be handed to Celery instead of publishing it (the broker is real
    in tests/pipeline/; here only the pipeline's decisions are under test)."""
    calls = []
    monkeypatch.setattr(
        "orders.dispatch._publish",
        lambda task_name, order_id, countdown: calls.append((task_name, order_id, countdown)),
    )
    return calls
