"""Plans and their switches: upgrades (full, partial) and term/billing changes as change orders."""

from decimal import Decimal

from .conftest import CUSTOMER
from .test_changes import HOUR, buy, change, seats

STANDARD = "CFQ7TTC0LDPB:0001"
E5 = "CFQ7TTC0LFLZ:0002"


def plan_of(api, subscription):
    return api.get(f"/plans/{subscription['planId']}").json()


def target(api, subscription, *, mpn=None, term=None, billing=None):
    """Return the switch of the subscription's plan to a plan of that MPN/periods."""
    for switch in plan_of(api, subscription)["planSwitches"]:
        plan = api.get(f"/plans/{switch['planId']}").json()
        product = next(
            p
            for p in api.get("/products", params={"limit": 500}).json()["data"]
            if p["name"] == plan["name"]
        )
        if (
            (mpn is None or product["mpn"] == mpn)
            and (term is None or switch["subscriptionPeriod"] == term)
            and (billing is None or plan["billingPeriod"] == billing)
        ):
            return switch
    raise AssertionError("no such switch")


def switch_order(
    api, subscription, plan_id, *, kind="UPGRADE", quantity=None, path="/orders", **extra
):
    line = {
        "type": kind,
        "subscriptionId": subscription["id"],
        "mpn": subscription["products"][0]["mpn"],
        "quantity": quantity or subscription["products"][0]["quantity"],
    }
    body = {
        "customerId": CUSTOMER,
        "type": "change",
        "poNumber": "PO-switch",
        "subscriptionId": subscription["id"],
        "planId": str(plan_id),
        "products": [line],
        **extra,
    }
    return api.post(path, json=body)


def test_a_plan_lists_its_upgrades_and_period_changes_with_policy_and_timing(api):
    subscription = buy(api, quantity=5)  # Business Basic, one year billed monthly
    switches = plan_of(api, subscription)["planSwitches"]
    by_policy = {(s["billingPolicy"], s["whenEffective"]) for s in switches}
    assert ("prorate_keeping_exp_date", "immediately") in by_policy  # upgrades
    assert ("period_change", "next_billing_period") in by_policy  # annual billing
    assert ("period_change", "next_subscription_period") in by_policy  # monthly term
    assert ("prorate_starting_new_subscription_period", "immediately") in by_policy  # 3 years
    year = {"type": "year", "duration": 1}
    assert all(s["sourceSubscriptionPeriod"] == year for s in switches)
    assert api.get("/plans/999999").status_code == 404


def test_a_full_upgrade_moves_every_seat_to_the_new_plan_and_charges_the_difference(api):
    subscription = buy(api, quantity=5)
    switch = target(api, subscription, mpn=STANDARD)
    response = switch_order(api, subscription, switch["planId"])
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["orderNumber"].startswith("CH") and order["products"][0]["type"] == "UPGRADE"
    assert order["products"][0]["newMPN"] == STANDARD
    assert Decimal(order["total"]["amount"]) > 0
    api.advance(1)
    after = api.get(f"/subscriptions/{subscription['id']}").json()
    assert after["products"][0]["mpn"] == STANDARD and after["products"][0]["quantity"] == 5
    assert after["planId"] == switch["planId"]
    assert after["renewalDate"] == subscription["renewalDate"]


def test_a_partial_upgrade_makes_a_co_termed_subscription_for_the_moved_seats(api):
    subscription = buy(api, quantity=5)
    switch = target(api, subscription, mpn=STANDARD)
    order = switch_order(api, subscription, switch["planId"], quantity=2).json()
    api.advance(1)
    order = api.get(f"/orders/{order['id']}").json()
    new_id = order["products"][0]["targetSubscriptionId"]
    source = api.get(f"/subscriptions/{subscription['id']}").json()
    moved = api.get(f"/subscriptions/{new_id}").json()
    assert source["products"][0]["quantity"] == 3 and source["products"][0]["mpn"] != STANDARD
    assert moved["products"][0]["quantity"] == 2 and moved["products"][0]["mpn"] == STANDARD
    assert moved["renewalDate"] == source["renewalDate"]


