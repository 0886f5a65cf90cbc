"""The catalogue and the cart read nothing twice in one request (issue 14)."""

import pytest
from django.urls import reverse

from catalog.models import Period
from tests.factories import ProductFactory
from tests.query_audit import AuditedClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def audited(reseller_user):
    client = AuditedClient()
    client.force_login(reseller_user)
    return client


def test_catalogue_search_filters_and_cart_repeat_no_query(audited):
    products = [ProductFactory(name=f"Exchange Online plan {n}") for n in range(3)]
    ProductFactory(name="Teams Essentials", term=Period.P1M, billing_period=Period.P1M)

    for params in ({}, {"q": "exchange"}, {"q": products[0].mpn}, {"term": "P1M", "page": "2"}):
        assert audited.get(reverse("catalog:list"), params).status_code == 200
    for product in products:
        added = audited.post(reverse("catalog:cart_add", args=[product.pk]), {"quantity": 2})
        assert added.status_code in (200, 302)
    cart = audited.get(reverse("catalog:cart"))

    assert cart.status_code == 200 and len(cart.context["lines"]) == 3
    assert len(audited.audited) == 8
