"""Property-based tests of every wizard step form, reseller and self-service (Hypothesis).

Each step is posted, through its real view, with generated values in its own
fields (text of every kind, NUL bytes, very long values, near-valid answers).
Whatever is posted, the answer is the step again with its errors, or the next
step: never a 5xx, never an exception. The simulator is served in-process.
Profiles: tests/hypothesis_profiles.py.
"""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import CustomerFactory, UserFactory

from .conftest import product
from .journey import AGREEMENT, agree, attest, choose_tenant, qualify, until_tenant
from .simulated import RESELLER, SELF_SERVICE, TAILSPIN

pytestmark = pytest.mark.django_db

RESELLER_STEPS = [
    "cart",
    "customer",
    "partner",
    "tenant",
    "attestation",
    "agreement",
    "qualification",
    "review",
]
SELF_SERVICE_STEPS = ["cart", "attestation", "agreement", "qualification", "review"]

NEAR_VALID = [
    "on",
    "",
    "new",
    "existing",
    "yes",
    "None",
    "EducationQualification",
    "StateOwnedEntity",
    "US",
    "United States",
    "en_US",
    "+12065550199",
    "(206) 555-0199",
    "1234567",
    "northwindit.onmicrosoft.com",
    "tailspintoys.onmicrosoft.com",
    "a" * 300,
    "03-02-2026",
    "2026-03-02",
    "13-45-2026",
    "0",
    "-1",
    "99999999999999999999",
    "1:2:3;4:5",
    "\x00",
    "Robert'); DROP TABLE orders;--",
    "<script>alert(1)</script>",
]
values = st.one_of(
    st.sampled_from(NEAR_VALID),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60),
    st.text(alphabet="0123456789-:;./ ", max_size=30),
)


def fields_of(client, wizard, step):
    """Return the names of the step's fields, as its page renders them (read once per test)."""
    known = client.__dict__.setdefault("fuzzed_fields", {})
    key = (wizard.url_name, step)
    if key not in known:
        page = client.get(wizard.step_url(step))
        assert page.status_code == 200, page.status_code
        known[key] = sorted(page.context["wizard"]["form"].fields)
    return known[key]


def fuzz_post(client, wizard, step, names, data):
    payload = {wizard.management_field: step}
    for name in names:
        value = data.draw(values, label=name)
        if value is not None:
            payload[f"{step}-{name}"] = value
    if data.draw(st.booleans(), label="go back"):
        payload["wizard_goto_step"] = data.draw(st.sampled_from(RESELLER_STEPS + ["nowhere"]))
    response = client.post(wizard.step_url(step), payload)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert response.context["wizard"]["steps"].current in RESELLER_STEPS


@pytest.fixture
def walked(client, buyer, add_to_cart, tailspin):
    """A reseller wizard that has shown every step: Tailspin has a tenant but no MCA yet."""
    add_to_cart(product(), 2)
    until_tenant(client, tailspin)
    choose_tenant(client, tenant_preference="existing", existing_tenant=TAILSPIN["tenant"])
    attest(client, "agreement")
    agree(client, "qualification")
    qualify(client)
    return client


@pytest.mark.parametrize("step", RESELLER_STEPS)
@given(data=st.data())
def test_every_reseller_step_form_answers_any_input_without_error(walked, step, data):
    names = fields_of(walked, RESELLER, step)
    fuzz_post(walked, RESELLER, step, names, data)


def self_service_post(client, step, data):
    payload = {SELF_SERVICE.management_field: step}
    payload.update({f"{step}-{name}": value for name, value in data.items()})
    response = client.post(SELF_SERVICE.step_url(step), payload)
    assert response.status_code == 302, response.content.decode()[:300]


@pytest.fixture
def self_service_walked(client, northwind):
    """A self-service wizard that has shown all its steps: Tailspin's own tenant has no MCA
    yet (the customer accepts it itself) and the cart holds an offer needing an attestation."""
    northwind.self_service_enabled = True
    northwind.save(update_fields=["self_service_enabled"])
    customer = CustomerFactory(
        reseller=northwind,
        company_name="Tailspin Toys",
        upstream_customer_id=TAILSPIN["id"],
        tenant_domain=TAILSPIN["tenant"],
    )
    user = UserFactory(end_customer=True, customer=customer, username="grace")
    client.force_login(user)
    offer = product(attestation=True)
    client.post(reverse("catalog:cart_add", args=[offer.pk]))
    opened = client.get(reverse("wizard:self_service"))
    cart = client.get(opened["Location"])
    self_service_post(client, "cart", {"lines": cart.context["wizard"]["form"].current_signature})
    self_service_post(client, "attestation", {f"offer_{offer.pk}": "on"})
    self_service_post(client, "agreement", {**AGREEMENT, "accept": "on"})
    self_service_post(client, "qualification", {"special_qualification": "None"})
    return client


@pytest.mark.parametrize("step", SELF_SERVICE_STEPS)
@given(data=st.data())
def test_every_self_service_step_form_answers_any_input_without_error(
    self_service_walked, step, data
):
    names = fields_of(self_service_walked, SELF_SERVICE, step)
    fuzz_post(self_service_walked, SELF_SERVICE, step, names, data)


@given(data=st.data())
def test_live_checks_answer_any_input_without_error(walked, data):
    checks = [
        ("get", "wizard:customer_search", {"q": values, "customer-customer": values}),
        ("get", "wizard:tenant_name_check", {"tenant-tenant_prefix": values}),
        (
            "post",
            "wizard:partner_check",
            {"partner-mpn_id": values, "partner-indirect_reseller_domain": values},
        ),
        (
            "post",
            "wizard:relationship_check",
            {"tenant-existing_tenant": values, "customer": values},
        ),
    ]
    method, name, fields = data.draw(st.sampled_from(checks))
    payload = {key: data.draw(strategy, label=key) for key, strategy in fields.items()}
    response = getattr(walked, method)(reverse(name), payload, HTTP_HX_REQUEST="true")
    assert response.status_code < 500
