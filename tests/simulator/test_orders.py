"""Orders: synchronous validation, the lifecycle, subscriptions, lists and details."""

import pytest

from . import upstream_texts as texts
from .conftest import CUSTOMER, sales_body


@pytest.fixture
def slow(api):
    """Phases of 10 s each, stepped through by moving the simulated clock."""
    api.timings(submitted=10, assigning=10, provisioning=10)
    return api


def status(api, order):
    body = api.get(f"/orders/{order['id']}").json()
    return body["status"], body["statusCode"]


def test_sales_order_goes_submitted_as_lo_cp(slow):
    order = slow.place(po_number="PO-lifecycle")
    assert order["status"] == "submitted"
    assert order["orderNumber"].startswith("SO") and len(order["orderNumber"]) == 8
    assert order["poNumber"] == "PO-lifecycle"
    assert "provisioningDate" not in order
    slow.advance(11)
    assert status(slow, order) == ("processing", "AS")
    slow.advance(10)
    assert status(slow, order) == ("processing", "LO")
    subscriptions = slow.get("/subscriptions", params={"customerId": CUSTOMER}).json()["data"]
    assert [s["status"] for s in subscriptions] == ["pending"]
    slow.advance(10)
    done = slow.get(f"/orders/{order['id']}").json()
    assert (done["status"], done["statusCode"]) == ("completed", "CP")
    assert done["provisioningDate"].endswith("Z")
    subscription_id = done["products"][0]["subscriptionId"]
    subscription = slow.get(f"/subscriptions/{subscription_id}").json()
    assert subscription["status"] == "active"
    assert subscription["products"][0]["quantity"] == 5
    parameters = {p["name"]: p["value"] for p in subscription["fulfillmentParameters"]}
    assert parameters["microsoft_domain"] == "newcontoso.onmicrosoft.com"
    assert len(parameters["microsoft_tenant_id"]) == 36
    assert parameters["admin_login"] == "admin@newcontoso.onmicrosoft.com"
    assert len(parameters["admin_temporary_password"]) >= 8


def test_new_tenant_credentials_are_retrievable_later(api):
    order = api.complete(api.place())
    subscription_id = order["products"][0]["subscriptionId"]
    first = api.get(f"/subscriptions/{subscription_id}").json()["fulfillmentParameters"]
    api.advance(86400 * 30)
    assert api.get(f"/subscriptions/{subscription_id}").json()["fulfillmentParameters"] == first
    tenant = api.control.get("/tenants/newcontoso.onmicrosoft.com").json()
    assert {"name": "admin_temporary_password", "value": tenant["temporaryPassword"]} in first


def test_existing_tenant_gets_no_new_credentials(api):
    body = sales_body(tenant="existing", domain="woodgrovebank.onmicrosoft.com")
    order = api.complete(api.place(body))
    subscription = api.get(f"/subscriptions/{order['products'][0]['subscriptionId']}").json()
    names = {p["name"] for p in subscription["fulfillmentParameters"]}
    assert names == {"microsoft_domain", "microsoft_tenant_id"}


def test_lines_prices_and_total(api):
    order = api.place(quantity=4)
    line = order["products"][0]
    assert line["name"] == "Microsoft 365 Business Basic (NCE COM ANN)"
    assert line["extendedPrice"] == {"amount": "24.00", "currency": "USD"}
    assert order["total"] == {"amount": "24.00", "currency": "USD"}
    assert order["details"][0]["type"] == "recurring"
    assert order["details"][0]["unitPrice"]["amount"] == "6.00"


def test_estimate_prices_without_storing(api):
    response = api.post("/orders/estimate", json=sales_body(quantity=2))
    assert response.status_code == 200
    assert response.json()["total"]["amount"] == "12.00"
    assert "id" not in response.json()
    assert api.get("/orders").json()["pagination"]["total"] == 0
    assert api.stats()["ordersCreated"] == 0


