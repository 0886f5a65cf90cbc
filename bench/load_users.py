"""The people of the load test (a locustfile; bench/load.py runs it, headless, once per step).

Resellers walk the whole order wizard to Buy with real form posts, end customers
browse and order through self-service, support searches, the JSON API places
orders, and one user keeps hitting the bare view (bench/load_urls.py) between
them all, so every step measures the pages and the anchor under the same load.
bench/load.py writes what they need (logins, tokens, ids) to LOAD_FIXTURE and
how many of each to run to LOAD_COUNTS; every order reference placed is
appended to LOAD_PLACED, for load.py to follow to its end.
"""

import itertools
import json
import os
import random
import re
import uuid
from datetime import date

from django_otp.oath import totp
from locust import HttpUser, between, constant, task

FIXTURE = json.loads(os.environ["LOAD_FIXTURE"])
COUNTS = json.loads(os.environ["LOAD_COUNTS"])
PLACED = os.environ["LOAD_PLACED"]
BARE_URL = "/_load/bare/"
TWO_FACTOR_URL = "/accounts/two-factor/verify/"

CURRENT_STEP = re.compile(r'name="([\w-]+-current_step)"')
CART_SIGNATURE = re.compile(
    r'name="cart-lines"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="cart-lines"'
)
PLACED_URL = re.compile(r"/order/placed/([^/]+)/")


class UnexpectedPage(Exception):
    pass


def record_placed(reference):
    with open(PLACED, "a") as placed:
        placed.write(reference + "\n")


