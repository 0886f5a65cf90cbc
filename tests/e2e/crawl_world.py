"""The crawl's data: one of every kind of object a page can show, made by the product's services.

Two resellers: Northwind IT approves its customers' self-service orders, Fabrikam does not.
Orders go through the pipeline's own functions against the in-process simulator (the live
server shares this process), so each one reaches its status the way it does in production:
placed, waiting for approval, declined, completed, failed (tenant name taken; relationship
missing, with the tracker waiting), sent, lost in transit (unknown), stuck processing, a seat
change, a cancellation sent and one not yet sent, an API order. Around them: subscriptions
synced for renewals, a partner-roles check, evidence exports, a viewed password, a webhook
endpoint with messages, an error nobody catalogued, a refund-window reminder, a renewal
reminder, an API token, carts, an admin's reset of a user's two-factor sign-in.
"""

import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from axes.models import AccessFailureLog
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from api.tokens import api_token_create
from billing.models import BillCheck
from billing.services import bill_check_poll, bill_check_start
from customers.credentials import account_password_keep, credential_reveal
from customers.models import Credential, User
from customers.two_factor import two_factor_reset
from estate.models import ImportRun
from estate.services import import_run_start, import_run_step
from evidence.selectors import EvidenceScope
from evidence.services import evidence_export
from mail.models import EmailOverride
from orders.guidance import upstream_error_seen
from orders.models import Order, Subscription
from orders.pipeline import polling, submission
from orders.services import order_place
from orders.services.approvals import order_decline
from orders.services.changes import order_cancel, seat_change
from pricing.models import Level, Method, PriceBook, PriceRule
from pricing.selectors import price_resolve
from relationships.models import RelationshipWatch
from relationships.partner_roles import partner_roles_check
from relationships.services import relationship_watch_start
from reminders.services import cancellation_reminders_send, renewal_reminders_send
from renewals.services import customer_subscriptions_sync
from tests.factories import CartLineFactory, ContactFactory, CustomerFactory, UserFactory
from tests.orders.helpers import complete_through_simulator, order_request
from tests.orders.simulated import plain_products
from tests.simulated import synced_reseller
from tests.two_factor import authenticator
from tests.wizard.simulated import LITWARE, TAILSPIN, WOODGROVE
from webhooks.models import Endpoint, Event

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
#: The roles the crawl signs in as, in the order it visits them.
ROLES = (
    "reseller staff",
    "customer (approval on)",
    "customer (approval off)",
    "support",
    "admin",
)


@dataclass
class World:
    users: dict[str, User]
    orders: dict[str, Order] = field(default_factory=dict)


def no_capture(execute=True):
    return nullcontext()  # outside a test transaction, on_commit callbacks run at once


