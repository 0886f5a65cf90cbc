"""E-mails go out in the recipient's language, in the reseller's wording if it has one, logged.

Each mail is sent by the product's own listener of an order event (orders/listeners.py), as
in production: the reseller declines or approves a held order, or the marketplace refuses one.
Delivery goes through Django's locmem backend, or through the SMTP backend to a closed port
when the test needs the mail server to be down (tests/smtp.py).
"""

import pytest
from django.core import mail
from django.urls import reverse

from customers.models import Customer, User
from mail.models import EmailLog, EmailOverride
from orders.models import Order
from orders.notifications import notify_completion
from orders.services.approvals import (
    notify_reseller_of_request,
    order_approve,
    order_decline,
)
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    OrderFactory,
    ResellerFactory,
    UserFactory,
)
from tests.smtp import refuse_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    """An order the customer placed through self-service, held for the reseller's approval."""
    customer = CustomerFactory(company_name="Woodgrove Bank", language=Customer.Language.FR_FR)
    UserFactory(
        reseller=None,
        customer=customer,
        role=User.Role.CUSTOMER_USER,
        email="grace@woodgrove.example",
    )
    order = OrderFactory(
        customer=customer,
        status=Order.Status.AWAITING_APPROVAL,
        channel=Order.Channel.SELF_SERVICE,
    )
    staff = UserFactory(reseller=order.reseller, email="nora@northwind.example", language="de")
    return order, staff


def _decline(order, staff, capture):
    with capture(execute=True):
        order_decline(order=order, user=staff, reason="Budget frozen until January.")


def test_the_customers_users_read_the_decision_in_the_customers_language(
    held, django_capture_on_commit_callbacks
):
    order, staff = held

    _decline(order, staff, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.to == ["grace@woodgrove.example"]
    assert message.subject == f"La commande {order.reference} a été refusée"
    assert "Motif : Budget frozen until January." in message.body
    log = EmailLog.objects.get()
    assert (log.template, log.language, log.result) == ("approval_decided", "fr", "sent")
    assert log.reseller == order.reseller and log.recipients == "grace@woodgrove.example"


def test_a_user_who_chose_a_language_reads_it_over_the_customers(
    held, django_capture_on_commit_callbacks
):
    order, staff = held
    order.customer.users.update(language="nl")

    _decline(order, staff, django_capture_on_commit_callbacks)

    assert mail.outbox[0].subject == f"Bestelling {order.reference} is afgewezen"


def test_staff_read_an_order_waiting_for_them_each_in_their_own_language(
    django_capture_on_commit_callbacks,
):
    reseller = ResellerFactory()
    UserFactory(reseller=reseller, email="nora@northwind.example", language="de")
    UserFactory(reseller=reseller, email="ines@northwind.example", language="es")
    UserFactory(reseller=reseller, email="sam@northwind.example", language="")
    order = OrderFactory(customer=CustomerFactory(reseller=reseller, company_name="Woodgrove"))

    notify_reseller_of_request(order.pk)

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "nora@northwind.example": f"Woodgrove bittet Sie, Bestellung {order.reference} freizugeben",
        "ines@northwind.example": f"Woodgrove le pide que apruebe el pedido {order.reference}",
        "sam@northwind.example": f"Woodgrove asks you to approve order {order.reference}",
    }
    assert sorted(EmailLog.objects.values_list("language", flat=True)) == ["de", "en", "es"]


