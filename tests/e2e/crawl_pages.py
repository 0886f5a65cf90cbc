"""Every URL the site answers, with its ids filled in from the crawl's data, for one user.

The list comes from walking the URL resolver, so a page added later is crawled by
construction. A pattern with a parameter nobody taught the crawl to fill raises
``UnfilledPattern``: add its ids to ``FILLERS`` (or, for the admin, it is filled from its
model). Non-pages (actions that only answer POST, downloads, JSON, redirects, catch-alls)
are named in ``NOT_PAGES``; they are still fetched, with the test client, for a status
below 500.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from billing.models import BillCheck, Mismatch
from catalog.models import CartLine, Product
from customers.models import Customer
from estate.models import ImportRun
from orders.models import Order, SeatBatch, Subscription
from pricing.models import PriceRule
from webhooks.models import Endpoint, Message
from wizard.forms import STEP_FORMS
from wizard.self_service import SELF_SERVICE_FORMS

#: Endpoints that are not pages a person reads: fetched with the test client, status < 500 only.
NOT_PAGES = {
    # Sign-out and the admin's sign-out: POST-only, and would end the crawl's session.
    "logout",
    "admin:logout",
    # The header's language switcher: POST-only, answers with a redirect back (issue 25).
    "set_language",
    # Actions that only answer POST (a GET is refused or sent back to the page they act on).
    "catalog:cart_add",
    "catalog:cart_line",
    "orders:resubmit",
    "orders:seats",
    "orders:cancel_batch",
    "subscriptions:renewal_change",
    "subscriptions:scheduled_cancel",
    "subscriptions:partner_roles",
    "approvals:approve",
    "approvals:decline",
    "renewals:auto_renew",
    "subscriptions:seats",
    "estate:start",
    "webhooks:replay",
    "webhooks:rotate",
    "billing:explain",
    # The bill check's status, refreshed in place by htmx while its report is generated.
    "billing:check_status",
    # The PSA export: a CSV download.
    "billing:export",
    "pricing:rule_delete",
    # The order page's status and timeline, refreshed in place by htmx: a fragment of that page.
    "orders:timeline",
    # The order numbers beside the heading, refreshed in place until the marketplace gives its own.
    "orders:numbers",
    # The wizard's live checks: htmx fragments inside the wizard's steps.
    "wizard:customer_search",
    "wizard:tenant_name_check",
    "wizard:partner_check",
    "wizard:relationship_check",
    # The wizard's entry points: redirects to its first step.
    "wizard:start",
    "wizard:self_service",
    # The JSON API, and its reference page: Swagger UI, drawn by its own script after the page
    # loads (so what axe sees depends on timing) with its own markup, whose nested buttons and
    # small targets are Swagger UI's to fix (reported in issue 20).
    "api-v1:openapi-view",
    "api-v1:openapi-json",
    "api-v1:product_list",
    "api-v1:customer_list",
    "api-v1:customer_detail",
    "api-v1:order_list",
    "api-v1:order_create",
    "api-v1:order_validate",
    "api-v1:order_detail",
    "api-v1:order_cancel",
    "api-v1:subscription_change",
    "api-v1:subscription_list",
    "api-v1:subscription_auto_renew",
    "api-v1:scheduled_change_cancel_api",
    "api-v1:api-root",
    "api/^(?P<rest>.*)$",
    # The evidence signing key, published as a key file for verifiers: no page.
    "evidence_signing_key",
    # Probes and metrics for the people who run it: JSON and Prometheus text, no page.
    "healthz",
    "readyz",
    "metrics",
    # The admin's JSON, script and redirect endpoints, and its catch-all.
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin/(?P<url>.*)$",
}
#: An admin page of one object (change, history, delete, password): filled from its model.
ADMIN_OBJECT = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/<(?:\w+:)?(?P<parameter>\w+)>/")


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route, e.g. "orders/<str:reference>/"
    name: str  # "namespace:name", or the route for an unnamed pattern
    parameters: tuple[str, ...]
    regex: bool

    @property
    def is_page(self) -> bool:
        # The admin's unnamed <id>/ shortcut redirects to the change page, which is crawled.
        shortcut = self.name == self.route and ADMIN_OBJECT.fullmatch(self.route)
        return self.name not in NOT_PAGES and not shortcut

    def url(self, values: dict) -> str:
        """Return this pattern's path with ``values`` in place of its parameters."""
        if self.regex:
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), self.route)
            route = route.replace("^", "").replace("$", "")
        else:
            route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), self.route)
        return "/" + route


