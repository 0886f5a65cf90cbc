"""The Django admin: every registered model's pages render, and secrets stay hidden."""

from html.parser import HTMLParser

import factory
import pytest
from django.contrib import admin
from django.urls import reverse

from customers.models import Customer, MarketplaceConnection, Reseller, User
from tests import factories

pytestmark = pytest.mark.django_db

#: A factory per model, to render each change page with a real row.
FACTORIES = {
    MarketplaceConnection: factories.MarketplaceConnectionFactory,
    Reseller: factories.ResellerFactory,
    Customer: factories.CustomerFactory,
    User: factories.UserFactory,
}
for _factory in vars(factories).values():
    if isinstance(_factory, type) and issubclass(_factory, factory.django.DjangoModelFactory):
        if _factory._meta.model is not None:
            FACTORIES.setdefault(_factory._meta.model, _factory)

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_every_model_of_customers_and_catalog_is_in_the_admin():
    labels = {model._meta.label for model in REGISTERED}

    assert {
        "customers.MarketplaceConnection",
        "customers.Reseller",
        "customers.Customer",
        "customers.Contact",
        "customers.User",
        "catalog.Product",
        "catalog.Cart",
        "catalog.CartLine",
    } <= labels


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_and_its_search_render(admin_client, model):
    factory = FACTORIES.get(model)
    if factory:
        factory()

    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    model_admin = admin.site._registry[model]
    if model_admin.search_fields:
        response = admin_client.get(admin_url(model, "changelist"), {"q": "contoso 1234"})
        assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_add_and_change_pages_render(admin_client, model, rf, admin_user):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = admin_user
    if model_admin.has_add_permission(request):
        assert admin_client.get(admin_url(model, "add")).status_code == 200
    factory = FACTORIES.get(model)
    if factory:
        obj = factory()
        assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


class UnnamedInputs(HTMLParser):
    """The form fields of a page that have neither a <label for> nor an aria-label."""

    def __init__(self):
        super().__init__()
        self.labelled, self.fields = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        hidden = attrs.get("type") in ("hidden", "submit", "button") or "__prefix__" in (
            attrs.get("name") or ""
        )
        if tag in ("input", "select", "textarea") and not hidden and "aria-label" not in attrs:
            self.fields.append(attrs.get("id") or attrs.get("name"))

    def unnamed(self, html: str) -> list[str]:
        self.feed(html)
        return [field for field in self.fields if field not in self.labelled]


@pytest.mark.parametrize(
    "model", [m for m in REGISTERED if m in FACTORIES], ids=lambda m: m._meta.label
)
def test_every_input_of_an_admin_form_has_a_name(admin_client, model):
    """Split date/time inputs and tabular-inline rows get their field's label (NamedInputsMixin)."""
    obj = FACTORIES[model]()
    if model is factories.CartFactory._meta.model:
        factories.CartLineFactory(cart=obj)
    html = admin_client.get(admin_url(model, "change", obj.pk)).content.decode()

    assert UnnamedInputs().unnamed(html) == []


def test_admin_is_closed_to_reseller_and_support_staff(client, reseller_user, support_user):
    for user in (reseller_user, support_user):
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


SECRET_PASSWORD = "Upstream-Pa55word-Zq81"
SECRET_KEY = "0f3c9a77e2b14d0c9b6aKey7731"


def connection_form_data(connection, **changes):
    data = {
        "name": connection.name,
        "base_url": connection.base_url,
        "marketplace_code": connection.marketplace_code,
        "username": connection.username,
        "password": "",
        "subscription_key": "",
    }
    data.update(changes)
    return data


def test_connection_secrets_are_never_shown_back(admin_client):
    connection = factories.MarketplaceConnectionFactory(
        password=SECRET_PASSWORD, subscription_key=SECRET_KEY
    )

    pages = [
        admin_client.get(admin_url(MarketplaceConnection, "changelist")),
        admin_client.get(admin_url(MarketplaceConnection, "change", connection.pk)),
    ]

    for page in pages:
        html = page.content.decode()
        assert SECRET_PASSWORD not in html
        assert SECRET_KEY not in html
        assert SECRET_KEY[:-4] not in html
    assert "••••7731" in pages[1].content.decode()
    assert "••••Zq81" in pages[1].content.decode()


def test_empty_secret_fields_keep_the_stored_secrets(admin_client):
    connection = factories.MarketplaceConnectionFactory(
        password=SECRET_PASSWORD, subscription_key=SECRET_KEY
    )

    response = admin_client.post(
        admin_url(MarketplaceConnection, "change", connection.pk),
        connection_form_data(connection, username="renamed-user"),
    )

    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.username == "renamed-user"
    assert connection.password == SECRET_PASSWORD
    assert connection.subscription_key == SECRET_KEY


