"""Fix and resubmit: a refused value is corrected at its step and the same order goes again.

Against the in-process simulator, through the pipeline's own submit and the
order pages, as a reseller would.
"""

import uuid

import pytest
from django.urls import reverse

from orders.models import Order
from orders.pipeline import submission
from orders.services import order_place
from tests.factories import UserFactory

from .helpers import order_request
from .simulated import plain_products

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(upstream_reseller):
    return UserFactory(reseller=upstream_reseller, email="nora@northwind.example")


def refused(customer, buyer, simulator, callbacks, **overrides):
    order = order_place(
        request=order_request(customer, plain_products(1), **overrides),
        reseller=customer.reseller,
        placed_by=buyer,
        idempotency_key=uuid.uuid4(),
        ip_address=None,
        channel=Order.Channel.WIZARD,
    )
    with callbacks(execute=True):
        submission.order_submit(order.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.FAILED, order.failure_message
    return order


def refused_by(error, customer, buyer, simulator, callbacks):
    """Place a new-tenant order and have the simulator refuse it with a business ``error``."""
    simulator.fail(kind="business", error=error, method="POST", path="/orders", count=1)
    return refused(
        customer,
        buyer,
        simulator,
        callbacks,
        microsoft_domain=f"litware{uuid.uuid4().hex[:8]}.onmicrosoft.com",
    )


def fix_url(order):
    return reverse("orders:fix", args=[order.reference])


def test_a_taken_tenant_name_is_corrected_and_the_same_order_goes_once(
    client, upstream_customer, buyer, simulator, enqueued, django_capture_on_commit_callbacks
):
    order = refused(
        upstream_customer,
        buyer,
        simulator,
        django_capture_on_commit_callbacks,
        microsoft_domain="contoso.onmicrosoft.com",  # a name the simulator has taken
    )
    client.force_login(buyer)
    page = client.get(reverse("orders:detail", args=[order.reference])).content.decode()
    assert fix_url(order) in page and "Correct the tenant name and resubmit" in page

    form = client.get(fix_url(order))
    text = form.content.decode()
    assert 'value="contoso"' in text  # the refused value, ready to edit
    assert "The marketplace said:" in text and "not available to purchase" in text

    bad = client.post(fix_url(order), {"tenant_prefix": "no spaces allowed"})
    assert bad.status_code == 400
    assert Order.objects.get(pk=order.pk).status == Order.Status.FAILED

    prefix = f"contoso{uuid.uuid4().hex[:8]}"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(fix_url(order), {"tenant_prefix": prefix})
    order.refresh_from_db()
    assert order.status == Order.Status.PLACED
    assert order.parameters.get(line=None, name="microsoft_domain").value == (
        f"{prefix}.onmicrosoft.com"
    )
    amend = order.events.get(action="amend")
    assert f"contoso.onmicrosoft.com → {prefix}.onmicrosoft.com" in amend.cause
    assert amend.actor_user == buyer
    assert order.events.filter(action="resubmit").count() == 1

    submission.order_submit(order.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED
    assert simulator.orders_with(order.reference) == 1
    first, second = order.exchanges.filter(operation="create_order").order_by("pk")
    assert "contoso.onmicrosoft.com" in str(first.request_body)
    assert prefix in str(second.request_body)


def test_a_missing_agreement_is_given_at_its_step(
    client, upstream_customer, buyer, simulator, enqueued, django_capture_on_commit_callbacks
):
    order = refused_by(
        "mca_missing", upstream_customer, buyer, simulator, django_capture_on_commit_callbacks
    )
    client.force_login(buyer)
    assert "Microsoft Customer Agreement" in client.get(fix_url(order)).content.decode()

    unticked = client.post(
        fix_url(order),
        {
            "first_name": "Ana",
            "last_name": "Ruiz",
            "email": "ana@litware.example",
            "accepted_on": "01-15-2026",
        },
    )
    assert "Tick the box" in unticked.content.decode()
    client.post(
        fix_url(order),
        {
            "first_name": "Ana",
            "last_name": "Ruiz",
            "email": "ana@litware.example",
            "accepted_on": "01-15-2026",
            "accept": "on",
        },
    )
    order.refresh_from_db()
    values = dict(order.parameters.filter(line=None).values_list("name", "value"))
    assert (values["first_name_agreement"], values["agreement_date"]) == ("Ana", "01-15-2026")
    assert order.status == Order.Status.PLACED


def test_a_refusal_that_names_no_value_has_nothing_to_correct(
    client, upstream_customer, buyer, simulator, enqueued, django_capture_on_commit_callbacks
):
    order = refused_by(
        "quantity", upstream_customer, buyer, simulator, django_capture_on_commit_callbacks
    )
    client.force_login(buyer)
    assert client.get(fix_url(order))["Location"] == reverse(
        "orders:detail", args=[order.reference]
    )
    assert (
        fix_url(order)
        not in client.get(reverse("orders:detail", args=[order.reference])).content.decode()
    )


def test_only_the_owning_reseller_corrects(
    client, upstream_customer, buyer, simulator, enqueued, django_capture_on_commit_callbacks
):
    order = refused(
        upstream_customer,
        buyer,
        simulator,
        django_capture_on_commit_callbacks,
        microsoft_domain="contoso.onmicrosoft.com",
    )
    client.force_login(UserFactory())
    assert client.post(fix_url(order), {"tenant_prefix": "fresh1"}).status_code == 404
    client.force_login(UserFactory(support=True))
    assert client.post(fix_url(order), {"tenant_prefix": "fresh1"}).status_code == 403
    order.refresh_from_db()
    assert order.status == Order.Status.FAILED


def test_a_taken_name_on_the_fix_page_gets_a_field_error_and_nothing_is_sent(
    client, upstream_customer, buyer, simulator, enqueued, django_capture_on_commit_callbacks
):
    order = refused(
        upstream_customer,
        buyer,
        simulator,
        django_capture_on_commit_callbacks,
        microsoft_domain="contoso.onmicrosoft.com",
    )
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(fix_url(order), {"tenant_prefix": "fabrikam"})  # taken upstream

    assert answer.status_code == 400
    form = answer.context["form"]
    assert "fabrikam.onmicrosoft.com" in " ".join(form.errors["tenant_prefix"])
    assert "Free names:" in " ".join(form.errors["tenant_prefix"])  # as the wizard offers them
    order.refresh_from_db()
    assert order.status == Order.Status.FAILED
    assert not order.events.filter(action__in=["amend", "resubmit"]).exists()
    assert order.exchanges.filter(operation="create_order").count() == 1
