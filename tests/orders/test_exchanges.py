"""Every upstream call is kept with its correlation id and raw answer, secrets redacted, bounded.

``redacted`` is the one function every stored body goes through; the rest runs an
order through the simulator and reads what was stored and what each role sees.
"""

import json
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from marketplace.auth import token_cache_key
from marketplace.redaction import MAX_BODY_CHARS, REDACTED, redacted
from orders.pipeline import submission
from tests.factories import UserFactory

from .helpers import completed_order
from .simulated import plain_products
from .test_pipeline_decisions import placed  # noqa: F401  (the same placed order fixture)

pytestmark = pytest.mark.django_db


def test_a_new_tenants_temporary_password_is_redacted_and_the_rest_kept():
    subscription = {
        "id": "1008001",
        "fulfillmentParameters": [
            {"name": "microsoft_domain", "value": "contoso.onmicrosoft.com"},
            {"name": "admin_login", "value": "admin@contoso.onmicrosoft.com"},
            {"name": "admin_temporary_password", "value": "Xq7!vB2#pL"},
            {"name": "admin_temporary_password", "structuredValue": {"v": "Xq7!vB2#pL"}},
        ],
    }

    stored = redacted(subscription)

    assert stored["fulfillmentParameters"][:3] == [
        {"name": "microsoft_domain", "value": "contoso.onmicrosoft.com"},
        {"name": "admin_login", "value": "admin@contoso.onmicrosoft.com"},
        {"name": "admin_temporary_password", "value": REDACTED},
    ]
    assert stored["fulfillmentParameters"][3]["structuredValue"] == REDACTED
    assert "Xq7!vB2#pL" not in json.dumps(stored)


def test_passwords_tokens_and_keys_are_redacted_at_any_depth():
    body = {
        "name": "Litware",
        "contactPersons": [
            {"type": "admin", "login": "jane@litware.example", "password": "S3cret!pw"},
            {"type": "billing", "email": "bill@litware.example", "password": None},
        ],
        "token": "eyJhbGciOi.abc",
        "X-Subscription-Key": "demo-subscription-key",
        "nested": {"refreshToken": {"value": "r-123"}, "clientSecret": ["s1"]},
    }

    stored = redacted(body)

    assert stored["contactPersons"][0] == {
        "type": "admin",
        "login": "jane@litware.example",
        "password": REDACTED,
    }
    assert stored["contactPersons"][1]["password"] is None  # nothing to hide
    assert stored["token"] == stored["X-Subscription-Key"] == REDACTED
    assert stored["nested"] == {"refreshToken": REDACTED, "clientSecret": REDACTED}
    text = json.dumps(stored)
    for secret in ("S3cret!pw", "eyJhbGciOi", "demo-subscription-key", "r-123", '"s1"'):
        assert secret not in text


def test_secrets_inside_a_text_body_are_redacted_too():
    page = (
        '<pre>{"login": "jane", "password": "S3cret!pw"}</pre> '
        "Authorization: Bearer eyJ0.abc-def ?password=hunter2&x=1"
    )

    stored = redacted(page)

    assert set(stored) == {"text"}
    assert "S3cret!pw" not in stored["text"] and "hunter2" not in stored["text"]
    assert "eyJ0.abc-def" not in stored["text"]
    assert '"login": "jane"' in stored["text"] and "x=1" in stored["text"]
    assert redacted(b'{"token": "t0k"') == {"text": '{"token": "[redacted]"'}


def test_a_very_large_body_is_cut_with_a_note_after_its_secrets_are_gone():
    body = {
        "password": "S3cret!pw",
        "data": [{"id": str(n), "description": "x" * 200} for n in range(400)],
    }

    stored = redacted(body)

    assert stored["truncated"] is True
    assert stored["size"] > MAX_BODY_CHARS
    assert len(stored["head"]) == MAX_BODY_CHARS
    assert f"{stored['size']:,} characters" in stored["note"]
    assert "S3cret!pw" not in stored["head"] and REDACTED in stored["head"]
    assert redacted({"id": "1"}) == {"id": "1"}  # small bodies are kept whole
    assert redacted(None) is None