def build_world(simulator) -> World:
    """Make the crawl's data; call it inside simulated_marketplace()."""
    northwind = synced_reseller(
        name="Northwind IT",
        self_service_enabled=True,
        self_service_approval_required=True,
        time_zone="Europe/Berlin",
    )
    fabrikam = synced_reseller(
        name="Fabrikam Cloud Services", self_service_enabled=True, staff_email_domain="fabrikam.ex"
    )
    nora = UserFactory(reseller=northwind, username="nora", first_name="Nora", last_name="Lund")
    contoso = CustomerFactory(
        reseller=northwind,
        company_name="Contoso Pharmaceuticals",
        upstream_customer_id=TAILSPIN["id"],
    )
    litware = CustomerFactory(
        reseller=northwind,
        company_name="Litware",
        upstream_customer_id=LITWARE["id"],
        tenant_domain=LITWARE["tenant"],
    )
    woodgrove = CustomerFactory(
        reseller=northwind,
        company_name="Woodgrove Bank",
        upstream_customer_id=WOODGROVE["id"],
        tenant_domain=WOODGROVE["tenant"],
        mca_accepted_on="2025-05-01",
    )
    adatum = CustomerFactory(
        reseller=fabrikam,
        company_name="Adatum Corporation",
        upstream_customer_id=WOODGROVE["id"],
        tenant_domain=WOODGROVE["tenant"],
        mca_accepted_on="2025-05-01",
    )
    for customer in (contoso, litware, woodgrove, adatum):
        ContactFactory(customer=customer)
    account_password_keep(customer=contoso, login="admin@contoso.example", password="S3cret-pass!")
    users = {
        "reseller staff": nora,
        "customer (approval on)": UserFactory(
            end_customer=True, customer=woodgrove, username="ava", first_name="Ava"
        ),
        "customer (approval off)": UserFactory(
            end_customer=True, customer=adatum, username="finn", first_name="Finn"
        ),
        "support": UserFactory(support=True, username="sam", first_name="Sam"),
        "admin": UserFactory(admin=True, username="ada", first_name="Ada"),
    }
    Endpoint.objects.create(
        reseller=northwind, url="https://erp.northwind.example/hooks", events=list(Event.values)
    )
    # issue 25 (mail): the reseller's own wording, one of them failing, for the e-mail pages.
    EmailOverride.objects.create(
        reseller=northwind,
        template="approval_decided",
        language="fr",
        subject="Commande {{ reference }}",
        body="{% if approved %}Approuvée{% else %}Refusée : {{ reason }}{% endif %}",
    )
    EmailOverride.objects.create(
        reseller=northwind,
        template="order_failed",
        language="en",
        subject="Failed: {{ reference }}",
        body="{{ customer_name.city }}",
        last_error="SandboxRefused: “customer_name.city” is not one of this e-mail's variables.",
        last_error_at=timezone.now(),
    )
    products = plain_products(2)
    # Issue 24: a price book with a rule, so its page and the priced pages have something.
    book = PriceBook.objects.create(reseller=northwind, method=Method.MARKUP, rate=Decimal("20"))
    PriceRule.objects.create(
        book=book, level=Level.CUSTOMER, customer=adatum, method=Method.MARGIN, rate=Decimal("25")
    )
    for user in (nora, users["customer (approval on)"], users["customer (approval off)"]):
        CartLineFactory(cart__user=user, product=products[0], quantity=3)

    def place(customer, *, user=nora, channel=Order.Channel.WIZARD, lines=1, **overrides):
        overrides.setdefault("microsoft_domain", f"crawl{uuid.uuid4().hex[:8]}.onmicrosoft.com")
        if customer.tenant_domain:
            overrides.update(tenant_preference="existing", microsoft_domain=customer.tenant_domain)
        return order_place(
            request=order_request(customer, products[:lines], **overrides),
            reseller=customer.reseller,
            placed_by=user,
            idempotency_key=uuid.uuid4(),
            ip_address="203.0.113.7",
            channel=channel,
        )

    world = World(users=users)
    orders = world.orders
    orders["placed"] = place(contoso)
    orders["awaiting approval"] = place(
        woodgrove, user=users["customer (approval on)"], channel=Order.Channel.SELF_SERVICE
    )
    declined = place(
        woodgrove, user=users["customer (approval on)"], channel=Order.Channel.SELF_SERVICE
    )
    orders["declined"] = order_decline(order=declined, user=nora, reason="Budget is frozen.")
    orders["self-service placed"] = place(
        adatum, user=users["customer (approval off)"], channel=Order.Channel.SELF_SERVICE
    )

    taken = place(contoso, microsoft_domain="contoso.onmicrosoft.com")
    submission.order_submit(taken.pk)
    orders["failed"] = Order.objects.get(pk=taken.pk)
    upstream_error_seen("Something the catalogue has never seen.", order=orders["failed"])

    sent = place(contoso)
    submission.order_submit(sent.pk)
    orders["submitted"] = Order.objects.get(pk=sent.pk)

    # The answer to the order's POST is lost after the marketplace took it: outcome unknown.
    simulator.fail(kind="drop", when="after", method="POST", path="/orders", count=1)
    lost = place(contoso)
    submission.order_submit(lost.pk)
    orders["unknown"] = Order.objects.get(pk=lost.pk)

    refused = place(litware)
    submission.order_submit(refused.pk)
    if not RelationshipWatch.objects.filter(order=refused).exists():
        relationship_watch_start(refused.pk)
    orders["tracker waiting"] = Order.objects.get(pk=refused.pk)

    completed = complete_through_simulator(place(contoso, lines=2), simulator, no_capture)
    orders["completed"] = completed
    subscription = completed.subscriptions.first()
    partner_roles_check(subscription=subscription, user=nora)
    orders["seat change"] = seat_change(subscription=subscription, new_total=5, user=nora)

    to_cancel = complete_through_simulator(place(woodgrove), simulator, no_capture)
    (cancellation,) = order_cancel(order=to_cancel, user=nora)
    complete_through_simulator(cancellation, simulator, no_capture)
    orders["cancelled"] = Order.objects.get(pk=to_cancel.pk)
    orders["cancellation"] = Order.objects.get(pk=cancellation.pk)

    open_cancellation = complete_through_simulator(place(woodgrove), simulator, no_capture)
    order_cancel(order=open_cancellation, user=nora)  # placed, not yet sent
    orders["cancel requested"] = Order.objects.get(pk=open_cancellation.pk)

    simulator.fail(kind="order_outcome", outcome="stuck", count=1)
    stuck = place(woodgrove)
    submission.order_submit(stuck.pk)
    simulator.advance(600)
    polling.order_poll(stuck.pk)
    orders["processing"] = Order.objects.get(pk=stuck.pk)

    orders["self-service completed"] = complete_through_simulator(
        place(adatum, user=users["customer (approval off)"], channel=Order.Channel.SELF_SERVICE),
        simulator,
        no_capture,
    )
    orders["api"] = _api_order(northwind, woodgrove, products[0], nora)

    with simulator.client() as client:
        customer_subscriptions_sync(customer=contoso, client=client)
        customer_subscriptions_sync(customer=adatum, client=client)
    _estate(simulator, northwind, nora)
    cancellation_reminders_send(now=timezone.now() + timedelta(days=6))
    _renewal_reminder()
    evidence_export(
        user=nora, scope=EvidenceScope(order=completed), fmt="json", ip_address="203.0.113.7"
    )
    credential_reveal(
        credential=Credential.objects.get(customer=contoso, kind=Credential.Kind.ACCOUNT),
        user=nora,
        ip_address="203.0.113.7",
    )
    _bill_checks(northwind, simulator, subscription, nora)
    _check_statuses(orders)
    _sign_in_history(nora)
    # A lost phone reset by an admin (the record the admin lists). The roles themselves sign
    # in with the code step done: the test client's force_login is tests.two_factor's.
    authenticator(users["customer (approval off)"])
    two_factor_reset(
        user=users["customer (approval off)"], by=users["admin"], reason="Lost phone; called back."
    )
    Group.objects.create(name="Billing")
    return world


