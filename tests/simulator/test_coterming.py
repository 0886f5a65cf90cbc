"""Co-terming a new subscription (alignExpirationDate) per the product's coterming rule."""

from datetime import date

from simulator.coterming import month_end_before

from .conftest import sales_body
from .test_changes import buy

COPILOT = "CFQ7TTC0MM8R:0001"  # MANDATORY / SUBSCRIPTION
POWER_BI = "CFQ7TTC0LHSV:0001"  # ALLOWED / END_OF_MONTH
WINDOWS_365 = "CFQ7TTC0J1FX:0001"  # RESTRICTED / SUBSCRIPTION


def add_on(api, mpn, align=None, domain="addon.onmicrosoft.com"):
    body = sales_body(mpn=mpn, quantity=2, domain=domain)
    if align:
        body["alignExpirationDate"] = align
    return api.post("/orders", json=body)


def subscription_of(api, order):
    api.advance(1)
    order = api.get(f"/orders/{order['id']}").json()
    return api.get(f"/subscriptions/{order['products'][0]['subscriptionId']}").json()


def test_an_add_on_co_termed_on_a_subscription_ends_with_it(api):
    monthly = buy(api, quantity=3, term=("month", 1))
    align = {"alignmentType": "CO_TERM_ON_SUBSCRIPTION", "subscriptionId": int(monthly["id"])}
    response = add_on(api, COPILOT, align)
    assert response.status_code == 201, response.text
    assert response.json()["alignExpirationDate"] == align
    copilot = subscription_of(api, response.json())
    assert copilot["renewalDate"] == monthly["renewalDate"]
    assert copilot["expirationDate"] == monthly["renewalDate"]


def test_mandatory_coterming_refuses_an_unaligned_add_on_and_restricted_an_aligned_one(api):
    existing = buy(api, quantity=3)
    unaligned = add_on(api, COPILOT)
    assert unaligned.status_code == 400
    assert "coterming MANDATORY" in unaligned.json()["message"]
    align = {"alignmentType": "CO_TERM_ON_SUBSCRIPTION", "subscriptionId": int(existing["id"])}
    restricted = add_on(api, WINDOWS_365, align)
    assert restricted.status_code == 400
    assert "coterming RESTRICTED" in restricted.json()["message"]


def test_end_of_month_alignment_ends_on_the_month_end_before_the_anniversary(api):
    buy(api, quantity=3)
    response = add_on(api, POWER_BI, {"alignmentType": "MATCH_END_OF_CALENDAR_MONTH"})
    assert response.status_code == 201, response.text
    power_bi = subscription_of(api, response.json())
    created = date.fromisoformat(power_bi["creationDate"])
    anniversary = created.replace(year=created.year + 1, day=min(created.day, 28))
    assert power_bi["renewalDate"] == month_end_before(anniversary).isoformat()
    on_a_subscription = add_on(
        api, POWER_BI, {"alignmentType": "CO_TERM_ON_SUBSCRIPTION", "subscriptionId": 1}
    )
    assert on_a_subscription.status_code == 400