def test_list_rows_carry_no_po_number_products_or_details(api):
    order = api.place(po_number="PO-hidden")
    row = api.get("/orders").json()["data"][0]
    assert row["id"] == order["id"]
    for key in ("poNumber", "products", "details"):
        assert key not in row
    assert api.get(f"/orders/{order['id']}").json()["poNumber"] == "PO-hidden"


def test_list_filters(api, other_api):
    first = api.place(domain="filterone.onmicrosoft.com")
    second = api.place(domain="filtertwo.onmicrosoft.com", customer="1000102")
    assert [
        o["id"] for o in api.get("/orders", params={"customerId": "1000102"}).json()["data"]
    ] == [second["id"]]
    by_number = api.get("/orders", params={"orderNumber": first["orderNumber"]}).json()["data"]
    assert [o["id"] for o in by_number] == [first["id"]]
    api.complete(first)
    assert api.get("/orders", params={"status": "completed"}).json()["pagination"]["total"] == 2
    assert api.get("/orders", params={"statusCode": "CP"}).json()["pagination"]["total"] == 2
    assert api.get("/orders", params={"status": "bogus"}).status_code == 400
    other_api.login()
    assert other_api.get("/orders").json()["data"] == []
    assert other_api.get(f"/orders/{first['id']}").status_code == 404
    since = api.get("/orders", params={"creationTimeFrom": "2999-01-01T00:00:00Z"}).json()
    assert since["data"] == []


def test_scripted_failure_by_po_number_ends_in_pf_with_no_reason(api):
    api.fail(kind="order_outcome", outcome="error", poNumberContains="FAILME")
    good = api.place(po_number="PO-good", domain="goodtenant.onmicrosoft.com")
    bad = api.place(po_number="PO-FAILME-1", domain="badtenant.onmicrosoft.com")
    failed = api.complete(bad)
    assert (failed["status"], failed["statusCode"]) == ("error", "PF")
    assert not any("reason" in key.lower() for key in failed)
    assert "provisioningDate" not in failed
    assert api.get(f"/orders/{good['id']}").json()["status"] == "completed"
    subscriptions = api.get("/subscriptions", params={"status": "removed"}).json()["data"]
    assert len(subscriptions) == 1
    # The tenant a failed order would have created is free again.
    api.place(po_number="PO-retry", domain="badtenant.onmicrosoft.com")


def test_scripted_outcome_for_the_next_n_orders_and_stuck(api):
    api.fail(kind="order_outcome", outcome="stuck", count=1)
    stuck = api.place(domain="stuckone.onmicrosoft.com")
    normal = api.place(domain="normalone.onmicrosoft.com")
    api.advance(86400)
    assert status(api, stuck) == ("processing", "LO")
    assert status(api, normal) == ("completed", "CP")


def test_cancel_a_submitted_order(slow):
    order = slow.place()
    response = slow.patch(f"/orders/{order['id']}", json={"statusCode": "CL"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["statusCode"]) == ("cancelled", "CL")
    slow.advance(100)
    assert status(slow, order) == ("cancelled", "CL")
    again = slow.place(po_number="again")  # the tenant is free again
    slow.advance(11)
    assert slow.patch(f"/orders/{again['id']}", json={"statusCode": "CL"}).status_code == 400
    assert slow.patch(f"/orders/{again['id']}", json={"creditCheck": True}).json()["creditCheck"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"domain": "contoso.onmicrosoft.com"}, "Domain contoso.onmicrosoft.com is not available"),
        ({"extra": [{"name": "tier1_mpn", "value": "9999999"}]}, texts.MPN_NOT_FOUND),
        ({"extra": [{"name": "tier1_mpn", "value": "3333333"}]}, texts.MPA_NOT_ACCEPTED),
        (
            {
                "extra": [
                    {"name": "tier1_mpn", "value": "1234567"},
                    {"name": "indirect_reseller_domain", "value": "other.onmicrosoft.com"},
                ]
            },
            "does not belong to MPN Id 1234567",
        ),
        (
            {"quantity": 301},
            "Quantity 301 is not within minimum and maximum allowed quantity (1-300).",
        ),
        ({"quantity": 0}, "not within minimum and maximum allowed quantity"),
        (
            {"tenant": "existing", "domain": "litware.onmicrosoft.com"},
            "The partner id 1234567 has no commerce relationship with the customer id",
        ),
        ({"tenant": "existing", "domain": "tailspintoys.onmicrosoft.com"}, texts.MCA_MISSING),
        ({"mpn": "CFQ7TTC0RM8K:0001"}, "Specify the vendor, subscriptionPeriod and billingPeriod"),
        ({"mpn": "CFQ7TTC0J203:0001"}, "Windows Hybrid Benefit"),
        ({"mpn": "CFQ7TTC0XXXX:0001"}, "was not found"),
        ({"customer": "1000104"}, "Customer #1000104 is not found."),
    ],
)
def test_business_errors_refuse_the_order_synchronously(api, change, message):
    response = api.post("/orders", json=sales_body(**change))
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert api.stats()["ordersCreated"] == 0