class SignedInUser(HttpUser):
    """A person with a login: signs in once, then posts forms with the CSRF token."""

    abstract = True
    people = ()

    def on_start(self):
        self.me = self.people[next(self.numbers) % len(self.people)]
        self.username = self.me["username"]
        self.client.get("/accounts/login/", name="sign-in (page)")
        self.post(
            "/accounts/login/",
            {"username": self.username, "password": FIXTURE["password"]},
            name="sign-in (post)",
        )
        # The code step: the code the person's authenticator shows now (RFC 6238).
        key = bytes.fromhex(FIXTURE["totp_keys"][self.username])
        self.post(TWO_FACTOR_URL, {"code": f"{totp(key):06d}"}, name="sign-in (code)")

    def get(self, url, name, *, expect=(200,), **params):
        return self.request("GET", url, name, expect=expect, params=params)

    def post(self, url, data, name, *, expect=(302,)):
        data = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), **data}
        return self.request("POST", url, name, expect=expect, data=data)

    def request(self, method, url, name, *, expect, **kwargs):
        with self.client.request(
            method, url, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code not in expect:
                response.failure(f"HTTP {response.status_code}, expected {expect}")
                raise UnexpectedPage(f"{name}: HTTP {response.status_code}")
            return response

    def walk_wizard(self, start_url, answers, label):
        """Walk a wizard from its first step to its confirmation page with real form posts.

        Each step is answered from ``answers`` by its name (the last part of its URL), so a
        step the order does not need (an agreement already valid) is simply never shown.
        """
        page = self.get(start_url, f"{label} start", expect=(200, 302))
        location = page.headers.get("Location") or start_url
        for _ in range(12):
            if location.endswith("/done/"):
                done = self.get(location, f"{label} done (place order)", expect=(302,))
                confirmation = done.headers["Location"]
                self.get(confirmation, f"{label} confirmation")
                record_placed(PLACED_URL.search(confirmation)[1])
                return
            step = location.rstrip("/").rsplit("/", 1)[-1]
            shown = self.get(location, f"{label} {step} (show)")
            html = shown.text
            data = {CURRENT_STEP.search(html)[1]: step}
            for field, value in answers(step, html).items():
                data[f"{step}-{field}"] = value
            sent = self.post(location, data, f"{label} {step} (next)")
            location = sent.headers["Location"]
        raise UnexpectedPage(f"{label}: no confirmation after 12 steps")


def cart_signature(html):
    found = CART_SIGNATURE.search(html)
    return found[1] or found[2]


def common_answers(step, html):
    if step == "cart":
        return {"lines": cart_signature(html)}
    if step == "agreement":
        return {
            "accept": "on",
            "first_name": "Liam",
            "last_name": "Okafor",
            "email": "liam@customer.example",
            "accepted_on": date.today().isoformat(),
        }
    if step == "attestation":
        return {"partner_of_record": "on"}
    if step == "qualification":
        return {"special_qualification": "None"}
    if step == "review":
        return {"terms": "on", "po_number": f"LOAD-{uuid.uuid4().hex[:8]}"}
    raise UnexpectedPage(f"the wizard showed a step the load test does not know: {step}")


class Reseller(SignedInUser):
    """Staff of a reseller of its own: the catalogue, the cart, then every wizard step to Buy."""

    fixed_count = COUNTS.get("Reseller", 0)
    wait_time = between(1, 3)
    people = FIXTURE["resellers"]
    numbers = itertools.count()

    @task
    def order_through_the_wizard(self):
        customer = random.choice(self.me["customers"])
        product = random.choice(FIXTURE["products"])
        self.get("/catalog/", "catalogue (search)", q=random.choice(["business", "365", "E3"]))
        self.post(f"/catalog/add/{product}/", {}, "cart: add")
        self.get("/catalog/cart/", "cart page")

        def answers(step, html):
            if step == "customer":
                return {"mode": "existing", "customer": customer["pk"]}
            if step == "partner":
                return self.me["partner"]
            if step == "tenant":
                return {"tenant_preference": "existing", "existing_tenant": customer["tenant"]}
            return common_answers(step, html)

        self.walk_wizard("/order/", answers, "wizard:")


class EndCustomer(SignedInUser):
    """An end customer of one of the resellers: its home, orders and subscriptions, the
    catalogue, and self-service."""

    fixed_count = COUNTS.get("EndCustomer", 0)
    wait_time = between(2, 5)
    people = FIXTURE["customers"]
    numbers = itertools.count()

    @task(3)
    def browse(self):
        self.get("/", "customer: home")
        self.get("/orders/", "customer: orders")
        self.get("/subscriptions/", "customer: subscriptions")
        self.get("/catalog/", "catalogue (search)", q=random.choice(["business", "365"]))

    @task(1)
    def order_for_its_own_company(self):
        self.post(f"/catalog/add/{random.choice(FIXTURE['products'])}/", {}, "cart: add")
        self.walk_wizard("/order/self-service/", common_answers, "self-service:")


class Support(SignedInUser):
    """Support staff searching orders and customers."""

    fixed_count = COUNTS.get("Support", 0)
    wait_time = between(1, 3)
    people = FIXTURE["support"]
    numbers = itertools.count()

    @task
    def search(self):
        term = random.choice(["Woodgrove", "Tailspin", "LOAD-", "NCE-", "failed"])
        self.get("/support/", "support: search", q=term)


class ApiClient(HttpUser):
    """A reseller's integration placing orders through the JSON API and reading their status."""

    fixed_count = COUNTS.get("ApiClient", 0)
    # Within the API's per-token limits (docs/api.md): one order every 8-12 s.
    wait_time = between(8, 12)
    numbers = itertools.count()

    def on_start(self):
        self.me = FIXTURE["api_clients"][next(self.numbers) % len(FIXTURE["api_clients"])]
        self.client.headers["Authorization"] = f"Bearer {self.me['token']}"

    @task
    def place_and_read(self):
        customer = self.me["customer"]
        product = random.choice(FIXTURE["api_products"])
        body = {
            "customer_id": customer["id"],
            "lines": [{**product, "quantity": random.randint(1, 5)}],
            "tenant": {"preference": "existing", "domain": customer["tenant"]},
            "partner_of_record_accepted": True,
            "special_qualification": "None",
            "po_number": f"LOAD-API-{uuid.uuid4().hex[:8]}",
            "terms_accepted": True,
        }
        with self.client.post(
            "/api/v1/orders",
            json=body,
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="api: POST /api/v1/orders",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"HTTP {response.status_code}: {response.text[:300]}")
                return
            reference = response.json()["reference"]
        record_placed(reference)
        self.client.get(f"/api/v1/orders/{reference}", name="api: GET /api/v1/orders/<ref>")


class BareView(HttpUser):
    """The anchor: the bare Django view, hit at a steady pace between everyone else."""

    fixed_count = COUNTS.get("BareView", 0)
    wait_time = constant(0.5)

    @task
    def bare(self):
        self.client.get(BARE_URL, name="bare Django view")
