"""Server CPU of every order wizard step against a stock formtools step, in one run.

Run from the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/compare.py

Three things are measured in the same process, interleaved round after round:

* the bare view: a Django view returning a short ``HttpResponse`` (the floor);
* a stock django-formtools ``SessionWizardView`` with two plain forms and a template
  that extends the project's ``base.html`` (what "a wizard step" costs with no
  business in it): showing step 1, and posting step 1 (validation + showing step 2);
* every step of the product's journey (``bench/wizard.py``'s walk: catalogue, cart,
  each wizard step shown and posted, Buy and the order placement);
* translated pages (issue 25): pages rendered in English and in German in turn, the order
  of the two swapped every round (the catalogue with a search, the cart step of the wizard,
  the order page of the order just placed: dates, money, plurals), chosen with the language
  cookie as the header's switcher sets it. "German × English" is the median over rounds of
  the German request's CPU divided by the English one's, each round's pair measured back to
  back; the target is 1.1×.

Times are process CPU (``time.process_time``) of one request through Django's test
client, median of the rounds after a warm-up round; the ratio columns divide by the
stock formtools step (the post of step 1). The throw-away database holds 1,000
products and 100 customers.

The marketplace is the simulator served in-process (no socket), so a step that asks
it something (partner, tenant, review, Buy, the placement) would also count the
simulator's own CPU, which in production is spent on the distributor's machines.
The script times the simulator apart: the transport's ``handle_request`` (the
simulator app, from the request's WSGI environ to its body) runs on a clock of its
own, and the "ours" column is the request's CPU without it: our view, forms,
queries and templates plus the client side of each upstream call (building the
request, httpx, parsing the answer). "upstream" is what was taken out.
"""

import importlib.util
import logging
import statistics
import sys
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("bench_wizard", HERE / "wizard.py")
bench_wizard = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_wizard)  # sets up Django with the in-process simulator

from django import forms  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402
from formtools.wizard.views import SessionWizardView  # noqa: E402

from simulator.transport import SimulatorTransport  # noqa: E402

ROUNDS = 15

STOCK_TEMPLATE = engines["django"].from_string(
    """{% extends "base.html" %}{% block content %}
<form method="post">{% csrf_token %}{{ wizard.management_form }}{{ wizard.form.as_div }}
<button type="submit">Next</button></form>{% endblock %}"""
)


class StockContact(forms.Form):
    name = forms.CharField(max_length=100)
    email = forms.EmailField()


class StockDetails(forms.Form):
    company = forms.CharField(max_length=100)
    seats = forms.IntegerField(min_value=1, max_value=300)


class StockWizard(SessionWizardView):
    form_list = [("contact", StockContact), ("details", StockDetails)]

    def get_template_names(self):
        return STOCK_TEMPLATE

    def done(self, form_list, **kwargs):
        return HttpResponse("done")


def bare(request):
    return HttpResponse("ok")


urls = types.ModuleType("bench_compare_urls")
urls.urlpatterns = [
    path("bench/bare/", bare),
    path("bench/stock/", StockWizard.as_view()),
    path("", include("config.urls")),
]
sys.modules["bench_compare_urls"] = urls


class Upstream:
    """CPU spent inside the in-process simulator, so far."""

    spent = 0.0


_serve = SimulatorTransport.handle_request


def _timed_serve(self, request):
    started = time.process_time()
    try:
        return _serve(self, request)
    finally:
        Upstream.spent += time.process_time() - started


SimulatorTransport.handle_request = _timed_serve


class MeteredClient(Client):
    """The test client, noting each request's CPU spent in the simulator."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.upstream = []

    def request(self, **request):
        before = Upstream.spent
        try:
            return super().request(**request)
        finally:
            self.upstream.append(Upstream.spent - before)


def cpu(call):
    started = time.process_time()
    response = call()
    elapsed = time.process_time() - started
    if response.status_code >= 400:
        raise SystemExit(f"HTTP {response.status_code}")
    return elapsed


def anchors(client):
    """Return [(name, cpu seconds)] for the bare view and the stock wizard's two requests."""
    management = "stock_wizard-current_step"
    shown = cpu(lambda: client.get("/bench/stock/"))
    posted = cpu(
        lambda: client.post(
            "/bench/stock/",
            {management: "contact", "contact-name": "Liam", "contact-email": "l@example.com"},
        )
    )
    bare_time = cpu(lambda: client.get("/bench/bare/"))
    return [
        ("bare view", bare_time),
        ("stock formtools: step 1 (show)", shown),
        ("stock formtools: step 1 (next, shows step 2)", posted),
    ]


