"""Reseller accounts opened after the seed, and tenants the customer made itself."""

import pytest

from simulator.app import create_app
from simulator.config import config_for_profile

from . import upstream_texts as texts
from .conftest import Api, sales_body
from .test_customers import NEW_CUSTOMER
from .test_validation import verdicts

CONTOSO = {
    "name": "Contoso Partners",
    "mpnId": "5000001",
    "resellerDomain": "contosopartners.onmicrosoft.com",
}


def onboard(api, **changes):
    response = api.control.post("/resellers", json=CONTOSO | changes)
    assert response.status_code == 201, response.text
    return response.json()


def as_account(app, account):
    return Api(
        app,
        username=account["username"],
        password=account["password"],
        key=account["subscriptionKey"],
    ).login()


def test_an_onboarded_reseller_signs_in_with_its_own_credentials_and_sees_only_itself(app, api):
    account = onboard(api)
    contoso = as_account(app, account)
    assert [r["id"] for r in contoso.get("/resellers").json()["data"]] == [account["resellerId"]]
    assert account["resellerId"] not in {"1000001", "1000002"}
    assert contoso.get("/resellers/1000001").status_code == 404
    # Northwind's customers are not Contoso's.
    assert contoso.get("/customers").json()["data"] == []


def test_each_onboarded_key_has_a_rate_budget_of_its_own(app, api):
    contoso = as_account(app, onboard(api))
    api.control.post("/rate-limit", json={"limit": 3, "windowSeconds": 60})
    northwind_codes = [api.get("/customers").status_code for _ in range(4)]
    assert northwind_codes == [200, 200, 200, 429]
    assert contoso.get("/customers").status_code == 200


def test_the_onboarded_partner_profile_is_known_to_partner_center(app, api):
    contoso = as_account(app, onboard(api))
    customer = contoso.post("/customers", json=NEW_CUSTOMER).json()["id"]
    ready = verdicts(
        contoso,
        ("tier1_mpn", "5000001"),
        ("indirect_reseller_domain", CONTOSO["resellerDomain"]),
        customer=customer,
    )
    assert ready["tier1_mpn"]["result"] == "success"
    assert ready["indirect_reseller_domain"]["result"] == "success"
    mismatched = verdicts(
        contoso,
        ("tier1_mpn", "5000001"),
        ("indirect_reseller_domain", "northwindit.onmicrosoft.com"),
        customer=customer,
    )
    assert mismatched["indirect_reseller_domain"]["result"] == "error"


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"name": " "}, "name is required."),
        ({"mpnId": "50001"}, "mpnId must be 7 digits."),
        ({"mpnId": "1234567"}, "already belongs"),  # Northwind's
        ({"mpnId": "9999999"}, "already belongs"),  # scripted "not found"
        ({"resellerDomain": "northwindit.onmicrosoft.com"}, "already belongs"),
        ({"resellerDomain": "contoso.example"}, "must end with .onmicrosoft.com"),
    ],
)
def test_onboarding_refuses_what_partner_center_would_not_hold(api, changes, problem):
    response = api.control.post("/resellers", json=CONTOSO | changes)
    assert response.status_code == 400
    assert problem in response.json()["error"]


def test_onboarded_accounts_survive_a_restart_and_go_on_reset(tmp_path):
    config = config_for_profile("test", state_path=str(tmp_path / "state.sqlite3"))
    first = Api(create_app(config)).login()
    account = onboard(first)
    restarted = create_app(config)
    assert as_account(restarted, account).get("/resellers").status_code == 200
    first.control.post("/reset")
    after_reset = Api(create_app(config), key=account["subscriptionKey"])
    assert after_reset.http.post("/token", json={"marketplace": "us"}).status_code == 401


def test_an_order_may_name_a_tenant_the_customer_made_itself(api):
    added = api.control.post(
        "/tenants",
        json={"domain": "Contoso7.onmicrosoft.com", "relationship": True, "mcaAccepted": True},
    )
    assert added.status_code == 201
    assert added.json()["domain"] == "contoso7.onmicrosoft.com"
    order = api.place(sales_body(tenant="existing", domain="contoso7.onmicrosoft.com"))
    assert order["status"] == "submitted"


def test_a_tenant_without_the_relationship_or_the_agreement_says_so(api):
    api.control.post("/tenants", json={"domain": "contoso8.onmicrosoft.com"})
    found = verdicts(
        api,
        ("tier1_mpn", "1234567"),
        ("tenant_preference", "existing"),
        ("microsoft_domain", "contoso8.onmicrosoft.com"),
        ("mca_acceptance", ""),
    )
    assert found["microsoft_domain"]["result"] == "error"
    assert "relationship" in found["microsoft_domain"]["message"]
    assert found["mca_acceptance"]["message"] == texts.MCA_MISSING


@pytest.mark.parametrize(
    "body, problem",
    [
        ({"domain": "woodgrovebank.onmicrosoft.com"}, "already exists"),
        ({"domain": "contoso9.example"}, "letters and digits"),
        ({"domain": "contoso9.onmicrosoft.com", "relationship": "yes"}, "true or false"),
    ],
)
def test_adding_a_tenant_refuses_what_cannot_be(api, body, problem):
    response = api.control.post("/tenants", json=body)
    assert response.status_code == 400
    assert problem in response.json()["error"]
