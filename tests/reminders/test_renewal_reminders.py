"""Renewal reminders: 30 and 7 days before a renewal, once each, saying what the renewal will do.

Subscriptions are bought, synced and changed through the product's own services against the
in-process simulator (over its HTTP interface): the reduction and the term change waiting for
the renewal are change orders the simulator accepted. Time is moved with time_machine.
"""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from catalog.models import Product
from customers.models import Reseller
from customers.upstream import client_for
from estate.services import import_run_start, import_run_step
from orders.models import Subscription
from orders.services.renewal_changes import renewal_change_schedule
from orders.services.switching import plan_switch, plan_switch_options
from pricing.models import Method, PriceBook, Rounding
from pricing.selectors import price_resolve
from reminders.models import RenewalReminder
from reminders.services import renewal_reminders_send
from renewals.services import customer_subscriptions_sync, subscription_set_auto_renew
from tests.factories import (
    CustomerFactory,
    MarketplaceConnectionFactory,
    ResellerFactory,
    UserFactory,
)
from tests.orders.helpers import complete_through_simulator, completed_order
from tests.simulated import BASE_URL
from tests.smtp import refuse_mail

pytestmark = pytest.mark.django_db

BASIC = "CFQ7TTC0LH18:0001"
STANDARD = "CFQ7TTC0LDPB:0001"


def product(mpn, term="P1Y", billing="P1M"):
    return Product.objects.get(mpn=mpn, term=term, billing_period=billing, active=True)


def synced(subscription):
    customer = subscription.customer
    with client_for(customer.reseller) as client:
        customer_subscriptions_sync(customer=customer, client=client)
    subscription.refresh_from_db()
    return subscription


def days_before(subscription, days, hour=9):
    """The moment ``days`` days before the subscription's renewal date, at ``hour`` UTC."""
    day = subscription.renewal_date - timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=UTC)


@pytest.fixture
def bought(upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks):
    """Northwind's completed order of 3 seats each of Business Basic and Business Standard,
    one-year term billed monthly, synced (renewal date and auto-renew known)."""
    order = completed_order(
        upstream_customer,
        [product(BASIC), product(STANDARD)],
        simulator,
        django_capture_on_commit_callbacks,
        email="nora@northwind.example",
    )
    basic, standard = (order.subscriptions.get(product__mpn=mpn) for mpn in (BASIC, STANDARD))
    synced(basic)
    synced(standard)
    mail.outbox.clear()
    return order, basic, standard


def body_of(address):
    (message,) = [message for message in mail.outbox if address in message.to]
    return message.body


def test_reminded_30_and_7_days_before_once_each(bought):
    order, basic, standard = bought
    assert basic.renewal_date == standard.renewal_date

    with time_machine.travel(days_before(basic, 31)):
        assert renewal_reminders_send() == 0
    with time_machine.travel(days_before(basic, 30)):
        assert renewal_reminders_send() == 2  # both subscriptions, in one e-mail
        assert renewal_reminders_send() == 0  # none twice
    with time_machine.travel(days_before(basic, 12)):
        assert renewal_reminders_send() == 0
    with time_machine.travel(days_before(basic, 7)):
        assert renewal_reminders_send() == 2
        assert renewal_reminders_send() == 0
    with time_machine.travel(days_before(basic, 0, hour=1)):
        assert renewal_reminders_send() == 0  # the renewal has come

    assert len(mail.outbox) == 2
    assert all(message.to == ["nora@northwind.example"] for message in mail.outbox)
    assert "2 subscriptions, the first in 30 days" in mail.outbox[0].subject
    assert "the first in 7 days" in mail.outbox[1].subject
    claims = RenewalReminder.objects.filter(subscription=basic)
    assert sorted(claims.values_list("days_before", flat=True)) == [7, 30]
    assert {claim.renewal_date for claim in claims} == {basic.renewal_date}


def test_first_seen_inside_7_days_gets_only_the_7_day_reminder(bought):
    _, basic, _ = bought
    with time_machine.travel(days_before(basic, 5)):
        assert renewal_reminders_send() == 2
    assert set(RenewalReminder.objects.values_list("days_before", flat=True)) == {7}
    assert "the first in 5 days" in mail.outbox[0].subject


def test_a_monthly_term_is_reminded_only_7_days_before(
    upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks
):
    order = completed_order(
        upstream_customer,
        [product(BASIC, term="P1M")],
        simulator,
        django_capture_on_commit_callbacks,
        email="nora@northwind.example",
    )
    monthly = synced(order.subscriptions.get())
    with time_machine.travel(days_before(monthly, 25)):
        assert renewal_reminders_send() == 0  # a 30-day reminder would follow each renewal
    with time_machine.travel(days_before(monthly, 6)):
        assert renewal_reminders_send() == 1


