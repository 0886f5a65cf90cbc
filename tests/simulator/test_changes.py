"""Change, cancellation and renewal orders: signed deltas, one open change, the 168 h window."""

from decimal import Decimal

import pytest

from .conftest import CUSTOMER, sales_body

HOUR = 3600
WINDOW = 168 * HOUR


def buy(api, quantity=5, **kwargs):
    """Place a sales order, let it complete (1 s later) and return the subscription."""
    order = api.place(sales_body(quantity=quantity, **kwargs))
    api.advance(1)
    order = api.get(f"/orders/{order['id']}").json()
    assert order["status"] == "completed"
    return api.get(f"/subscriptions/{order['products'][0]['subscriptionId']}").json()


def change(api, subscription, new_total):
    line = {
        "subscriptionId": subscription["id"],
        "mpn": subscription["products"][0]["mpn"],
        "quantity": new_total,
    }
    return api.post(
        "/orders",
        json={
            "customerId": CUSTOMER,
            "type": "change",
            "poNumber": "PO-change",
            "products": [line],
        },
    )


def cancel(api, subscription):
    return api.post(
        "/orders",
        json={"customerId": CUSTOMER, "type": "cancellation", "subscriptionId": subscription["id"]},
    )


def seats(api, subscription):
    return api.get(f"/subscriptions/{subscription['id']}").json()["products"][0]["quantity"]


def test_change_order_carries_the_new_total_and_is_stored_as_the_signed_delta(api):
    subscription = buy(api, quantity=5)
    response = change(api, subscription, 8)
    assert response.status_code == 201
    order = response.json()
    assert order["type"] == "change" and order["orderNumber"].startswith("CH")
    assert order["products"][0]["quantity"] == 3
    assert order["total"] == {"amount": "18.00", "currency": "USD"}
    api.advance(1)
    assert seats(api, subscription) == 8
    reduced = change(api, subscription, 6).json()
    assert reduced["products"][0]["quantity"] == -2
    assert reduced["details"][0]["type"] == "recurringRefund"
    api.advance(1)
    assert seats(api, subscription) == 6


def test_a_second_open_change_is_refused_with_the_platform_500(api):
    subscription = buy(api)
    api.timings(submitted=10, assigning=10, provisioning=100)
    first = change(api, subscription, 7).json()
    api.advance(25)
    response = change(api, subscription, 9)
    assert response.status_code == 500
    assert response.json()["message"] == (
        f"Cannot Upgrade/Downgrade Resources for Subscription #{subscription['id']}: there is "
        f"already an Upgrade/Downgrade Order #{first['orderNumber']} in status Provisioning is "
        "in progress(LO). This order prohibits placing an order of the same order type (per "
        "subscription). Please either cancel conflicting order or wait until it is processed by "
        "the system."
    )
    assert set(response.json()) == {"timeStamp", "status", "message", "path", "correlationId"}
    api.advance(100)
    assert change(api, subscription, 9).status_code == 201


def test_change_quantity_outside_min_and_max(api):
    subscription = buy(api)
    response = change(api, subscription, 301)
    assert response.status_code == 400
    # Partner Center's 2002, with the numbers filled in.
    assert response.json()["message"] == (
        "Quantity 301 is not within minimum and maximum allowed quantity (1-300)."
    )
    assert change(api, subscription, 5).status_code == 400  # no change at all


def test_a_pending_subscription_cannot_be_changed(api):
    api.timings(submitted=10, assigning=10, provisioning=10)
    order = api.place()
    pending = api.get("/subscriptions").json()["data"][0]
    assert pending["status"] == "pending"
    assert "products" not in pending  # the seat count is on the detail only
    response = change(api, api.get(f"/subscriptions/{pending['id']}").json(), 9)
    assert response.status_code == 400
    assert order["status"] == "submitted"


def test_seat_reduction_within_the_window_and_refused_after_it(api):
    subscription = buy(api, quantity=10)
    api.advance(WINDOW - 2 * HOUR)
    assert change(api, subscription, 9).status_code == 201
    api.advance(3 * HOUR)
    response = change(api, subscription, 8)
    assert response.status_code == 400
    assert response.json()["message"] == "Subscription quantity cannot be decreased"


