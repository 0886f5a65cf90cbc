"""Nobody reads another tenant's objects by URL, and support staff change nothing.

The URL patterns are discovered from the URLconf, so every route another app
adds is covered as soon as it is included. A route argument that names an
object (``pk``, ``reference``, ``customer_id``...) is filled with another
tenant's object, which must be a 404. A new kind of argument fails
``test_every_route_argument_is_understood`` until it is added to
``OBJECT_ARGUMENTS`` or ``NON_OBJECT_ARGUMENTS`` below.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from billing.models import BillCheck, Mismatch
from catalog.models import Cart, CartLine
from customers.middleware import WRITE_ALLOWED_URL_NAMES
from customers.models import Contact, Customer
from estate.models import ImportRun
from orders.models import Order, OrderEvent, SeatBatch, Subscription
from pricing.models import PriceBook, PriceRule
from tests.factories import (
    CartLineFactory,
    ContactFactory,
    CustomerFactory,
    OrderFactory,
    OrderLineFactory,
    ResellerFactory,
    SubscriptionFactory,
    UserFactory,
)
from webhooks.models import Endpoint, Message

#: Route argument -> the kind of object it names, for every namespace.
OBJECT_ARGUMENTS = {
    "endpoint_pk": "webhook_endpoint",
    "message_pk": "webhook_message",
    "reference": "order",
    "order_reference": "order",
    "order_id": "order",
    "order_pk": "order",
    "customer_id": "customer",
    "customer_pk": "customer",
    "subscription_id": "subscription",
    "subscription_pk": "subscription",
    "line_id": "cart_line",
    "line_pk": "cart_line",
    "cart_line_id": "cart_line",
    "contact_id": "contact",
    "batch_id": "seat_batch",
    "seat_batch_id": "seat_batch",
    "rule_pk": "price_rule",
}
#: ``pk`` / ``id`` name a different model in each namespace.
PK_BY_NAMESPACE = {
    "customers": "customer",
    "orders": "order",
    "support": "order",
    "subscriptions": "subscription",
    "catalog": "product",
    "estate": "import_run",
    "billing": "bill_check",
}
#: ``pk`` in a route of a namespace whose routes name more than one model.
PK_BY_ROUTE = {"billing:explain": "bill_mismatch"}
#: Kinds every signed-in user may read: the catalogue is the same for everyone.
SHARED_KINDS = {"product"}
#: Arguments that are not objects (wizard step names, formats).
#: ``key`` and ``language`` name an e-mail kind and a language: the override they open is
#: always the signed-in reseller's own.
NON_OBJECT_ARGUMENTS = {"step", "segment", "format", "key", "language"}
PUBLIC_ARGUMENTS = {"product_id": "product", "product_pk": "product"}

WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    namespace: str
    arguments: tuple[str, ...]

    def __str__(self):
        return self.name


def discover_routes(patterns=None, namespace="", prefix_args=()):
    """Yield every named route of the URLconf with the keyword arguments it takes."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            full = ":".join(filter(None, [namespace, inner]))
            args = prefix_args + tuple(entry.pattern.converters)
            yield from discover_routes(entry.url_patterns, full, args)
        elif isinstance(entry, URLPattern) and entry.name:
            args = prefix_args + tuple(entry.pattern.converters)
            if not args and getattr(entry.pattern, "regex", None) is not None:
                args = tuple(entry.pattern.regex.groupindex)
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name=name, namespace=namespace.split(":")[0], arguments=args)


def is_admin(route):
    return route.namespace == "admin"


def kind_of(route, argument):
    """Return the kind of object ``argument`` names in ``route``, or None if it is no object."""
    if argument in NON_OBJECT_ARGUMENTS:
        return None
    if argument in OBJECT_ARGUMENTS:
        return OBJECT_ARGUMENTS[argument]
    if argument in PUBLIC_ARGUMENTS:
        return PUBLIC_ARGUMENTS[argument]
    if argument in ("pk", "id"):
        return PK_BY_ROUTE.get(route.name, PK_BY_NAMESPACE.get(route.namespace))
    raise LookupError(argument)


def names_a_private_object(route):
    """Return True if one of the route's arguments names an object that has an owner."""
    for argument in route.arguments:
        if argument in OBJECT_ARGUMENTS or argument in ("pk", "id"):
            kind = kind_of(route, argument)
            if kind is not None and kind not in SHARED_KINDS:
                return True
    return False


