"""The catalogue list: segment tiles, search by name and MPN, term and billing filters, paging."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Period, Segment
from catalog.selectors import PAGE_SIZE
from tests.factories import ProductFactory, UserFactory
from tests.simulated import simulated_marketplace, synced_reseller

pytestmark = pytest.mark.django_db


def names(response):
    return [product.name for product in response.context["page"].products]


def test_tiles_for_every_segment_and_commercial_first(client, reseller_user):
    ProductFactory(name="Office COM", segment=Segment.COMMERCIAL)
    ProductFactory(name="Office EDU", segment=Segment.EDUCATION)
    client.force_login(reseller_user)

    response = client.get(reverse("catalog:list"))

    body = response.content.decode()
    for label in ("Commercial", "Education", "Nonprofit", "Government"):
        assert label in body
    assert names(response) == ["Office COM"]
    assert names(client.get(reverse("catalog:list"), {"segment": "education"})) == ["Office EDU"]


def test_search_by_name_and_by_mpn(client, reseller_user):
    ProductFactory(name="Microsoft 365 Business Premium", mpn="CFQ7TTC0LCHC:0002")
    ProductFactory(name="Exchange Online (Plan 1)", mpn="CFQ7TTC0LH16:0001")
    client.force_login(reseller_user)
    url = reverse("catalog:list")

    assert names(client.get(url, {"q": "premium"})) == ["Microsoft 365 Business Premium"]
    assert names(client.get(url, {"q": "cfq7ttc0lh16"})) == ["Exchange Online (Plan 1)"]


def test_filters_by_term_and_billing(client, reseller_user):
    ProductFactory(name="Monthly term", term=Period.P1M, billing_period=Period.P1M)
    ProductFactory(name="Annual paid monthly", term=Period.P1Y, billing_period=Period.P1M)
    ProductFactory(name="Annual paid yearly", term=Period.P1Y, billing_period=Period.P1Y)
    client.force_login(reseller_user)
    url = reverse("catalog:list")

    assert names(client.get(url, {"term": "P1Y", "billing": "P1Y"})) == ["Annual paid yearly"]
    assert sorted(names(client.get(url, {"billing": "P1M"}))) == [
        "Annual paid monthly",
        "Monthly term",
    ]


def test_pages_without_counting_and_keeps_the_filters(client, reseller_user):
    for n in range(PAGE_SIZE + 3):
        ProductFactory(name=f"Plan {n:03d}")
    client.force_login(reseller_user)

    first = client.get(reverse("catalog:list"), {"q": "plan"})
    second = client.get(reverse("catalog:list"), {"q": "plan", "page": "2"})

    assert len(names(first)) == PAGE_SIZE and first.context["page"].has_next
    assert names(second) == ["Plan 025", "Plan 026", "Plan 027"]
    assert not second.context["page"].has_next
    assert "q=plan&amp;page=2" in first.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-4"},
        {"page": "x"},
        {"segment": "<script>"},
        {"term": "P9Y"},
        {"q": "%00' or 1=1"},
        {"page": "99999999999999999999"},
    ],
)
def test_malformed_parameters_never_fail(client, reseller_user, params):
    client.force_login(reseller_user)

    assert client.get(reverse("catalog:list"), params).status_code == 200


def test_list_query_count_does_not_grow_with_the_rows_shown(client, reseller_user):
    client.force_login(reseller_user)
    ProductFactory()
    with CaptureQueriesContext(connection) as one_row:
        client.get(reverse("catalog:list"))
    for _ in range(PAGE_SIZE):
        ProductFactory()
    with CaptureQueriesContext(connection) as full_page:
        client.get(reverse("catalog:list"))

    assert len(full_page) == len(one_row)
    assert not any("COUNT(" in query["sql"].upper() for query in full_page.captured_queries)


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("catalog:list"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_plan_listed_under_two_vendors_shows_which_row_is_which(client):
    """The marketplace sells Teams Essentials under two vendors; both rows must be told apart."""
    with simulated_marketplace():
        reseller = synced_reseller()
    client.force_login(UserFactory(reseller=reseller))

    response = client.get(
        reverse("catalog:list"), {"q": "Teams Essentials", "term": "P1Y", "billing": "P1M"}
    )

    rows = response.context["page"].products
    assert len(rows) == 2 and len({(row.mpn, row.name) for row in rows}) == 1
    body = response.content.decode()
    labels = re.findall(r'aria-label="(Add [^"]+)"', body)
    assert len(labels) == 2 and len(set(labels)) == 2
    for row in rows:
        assert f"sold by {row.vendor}, to cart" in body
