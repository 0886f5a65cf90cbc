"""Every route of the URL resolver, web and API, fuzzed: never a 500, every API error a problem.

The routes are discovered from the URLconf (a new route is fuzzed as soon as it
is included). For each, Hypothesis draws the path's arguments (real ids, junk,
control characters, huge values), query parameters and form fields (control
characters, huge values, a name repeated past DATA_UPLOAD_MAX_NUMBER_FIELDS),
the method (including ones the route does not take) and who asks (anonymous,
reseller staff, an end customer, support, an admin; an API token or none).
The marketplace is the in-process simulator, so views that call it run whole.
Beside the random search, a deterministic sweep sends each route a NUL in the
query and in each text argument (a 400 at the edge), 1,500 parameters (a 400)
and all eight methods.

Examples per route: the "deep" profile's max_examples (10,000), or
``CI_EXAMPLES_PER_ROUTE`` under the default "ci" profile, which keeps this
test to under a minute (tests/hypothesis_profiles.py). A run at 40 per route found
nothing either.
"""

import json
import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter
from django.urls.resolvers import RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.tokens import api_token_create
from tests.factories import CustomerFactory, OrderFactory, SubscriptionFactory, UserFactory
from tests.server_failures import server_failed
from tests.simulated import simulated_marketplace, synced_reseller
from webhooks.models import Endpoint, Message

pytestmark = pytest.mark.django_db

CI_EXAMPLES_PER_ROUTE = 5

DEEP_EXAMPLES = 10_000
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"]
#: Who asks, by the kind of route; the first is the one whose pages go deepest.
ROLES = {
    "web": ["staff", "customer", "staff", "admin", "support", "anonymous"],
    "admin": ["admin", "admin", "support", "staff", "anonymous"],
    "api": ["anonymous", "staff"],
}
PROBLEM = "application/problem+json"
#: Field and parameter names the views read, so generated values reach them.
KNOWN_NAMES = [
    "q", "status", "page", "customer", "order", "format", "download", "next", "limit",
    "cursor", "kind", "auto_renew", "events", "url", "enabled", "reference", "placed_from",
    "placed_to", "accepted_from", "accepted_to", "customer-customer", "customer-mode",
    "tenant-existing_tenant", "partner-mpn_id", "quantity", "product", "segment", "username",
    "password", "wizard_goto_step", "post", "action", "_selected_action", "o", "p", "all",
]  # fmt: skip

CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(
    ["\x7f", "\x85", "\x9b"]
)
HUGE = st.sampled_from(["9" * 5_000, "x" * 100_000, "%00" * 2_000, "9" * 40])
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]), max_size=30)
#: What each example stresses; "clean" comes first so that shrinking ends on plain input.
MODES = ["clean", "control", "clean", "huge", "clean", "control", "flood"]
FLOOD = st.sampled_from([1_001, 1_500])


def value(real: list[str], mode: str):
    """A value for ``mode``: real or ordinary text, or with a control character, or huge."""
    plain = st.sampled_from(real) | TEXT
    if mode == "control":
        return st.builds(lambda a, c, b: a + c + b, plain, CONTROL, TEXT)
    if mode == "huge":
        return HUGE
    return plain


