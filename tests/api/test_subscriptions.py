"""GET /api/v1/subscriptions: the reseller's own, ordered or adopted, filtered and paged."""

from datetime import date

import pytest

from tests.factories import AdoptedSubscriptionFactory, CustomerFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/subscriptions"


def test_subscriptions_are_the_resellers_own_and_filter_by_origin_customer_status_renewal(
    api, reseller
):
    customer = CustomerFactory(reseller=reseller)
    ordered = SubscriptionFactory(order__customer=customer, renewal_date=date(2027, 3, 1))
    adopted = AdoptedSubscriptionFactory(customer=customer, renewal_date=date(2027, 6, 1))
    gone = AdoptedSubscriptionFactory(customer=CustomerFactory(reseller=reseller))
    gone.status = "terminated"
    gone.save()
    AdoptedSubscriptionFactory()  # another reseller's

    everything = api.get(URL).json()
    assert {row["id"] for row in everything["results"]} == {ordered.pk, adopted.pk, gone.pk}
    row = next(r for r in everything["results"] if r["id"] == adopted.pk)
    assert row["origin"] == "adopted" and row["order_reference"] is None
    assert row["upstream_id"] == adopted.upstream_id and row["renewal_date"] == "2027-06-01"

    def ids(**query):
        response = api.get(URL, query)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(origin="ordered") == {ordered.pk}
    assert ids(customer_id=customer.pk) == {ordered.pk, adopted.pk}
    assert ids(status="terminated") == {gone.pk}
    assert ids(renews_from="2027-04-01") == {adopted.pk}
    assert ids(renews_until="2027-04-01") == {ordered.pk}

    first = api.get(URL, {"limit": 2}).json()
    rest = api.get(URL, {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert len(first["results"]) == 2 and len(rest["results"]) == 1
    assert rest["next_cursor"] is None


def test_a_bad_filter_is_a_400_naming_the_parameter(api):
    response = api.get(URL, {"origin": "stolen"})
    assert response.status_code == 400
    assert "origin" in response.content.decode()
