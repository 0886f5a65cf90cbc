"""Every failure the simulator plays, and what a caller of the client sees.

The simulator runs in-process behind SimulatorTransport (no socket); failures
are scripted through its /_simulator/ control endpoints. Backoff sleeps are
recorded, not slept.
"""

import pytest

from marketplace.exceptions import (
    AuthenticationError,
    BadRequestError,
    GatewayError,
    InternalServerError,
    OrderOutcomeUnknown,
    RateLimitError,
)
from marketplace.types import (
    OrderInput,
    OrderLineInput,
    ParameterValue,
)
from simulator import errors as texts
from simulator.catalogue import AMBIGUOUS_MPN
from tests.marketplace.parameters import (
    customer_input,
    existing_tenant_parameters,
    new_tenant_parameters,
)
from tests.simulated import Simulator

BASIC = "CFQ7TTC0LH18:0001"  # Microsoft 365 Business Basic, 1 to 300 seats
CUSTOMER = "1000101"  # Woodgrove Bank, a customer of demo-reseller


@pytest.fixture
def simulator():
    simulator = Simulator()
    yield simulator
    simulator.close()


@pytest.fixture
def client(simulator):
    with simulator.client() as client:
        yield client


def sales(
    reference,
    *,
    domain="woodgrove42.onmicrosoft.com",
    quantity=5,
    mpn=BASIC,
    vendor="Microsoft",
    parameters=None,
    customer_id=CUSTOMER,
):
    return OrderInput(
        customer_id=customer_id,
        reference=reference,
        po_number="PO-7781",
        lines=(
            OrderLineInput(
                mpn=mpn,
                vendor=vendor,
                quantity=quantity,
                subscription_period="P1Y",
                billing_period="P1M",
                parameters=parameters if parameters is not None else new_tenant_parameters(domain),
            ),
        ),
    )


# --- Authentication -----------------------------------------------------------------------


def test_unknown_token_is_replaced_once_and_the_call_succeeds(simulator, client):
    client.get_customer(customer_id=CUSTOMER)
    simulator.post("tokens/expire")
    assert client.get_customer(customer_id=CUSTOMER).name == "Woodgrove Bank"
    assert simulator.stats()["requests"]["POST /token"] == 2


def test_expired_token_is_replaced_once_and_the_call_succeeds(simulator, client):
    client.get_customer(customer_id=CUSTOMER)
    simulator.post("clock", {"advanceSeconds": 1501})
    assert client.get_customer(customer_id=CUSTOMER).id == CUSTOMER
    assert simulator.stats()["requests"]["POST /token"] == 2


def test_token_rejected_every_time_surfaces_after_one_reauthentication(simulator, client):
    simulator.fail(kind="reject_token", path="/customers/*")
    with pytest.raises(AuthenticationError) as caught:
        client.get_customer(customer_id=CUSTOMER)
    assert caught.value.message == "The access token is invalid or has expired."
    assert caught.value.correlation_id.startswith("a8n-")
    assert simulator.stats()["requests"]["GET /customers/1000101"] == 2


def test_wrong_subscription_key_is_an_authentication_error_with_apims_text(simulator):
    with simulator.client(subscription_key="not-our-key") as client:
        with pytest.raises(AuthenticationError) as caught:
            client.get_customer(customer_id=CUSTOMER)
    assert caught.value.status_code == 401
    assert "invalid subscription key" in caught.value.message


def test_bad_basic_credentials_are_an_authentication_error(simulator):
    with simulator.client(password="wrong-password") as client:
        with pytest.raises(AuthenticationError) as caught:
            list(client.list_products())
    assert caught.value.message == "Bad credentials: the user name or password is incorrect."


# --- Rate limits and server errors --------------------------------------------------------


def test_429_with_retry_after_is_waited_out(simulator, client):
    simulator.fail(kind="status", status=429, path="/customers/*", count=1, retryAfter=3)
    assert client.get_customer(customer_id=CUSTOMER).id == CUSTOMER
    assert simulator.sleeps == [3.0]


def test_429_without_retry_after_backs_off(simulator, client):
    simulator.fail(kind="status", status=429, path="/customers/*", count=2, retryAfter=None)
    assert client.get_customer(customer_id=CUSTOMER).id == CUSTOMER
    assert len(simulator.sleeps) == 2 and simulator.sleeps[1] > simulator.sleeps[0] - 0.5


