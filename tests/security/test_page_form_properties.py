"""Property-based tests of the other forms a reseller, end customer or support person fills in.

Order filters, the support search and the partner profile, each through its
view with generated values: the page answers with the form's errors or the
result, never a 5xx. The simulator is served in-process for the partner check.
"""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from config.request_edge import has_control_character
from tests.factories import CustomerFactory, OrderFactory, UserFactory
from tests.simulated import simulated_marketplace, synced_reseller

pytestmark = pytest.mark.django_db

values = st.one_of(
    st.sampled_from(
        ["", "placed", "failed", "2026-03-02", "2026-02-30", "03/02/2026", "1", "-1", "\x00"]
    ),
    st.sampled_from(["9" * 30, "SO0001", "NCE-", "%", "_", "'", "*", "contoso.onmicrosoft.com"]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40),
)


def expected_status(*query_values) -> int:
    """200, or 400 when a query value holds a control character (refused at the edge)."""
    return 400 if any(has_control_character(v) for v in query_values) else 200


@pytest.fixture
def reseller_client(client, db):
    user = UserFactory()
    customer = CustomerFactory(reseller=user.reseller)
    OrderFactory(customer=customer)
    client.force_login(user)
    return client


@given(q=values, status=values, customer=values, placed_from=values, placed_to=values)
def test_order_filters(reseller_client, q, status, customer, placed_from, placed_to):
    response = reseller_client.get(
        reverse("orders:list"),
        {
            "q": q,
            "status": status,
            "customer": customer,
            "placed_from": placed_from,
            "placed_to": placed_to,
        },
    )
    assert response.status_code == expected_status(q, status, customer, placed_from, placed_to)


@pytest.fixture
def support_client(client, db):
    client.force_login(UserFactory(support=True))
    return client


@given(q=values)
def test_support_search(support_client, q):
    response = support_client.get(reverse("support:search"), {"q": q})
    assert response.status_code == expected_status(q)


@pytest.fixture
def partner_client(client, db):
    with simulated_marketplace():
        reseller = synced_reseller()
        client.force_login(UserFactory(reseller=reseller))
        yield client


@given(mpn_id=values, domain=values)
def test_partner_profile(partner_client, mpn_id, domain):
    response = partner_client.post(
        reverse("customers:partner"), {"mpn_id": mpn_id, "indirect_reseller_domain": domain}
    )
    assert response.status_code in (200, 302)
