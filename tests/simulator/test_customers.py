"""Customers: list, get, create, patch, and the 400 that names the invalid field."""

import copy

import pytest

from .conftest import CUSTOMER

NEW_CUSTOMER = {
    "name": "Adatum Corporation",
    "externalId": "CRM-42",
    "language": "en_US",
    "address": {
        "streetAddress": "1 Microsoft Way",
        "city": "Redmond",
        "state": "WA",
        "postalCode": "98052",
        "countryCode": "US",
    },
    "contactPersons": [
        {
            "type": "admin",
            "firstName": "Ada",
            "lastName": "Lovelace",
            "email": "ada@adatum.example",
            "phoneNumber": "+14255550100",
            "login": "ada.admin",
            "password": "Str0ng!pass",
        }
    ],
}


def test_list_shows_only_the_resellers_own_customers(api, other_api):
    mine = api.get("/customers").json()
    assert {c["resellerId"] for c in mine["data"]} == {"1000001"}
    theirs = other_api.get("/customers").json()["data"]
    assert [c["id"] for c in theirs] == ["1000104"]
    assert other_api.get(f"/customers/{CUSTOMER}").status_code == 404


def test_list_filters(api):
    assert [c["name"] for c in api.get("/customers", params={"name": "tOYs"}).json()["data"]] == [
        "Tailspin Toys"
    ]
    by_email = api.get("/customers", params={"email": "ava.reyes@woodgrove.example"}).json()
    assert [c["id"] for c in by_email["data"]] == [CUSTOMER]
    by_external = api.get("/customers", params={"externalId": "EXT-1000102"}).json()["data"]
    assert [c["id"] for c in by_external] == ["1000102"]


def test_create_get_and_patch(api):
    response = api.post("/customers", json=NEW_CUSTOMER)
    assert response.status_code == 201
    created = response.json()
    assert created["id"].isdigit() and created["resellerId"] == "1000001"
    assert created["status"] == "active"
    admin = created["contactPersons"][0]
    assert "login" not in admin and "password" not in admin  # write-only
    assert api.get(f"/customers/{created['id']}").json() == created
    patched = api.patch(
        f"/customers/{created['id']}", json={"name": "Adatum Holdings", "taxRegId": "00-123"}
    ).json()
    assert patched["name"] == "Adatum Holdings" and patched["taxRegId"] == "00-123"
    assert api.patch(f"/customers/{created['id']}", json={"name": "x"}).status_code == 400


def with_change(path, value):
    body = copy.deepcopy(NEW_CUSTOMER)
    target = body
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is None:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return body


@pytest.mark.parametrize(
    "path, value, field",
    [
        ("name", None, "name"),
        ("name", "X", "name"),
        ("name", "LLC", "name"),
        ("name", "999", "name"),
        ("name", "1 2 3", "name"),
        ("name", "!!!", "name"),
        ("language", "en_GB", "language"),
        ("address.postalCode", None, "address.postalCode"),
        ("address.countryCode", "usa", "address.countryCode"),
        ("address.state", "Washington", "address.state"),
        ("contactPersons.0.email", "ada@microsoft.com", "contactPersons[0].email"),
        ("contactPersons.0.email", "not-an-email", "contactPersons[0].email"),
        ("contactPersons.0.phoneNumber", "555-0100", "contactPersons[0].phoneNumber"),
        ("contactPersons.0.firstName", "A", "contactPersons[0].firstName"),
        ("contactPersons.0.lastName", "test", "contactPersons[0].lastName"),
        ("contactPersons.0.type", "owner", "contactPersons[0].type"),
        ("contactPersons.0.login", "ab", "contactPersons[0].login"),
        ("contactPersons.0.password", "password", "contactPersons[0].password"),
        ("contactPersons", [], "contactPersons"),
    ],
)
def test_invalid_customer_fields_get_a_400_naming_the_field(api, path, value, field):
    response = api.post("/customers", json=with_change(path, value))
    assert response.status_code == 400
    assert f"'{field}'" in response.json()["message"]
    assert api.get("/customers").json()["pagination"]["total"] == 3


def test_state_is_optional_outside_the_countries_that_need_it(api):
    body = with_change("address.state", None)
    body["address"]["countryCode"] = "DE"
    assert api.post("/customers", json=body).status_code == 201


def test_body_must_be_json(api):
    response = api.post(
        "/customers",
        content=b"name=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
