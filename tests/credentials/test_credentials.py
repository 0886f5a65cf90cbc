"""View password (seed 002): the account password and a new tenant's admin are kept encrypted,
revealed only on a POST by those who may, every reveal recorded; the e-mail names the user id only.

The orders go through the product's own pipeline functions against the simulator
(tests/orders/simulated.py); what the simulator holds is read from its control endpoint.
"""

import json
import logging
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse

from customers import demo
from customers.credentials import account_password_keep
from customers.models import Credential, CredentialView, User
from orders.models import Order
from orders.services import order_place
from tests.factories import ContactFactory, CustomerFactory, UserFactory
from tests.orders.helpers import complete_through_simulator, completed_order, order_request
from tests.orders.simulated import plain_products
from tests.wizard.simulated import WOODGROVE
from wizard import services

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def credentials_url(customer):
    return reverse("customers:credentials", kwargs={"pk": customer.pk})


def reveal(client, customer, kind, **extra):
    """Press View password for ``kind`` on the customer's credentials."""
    return client.post(credentials_url(customer), {"kind": kind}, **extra)


def page_url(customer):
    return reverse("customers:detail", kwargs={"pk": customer.pk})


def raw_secret(credential) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM customers_credential WHERE id = %s", [credential.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def new_tenant(upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks, caplog):
    """A new-tenant order for the seeded customer, completed; the admin contact's mail kept."""
    caplog.set_level(logging.DEBUG)
    order = completed_order(
        upstream_customer,
        plain_products(1),
        simulator,
        django_capture_on_commit_callbacks,
        email="buyer@northwind.example",
    )
    domain = order.subscriptions.get().tenant_domain
    held = simulator.control.get(f"/_simulator/tenants/{domain}")
    assert held.status_code == 200, held.text
    return {"order": order, "customer": upstream_customer, "held": held.json(), "logs": caplog}


def test_the_new_tenant_admin_is_kept_as_the_simulator_holds_it(new_tenant):
    held = new_tenant["held"]
    credential = Credential.objects.get(
        customer=new_tenant["customer"], kind=Credential.Kind.TENANT_ADMIN
    )

    assert credential.login == held["adminLogin"]
    assert credential.secret == held["temporaryPassword"]
    assert credential.tenant_domain == held["domain"]
    assert credential.order_reference == new_tenant["order"].reference
    # Encrypted at rest: the column holds a Fernet token, not the password.
    stored = raw_secret(credential)
    assert held["temporaryPassword"] not in stored
    assert stored.startswith("gAAAA")
    # Neither the completion's logs nor its support record carry the password.
    assert held["temporaryPassword"] not in new_tenant["logs"].text


def test_the_admin_contact_mail_says_where_and_names_the_user_id_not_the_password(new_tenant):
    held = new_tenant["held"]
    customer = new_tenant["customer"]
    [message] = [m for m in mail.outbox if m.to == ["it@litware.example"]]

    assert "https://admin.microsoft.com" in message.body
    assert "Billing, then Your products" in message.body
    assert held["adminLogin"] in message.body
    assert '"View password"' in message.body
    assert credentials_url(customer) in message.body
    assert held["temporaryPassword"] not in message.body
    assert all(held["temporaryPassword"] not in m.body for m in mail.outbox)


def test_the_reseller_reveals_it_on_a_post_and_the_view_is_recorded(new_tenant, client):
    held = new_tenant["held"]
    customer = new_tenant["customer"]
    nora = UserFactory(reseller=customer.reseller, first_name="Nora", last_name="Lee")
    client.force_login(nora)

    page = client.get(page_url(customer))
    assert page.status_code == 200
    assert held["adminLogin"] in page.content.decode()
    assert held["temporaryPassword"] not in page.content.decode()
    assert "View password" in page.content.decode()

    answer = reveal(client, customer, Credential.Kind.TENANT_ADMIN)

    assert answer.status_code == 200
    assert held["temporaryPassword"] in answer.content.decode()
    assert "no-store" in answer["Cache-Control"]
    [view] = CredentialView.objects.all()
    assert view.viewer == nora
    assert view.viewer_role == User.Role.RESELLER_STAFF
    assert view.credential.kind == Credential.Kind.TENANT_ADMIN
    assert view.ip_address == "127.0.0.1"
    later = client.get(page_url(customer)).content.decode()
    assert "Passwords viewed" in later and "Nora Lee (Reseller staff)" in later
    assert held["temporaryPassword"] not in later