def discover(patterns=None, parts=()):
    """Yield (tuple of URL patterns from the root, the view's URLPattern) for every route."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from discover(entry.url_patterns, parts + (entry.pattern,))
        elif isinstance(entry, URLPattern):
            yield parts + (entry.pattern,), entry


def route_id(parts) -> str:
    return "".join(str(part) for part in parts)


ROUTES = sorted(discover(), key=lambda route: route_id(route[0]))
_ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def part_strategy(pattern, values, mode):
    """Return a strategy for the text of one URL pattern, its arguments drawn from ``values``."""
    if not isinstance(pattern, RoutePattern):  # a regex (the admin's app list, catch-alls)
        return st.from_regex(pattern.regex.pattern, fullmatch=True).map(
            lambda text: quote(text, safe="/")
        )
    route = str(pattern)
    pieces, last = [], 0
    for match in _ARGUMENT.finditer(route):
        pieces.append(st.just(route[last : match.start()]))
        converter = pattern.converters[match["name"]]
        if isinstance(converter, IntConverter):
            argument = st.sampled_from(values["ints"]).map(str) | st.integers(
                min_value=0, max_value=10**30
            ).map(str)
        else:
            safe = "/" if isinstance(converter, PathConverter) else ""
            argument = value(values["texts"], mode).map(lambda text, s=safe: quote(text, safe=s))
        pieces.append(argument)
        last = match.end()
    pieces.append(st.just(route[last:]))
    return st.tuples(*pieces).map("".join)


def fields(values, mode):
    """Query parameters or form fields: known and unknown names; a flood in "flood" mode."""
    name = st.sampled_from(KNOWN_NAMES) | TEXT
    pairs = st.lists(st.tuples(name, value(values["texts"], mode)), max_size=5)
    if mode != "flood":
        return pairs
    return st.tuples(pairs, FLOOD).map(lambda t: t[0] + [("a", "1")] * t[1])


@pytest.fixture
def world(db):
    """A synced reseller with a customer, an order, a subscription and a webhook; who asks."""
    with simulated_marketplace():
        reseller = synced_reseller()
        reseller.self_service_enabled = True
        reseller.save(update_fields=["self_service_enabled"])
        customer = CustomerFactory(reseller=reseller, tenant_domain="contoso.onmicrosoft.com")
        order = OrderFactory(customer=customer)
        subscription = SubscriptionFactory(order__customer=customer)
        staff = UserFactory(reseller=reseller)
        endpoint = Endpoint.objects.create(
            reseller=reseller, url="https://example.com/hook", events=["order.completed"]
        )
        message = Message.objects.create(
            endpoint=endpoint, message_id="msg_fuzz", event_type="order.completed", payload={}
        )
        users = {
            "staff": staff,
            "customer": UserFactory(end_customer=True, customer=customer),
            "support": UserFactory(support=True),
            "admin": UserFactory(admin=True),
        }
        token = api_token_create(reseller=reseller, name="fuzz", created_by=staff).secret
        ids = [customer.pk, order.pk, subscription.pk, endpoint.pk, message.pk, staff.pk, 1]
        yield {
            "users": users,
            "token": token,
            "values": {
                "ints": sorted(set(ids)),
                "texts": [order.reference, str(customer.pk), "json", "cart", "1", ""],
            },
        }


def clients(world):
    """One client per role, signed in; a view's exception comes back as the 500 it would be."""
    signed_in = {"anonymous": Client(raise_request_exception=False)}
    for role, user in world["users"].items():
        signed_in[role] = Client(raise_request_exception=False)
        signed_in[role].force_login(user)
    return signed_in


def route_kind(parts) -> str:
    first = str(parts[0])
    return "admin" if first.startswith("admin") else "api" if first.startswith("api") else "web"


def answer_problems(response, path) -> list[str]:
    problems = []
    if server_failed(path, response.status_code):
        problems.append(f"answered {response.status_code}")
    if path.startswith("/api/") and response.status_code >= 400:
        if response.get("Content-Type") != PROBLEM:
            problems.append(f"{response.status_code} as {response.get('Content-Type')}")
    return problems


def examples_per_route() -> int:
    profile_examples = settings.default.max_examples
    return DEEP_EXAMPLES if profile_examples >= DEEP_EXAMPLES else CI_EXAMPLES_PER_ROUTE


