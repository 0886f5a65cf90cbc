"""The estate bought elsewhere: seeded subscriptions list and page like any other, and change
behind the product's back; a page of the list fails when told to."""

from .conftest import CUSTOMER


def _seed(api, **body):
    response = api.control.post("/estate", json={"resellerId": "1000001", **body})
    assert response.status_code == 201, response.text
    return response.json()


def test_a_seeded_estate_pages_through_every_subscription_once_and_only_the_resellers(
    api, other_api
):
    seeded = _seed(api, customers=6, subscriptions=45)
    seen = []
    for offset in range(0, 50, 20):
        page = api.get("/subscriptions", params={"offset": offset, "limit": 20}).json()
        assert page["pagination"]["total"] == 45
        seen += [row["id"] for row in page["data"]]
    assert sorted(seen) == sorted(seeded["subscriptionIds"])
    assert "products" not in page["data"][0]  # the detail carries the seats
    detail = api.get(f"/subscriptions/{seen[0]}").json()
    assert detail["products"][0]["quantity"] >= 1 and detail["status"] == "active"
    assert detail["renewalDate"] > detail["creationDate"]
    customers = api.get("/customers", params={"limit": 500}).json()["pagination"]["total"]
    assert customers == 3 + 6
    assert other_api.get("/subscriptions").json()["pagination"]["total"] == 0


def test_a_change_outside_shows_on_the_detail_and_the_list(api):
    [subscription_id] = _seed(api, customers=1, subscriptions=1)["subscriptionIds"]
    response = api.control.post(
        f"/subscriptions/{subscription_id}/outside",
        json={"quantity": 17, "renewalStatus": False},
    )
    assert response.status_code == 200, response.text
    detail = api.get(f"/subscriptions/{subscription_id}").json()
    assert detail["products"][0]["quantity"] == 17 and detail["renewalStatus"] is False
    api.control.post(f"/subscriptions/{subscription_id}/outside", json={"status": "terminated"})
    rows = api.get("/subscriptions", params={"status": "terminated"}).json()["data"]
    assert [row["id"] for row in rows] == [subscription_id]


def test_a_subscription_bought_elsewhere_for_a_known_customer_appears(api):
    response = api.control.post(f"/customers/{CUSTOMER}/subscriptions/outside", json={})
    assert response.status_code == 201
    rows = api.get("/subscriptions", params={"customerId": CUSTOMER}).json()["data"]
    assert response.json()["id"] in [row["id"] for row in rows]


def test_bad_estate_controls_say_what_is_wrong(api):
    assert "reseller" in api.control.post("/estate", json={"resellerId": "9"}).json()["error"]
    bad = api.control.post("/subscriptions/1/outside", json={"quantity": 0})
    assert bad.status_code == 400


def test_one_page_of_the_list_fails_once_when_scripted(api):
    _seed(api, customers=2, subscriptions=30)
    api.fail(kind="status", status=503, path="/subscriptions", query={"offset": "10"}, count=1)
    assert api.get("/subscriptions", params={"offset": 0, "limit": 10}).status_code == 200
    assert api.get("/subscriptions", params={"offset": 10, "limit": 10}).status_code == 503
    assert api.get("/subscriptions", params={"offset": 10, "limit": 10}).status_code == 200