def test_ambiguous_mpn_is_accepted_with_a_vendor(api):
    body = sales_body(mpn="CFQ7TTC0RM8K:0001")
    body["products"][0]["vendor"] = "Microsoft"
    assert api.post("/orders", json=body).status_code == 201


def test_ambiguous_mpn_without_periods(api):
    body = sales_body()
    del body["subscriptionPeriod"]
    response = api.post("/orders", json=body)
    assert response.status_code == 400
    assert "More than one product matches MPN CFQ7TTC0LH18:0001" in response.json()["message"]


def test_product_by_id_and_attested_offer(api):
    product = api.get("/products", params={"mpn": "CFQ7TTC0J203:0001"}).json()["data"][0]
    body = sales_body(
        extra=[{"name": "offer_attestation", "structured_value": {"attestation_accepted": True}}]
    )
    body["products"][0] = {
        "id": product["id"],
        "quantity": 2,
        "parameters": body["products"][0]["parameters"],
    }
    order = api.place(body)
    assert order["products"][0]["mpn"] == "CFQ7TTC0J203:0001"


@pytest.mark.parametrize(
    "missing, message",
    [
        ("tenant_preference", "Parameter tenant_preference is required."),
        ("microsoft_domain", "Parameter microsoft_domain is required."),
        (
            "partner_on_record_attestation_accepted",
            "Parameter partner_on_record_attestation_accepted is required.",
        ),
        # Without the partner's confirmation of the MCA, Microsoft answers 13605 (§2.5).
        ("mca_acceptance", texts.MCA_MISSING),
        ("agreement_date", "Parameter agreement_date is required."),
        # Seed 004: "offer_attestation (required)", on a line whose offer needs none too.
        ("offer_attestation", "Parameter offer_attestation is required."),
    ],
)
def test_required_parameters(api, missing, message):
    body = sales_body()
    body["products"][0]["parameters"] = [
        p for p in body["products"][0]["parameters"] if p["name"] != missing
    ]
    response = api.post("/orders", json=body)
    assert response.status_code == 400
    assert response.json()["message"] == message


def test_offer_attestation_must_be_true_or_false(api):
    body = sales_body(extra=[{"name": "offer_attestation", "value": "maybe"}])
    response = api.post("/orders", json=body)
    assert response.status_code == 400
    assert "True or False" in response.json()["message"]


def test_por_attestation_must_be_true(api):
    body = sales_body()
    for parameter in body["products"][0]["parameters"]:
        if parameter["name"] == "partner_on_record_attestation_accepted":
            parameter["structured_value"] = {"attestation_accepted": False}
    response = api.post("/orders", json=body)
    assert response.status_code == 400
    assert "Partner of Record" in response.json()["message"]


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"type": "migration", "customerId": CUSTOMER},
        {"type": "sales", "customerId": CUSTOMER, "products": []},
    ],
)
def test_malformed_orders(api, body):
    assert api.post("/orders", json=body).status_code == 400