def test_added_seats_can_be_removed_for_168_hours_after_the_addition(api):
    subscription = buy(api, quantity=10)
    api.advance(WINDOW + HOUR)
    assert change(api, subscription, 14).status_code == 201
    api.advance(1)
    assert seats(api, subscription) == 14
    assert change(api, subscription, 9).status_code == 400  # more than was added
    assert change(api, subscription, 11).status_code == 201
    api.advance(WINDOW)
    assert change(api, subscription, 10).status_code == 400


def test_cancellation_just_inside_the_window_terminates_with_a_prorated_refund(api):
    subscription = buy(api, quantity=5)  # P1Y billed monthly at 6.00: 30.00 a month
    api.advance(WINDOW - 60)
    response = cancel(api, subscription)
    assert response.status_code == 201
    order = response.json()
    assert order["type"] == "cancellation" and order["orderNumber"].startswith("CL")
    assert "products" not in order
    detail = order["details"][0]
    assert detail["type"] == "recurringRefund"
    # 6 full days used of a 30-day billing period: 24/30 of 30.00 comes back.
    assert detail["extendedPrice"] == {"amount": "-24.00", "currency": "USD"}
    assert order["total"]["amount"] == "-24.00"
    api.advance(1)
    assert api.get(f"/subscriptions/{subscription['id']}").json()["status"] == "terminated"


def test_cancellation_just_after_the_window_is_refused_with_microsofts_text(api):
    subscription = buy(api)
    api.advance(WINDOW + 60)
    response = cancel(api, subscription)
    assert response.status_code == 400
    assert response.json()["message"] == "You have passed your 7-day cancellation window."
    assert api.get(f"/subscriptions/{subscription['id']}").json()["status"] == "active"


def test_cancellation_after_a_seat_addition_removes_the_added_seats(api):
    subscription = buy(api, quantity=10)
    api.advance(WINDOW + HOUR)
    change(api, subscription, 13)
    api.advance(2 * HOUR)
    order = cancel(api, subscription).json()
    assert order["details"][0]["quantity"] == 3.0
    assert Decimal(order["total"]["amount"]) == Decimal("-18.00")
    api.advance(1)
    detail = api.get(f"/subscriptions/{subscription['id']}").json()
    assert (detail["status"], detail["products"][0]["quantity"]) == ("active", 10)


def test_renewal_opens_a_new_cancellation_window(api):
    subscription = buy(api)
    api.advance(WINDOW * 2)
    assert cancel(api, subscription).status_code == 400
    response = api.post(
        "/orders",
        json={"customerId": CUSTOMER, "type": "renewal", "subscriptionId": subscription["id"]},
    )
    assert response.status_code == 201
    renewal = response.json()
    assert renewal["orderNumber"].startswith("RN")
    assert "products" not in renewal and "details" not in renewal
    api.advance(1)
    renewed = api.get(f"/subscriptions/{subscription['id']}").json()
    assert renewed["renewalDate"] > subscription["renewalDate"]
    assert cancel(api, subscription).status_code == 201


def test_subscription_patch_sets_auto_renewal_but_never_quantity(api):
    subscription = buy(api, quantity=5)
    response = api.patch(
        f"/subscriptions/{subscription['id']}",
        json={
            "renewalStatus": False,
            "attributes": {"costCenter": "42"},
            "products": [{"mpn": subscription["products"][0]["mpn"], "quantity": 50}],
        },
    )
    assert response.status_code == 200
    assert response.json()["renewalStatus"] is False
    assert response.json()["attributes"] == {"costCenter": "42"}
    assert seats(api, subscription) == 5
    bad = api.patch(f"/subscriptions/{subscription['id']}", json={"renewalStatus": "no"})
    assert bad.status_code == 400


@pytest.mark.parametrize("order_type", ["change", "cancellation", "renewal"])
def test_subscription_id_is_required(api, order_type):
    response = api.post("/orders", json={"customerId": CUSTOMER, "type": order_type})
    assert response.status_code == 400
    assert "subscriptionId" in response.json()["message"]