@pytest.fixture
def completed(
    upstream_customer, upstream_reseller, simulator, enqueued, django_capture_on_commit_callbacks
):
    return completed_order(
        upstream_customer,
        plain_products(1),
        simulator,
        django_capture_on_commit_callbacks,
        email=f"buyer{uuid.uuid4().hex[:6]}@northwind.example",
    )


def test_every_call_of_an_order_is_stored_raw_with_its_correlation_id(completed, simulator):
    exchanges = list(completed.exchanges.all())
    operations = [e.operation for e in exchanges]
    assert operations[0] == "create_order" and "get_order" in operations
    assert "get_subscription" in operations
    assert all(e.correlation_id.startswith("a8n-") for e in exchanges)  # success too
    assert all(e.status_code in (200, 201) and e.response_body for e in exchanges)

    # The subscription's answer as the marketplace sent it, its temporary password redacted.
    stored = next(e for e in exchanges if e.operation == "get_subscription").response_body
    subscription = completed.subscriptions.get()
    assert stored["id"] == subscription.upstream_id
    parameters = {p["name"]: p.get("value") for p in stored["fulfillmentParameters"]}
    assert parameters["admin_login"].startswith("admin@")
    assert parameters["admin_temporary_password"] == REDACTED
    with simulator.client() as client:
        password = client.get_subscription(
            subscription_id=subscription.upstream_id
        ).fulfillment_parameter("admin_temporary_password")
    assert password
    everything = json.dumps([[e.request_body, e.response_body, e.error] for e in exchanges])
    assert password not in everything
    polled = [e for e in exchanges if e.operation == "get_order"][-1].response_body
    assert polled["status"] == "completed" and polled["id"] == completed.upstream_order_id


def test_support_sees_the_exchanges_on_the_timeline_and_the_reseller_does_not(completed, client):
    last = completed.exchanges.filter(operation="get_subscription").last()
    url = reverse("orders:detail", kwargs={"reference": completed.reference})

    client.force_login(UserFactory(support=True))
    for page in (
        client.get(reverse("support:order", kwargs={"reference": completed.reference})),
        client.get(url),
        client.get(reverse("orders:timeline", kwargs={"reference": completed.reference})),
    ):
        html = page.content.decode()
        assert f'<details class="exchange" id="exchange-{last.pk}" hx-preserve="true">' in html
        assert last.correlation_id in html
        assert "admin_temporary_password" in html and "&quot;[redacted]&quot;" in html

    client.force_login(completed.placed_by)
    for page in (
        client.get(url),
        client.get(reverse("orders:timeline", kwargs={"reference": completed.reference})),
    ):
        html = page.content.decode()
        assert page.status_code == 200
        assert '<details class="exchange"' not in html
        assert last.correlation_id not in html and "fulfillmentParameters" not in html


def test_a_call_without_an_answer_keeps_no_earlier_answer_of_the_block(
    placed,  # noqa: F811
    simulator,
    enqueued,
    django_capture_on_commit_callbacks,
):
    # No token is cached: one is fetched first (an answer, with a token in it), then the
    # order's POST gets no answer at all.
    tokens = simulator.stats()["requests"].get("POST /token", 0)
    connection = placed.reseller.connection
    cache.delete(
        token_cache_key(
            base_url=connection.base_url.rstrip("/"),
            marketplace=connection.marketplace_code,
            username=connection.username,
        )
    )
    simulator.fail(kind="drop", when="before", method="POST", path="/orders", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)

    assert simulator.stats()["requests"]["POST /token"] == tokens + 1
    sent = placed.exchanges.get(operation="create_order")
    assert sent.error.startswith("OrderOutcomeUnknown")
    assert (sent.status_code, sent.response_body, sent.correlation_id) == (None, None, "")