def test_the_end_customer_reveals_its_own_new_tenant_admin(new_tenant, client):
    held = new_tenant["held"]
    customer = new_tenant["customer"]
    own = UserFactory(end_customer=True, customer=customer)
    client.force_login(own)

    page = client.get(credentials_url(customer))
    assert page.status_code == 200
    assert held["temporaryPassword"] not in page.content.decode()
    answer = reveal(client, customer, Credential.Kind.TENANT_ADMIN, headers={"HX-Request": "true"})

    assert answer.status_code == 200
    assert held["temporaryPassword"] in answer.content.decode()
    assert "<html" not in answer.content.decode()  # htmx gets the block alone
    assert CredentialView.objects.get().viewer == own


def test_an_existing_tenant_keeps_no_admin_and_its_mail_names_none(
    upstream_reseller, simulator, enqueued, django_capture_on_commit_callbacks
):
    woodgrove = CustomerFactory(
        reseller=upstream_reseller,
        upstream_customer_id=WOODGROVE["id"],
        tenant_domain=WOODGROVE["tenant"],
    )
    ContactFactory(customer=woodgrove, email="it@woodgrove.example")
    order = order_place(
        request=order_request(
            woodgrove,
            plain_products(1),
            tenant_preference="existing",
            microsoft_domain=WOODGROVE["tenant"],
        ),
        reseller=upstream_reseller,
        placed_by=UserFactory(reseller=upstream_reseller),
        idempotency_key=uuid.uuid4(),
        ip_address=None,
        channel=Order.Channel.WIZARD,
    )
    complete_through_simulator(order, simulator, django_capture_on_commit_callbacks)

    assert not Credential.objects.filter(customer=woodgrove).exists()
    [message] = [m for m in mail.outbox if m.to == ["it@woodgrove.example"]]
    assert "Billing, then Your products" in message.body
    assert "View password" not in message.body


# --- Scoping, with the account password kept as the wizard keeps it --------------------------


@pytest.fixture
def kept(customer):
    ContactFactory(customer=customer, login="contoso-admin")
    return account_password_keep(
        customer=customer, login="contoso-admin", password="Kept#Pass1word"
    )


def test_another_reseller_gets_404_and_nothing_is_recorded(kept, client, other_reseller_user):
    client.force_login(other_reseller_user)

    assert client.get(page_url(kept.customer)).status_code == 404
    assert reveal(client, kept.customer, "account").status_code == 404
    credentials = credentials_url(kept.customer)
    assert client.get(credentials).status_code == 404
    assert not CredentialView.objects.exists()


def test_an_end_customer_reaches_only_its_own(kept, client):
    stranger = UserFactory(
        end_customer=True, customer=CustomerFactory(reseller=kept.customer.reseller)
    )
    own = UserFactory(end_customer=True, customer=kept.customer)

    client.force_login(stranger)
    assert reveal(client, kept.customer, "account").status_code == 404
    assert client.get(credentials_url(kept.customer)).status_code == 404
    assert not CredentialView.objects.exists()

    client.force_login(own)
    answer = reveal(client, kept.customer, "account")
    assert answer.status_code == 200
    assert "Kept#Pass1word" in answer.content.decode()
    assert CredentialView.objects.get().viewer == own


def test_support_and_admins_see_the_record_but_cannot_reveal(kept, client, support_user):
    CredentialView.objects.create(credential=kept, viewer=support_user, viewer_role="support")
    client.force_login(support_user)

    page = client.get(page_url(kept.customer)).content.decode()
    assert "contoso-admin" in page and "View password" not in page
    assert reveal(client, kept.customer, "account").status_code == 403
    assert client.get(credentials_url(kept.customer)).status_code == 403
    assert CredentialView.objects.count() == 1