def fuzz_route(parts, world, signed_in) -> str | None:
    """Fuzz one route; return the failure Hypothesis found (shrunk), or None."""
    values = world["values"]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}
    kind = route_kind(parts)

    @settings(
        max_examples=examples_per_route(),
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(data=st.data())
    def check(data):
        mode = data.draw(st.sampled_from(MODES), label="mode")
        path = data.draw(
            st.tuples(*[part_strategy(part, values, mode) for part in parts]).map(
                lambda texts: "/" + "".join(texts)
            ),
            label="path",
        )
        method = data.draw(st.sampled_from(["GET", *METHODS]), label="method")
        role = data.draw(st.sampled_from(ROLES[kind]), label="role")
        query = data.draw(fields(values, mode), label="query")
        body = data.draw(fields(values, mode), label="body")
        client = signed_in[role]
        extra = bearer if kind == "api" and not data.draw(st.booleans()) else {}
        target = path + ("?" + urlencode(query) if query else "")
        if data.draw(st.booleans(), label="json"):
            content, content_type = json.dumps(dict(body)), "application/json"
        else:
            content, content_type = urlencode(body), "application/x-www-form-urlencoded"
        response = client.generic(method, target, content, content_type=content_type, **extra)
        if role != "anonymous" and "_auth_user_id" not in client.session:
            client.force_login(world["users"][role])  # it signed out: keep asking as that role
        assert not answer_problems(response, path), (method, target[:300], role)

    try:
        check()
    except AssertionError as failure:
        return f"{route_id(parts)}: {failure}"
    return None


def test_every_route_is_in_the_fuzz():
    """The discovery finds the web pages, the admin and the API (with its catch-all)."""
    found = {route_id(parts) for parts, _ in ROUTES}
    assert {"orders/<str:reference>/", "api/v1/orders/<reference>", "api/^(?P<rest>.*)$"} <= found
    assert sum(1 for route in found if route.startswith("admin/")) > 50


def test_no_route_answers_500_and_every_api_error_is_a_problem(world):
    signed_in = clients(world)  # the marketplace stays the world's simulator throughout
    failures = [fuzz_route(parts, world, signed_in) for parts, _ in ROUTES]
    failures = [failure for failure in failures if failure]
    assert not failures, "\n\n".join(failures)


def _filled(pattern, integer: str, text: str) -> str:
    """Return ``pattern``'s route with each argument filled: ``integer`` or ``text``."""

    def fill(match):
        is_int = isinstance(pattern.converters[match["name"]], IntConverter)
        return integer if is_int else text

    return _ARGUMENT.sub(fill, str(pattern))


def sweep_requests(parts, world):
    """The deterministic part: for one route, with real arguments, a NUL in the query, a NUL
    in each text argument, a flood of parameters, and every method."""
    real_int, real_text = str(world["values"]["ints"][0]), world["values"]["texts"][0]
    pieces, nul_pieces = [], []
    for part in parts:
        if not isinstance(part, RoutePattern):  # a regex: the catch-alls take anything
            pieces.append("")
            nul_pieces.append("%00")
            continue
        pieces.append(_filled(part, real_int, real_text))
        nul_pieces.append(_filled(part, real_int, real_text + "%00"))
    path, nul_path = "/" + "".join(pieces), "/" + "".join(nul_pieces)
    flood = "&".join(f"p{n}=1" for n in range(1_500))
    yield "GET", path + "?q=%00&status=%1B"
    if nul_path != path:
        yield "GET", nul_path
    yield "GET", path + "?" + flood
    for method in METHODS:
        yield method, path


def test_every_route_refuses_control_characters_floods_and_odd_methods(world):
    signed_in = clients(world)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}
    failures = []
    for parts, _ in ROUTES:
        kind = route_kind(parts)
        client = signed_in[ROLES[kind][0] if kind != "api" else "anonymous"]
        extra = bearer if kind == "api" else {}
        for method, target in sweep_requests(parts, world):
            response = client.generic(method, target, "", **extra)
            if "_auth_user_id" not in client.session and kind != "api":
                client.force_login(world["users"][ROLES[kind][0]])
            problems = answer_problems(response, target)
            if target.split("?")[0].count("%00") or "q=%00" in target or "p1499" in target:
                if response.status_code != 400:
                    problems.append(f"{response.status_code} instead of 400 at the edge")
            if problems:
                failures.append(f"{route_id(parts)}: {method} {target[:120]}: {problems}")
    assert not failures, "\n".join(failures)
