"""Co-terming through the JSON API: validate-only tells the aligned end and the first charge.

The marketplace is the project's simulator, in-process (SimulatorTransport).
"""

import calendar
from datetime import date, timedelta
from decimal import Decimal

import pytest

from catalog.models import Product
from customers.upstream import client_for
from renewals.services import customer_subscriptions_sync
from tests.orders.helpers import completed_order
from tests.orders.simulated import plain_products

from .test_place import payload

pytestmark = pytest.mark.django_db

VALIDATE = "/api/v1/orders/validate"


@pytest.fixture
def existing(upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks):
    """The customer's first purchase, completed: the subscription add-ons co-term with."""
    order = completed_order(
        upstream_customer,
        plain_products(1),
        simulator,
        django_capture_on_commit_callbacks,
        email="b@nw.example",
    )
    with client_for(upstream_customer.reseller) as client:
        customer_subscriptions_sync(customer=upstream_customer, client=client)
    return order.subscriptions.get()


def add_on(customer, subscription, name, **coterm):
    product = Product.objects.get(
        name__startswith=name, term="P1Y", billing_period="P1M", active=True
    )
    body = payload(
        customer,
        [product],
        tenant={"preference": "existing", "domain": subscription.tenant_domain},
    )
    body.pop("agreement")
    if coterm:
        body["coterm"] = coterm
    return body, product


def test_an_add_on_co_termed_on_a_subscription_ends_with_it(
    upstream_api, upstream_customer, existing
):
    body, _ = add_on(
        upstream_customer, existing, "Microsoft 365 Copilot", subscription_id=existing.pk
    )
    response = upstream_api.post(VALIDATE, body)
    assert response.status_code == 200, response.json()["errors"]
    answer = response.json()
    assert answer["coterm_ends_on"] == existing.renewal_date.isoformat()
    assert Decimal("0") < Decimal(answer["first_charge"]) <= Decimal(answer["total"])


def test_mandatory_coterming_is_asked_for_at_its_field(upstream_api, upstream_customer, existing):
    body, _ = add_on(upstream_customer, existing, "Microsoft 365 Copilot")
    response = upstream_api.post(VALIDATE, body)
    assert response.status_code == 422
    (problem,) = [e for e in response.json()["errors"] if "subscriptions" in e["detail"]]
    assert "must end with one of the customer's subscriptions" in problem["detail"]


def test_end_of_month_alignment_shows_the_prorated_first_charge(
    upstream_api, upstream_customer, existing
):
    body, product = add_on(upstream_customer, existing, "Power BI Pro", end_of_month=True)
    response = upstream_api.post(VALIDATE, body)
    assert response.status_code == 200, response.json()["errors"]
    answer = response.json()
    ends = answer["coterm_ends_on"]
    year, month, day = (int(part) for part in ends.split("-"))
    assert day == calendar.monthrange(year, month)[1]  # a month's last day
    today = existing.created_at.date()
    assert today + timedelta(days=300) < date(year, month, day) <= today + timedelta(days=366)
    full_month = product.price * 3
    assert Decimal("0") < Decimal(answer["first_charge"]) <= full_month