#: Pages timed in English and in German (issue 25): (name, path; "{order}" = the order placed).
TRANSLATED_PAGES = [
    ("catalogue list + search", "/catalog/?q=plan+0004"),
    ("wizard: cart (show)", "/order/cart/"),
    ("order page", "/orders/{order}/"),
]


def in_languages(client, reference, round_number):
    """Return [(name, language, cpu seconds)] of TRANSLATED_PAGES, English and German in turn."""
    from django.conf import settings

    languages = ("en", "de") if round_number % 2 else ("de", "en")
    rows = []
    for name, page in TRANSLATED_PAGES:
        url = page.format(order=reference)
        for language in languages:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            rows.append((name, language, cpu(lambda url=url: client.get(url))))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return rows


def print_languages(samples):
    """Print each translated page's CPU in English and German and their median ratio."""
    print(f"\n{'translated page':46}{'English':>10}{'German':>10}{'German × English':>18}")
    worst = 0.0
    for name, _ in TRANSLATED_PAGES:
        pairs = samples[name]
        english = statistics.median(en for en, _ in pairs)
        german = statistics.median(de for _, de in pairs)
        ratio = statistics.median(de / en for en, de in pairs)
        worst = max(worst, ratio)
        print(f"{name:46}{english * 1000:8.2f}ms{german * 1000:8.2f}ms{ratio:17.2f}×")
    print(
        f"Target: every translated page within 1.1× English: {'met' if worst <= 1.1 else 'NOT met'}"
    )
    return worst


def main():
    from django.db import connections

    logging.disable(logging.INFO)  # the simulator's request log would drown the table
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from tests.simulated import start_simulator

    start_simulator()
    # The walk times with process CPU instead of the wall clock.
    bench_wizard.time = types.SimpleNamespace(
        perf_counter=time.process_time, strftime=time.strftime
    )
    try:
        with override_settings(ROOT_URLCONF="bench_compare_urls", DEBUG=False):
            print(bench_wizard.machine())
            world = bench_wizard.World()
            world.grow_products(1_000)
            world.grow_customers(world.reseller, 100)
            from catalog.models import Product

            product = Product.objects.get(mpn="CFQ7TTC0LH16:0001", term="P1Y", billing_period="P1M")
            customer = world.shopper(world.reseller, world.user)
            client = MeteredClient()
            client.force_login(world.user)
            samples = {}
            translated = {}
            # The cart step needs a cart; the order page, an order: one walk makes both.
            bench_wizard.walk(client, world.user, customer, product.pk)
            client.post(f"/catalog/add/{product.pk}/", {})
            from orders.models import Order

            reference = Order.objects.filter(placed_by=world.user).latest("pk").reference
            for round_number in range(ROUNDS + 1):
                client.upstream = []
                rows = [(name, seconds, 0.0) for name, seconds in anchors(client)]
                if any(client.upstream):
                    raise SystemExit("an anchor asked the simulator something")
                client.upstream = []
                walked = bench_wizard.walk(client, world.user, customer, product.pk)
                rows += [
                    (name, seconds, upstream)
                    for (name, seconds, _), upstream in zip(walked, client.upstream, strict=True)
                ]
                if round_number:
                    for name, seconds, upstream in rows:
                        samples.setdefault(name, []).append((seconds, upstream))
                client.post(f"/catalog/add/{product.pk}/", {})  # the walk's Buy emptied the cart
                timed = in_languages(client, reference, round_number)
                if round_number:
                    for name, _ in TRANSLATED_PAGES:
                        seconds = {lang: t for page, lang, t in timed if page == name}
                        translated.setdefault(name, []).append((seconds["en"], seconds["de"]))
        print(
            f"Process CPU per request, median of {ROUNDS} interleaved rounds after a warm-up;"
            " 1,000 products, 100 customers; simulator in-process, timed apart.\n"
        )
        table = {
            name: (
                statistics.median(s for s, _ in values),
                statistics.median(u for _, u in values),
                statistics.median(s - u for s, u in values),
            )
            for name, values in samples.items()
        }
        stock = table["stock formtools: step 1 (next, shows step 2)"][0]
        bare_time = table["bare view"][0]
        print(
            f"{'request':46}{'CPU':>9}{'upstream':>10}{'ours':>9}"
            f"{'ours × stock':>14}{'CPU × stock':>13}{'ours × bare':>13}"
        )
        for name, (total, upstream, ours) in table.items():
            print(
                f"{name:46}{total * 1000:7.2f}ms{upstream * 1000:8.2f}ms{ours * 1000:7.2f}ms"
                f"{ours / stock:13.2f}×{total / stock:12.2f}×{ours / bare_time:12.1f}×"
            )
        worst = print_languages(translated)
        return 0 if worst <= 1.1 else 1
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
