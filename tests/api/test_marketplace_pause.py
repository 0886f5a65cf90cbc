"""A person's request does not wait out a long marketplace pause; a worker does.

After a 429 the whole connection is paused for its Retry-After (customers.connection_pause).
A worker's client waits a short pause out and then sends (MAX_RETRY_AFTER_SECONDS, 5 s); a
request that a person or an integration waits for answers at once with the wait, unless the
pause is within MARKETPLACE["WEB_MAX_WAIT_SECONDS"] (1 s): the web process, and every request
queued behind it, would wait too. The marketplace is the project's simulator, in-process
(SimulatorTransport).
"""

import pytest
from django.conf import settings

from customers.connection_pause import ConnectionPause, pause_connection
from customers.upstream import client_for, longest_wait, serving_a_person
from marketplace.constants import MAX_RETRY_AFTER_SECONDS
from marketplace.exceptions import RateLimitError
from tests.orders.simulated import plain_products

from .test_place import payload

pytestmark = pytest.mark.django_db

VALIDATE = "/api/v1/orders/validate"


def validations(simulator) -> int:
    return simulator.stats()["requests"].get("POST /validation/parameters", 0)


def test_a_request_answers_a_pause_longer_than_its_limit_at_once_with_the_wait(
    upstream_api, upstream_customer, simulator
):
    body = payload(upstream_customer, plain_products())
    pause_connection(upstream_customer.reseller.connection_id, 3)

    response = upstream_api.post(VALIDATE, body)

    assert response.status_code == 422
    (problem,) = response.json()["errors"]
    assert "busy" in problem["detail"] and "second" in problem["detail"]
    assert validations(simulator) == 0  # nothing was sent inside the pause


def test_the_limits_of_a_request_and_a_worker():
    assert settings.MARKETPLACE["WEB_MAX_WAIT_SECONDS"] < 3 < MAX_RETRY_AFTER_SECONDS
    assert longest_wait() == MAX_RETRY_AFTER_SECONDS
    with serving_a_person():
        assert longest_wait() == settings.MARKETPLACE["WEB_MAX_WAIT_SECONDS"]
    assert longest_wait() == MAX_RETRY_AFTER_SECONDS


def test_a_worker_waits_out_the_pause_a_request_refuses(upstream_customer, simulator):
    reseller, customer_id = upstream_customer.reseller, upstream_customer.upstream_customer_id
    pause_connection(reseller.connection_id, 1.5)

    with serving_a_person(), client_for(reseller) as client, pytest.raises(RateLimitError):
        client.get_customer(customer_id=customer_id)
    assert ConnectionPause(reseller.connection_id).paused_for() > 0  # still paused
    with client_for(reseller) as client:  # a worker's: it waits, then sends
        assert client.get_customer(customer_id=customer_id).id == customer_id