def test_time_window_budget_of_the_key(simulator, client):
    simulator.post("rate-limit", {"limit": 3, "windowSeconds": 60})
    with pytest.raises(RateLimitError) as caught:
        for _ in range(10):
            client.get_customer(customer_id=CUSTOMER)
    assert caught.value.message.startswith("Rate limit is exceeded.")
    assert caught.value.retry_after is not None and caught.value.retry_after > 0


def test_500_carries_the_upstream_message(simulator, client):
    simulator.fail(
        kind="status", status=500, path="/customers/*", message="Customer service is unavailable."
    )
    with pytest.raises(InternalServerError) as caught:
        client.get_customer(customer_id=CUSTOMER)
    assert caught.value.message == "Customer service is unavailable."
    assert caught.value.status_code == 500
    assert simulator.stats()["requests"]["GET /customers/1000101"] == 1  # not retried


@pytest.mark.parametrize("status", [502, 503])
def test_502_and_503_on_reads_are_retried(simulator, client, status):
    simulator.fail(kind="status", status=status, path="/customers/*", count=2)
    assert client.get_customer(customer_id=CUSTOMER).id == CUSTOMER
    assert simulator.stats()["requests"]["GET /customers/1000101"] == 3


def test_504_html_page_is_a_gateway_error_not_a_crash(simulator, client):
    simulator.fail(kind="status", status=504, path="/customers/*")
    with pytest.raises(GatewayError) as caught:
        client.get_customer(customer_id=CUSTOMER)
    assert caught.value.status_code == 504
    assert "504 Gateway Time-out" in caught.value.message


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_error_on_post_orders_is_an_unknown_outcome(simulator, client, status):
    simulator.fail(kind="status", status=status, method="POST", path="/orders")
    with pytest.raises(OrderOutcomeUnknown) as caught:
        client.create_order(order=sales("NCE-0000501"))
    assert caught.value.reference == "NCE-0000501"
    assert simulator.stats()["requests"]["POST /orders"] == 1  # sent once, never repeated


# --- Slow and lost answers to POST /orders ------------------------------------------------


def test_slow_post_orders_is_an_unknown_outcome_and_reconciles(simulator):
    simulator.fail(kind="delay", seconds=150, method="POST", path="/orders")
    with simulator.client(order_timeout=120.0) as client:
        with pytest.raises(OrderOutcomeUnknown):
            client.create_order(order=sales("NCE-0000601"))
        found = client.find_order_by_reference(customer_id=CUSTOMER, reference="NCE-0000601")
    assert found is not None and found.po_number == "NCE-0000601 / PO-7781"
    assert simulator.stats()["ordersCreated"] == 1


def test_lost_response_then_reconciliation_finds_exactly_one_order(simulator, client):
    client.create_order(order=sales("NCE-0000700", domain="woodgrove70.onmicrosoft.com"))
    simulator.fail(kind="drop", when="after", method="POST", path="/orders", count=1)
    with pytest.raises(OrderOutcomeUnknown) as caught:
        client.create_order(order=sales("NCE-0000701"))
    found = client.find_order_by_reference(customer_id=CUSTOMER, reference=caught.value.reference)
    assert found.order_number.startswith("SO")
    assert found.po_number == "NCE-0000701 / PO-7781"
    stats = simulator.stats()
    assert stats["requests"]["POST /orders"] == 2
    assert stats["ordersByPoNumber"]["NCE-0000701 / PO-7781"] == 1
    assert client.find_order_by_reference(customer_id=CUSTOMER, reference="NCE-0000702") is None


def test_drop_before_serving_is_unknown_then_reconciled_as_never_created(simulator, client):
    # "before": the simulator drops the connection before serving; the client cannot know
    # that, so it must still treat the outcome as unknown rather than send again.
    simulator.fail(kind="drop", when="before", method="POST", path="/orders", count=1)
    with pytest.raises(OrderOutcomeUnknown):
        client.create_order(order=sales("NCE-0000801"))
    assert client.find_order_by_reference(customer_id=CUSTOMER, reference="NCE-0000801") is None
    assert simulator.stats()["ordersCreated"] == 0


# --- Business refusals --------------------------------------------------------------------


def test_domain_taken(client):
    check = client.check_domain(domain="contoso.onmicrosoft.com", customer_id=CUSTOMER)
    assert not check.available
    assert check.message == "Domain contoso.onmicrosoft.com is not available to purchase."
    with pytest.raises(BadRequestError) as caught:
        client.create_order(order=sales("NCE-0000901", domain="contoso.onmicrosoft.com"))
    assert caught.value.message == check.message