def test_a_scheduled_reduction_and_term_change_are_listed_with_the_bill_before_and_after(
    bought, simulator, django_capture_on_commit_callbacks
):
    order, basic, standard = bought
    buyer = order.placed_by
    reduction = renewal_change_schedule(subscription=basic, new_total=2, user=buyer)
    complete_through_simulator(reduction, simulator, django_capture_on_commit_callbacks)
    with client_for(order.reseller) as client:
        options = plan_switch_options(subscription=standard, client=client)
        monthly_term = next(o for o in options if o.at_renewal and o.product.term == "P1M")
        switch = plan_switch(
            subscription=standard,
            plan_id=monthly_term.plan_id,
            seats=standard.seats,
            user=buyer,
            client=client,
        )
    complete_through_simulator(switch, simulator, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with time_machine.travel(days_before(basic, 30)):
        assert renewal_reminders_send() == 2
    body = body_of("nora@northwind.example")

    basic_price, standard_price = basic.product.price, standard.product.price
    assert f"Scheduled change {reduction.reference}: 3 → 2 seats." in body
    assert (
        f"Bill {3 * basic_price:.2f} USD per month → {2 * basic_price:.2f} USD per month." in body
    )
    assert f"Renews with 2 seats of {basic.product.name}, 1 year, billed monthly." in body
    target = monthly_term.product
    assert (
        f"Scheduled change {switch.reference}: 1 year, billed monthly → 1 month, billed monthly."
        in body
    )
    assert (
        f"Bill {3 * standard_price:.2f} USD per month → {3 * target.price:.2f} USD per month."
        in body
    )
    assert f"Renews with 3 seats of {target.name}, 1 month, billed monthly." in body
    link = reverse("subscriptions:detail", kwargs={"pk": basic.pk}) + "#renewal-heading"
    assert link in body


def test_the_renewals_and_subscription_pages_say_what_a_term_change_does(
    bought, simulator, client, django_capture_on_commit_callbacks
):
    order, _, standard = bought
    with client_for(order.reseller) as marketplace:
        options = plan_switch_options(subscription=standard, client=marketplace)
        monthly_term = next(o for o in options if o.at_renewal and o.product.term == "P1M")
        switch = plan_switch(
            subscription=standard,
            plan_id=monthly_term.plan_id,
            seats=standard.seats,
            user=order.placed_by,
            client=marketplace,
        )
    complete_through_simulator(switch, simulator, django_capture_on_commit_callbacks)
    # The product's name barely differs: the words say what changes (as the reminder does).
    words = "1 year, billed monthly → 1 month, billed monthly"
    with time_machine.travel(days_before(standard, 5)):
        client.force_login(order.placed_by)
        renewals = client.get(reverse("renewals:upcoming")).content.decode()
        detail = client.get(reverse("subscriptions:detail", args=[standard.pk])).content.decode()
    for page in (renewals, detail):
        assert words in page
        assert "Switch to" not in page


def test_auto_renew_off_says_the_subscription_will_end(bought):
    order, basic, _ = bought
    subscription_set_auto_renew(subscription=basic, enabled=False, user=order.placed_by)
    with time_machine.travel(days_before(basic, 30)):
        renewal_reminders_send()
    body = body_of("nora@northwind.example")
    section = body.split(basic.product.name, 1)[1].split("- ", 1)[0]
    assert "Will not renew: auto-renew is off." in section
    assert "Renews with" not in section


def test_auto_renew_not_yet_known_is_said_honestly(bought):
    _, basic, _ = bought
    Subscription.objects.filter(pk=basic.pk).update(auto_renew=None)  # as before a first sync
    with time_machine.travel(days_before(basic, 30)):
        renewal_reminders_send()
    assert "Not known yet whether it renews" in body_of("nora@northwind.example")


@pytest.fixture
def adopted(simulator, upstream_reseller):
    """A subscription bought elsewhere, adopted by Northwind's estate import."""
    simulator.post("estate", {"resellerId": "1000001", "customers": 1, "subscriptions": 1})
    run = import_run_start(reseller=upstream_reseller, user=None, kind="import")
    while import_run_step(run_id=run.pk) is not None:  # what the worker's task does
        pass
    return Subscription.objects.select_related("customer", "product").get(origin="adopted")


def test_an_adopted_subscription_is_reminded_too(adopted, upstream_reseller):
    UserFactory(reseller=upstream_reseller, email="nora@northwind.example")
    assert adopted.order is None and adopted.renewal_date is not None
    with time_machine.travel(days_before(adopted, 7)):
        assert renewal_reminders_send() == 1
    body = body_of("nora@northwind.example")
    assert f"(adopted subscription {adopted.upstream_id})" in body
    assert adopted.customer.company_name in body and adopted.product.name in body


def marked_up(reseller):
    """The reseller sells at cost plus 25 %, rounded up to the cent: not the list price."""
    return PriceBook.objects.create(
        reseller=reseller, method=Method.MARKUP, rate=Decimal("25"), rounding=Rounding.UP_CENT
    )


def test_the_bill_is_at_the_customers_price_not_the_list_price(
    upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks
):
    marked_up(upstream_customer.reseller)
    order = completed_order(
        upstream_customer,
        [product(BASIC)],
        simulator,
        django_capture_on_commit_callbacks,
        email="nora@northwind.example",
    )
    basic = synced(order.subscriptions.get())
    assert basic.unit_price != basic.product.price
    mail.outbox.clear()
    with time_machine.travel(days_before(basic, 30)):
        renewal_reminders_send()
    body = body_of("nora@northwind.example")
    assert f"{basic.seats * basic.unit_price:.2f} USD per month" in body
    assert f"{basic.seats * basic.product.price:.2f} USD" not in body


def test_an_adopted_subscription_is_billed_at_the_price_book_today(adopted, upstream_reseller):
    marked_up(upstream_reseller)
    UserFactory(reseller=upstream_reseller, email="nora@northwind.example")
    assert adopted.unit_price is None  # no order of ours priced it
    resolved = price_resolve(
        reseller=upstream_reseller, customer=adopted.customer, product=adopted.product
    )
    assert resolved.price != adopted.product.price
    with time_machine.travel(days_before(adopted, 7)):
        renewal_reminders_send()
    body = body_of("nora@northwind.example")
    assert f"{adopted.seats * resolved.price:.2f} USD per" in body


@pytest.fixture
def fabrikam(simulator, upstream_reseller):
    """A second reseller with its own marketplace account, customer and staff."""
    reseller = ResellerFactory(
        name="Fabrikam Cloud Partners",
        connection=MarketplaceConnectionFactory(
            base_url=BASE_URL,
            username="fabrikam-api",
            password="fabrikam-password",
            subscription_key="fabrikam-subscription-key",
        ),
        upstream_reseller_id="1000002",
        mpn_id="7654321",
        indirect_reseller_domain="fabrikampartners.onmicrosoft.com",
        tier_status=Reseller.TierStatus.READY,
    )
    return CustomerFactory(reseller=reseller, upstream_customer_id="1000104")


def test_each_reseller_gets_only_its_own_subscriptions(
    bought, fabrikam, simulator, django_capture_on_commit_callbacks
):
    _, basic, _ = bought
    theirs = completed_order(
        fabrikam,
        [product(BASIC)],
        simulator,
        django_capture_on_commit_callbacks,
        email="felix@fabrikam.example",
    ).subscriptions.get()
    synced(theirs)
    assert theirs.renewal_date == basic.renewal_date
    mail.outbox.clear()  # the order's completion e-mail

    with time_machine.travel(days_before(basic, 30)):
        assert renewal_reminders_send() == 3

    ours, other = body_of("nora@northwind.example"), body_of("felix@fabrikam.example")
    assert basic.customer.company_name in ours and fabrikam.company_name not in ours
    assert theirs.order.reference not in ours
    assert fabrikam.company_name in other and basic.customer.company_name not in other
    assert basic.order.reference not in other


def test_the_reminder_is_in_each_staff_members_language(bought):
    order, basic, _ = bought
    UserFactory(reseller=order.reseller, email="jonas@northwind.example", language="de")
    with time_machine.travel(days_before(basic, 30)):
        renewal_reminders_send()

    german = next(m for m in mail.outbox if m.to == ["jonas@northwind.example"])
    english = next(m for m in mail.outbox if m.to == ["nora@northwind.example"])
    price = f"{3 * basic.product.price:.2f}".replace(".", ",")
    assert "Verlängerungen" in german.subject
    assert f"{price} USD pro Monat" in german.body
    assert f"{basic.renewal_date.day}. " in german.body  # "4. Dezember 2027"
    assert "Renewals coming" in english.subject


def test_a_failed_mail_is_not_recorded_and_goes_out_on_the_next_run(bought, settings):
    _, basic, _ = bought
    backend = settings.EMAIL_BACKEND
    with time_machine.travel(days_before(basic, 30)):
        refuse_mail(settings)  # the mail server is down: nothing listens on its port
        assert renewal_reminders_send() == 0
        assert not RenewalReminder.objects.exists()
        settings.EMAIL_BACKEND = backend
        assert renewal_reminders_send() == 2
    assert RenewalReminder.objects.count() == 2


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_preview_renders_the_resellers_next_renewals(bought, client, language):
    order, basic, _ = bought
    client.force_login(order.placed_by)
    page = client.get(reverse("mail:edit", args=["renewal_coming", language])).content.decode()
    assert basic.product.name in page
    assert basic.customer.company_name in page
    assert "<code>customers</code>" in page