def test_another_resellers_subscription_is_not_found(api, other_api):
    subscription = buy(api)
    other_api.login()
    assert other_api.get(f"/subscriptions/{subscription['id']}").status_code == 404
    response = other_api.post(
        "/orders",
        json={
            "customerId": "1000104",
            "type": "cancellation",
            "subscriptionId": subscription["id"],
        },
    )
    assert response.status_code == 400


def test_a_special_price_prices_the_subscription_and_keeps_the_cost(api):
    plain = buy(api)
    listed = Decimal(plain["products"][0]["unitPrice"]["amount"])
    cost = plain["products"][0]["unitCost"]
    special = sales_body(domain="specialcontoso.onmicrosoft.com", po_number="PO-special")
    special["products"][0]["specialPrice"] = {"amount": "7.77", "currency": "USD"}
    order = api.place(special)
    assert "specialPrice" not in order["products"][0]  # write-only in the spec
    assert Decimal(order["total"]["amount"]) == Decimal("7.77") * 5
    api.advance(1)
    order = api.get(f"/orders/{order['id']}").json()
    subscription = api.get(f"/subscriptions/{order['products'][0]['subscriptionId']}").json()
    assert subscription["products"][0]["unitPrice"] == {"amount": "7.77", "currency": "USD"}
    assert subscription["products"][0]["unitCost"] == cost
    assert listed != Decimal("7.77")


def test_a_special_price_in_another_currency_or_negative_is_refused(api):
    for special, words in (
        ({"amount": "7.77", "currency": "EUR"}, "sold in USD"),
        ({"amount": "-1", "currency": "USD"}, "0 or more"),
        ({"amount": "x", "currency": "USD"}, "not a number"),
    ):
        body = sales_body(domain="badprice.onmicrosoft.com")
        body["products"][0]["specialPrice"] = special
        answer = api.post("/orders", json=body)
        assert answer.status_code == 400
        assert words in answer.json()["message"]


def test_special_pricing_and_patch_set_a_subscriptions_prices(api):
    subscription = buy(api)
    path = f"/subscriptions/{subscription['id']}"
    mpn = subscription["products"][0]["mpn"]
    answer = api.post(
        f"{path}/specialPricing",
        json={"products": [{"mpn": mpn, "unitPrice": {"amount": "9.50", "currency": "USD"}}]},
    )
    assert answer.status_code == 200
    assert answer.json()["products"][0]["unitPrice"]["amount"] == "9.50"
    assert answer.json()["totalPrice"]["amount"] == "47.50"
    answer = api.patch(
        path, json={"products": [{"mpn": mpn, "unitCost": {"amount": "6", "currency": "USD"}}]}
    )
    assert answer.json()["products"][0]["unitCost"]["amount"] == "6.00"
    assert api.get(path).json()["products"][0]["unitPrice"]["amount"] == "9.50"
    bad = api.post(f"{path}/specialPricing", json={"products": [{"unitPrice": {"amount": "1"}}]})
    assert bad.status_code == 400


def test_margins_are_checked_and_never_shown(api):
    margins = {
        "priceModel": "COS",
        "totalRate": {"original": "15", "new": "10"},
        "rates": [
            {"sellerId": "self", "buyerId": "1000101", "rate": {"original": "15", "new": "10"}}
        ],
    }
    body = sales_body(domain="margins.onmicrosoft.com", po_number="PO-margins")
    body["products"][0]["margins"] = margins
    order = api.place(body)
    assert "margins" not in order["products"][0]  # write-only in the spec
    assert "margins" not in api.get(f"/orders/{order['id']}").json()["products"][0]
    for broken, words in (
        ({**margins, "priceModel": "CHEAP"}, "priceModel"),
        ({k: v for k, v in margins.items() if k != "rates"}, "margins.rates"),
        ({**margins, "totalRate": {"original": "x", "new": "1"}}, "totalRate.original"),
    ):
        body = sales_body(domain="badmargins.onmicrosoft.com")
        body["products"][0]["margins"] = broken
        answer = api.post("/orders", json=body)
        assert answer.status_code == 400 and words in answer.json()["message"]