def test_mpn_id_invalid(simulator, client):
    for mpn_id, text in [
        ("9999999", texts.MPN_NOT_FOUND),
        ("12ab", texts.MPN_NOT_NUMERIC),
        ("2222222", texts.MPN_NOT_INDIRECT_RESELLER),
        ("3333333", texts.MPA_NOT_ACCEPTED),
    ]:
        check = client.check_partner(mpn_id=mpn_id, reseller_domain="northwindit.onmicrosoft.com")
        assert (check.ready, check.reason, check.status) == (False, text, "INQUIRING")
    ready = client.check_partner(mpn_id="1234567", reseller_domain="northwindit.onmicrosoft.com")
    assert ready.ready and ready.status == "READY"
    simulator.fail(kind="business", error="mpn_invalid", method="POST", path="/orders")
    with pytest.raises(BadRequestError) as caught:
        client.create_order(order=sales("NCE-0001001"))
    assert caught.value.message == texts.MPN_NOT_FOUND


def test_no_relationship_20002(client):
    tenant = client.check_tenant(tenant="litware.onmicrosoft.com", customer_id=CUSTOMER)
    assert tenant.found and tenant.relationship is False
    with pytest.raises(BadRequestError) as caught:
        client.create_order(
            order=sales(
                "NCE-0001101", parameters=existing_tenant_parameters("litware.onmicrosoft.com")
            )
        )
    assert "has no commerce relationship with the customer id" in caught.value.message


def test_mca_missing_13605(client):
    tenant = client.check_tenant(tenant="tailspintoys.onmicrosoft.com", customer_id=CUSTOMER)
    assert tenant.relationship is True and tenant.mca_accepted is False
    assert tenant.mca_message == texts.MCA_MISSING
    with pytest.raises(BadRequestError) as caught:
        client.create_order(
            order=sales(
                "NCE-0001201",
                parameters=(
                    *existing_tenant_parameters("tailspintoys.onmicrosoft.com"),
                    ParameterValue("mca_acceptance", "no"),
                ),
            )
        )
    assert caught.value.message == texts.MCA_MISSING


def test_quantity_out_of_range_2002(client):
    with pytest.raises(BadRequestError) as caught:
        client.create_order(order=sales("NCE-0001301", quantity=301))
    assert "is not within minimum and maximum allowed quantity" in caught.value.message


def test_conflicting_change_order_is_a_500_with_the_platforms_message(simulator, client):
    placed = client.create_order(order=sales("NCE-0001401"))
    simulator.post("clock", {"advanceSeconds": 60})
    completed = client.get_order(order_id=placed.id)
    assert completed.status == "completed"
    subscription_id = completed.subscription_ids[0]
    assert client.get_subscription(subscription_id=subscription_id).quantity == 5

    def change(reference, seats):
        return OrderInput(
            type="change",
            customer_id=CUSTOMER,
            reference=reference,
            subscription_id=subscription_id,
            lines=(
                OrderLineInput(
                    mpn=BASIC,
                    quantity=seats,
                    subscription_period="P1Y",
                    billing_period="P1M",
                    subscription_id=subscription_id,
                ),
            ),
        )

    first = client.create_order(order=change("NCE-0001402", 8))
    assert first.order_number.startswith("CH") and first.lines[0].quantity == 3
    with pytest.raises(InternalServerError) as caught:
        client.create_order(order=change("NCE-0001403", 9))
    assert caught.value.message.startswith(
        f"Cannot Upgrade/Downgrade Resources for Subscription #{subscription_id}: there is "
        f"already an Upgrade/Downgrade Order #{first.order_number}"
    )
    assert simulator.stats()["ordersCreated"] == 2


def test_ambiguous_mpn_asks_for_vendor_and_periods(client):
    with pytest.raises(BadRequestError) as caught:
        client.create_order(order=sales("NCE-0001501", mpn=AMBIGUOUS_MPN, vendor=""))
    assert caught.value.message == texts.AMBIGUOUS_PRODUCT.format(mpn=AMBIGUOUS_MPN)


def test_invalid_customer_names_the_field(client):
    customer = customer_input("X")
    with pytest.raises(BadRequestError) as caught:
        client.create_customer(customer=customer)
    assert "name" in caught.value.message
    assert caught.value.correlation_id.startswith("a8n-")