def test_a_typed_secret_replaces_the_stored_one(admin_client):
    connection = factories.MarketplaceConnectionFactory(
        password=SECRET_PASSWORD, subscription_key=SECRET_KEY
    )

    admin_client.post(
        admin_url(MarketplaceConnection, "change", connection.pk),
        connection_form_data(connection, password="A-new-Passw0rd"),
    )

    connection.refresh_from_db()
    assert connection.password == "A-new-Passw0rd"
    assert connection.subscription_key == SECRET_KEY


def test_a_new_connection_needs_both_secrets(admin_client):
    response = admin_client.post(
        admin_url(MarketplaceConnection, "add"),
        {
            "name": "Main",
            "base_url": "https://api.example.com/marketplace/eu",
            "marketplace_code": "us",
            "username": "me",
            "password": "",
            "subscription_key": "",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors.keys() == {"password", "subscription_key"}
    assert not MarketplaceConnection.objects.exists()


def test_secrets_are_stored_encrypted(db):
    from django.db import connection as db_connection

    connection = factories.MarketplaceConnectionFactory(
        password=SECRET_PASSWORD, subscription_key=SECRET_KEY
    )

    with db_connection.cursor() as cursor:
        cursor.execute(
            "SELECT password, subscription_key FROM customers_marketplaceconnection WHERE id = %s",
            [connection.pk],
        )
        stored_password, stored_key = cursor.fetchone()
    assert SECRET_PASSWORD not in stored_password
    assert SECRET_KEY not in stored_key


def test_customer_admin_applies_the_company_name_rule_at_its_field(admin_client):
    reseller = factories.ResellerFactory()

    response = admin_client.post(
        admin_url(Customer, "add"),
        {
            "reseller": reseller.pk,
            "company_name": "LLC",
            "language": "en_US",
            "street_address": "1 Main Street",
            "city": "Seattle",
            "state": "WA",
            "postal_code": "98101",
            "country": "US",
            "relationship": "unknown",
            "qualification": "none",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 200
    assert "company_name" in response.context["adminform"].form.errors
    assert not Customer.objects.exists()


def test_contact_inline_refuses_the_resellers_own_email_domain(admin_client):
    reseller = factories.ResellerFactory(staff_email_domain="northwind-it.example")

    response = admin_client.post(
        admin_url(Customer, "add"),
        {
            "reseller": reseller.pk,
            "company_name": "Fabrikam Ltd",
            "language": "en_US",
            "street_address": "1 Main Street",
            "city": "Seattle",
            "state": "WA",
            "postal_code": "98101",
            "country": "US",
            "relationship": "unknown",
            "qualification": "none",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000",
            "contacts-0-kind": "admin",
            "contacts-0-first_name": "Ann",
            "contacts-0-last_name": "Smith",
            "contacts-0-email": "ann@northwind-it.example",
            "contacts-0-phone": "",
            "contacts-0-login": "annsmith",
        },
    )

    assert response.status_code == 200
    inline_errors = response.context["inline_admin_formsets"][0].formset.errors
    assert "email" in inline_errors[0]
    assert not Customer.objects.exists()


def add_user(admin_client, **fields):
    data = {
        "username": "newperson",
        "email": "new@example.com",
        "usable_password": "true",
        "password1": "a-Long-enough-passw0rd",
        "password2": "a-Long-enough-passw0rd",
        "role": "",
        "reseller": "",
        "customer": "",
    }
    data.update(fields)
    return admin_client.post(admin_url(User, "add"), data)


def test_reseller_staff_must_name_their_reseller(admin_client):
    response = add_user(admin_client, role=User.Role.RESELLER_STAFF)

    assert response.status_code == 200
    assert "reseller" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="newperson").exists()


def test_support_staff_belong_to_no_reseller(admin_client):
    reseller = factories.ResellerFactory()

    response = add_user(admin_client, role=User.Role.SUPPORT, reseller=reseller.pk)

    assert "reseller" in response.context["adminform"].form.errors


def test_a_new_administrator_can_open_the_admin(admin_client):
    response = add_user(admin_client, role=User.Role.ADMIN)

    assert response.status_code == 302
    assert User.objects.get(username="newperson").is_staff


def test_only_administrators_get_staff_status(admin_client):
    support = factories.UserFactory(support=True)
    data = {
        "username": support.username,
        "email": support.email,
        "role": User.Role.SUPPORT,
        "reseller": "",
        "customer": "",
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }

    response = admin_client.post(admin_url(User, "change", support.pk), data)

    assert response.status_code == 200
    assert "is_staff" in response.context["adminform"].form.errors
    support.refresh_from_db()
    assert not support.is_staff


def test_turning_self_service_on_says_what_microsoft_does_not_support(admin_client):
    reseller = factories.ResellerFactory()
    page = admin_client.get(admin_url(Reseller, "change", reseller.pk)).content.decode()
    assert "Microsoft offers no API for customer self-service" in page
    assert "does not recognise or support this way of ordering" in page
