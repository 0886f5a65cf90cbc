"""Server CPU of every order wizard step against a stock formtools step, in one run.

Run from the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/compare.py

Three things are measured in the same process, interleaved round after round:

* the bare view: a Django view returning a short ``HttpResponse`` (the floor);
* a stock django-formtools ``SessionWizardView`` with two plain forms and a template
  that extends the project's ``base.html`` (what "a wizard step" costs with no
  business in it): showing step 1, and posting step 1 (validation + showing step 2);
* every step of the product's journey (``bench/wizard.py``'s walk: catalogue, cart,
  each wizard step shown and posted, Buy and the order placement).

Times are process CPU (``time.process_time``) of one request through Django's test
client, median of the rounds after a warm-up round; the ratio column divides by the
stock formtools step (the post of step 1). The marketplace is the simulator served
in-process, so steps that ask it something (partner, tenant, review, done) include
the simulator's CPU too. The throw-away database holds 1,000 products and 100 customers.
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


def main():
    from django.db import connections

    logging.disable(logging.INFO)  # the simulator's request log would drown the table
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
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
            client = Client()
            client.force_login(world.user)
            samples = {}
            for round_number in range(ROUNDS + 1):
                rows = anchors(client)
                rows += [
                    (name, seconds)
                    for name, seconds, _ in bench_wizard.walk(
                        client, world.user, customer, product.pk
                    )
                ]
                if round_number:
                    for name, seconds in rows:
                        samples.setdefault(name, []).append(seconds)
        medians = {name: statistics.median(values) for name, values in samples.items()}
        stock = medians["stock formtools: step 1 (next, shows step 2)"]
        bare_time = medians["bare view"]
        print(
            f"Process CPU per request, median of {ROUNDS} interleaved rounds after a warm-up;"
            " 1,000 products, 100 customers; simulator in-process.\n"
        )
        print(f"{'request':46}{'CPU':>10}{'× stock step':>14}{'× bare view':>13}")
        for name, value in medians.items():
            print(f"{name:46}{value * 1000:8.2f}ms{value / stock:13.2f}×{value / bare_time:12.1f}×")
        return 0
    finally:
        connections.close_all()


if __name__ == "__main__":
    sys.exit(main())