#: The status each order of the world must have reached (the crawl is only as good as its data).
EXPECTED = {
    "placed": Order.Status.PLACED,
    "awaiting approval": Order.Status.AWAITING_APPROVAL,
    "declined": Order.Status.DECLINED,
    "self-service placed": Order.Status.PLACED,
    "failed": Order.Status.FAILED,
    "submitted": Order.Status.SUBMITTED,
    "unknown": Order.Status.UNKNOWN,
    "tracker waiting": Order.Status.FAILED,
    "completed": Order.Status.COMPLETED,
    "seat change": Order.Status.PLACED,
    "cancelled": Order.Status.CANCELLED,
    "cancellation": Order.Status.COMPLETED,
    "cancel requested": Order.Status.CANCEL_REQUESTED,
    "processing": Order.Status.PROCESSING,
    "self-service completed": Order.Status.COMPLETED,
    "api": Order.Status.PLACED,
}


def _renewal_reminder():
    """The reminder of what the soonest renewal will do, sent 7 days before it."""
    first = (
        Subscription.objects.filter(status="active", renewal_date__isnull=False)
        .order_by("renewal_date")
        .first()
    )
    day = first.renewal_date - timedelta(days=7)
    assert renewal_reminders_send(now=datetime.combine(day, time(9), tzinfo=UTC)) > 0


def _bill_checks(reseller, simulator, subscription, user):
    """Today's bill checked, with one line billed twice; and a check whose report is pending."""
    simulator.post(
        "report-faults", {"kind": "duplicate", "subscriptionId": subscription.upstream_id}
    )
    today = timezone.now().date()
    check = BillCheck.objects.create(
        reseller=reseller, period_start=today, period_end=today, requested_by=user
    )
    bill_check_start(check=check)
    simulator.advance(30)
    assert bill_check_poll(check=check).mismatches.exists()
    bill_check_start(
        check=BillCheck.objects.create(reseller=reseller, period_start=today, period_end=today)
    )


def _check_statuses(orders):
    reached = {name: Order.objects.get(pk=order.pk).status for name, order in orders.items()}
    assert reached == EXPECTED, f"the crawl's orders did not reach their statuses: {reached}"
    assert RelationshipWatch.objects.filter(order=orders["tracker waiting"]).exists()


def _sign_in_history(user):
    """One failed and one good sign-in through the login page, so axes has its records."""
    Client().post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    Client().post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    # The failure log is off in settings, yet its admin is registered: give it a row to show.
    AccessFailureLog.objects.create(
        username="nobody",
        ip_address="203.0.113.9",
        user_agent="crawl",
        path_info="/accounts/login/",
    )


def _api_order(reseller, customer, product, staff) -> Order:
    """Place one order through the JSON API, so the admin has an API token and an API order."""
    issued = api_token_create(reseller=reseller, name="ERP", created_by=staff)
    body = {
        "customer_id": customer.pk,
        "lines": [
            {
                "mpn": product.mpn,
                "term": product.term,
                "billing": product.billing_period,
                "quantity": 2,
                # The customer's price from the reseller's book, as the API's products show it.
                "expected_unit_price": str(
                    price_resolve(reseller=reseller, customer=customer, product=product).price
                ),
            }
        ],
        "tenant": {"preference": "existing", "domain": customer.tenant_domain},
        "partner_of_record_accepted": True,
        "special_qualification": "None",
        "po_number": "ERP-4711",
        "terms_accepted": True,
    }
    response = Client().post(
        "/api/v1/orders",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.secret}",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201, response.content
    return Order.objects.get(reference=response.json()["reference"])


def _estate(simulator, reseller, staff) -> None:
    """Issue 23: subscriptions bought elsewhere, adopted by an import (its page is crawled),
    and one of them changed outside this product since (its history shows it)."""
    seeded = simulator.post("estate", {"resellerId": "1000001", "customers": 1, "subscriptions": 2})
    run = import_run_start(reseller=reseller, user=staff)
    while import_run_step(run_id=run.pk) is not None:
        pass
    simulator.post(f"subscriptions/{seeded['subscriptionIds'][0]}/outside", {"quantity": 9})
    sync = import_run_start(reseller=reseller, kind=ImportRun.Kind.SYNC)
    while import_run_step(run_id=sync.pk) is not None:
        pass
