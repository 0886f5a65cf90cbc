"""Subscription pages: an end customer sees its own subscriptions in plain words, no one else's."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from catalog.models import Period
from customers.models import Contact
from orders.models import Order
from orders.notifications import notify_completion
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    SubscriptionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PURCHASED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def subscription(customer):
    product = ProductFactory(
        name="Microsoft 365 E3 (NCE COM 3YR)", term=Period.P3Y, billing_period=Period.P1Y
    )
    return SubscriptionFactory(
        order=OrderFactory(customer=customer, status=Order.Status.COMPLETED),
        product=product,
        seats=12,
        tenant_domain="contosoltd.onmicrosoft.com",
        created_at=PURCHASED,
        cancellation_window_ends_at=PURCHASED + timedelta(hours=168),
        renewal_date=date(2029, 3, 2),
        auto_renew=True,
    )


@pytest.fixture
def customer_user(customer):
    return UserFactory(end_customer=True, customer=customer)


def detail_url(subscription):
    return reverse("subscriptions:detail", kwargs={"pk": subscription.pk})


def test_the_customer_reads_its_subscription_in_plain_words(client, customer_user, subscription):
    client.force_login(customer_user)
    with time_machine.travel(PURCHASED + timedelta(days=2), tick=False):
        page = client.get(detail_url(subscription)).content.decode()

    assert "Microsoft 365 E3 (NCE COM 3YR)" in page
    assert "3 years, billed annually" in page
    assert "contosoltd.onmicrosoft.com" in page
    assert "2 March 2029" in page and "Renews automatically" in page
    assert "Open until 9 March 2026, 09:00 UTC" in page
    assert subscription.order.reference in page
    assert 'href="https://admin.microsoft.com"' in page
    assert "Approved Partner Roles" in page
    # No approval link until a check has found one waiting.
    assert "partner-invitation" not in page


def test_the_window_closed_and_unknown_renewal_are_said_so(client, customer_user, subscription):
    subscription.auto_renew, subscription.renewal_date = None, None
    subscription.save()
    client.force_login(customer_user)
    with time_machine.travel(PURCHASED + timedelta(days=9), tick=False):
        page = client.get(detail_url(subscription)).content.decode()

    assert "Closed on 9 March 2026, 09:00 UTC" in page
    assert "Not known yet" in page
    assert "cancellation window has closed" in page


def test_the_customer_lists_only_its_own_subscriptions(client, customer_user, subscription):
    theirs = SubscriptionFactory(product__name="Someone Else's Plan")
    client.force_login(customer_user)

    listing = client.get(reverse("subscriptions:list")).content.decode()
    home = client.get(reverse("home")).content.decode()

    assert subscription.product.name in listing and "Someone Else's Plan" not in listing
    assert detail_url(subscription) in home and detail_url(theirs) not in home
    assert client.get(detail_url(theirs)).status_code == 404


def test_a_customer_of_the_same_reseller_cannot_open_it(client, subscription, reseller):
    neighbour = UserFactory(end_customer=True, customer=CustomerFactory(reseller=reseller))
    client.force_login(neighbour)

    assert client.get(detail_url(subscription)).status_code == 404
    check = reverse("subscriptions:partner_roles", kwargs={"pk": subscription.pk})
    assert client.post(check).status_code == 404


def test_the_resellers_staff_open_it_from_the_customer_page(client, reseller_user, subscription):
    client.force_login(reseller_user)
    customer_page = client.get(reverse("customers:detail", args=[subscription.customer_id]))

    assert detail_url(subscription) in customer_page.content.decode()
    page = client.get(detail_url(subscription)).content.decode()
    assert "3 years, billed annually" in page and subscription.customer.company_name in page


def test_another_resellers_staff_get_a_404(client, other_reseller_user, subscription):
    client.force_login(other_reseller_user)

    assert client.get(detail_url(subscription)).status_code == 404
    assert (
        subscription.product.name not in client.get(reverse("subscriptions:list")).content.decode()
    )


def test_support_reads_but_cannot_run_the_check(client, support_user, subscription):
    client.force_login(support_user)

    page = client.get(detail_url(subscription)).content.decode()
    refused = client.post(reverse("subscriptions:partner_roles", kwargs={"pk": subscription.pk}))

    assert subscription.product.name in page
    assert refused.status_code == 403
    assert not subscription.partner_roles_checks.exists()


def test_the_check_refuses_get(client, customer_user, subscription):
    client.force_login(customer_user)
    url = reverse("subscriptions:partner_roles", kwargs={"pk": subscription.pk})

    assert client.get(url).status_code == 405


def test_the_order_lines_say_annual_billing_in_words_too(client, customer_user, subscription):
    OrderLineFactory(order=subscription.order, product=subscription.product)
    client.force_login(customer_user)
    url = reverse("orders:detail", kwargs={"reference": subscription.order.reference})

    page = client.get(url).content.decode()

    assert "3 years, billed annually" in page and "billed annual<" not in page


def test_one_seat_is_one_seat_on_the_order_page_and_in_the_completion_mails(
    client, reseller, customer, subscription, mailoutbox
):
    subscription.seats = 1
    subscription.save()
    ContactFactory(customer=customer, kind=Contact.Kind.ADMIN, email="ann@contoso.example")
    staff = UserFactory(reseller=reseller, email="nora@northwind.example")
    client.force_login(staff)
    url = reverse("orders:detail", kwargs={"reference": subscription.order.reference})
    page = client.get(url).content.decode()
    notify_completion(subscription.order_id)

    assert "1 seats" not in page and "· 1 seat " in page
    assert mailoutbox and all("1 seats" not in m.body for m in mailoutbox)
    assert any(": 1 seat on contosoltd" in m.body for m in mailoutbox)