def test_a_switch_the_plan_does_not_offer_is_refused(api):
    subscription = buy(api, quantity=5)
    e5 = next(
        p
        for p in api.get("/products", params={"mpn": E5}).json()["data"]
        if p["billingPeriod"]["type"] == "month"
        and p["subscriptionPeriod"] == {"type": "year", "duration": 1}
    )
    e5_plan = 10000 + int(e5["id"][3:]) % 10000
    response = switch_order(api, subscription, e5_plan)
    assert response.status_code == 400
    assert "does not offer this upgrade" in response.json()["message"]
    assert api.get(f"/subscriptions/{subscription['id']}").json()["products"][0]["mpn"] != E5


def test_a_second_switch_while_one_is_open_gets_the_platform_refusal(api):
    subscription = buy(api, quantity=5)
    api.timings(submitted=10, assigning=10, provisioning=100)
    switch = target(api, subscription, mpn=STANDARD)
    first = switch_order(api, subscription, switch["planId"]).json()
    response = switch_order(api, subscription, switch["planId"])
    assert response.status_code == 500
    assert (
        f"already an Upgrade/Downgrade Order #{first['orderNumber']}"
        in (response.json()["message"])
    )


def test_a_longer_term_starts_now_and_a_shorter_one_waits_for_the_renewal(api):
    subscription = buy(api, quantity=4)
    three_years = target(
        api,
        subscription,
        term={"type": "year", "duration": 3},
        billing={"type": "month", "duration": 1},
    )
    order = switch_order(api, subscription, three_years["planId"], kind="CHANGE_PLAN_PERIOD")
    assert order.status_code == 201, order.text
    api.advance(1)
    after = api.get(f"/subscriptions/{subscription['id']}").json()
    assert after["subscriptionPeriod"] == {"type": "year", "duration": 3}
    assert after["renewalDate"] > subscription["renewalDate"]

    other = buy(api, quantity=4, domain="second.onmicrosoft.com")
    monthly = target(api, other, term={"type": "month", "duration": 1})
    refused = switch_order(api, other, monthly["planId"], kind="CHANGE_PLAN_PERIOD")
    assert refused.status_code == 400 and "scheduledOn" in refused.json()["message"]


def scheduled_seats(api, subscription, new_total):
    line = {
        "subscriptionId": subscription["id"],
        "mpn": subscription["products"][0]["mpn"],
        "quantity": new_total,
    }
    body = {
        "customerId": CUSTOMER,
        "type": "change",
        "poNumber": "PO-renewal",
        "scheduledOn": "renewal",
        "products": [line],
    }
    return api.post("/orders", json=body)


def test_a_reduction_scheduled_for_the_renewal_applies_there_and_is_charged_at_the_new_count(api):
    subscription = buy(api, quantity=5)
    api.advance(10 * 24 * HOUR)  # the 7-day window has closed: only the renewal can reduce
    assert change(api, subscription, 3).status_code == 400
    order = scheduled_seats(api, subscription, 3)
    assert order.status_code == 201, order.text
    assert order.json()["total"]["amount"] == "0.00"
    api.advance(1)
    assert seats(api, subscription) == 5  # nothing changes before the renewal
    again = scheduled_seats(api, subscription, 2)
    assert again.status_code == 400 and "already has a change scheduled" in again.text
    api.advance(400 * 24 * HOUR)
    after = api.get(f"/subscriptions/{subscription['id']}").json()
    assert after["products"][0]["quantity"] == 3
    renewals = api.get(
        "/orders", params={"subscriptionId": subscription["id"], "limit": 50}
    ).json()["data"]
    renewal = next(o for o in renewals if o["type"] == "renewal")
    unit = Decimal(subscription["products"][0]["unitPrice"]["amount"])
    assert Decimal(renewal["total"]["amount"]) == unit * 3


def test_a_scheduled_change_can_be_cancelled_until_the_renewal(api):
    subscription = buy(api, quantity=5)
    order = scheduled_seats(api, subscription, 2).json()
    api.advance(1)
    assert api.get(f"/orders/{order['id']}").json()["status"] == "completed"
    cancelled = api.patch(f"/orders/{order['id']}", json={"statusCode": "CL"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    api.advance(400 * 24 * HOUR)
    assert seats(api, subscription) == 5