ROUTES = sorted(discover_routes(), key=lambda r: r.name)
APP_ROUTES = [r for r in ROUTES if not is_admin(r)]
ID_ROUTES = [r for r in APP_ROUTES if names_a_private_object(r)]
#: Every route but signing in and out, which change no data.
SUPPORT_WRITE_ROUTES = [r for r in ROUTES if r.name not in WRITE_ALLOWED_URL_NAMES]


def test_every_route_argument_is_understood():
    unknown = []
    for route in APP_ROUTES:
        for argument in route.arguments:
            try:
                kind = kind_of(route, argument)
            except LookupError:
                unknown.append(f"{route}: <{argument}>")
                continue
            if argument in ("pk", "id") and kind is None:
                unknown.append(f"{route}: <{argument}> (add its namespace to PK_BY_NAMESPACE)")
    assert not unknown, (
        "tests/test_scoping.py does not know what these route arguments name; add them to "
        f"OBJECT_ARGUMENTS, PK_BY_NAMESPACE or NON_OBJECT_ARGUMENTS: {unknown}"
    )


def test_the_customer_pages_are_among_the_routes_checked():
    assert "customers:detail" in {route.name for route in ID_ROUTES}


@dataclass
class Tenant:
    """One user and the objects that belong to them."""

    user: object
    objects: dict

    def value_for(self, route, argument, step_names=()):
        if argument == "step":
            return step_names[0] if step_names else "cart"
        kind = kind_of(route, argument)
        obj = self.objects[kind]
        return obj.reference if argument in ("reference", "order_reference") else obj.pk

    def kwargs(self, route):
        return {a: self.value_for(route, a) for a in route.arguments}

    def url(self, route):
        return reverse(route.name, kwargs=self.kwargs(route))


def mixed_urls(route, own, foreign):
    """Yield URLs that keep ``own``'s objects but one, taken from ``foreign``.

    A route naming two objects (an order and one of its subscriptions) must
    refuse a foreign object even beside one of the user's own.
    """
    object_arguments = [a for a in route.arguments if a in OBJECT_ARGUMENTS or a in ("pk", "id")]
    if len(object_arguments) < 2:
        return
    for argument in object_arguments:
        kwargs = own.kwargs(route)
        kwargs[argument] = foreign.value_for(route, argument)
        yield reverse(route.name, kwargs=kwargs)


def make_tenant(user, customer):
    """Give ``user`` one object of every kind, linked as they would be in use."""
    order = OrderFactory(customer=customer, status=Order.Status.COMPLETED)
    OrderLineFactory(order=order)
    subscription = SubscriptionFactory(order=order)
    now = timezone.now()
    batch = SeatBatch.objects.create(
        subscription=subscription,
        order=order,
        seats=subscription.seats,
        added_at=now,
        window_ends_at=now + timedelta(days=7),
    )
    cart_line = CartLineFactory(cart__user=user)
    endpoint = Endpoint.objects.create(
        reseller=customer.reseller, url="https://example.com/hook", events=["order.completed"]
    )
    message = Message.objects.create(
        endpoint=endpoint, message_id=f"msg_{endpoint.pk}", event_type="order.completed", payload={}
    )
    import_run = ImportRun.objects.create(reseller=customer.reseller, status="done")
    today = timezone.localdate()
    bill_check = BillCheck.objects.create(
        reseller=customer.reseller, period_start=today.replace(day=1), period_end=today
    )
    mismatch = Mismatch.objects.create(
        bill_check=bill_check,
        kind=Mismatch.Kind.NOT_BILLED,
        subscription_upstream_id="5000001",
        charge_type="recurring",
        charge_date=today,
    )
    book, _ = PriceBook.objects.get_or_create(reseller=customer.reseller)
    rule = PriceRule.objects.create(
        book=book, level="segment", segment="education", method="markup", rate=5
    )
    return Tenant(
        user=user,
        objects={
            "customer": customer,
            "contact": ContactFactory(customer=customer),
            "order": order,
            "subscription": subscription,
            "seat_batch": batch,
            "cart_line": cart_line,
            "product": cart_line.product,
            "webhook_endpoint": endpoint,
            "webhook_message": message,
            "import_run": import_run,
            "bill_check": bill_check,
            "bill_mismatch": mismatch,
            "price_rule": rule,
        },
    )


@pytest.fixture
def resellers(db):
    """Two resellers, each with a staff user, a customer, an order, a subscription and a cart."""
    tenants = []
    for _ in range(2):
        reseller = ResellerFactory()
        user = UserFactory(reseller=reseller)
        tenants.append(make_tenant(user, CustomerFactory(reseller=reseller)))
    return tenants