def test_the_resellers_wording_renders_with_the_orders_values(
    held, django_capture_on_commit_callbacks
):
    order, staff = held
    EmailOverride.objects.create(
        reseller=order.reseller,
        template="approval_decided",
        language="fr",
        subject="{{ reseller_name }} : votre commande {{ reference }}",
        body="{% if approved %}Oui{% else %}Non, parce que : {{ reason }}{% endif %}",
    )

    _decline(order, staff, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.subject == f"{order.reseller.name} : votre commande {order.reference}"
    assert message.body == "Non, parce que : Budget frozen until January."
    assert EmailLog.objects.get().overridden


def test_a_broken_override_falls_back_to_the_default_and_the_reseller_is_told(
    held, django_capture_on_commit_callbacks, client
):
    order, staff = held
    # Saved when it worked; "customer_name" is a string, so ".city" reads nothing.
    override = EmailOverride.objects.create(
        reseller=order.reseller,
        template="approval_decided",
        language="fr",
        subject="Commande {{ reference }}",
        body="Bonjour {{ customer_name.city }}",
    )

    _decline(order, staff, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.subject == f"La commande {order.reference} a été refusée"  # the default
    override.refresh_from_db()
    assert "customer_name.city" in override.last_error
    log = EmailLog.objects.get()
    assert not log.overridden and "customer_name.city" in log.fallback_reason

    client.force_login(staff)  # Nora reads German
    listing = client.get(reverse("mail:list")).content.decode()
    assert "Ein Teil Ihres Wortlauts konnte nicht verwendet werden" in listing
    page = client.get(reverse("mail:edit", args=["approval_decided", "fr"])).content.decode()
    assert "Ihr Wortlaut konnte nicht verwendet werden" in page and "customer_name.city" in page


def test_a_failed_delivery_is_logged_with_its_error(
    held, django_capture_on_commit_callbacks, settings
):
    order, staff = held
    refuse_mail(settings)

    with django_capture_on_commit_callbacks(execute=True):
        order_approve(order=order, user=staff)

    log = EmailLog.objects.get(template="approval_decided")
    assert log.result == EmailLog.Result.FAILED
    assert "ConnectionRefusedError" in log.error
    assert Order.objects.get(pk=order.pk).status == Order.Status.PLACED  # the order is unharmed


def test_the_log_is_the_resellers_own_and_supports_whole(client):
    ours, theirs = ResellerFactory(), ResellerFactory()
    for reseller in (ours, theirs):
        EmailLog.objects.create(
            reseller=reseller,
            template="order_completed",
            language="en",
            recipients=f"staff@{reseller.pk}.example",
            subject=f"Order for reseller {reseller.pk}",
            result=EmailLog.Result.SENT,
        )

    client.force_login(UserFactory(reseller=ours))
    page = client.get(reverse("mail:log")).content.decode()
    assert f"Order for reseller {ours.pk}" in page
    assert f"Order for reseller {theirs.pk}" not in page

    client.force_login(UserFactory(reseller=None, role=User.Role.SUPPORT))
    page = client.get(reverse("mail:log")).content.decode()
    assert f"Order for reseller {ours.pk}" in page and f"Order for reseller {theirs.pk}" in page

    customer = CustomerFactory(reseller=ours)
    client.force_login(UserFactory(reseller=None, customer=customer, role=User.Role.CUSTOMER_USER))
    assert client.get(reverse("mail:log")).status_code == 403


def test_the_completion_mail_reaches_staff_and_the_customers_admin_each_in_their_language():
    customer = CustomerFactory(company_name="Contoso", language=Customer.Language.ES_ES)
    ContactFactory(customer=customer, email="it@contoso.example")
    staff = UserFactory(reseller=customer.reseller, email="nora@northwind.example", language="nl")
    order = OrderFactory(customer=customer, status=Order.Status.COMPLETED, placed_by=staff)

    notify_completion(order.pk)  # the task the completion listener enqueues

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "nora@northwind.example": f"Bestelling {order.reference} is voltooid",
        "it@contoso.example": (
            f"Sus suscripciones de Microsoft 365 están listas ({order.reference})"
        ),
    }
    # The Spanish customer reads Spanish throughout, not only the subject.
    (spanish,) = [m for m in mail.outbox if m.to == ["it@contoso.example"]]
    assert "Dónde encontrar sus licencias" in spanish.body


def test_a_customer_language_we_have_no_texts_for_gets_english():
    customer = CustomerFactory(language=Customer.Language.IT_IT)
    ContactFactory(customer=customer, email="it@fabrikam.example")
    order = OrderFactory(customer=customer, status=Order.Status.COMPLETED)

    notify_completion(order.pk)

    (message,) = [m for m in mail.outbox if m.to == ["it@fabrikam.example"]]
    assert message.subject.startswith("Your Microsoft 365 subscriptions are ready")