class UnfilledPattern(LookupError):
    pass


def url_patterns() -> list[Pattern]:
    """Return every URL pattern of the site, walking included resolvers recursively."""
    return list(_walk(get_resolver(), "", "", regex=False))


def _walk(resolver, prefix, namespace, *, regex) -> Iterator[Pattern]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        is_regex = regex or isinstance(entry.pattern, RegexPattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, route, inner, regex=is_regex)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            parameters = tuple(entry.pattern.regex.groupindex)
            yield Pattern(route, name or route, parameters, regex=is_regex)


class Objects:
    """The objects one user's pages are filled from: those the user may see, else one it may not.

    Every role visits every pattern; a role that sees none of a page's objects still visits
    one of them, and must get a refusal, not an error.
    """

    def __init__(self, user):
        self.user = user

    def __call__(self, model, **filters):
        rows = model.objects.filter(**filters).order_by("pk")
        manager = model.objects
        if hasattr(manager, "visible_to"):
            visible = list(rows.filter(pk__in=manager.visible_to(self.user).values("pk")))
            if visible:
                return visible
        return list(rows[:1])


def _orders(objects):
    return [{"reference": order.reference} for order in objects(Order)]


#: How to fill each named pattern's parameters: a list of values, one per page to visit.
FILLERS: dict[str, Callable[[Objects], list[dict]]] = {
    "customers:detail": lambda objects: [{"pk": c.pk} for c in objects(Customer)],
    "customers:credentials": lambda objects: [{"pk": c.pk} for c in objects(Customer)],
    "catalog:cart_add": lambda objects: [{"product_id": objects(Product)[0].pk}],
    "catalog:cart_line": lambda objects: [{"line_id": objects(CartLine)[0].pk}],
    "wizard:confirmation": _orders,
    "wizard:step": lambda objects: [{"step": name} for name, _ in STEP_FORMS],
    "wizard:self_service_step": lambda objects: [{"step": name} for name, _ in SELF_SERVICE_FORMS],
    "orders:detail": _orders,
    "orders:timeline": _orders,
    "orders:numbers": _orders,
    "orders:resubmit": lambda objects: _orders(objects)[:1],
    "orders:fix": _orders,
    "orders:cancel": _orders,
    "orders:seats": lambda objects: [
        {"reference": s.order.reference, "subscription_id": s.pk} for s in objects(Subscription)[:1]
    ],
    "orders:cancel_batch": lambda objects: [
        {"reference": b.order.reference, "subscription_id": b.subscription_id, "batch_id": b.pk}
        for b in objects(SeatBatch)[:1]
    ],
    "subscriptions:detail": lambda objects: [{"pk": s.pk} for s in objects(Subscription)],
    "subscriptions:partner_roles": lambda objects: [{"pk": objects(Subscription)[0].pk}],
    "subscriptions:switch": lambda objects: [{"pk": objects(Subscription)[0].pk}],
    "subscriptions:renewal_change": lambda objects: [{"pk": objects(Subscription)[0].pk}],
    "subscriptions:scheduled_cancel": lambda objects: [
        {"pk": objects(Subscription)[0].pk, "reference": objects(Order)[0].reference}
    ],
    "support:order": _orders,
    "approvals:approve": lambda objects: _orders(objects)[:1],
    "approvals:decline": lambda objects: _orders(objects)[:1],
    "renewals:auto_renew": lambda objects: [{"subscription_id": objects(Subscription)[0].pk}],
    "api-v1:customer_detail": lambda objects: [{"customer_id": objects(Customer)[0].pk}],
    "api-v1:order_detail": lambda objects: _orders(objects)[:1],
    "api-v1:order_cancel": lambda objects: _orders(objects)[:1],
    "api-v1:subscription_change": lambda objects: [
        {"subscription_id": objects(Subscription)[0].pk}
    ],
    "api-v1:subscription_auto_renew": lambda objects: [
        {"subscription_id": objects(Subscription)[0].pk}
    ],
    "api-v1:scheduled_change_cancel_api": lambda objects: [
        {"subscription_id": objects(Subscription)[0].pk, "reference": "NCE-NONE"}
    ],
    "webhooks:detail": lambda objects: [{"endpoint_pk": e.pk} for e in objects(Endpoint)],
    "webhooks:replay": lambda objects: [{"message_pk": objects(Message)[0].pk}],
    "webhooks:rotate": lambda objects: [{"endpoint_pk": objects(Endpoint)[0].pk}],
    # issue 25 (mail): an e-mail in our wording, one in the reseller's, one whose wording failed.
    "mail:edit": lambda objects: [
        {"key": "order_completed", "language": "de"},
        {"key": "approval_decided", "language": "fr"},
        {"key": "order_failed", "language": "en"},
        # issue 23: the renewal reminder's preview on the reseller's next renewals.
        {"key": "renewal_coming", "language": "nl"},
    ],
    "pricing:rule_delete": lambda objects: [{"rule_pk": objects(PriceRule)[0].pk}],
    "api/^(?P<rest>.*)$": lambda objects: [{"rest": "v0/no-such-endpoint"}],
    "billing:check": lambda objects: [{"pk": c.pk} for c in objects(BillCheck)],
    "billing:check_status": lambda objects: [{"pk": c.pk} for c in objects(BillCheck)],
    "billing:explain": lambda objects: [{"pk": objects(Mismatch)[0].pk}],
    "admin/(?P<url>.*)$": lambda objects: [{"url": "no-such-page/"}],
    "admin:view_on_site": lambda objects: [
        {
            "content_type_id": ContentType.objects.get_for_model(Customer).pk,
            "object_id": objects(Customer)[0].pk,
        }
    ],
    "estate:run": lambda objects: [{"pk": run.pk} for run in objects(ImportRun)],
    "subscriptions:cancel_adopted": lambda objects: [
        {"pk": s.pk} for s in objects(Subscription, origin="adopted")[:1]
    ],
    "subscriptions:seats": lambda objects: [
        {"pk": s.pk} for s in objects(Subscription, origin="adopted")[:1]
    ],
    "admin:app_list": lambda objects: [
        {"app_label": label} for label in sorted({m._meta.app_label for m in admin.site._registry})
    ],
}


def filled(pattern: Pattern, objects: Objects) -> list[dict]:
    """Return the parameter values to visit ``pattern`` with (one dict per visit)."""
    if not pattern.parameters:
        return [{}]
    if pattern.name in FILLERS:
        values = FILLERS[pattern.name](objects)
    elif (match := ADMIN_OBJECT.match(pattern.route)) and len(pattern.parameters) == 1:
        model = apps.get_model(match["app"], match["model"])
        values = [{match["parameter"]: row.pk} for row in model.objects.order_by("pk")[:1]]
    else:
        raise UnfilledPattern(
            f"The crawl cannot fill {pattern.route!r} ({pattern.name}): teach it this "
            "pattern's ids in tests/e2e/crawl_pages.py FILLERS (or list it in NOT_PAGES "
            "if it is not a page)."
        )
    if not values:
        raise UnfilledPattern(
            f"The crawl's data has no object for {pattern.route!r} ({pattern.name}): "
            "add one to tests/e2e/crawl_world.py."
        )
    return values
