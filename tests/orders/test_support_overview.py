"""Support's first page: failed, stuck, waiting and recent orders across resellers, and a
search by our order number, whole or by its start."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Order, OrderParameter
from orders.reference import new_reference
from tests.factories import OrderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_client(client):
    client.force_login(UserFactory(support=True))
    return client


def section(page, key):
    return page.split(f'id="support-{key}"', 1)[1].split("</section>", 1)[0]


def test_the_first_page_lists_failed_stuck_waiting_and_recent_orders_of_every_reseller(
    support_client,
):
    failed = OrderFactory(status=Order.Status.FAILED)
    stuck = OrderFactory(
        status=Order.Status.PROCESSING, submitted_at=timezone.now() - timedelta(days=2)
    )
    fresh = OrderFactory(status=Order.Status.PROCESSING, submitted_at=timezone.now())
    waiting = OrderFactory(status=Order.Status.AWAITING_APPROVAL)
    completed = OrderFactory(status=Order.Status.COMPLETED)
    assert len({o.reseller_id for o in (failed, stuck, waiting, completed)}) == 4

    page = support_client.get(reverse("support:search")).content.decode()

    assert failed.reference in section(page, "failed")
    assert stuck.reference in section(page, "stuck")
    assert fresh.reference not in section(page, "stuck")
    assert waiting.reference in section(page, "waiting")
    recent = section(page, "recent")
    assert all(o.reference in recent for o in (failed, stuck, fresh, waiting, completed))
    assert completed.reference not in section(page, "failed") + section(page, "waiting")


@pytest.mark.parametrize("typed", ["whole", "NCE-", "prefix", "without NCE-", "lower case"])
def test_a_search_by_our_order_number_finds_it(support_client, typed):
    reference = new_reference()
    order = OrderFactory(reference=reference)
    other = OrderFactory(
        reference="NCE-ZZZZZZZZ" if not reference.startswith("NCE-Z") else "NCE-YYYYYYYY"
    )
    query = {
        "whole": reference,
        "NCE-": "NCE-",
        "prefix": reference[:7],
        "without NCE-": reference[4:9],
        "lower case": reference[:8].lower(),
    }[typed]

    page = support_client.get(reverse("support:search"), {"q": query}).content.decode()

    assert order.reference in page, query
    assert "No order matches" not in page
    if typed not in ("NCE-",):
        assert other.reference not in page


def test_a_search_by_a_new_tenants_domain_lists_its_order_once(support_client):
    order = OrderFactory()
    for line_number in range(2):  # the domain on the order and on a line: still one result
        OrderParameter.objects.create(
            order=order, name="microsoft_domain", value=f"contosonew{line_number}.onmicrosoft.com"
        )
    other = OrderFactory()
    OrderParameter.objects.create(
        order=other, name="microsoft_domain", value="fabrikamnew.onmicrosoft.com"
    )

    response = support_client.get(reverse("support:search"), {"q": "contosonew"})

    assert list(response.context["orders"]) == [order]