def test_unknown_kinds_are_refused_and_reading_the_page_reveals_nothing(
    kept, client, reseller_user
):
    client.force_login(reseller_user)

    assert reveal(client, kept.customer, "tenant_admin").status_code == 404
    assert reveal(client, kept.customer, "root").status_code == 404
    assert reveal(client, kept.customer, "").status_code == 404
    page = client.get(credentials_url(kept.customer))
    assert page.status_code == 200
    assert "contoso-admin" in page.content.decode()
    assert "Kept#Pass1word" not in page.content.decode()
    assert not CredentialView.objects.exists()


def test_admin_shows_views_read_only_and_never_the_password(kept, client, admin_user):
    view = CredentialView.objects.create(
        credential=kept, viewer=admin_user, viewer_role=User.Role.ADMIN
    )
    client.force_login(admin_user)

    listing = client.get(reverse("admin:customers_credentialview_changelist"))
    detail = client.get(reverse("admin:customers_credentialview_change", args=[view.pk]))
    customer_page = client.get(reverse("admin:customers_customer_change", args=[kept.customer.pk]))

    for answer in (listing, detail, customer_page):
        assert answer.status_code == 200
        assert "Kept#Pass1word" not in answer.content.decode()
        assert raw_secret(kept) not in answer.content.decode()
    assert "contoso-admin" in customer_page.content.decode()
    assert client.get(reverse("admin:customers_credentialview_add")).status_code == 403
    deleted = client.post(reverse("admin:customers_credentialview_delete", args=[view.pk]))
    assert deleted.status_code == 403
    assert CredentialView.objects.filter(pk=view.pk).exists()


@pytest.fixture
def sent(simulator, monkeypatch):
    """The bodies of every POST /customers the product sends to the simulator."""
    bodies = []
    handle = simulator.transport.handle_request

    def recording(request):
        if request.method == "POST" and request.url.path.endswith("/customers"):
            bodies.append(json.loads(request.read()))
        return handle(request)

    monkeypatch.setattr(simulator.transport, "handle_request", recording)
    return bodies


def test_the_wizard_keeps_the_password_the_customer_was_created_with(upstream_reseller, sent):
    login = f"fourth{uuid.uuid4().hex[:6]}"
    customer = services.customer_create(
        reseller=upstream_reseller,
        data={
            "company_name": "Fourth Coffee",
            "street_address": "500 Union Street",
            "address_extension": "",
            "city": "Seattle",
            "state": "WA",
            "postal_code": "98101",
            "country": "US",
            "registration_number": "",
            "language": "en_US",
            "first_name": "Grace",
            "last_name": "Hopper",
            "email": "grace@fourthcoffee.example",
            "phone": "+12065550199",
            "login": login,
        },
    )

    [body] = sent
    [admin] = [p for p in body["contactPersons"] if p["type"] == "admin"]
    credential = customer.credentials.get(kind=Credential.Kind.ACCOUNT)
    assert credential.login == login == admin["login"]
    assert credential.secret == admin["password"]
    assert admin["password"] not in raw_secret(credential)


def test_the_demo_loader_keeps_the_password_it_creates_customers_with(
    upstream_reseller, simulator, sent
):
    customer = CustomerFactory(reseller=upstream_reseller, upstream_customer_id="")
    ContactFactory(customer=customer, login=f"demo{uuid.uuid4().hex[:6]}")

    with simulator.client() as client:
        assert demo.ensure_upstream_customer(customer=customer, client=client)

    [body] = sent
    [admin] = [p for p in body["contactPersons"] if p["type"] == "admin"]
    credential = customer.credentials.get(kind=Credential.Kind.ACCOUNT)
    assert (credential.login, credential.secret) == (admin["login"], admin["password"])


def test_the_completion_mails_links_are_absolute_so_they_work_outside_the_browser(new_tenant):
    # An e-mail is read in a mail program: a bare "/customers/7/credentials/" leads nowhere.
    customer = new_tenant["customer"]
    order = new_tenant["order"]
    site = settings.SITE_URL
    assert site.startswith("http")
    [to_customer] = [m for m in mail.outbox if m.to == ["it@litware.example"]]
    [to_reseller] = [m for m in mail.outbox if m.to == ["buyer@northwind.example"]]

    assert f"{site}{credentials_url(customer)}" in to_customer.body
    assert f"{site}/orders/{order.reference}/" in to_reseller.body
    assert f" {credentials_url(customer)}" not in to_customer.body