@pytest.fixture
def end_customers(db):
    """Two end-customer users of the same reseller, each with their own customer and orders."""
    reseller = ResellerFactory(self_service_enabled=True)
    tenants = []
    for _ in range(2):
        customer = CustomerFactory(reseller=reseller)
        user = UserFactory(end_customer=True, customer=customer)
        tenants.append(make_tenant(user, customer))
    return tenants


def fetch(client, url):
    """GET ``url``, else POST, else PUT (the first method the route takes); return the status."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    if response.status_code == 405:
        response = client.put(url)
    return response.status_code


def assert_foreign_objects_are_not_found(client, own, foreign, routes):
    """For each route: ``own`` user gets its own object; the other tenant's object is a 404."""
    client.force_login(own.user)
    leaks = []
    for route in routes:
        own_status = fetch(client, own.url(route))
        foreign_status = fetch(client, foreign.url(route))
        if own_status in (401, 403):
            # The page is not for this role at all (the JSON API answers a session with 401:
            # it takes tokens only, and tests/api checks its scoping); refusing it is no leak.
            allowed = {401, 403, 404}
        else:
            allowed = {404}
        if foreign_status not in allowed:
            leaks.append(f"{route}: own {own_status}, other tenant's {foreign_status}")
        for url in mixed_urls(route, own, foreign):
            mixed_status = fetch(client, url)
            if mixed_status not in allowed:
                leaks.append(f"{url}: own {own_status}, one foreign object {mixed_status}")
    assert not leaks, "Another tenant's object was not a 404:\n" + "\n".join(leaks)


@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_a_reseller_cannot_reach_another_resellers_objects(client, resellers, route):
    own, foreign = resellers
    assert_foreign_objects_are_not_found(client, own, foreign, [route])


@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_an_end_customer_cannot_reach_another_customers_objects(client, end_customers, route):
    own, foreign = end_customers
    assert_foreign_objects_are_not_found(client, own, foreign, [route])


def test_a_reseller_reads_its_own_customer_and_not_anothers(client, resellers):
    own, foreign = resellers
    client.force_login(own.user)

    detail = Route("customers:detail", "customers", ("pk",))
    assert client.get(own.url(detail)).status_code == 200
    assert client.get(foreign.url(detail)).status_code == 404


def test_a_resellers_customer_list_shows_only_its_customers(client, resellers):
    own, foreign = resellers
    client.force_login(own.user)

    html = client.get(reverse("customers:list")).content.decode()

    assert own.objects["customer"].company_name in html
    assert foreign.objects["customer"].company_name not in html


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Customer,
            Contact,
            Order,
            OrderEvent,
            Subscription,
            SeatBatch,
            Cart,
            CartLine,
        )
    }


#: Values for the admin's own route arguments.
ADMIN_ARGUMENTS = {"app_label": "customers", "object_id": "1", "content_type_id": "1"}


def support_url(route, tenant):
    """Return a URL of ``route`` naming one of ``tenant``'s objects where it takes one."""
    kwargs = {}
    for argument in route.arguments:
        try:
            kwargs[argument] = tenant.value_for(route, argument)
        except (LookupError, KeyError):
            kwargs[argument] = ADMIN_ARGUMENTS.get(argument, "1")
    return reverse(route.name, kwargs=kwargs)


def test_support_staff_cannot_change_anything(client, resellers, support_user):
    """Every route but sign-in and sign-out refuses POST, PUT, PATCH and DELETE with a 403."""
    client.force_login(support_user)
    before = row_counts()
    allowed = []
    for route in SUPPORT_WRITE_ROUTES:
        url = support_url(route, resellers[0])
        for method in WRITE_METHODS:
            status = getattr(client, method)(url).status_code
            if status != 403:
                allowed.append(f"{method.upper()} {url} ({route}): {status}")

    assert not allowed, "Support staff were not refused:\n" + "\n".join(allowed)
    assert row_counts() == before
    assert len(SUPPORT_WRITE_ROUTES) > 10  # the admin's routes and every app's


def test_support_staff_read_every_resellers_customers(client, resellers, support_user):
    client.force_login(support_user)

    for tenant in resellers:
        customer = tenant.objects["customer"]
        response = client.get(reverse("customers:detail", kwargs={"pk": customer.pk}))
        assert response.status_code == 200


def test_support_staff_can_still_sign_out(client, support_user):
    client.force_login(support_user)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
