"""How the wizard behaves around the happy path: one order per Buy, Back keeps what was typed,
hostile input gets a message, readiness lists every blocker."""

import pytest

from catalog.models import CartLine
from orders.models import Order
from tests.factories import CustomerFactory

from .conftest import product
from .journey import (
    agree,
    attest,
    choose_tenant,
    existing_customer_until_attestation,
    follow,
    pick,
    qualify,
    start,
    until_tenant,
)
from .simulated import MANAGEMENT_FIELD, go_back, post_step, step_url

pytestmark = pytest.mark.django_db


def until_review(client, customer):
    existing_customer_until_attestation(client, customer, customer.tenant_domain)
    attest(client, "qualification")
    return qualify(client)


def press_buy(client, **extra):
    return post_step(client, "review", {"terms": "on"}, **extra)


def test_buy_twice_and_reload_give_one_order(client, buyer, add_to_cart, woodgrove, simulator):
    add_to_cart(product())
    review = until_review(client, woodgrove)
    key = review.context["order_key"]

    first = press_buy(client, order_key=key)
    second = press_buy(client, order_key=key)  # a double click: both posts were sent
    done = client.get(first["Location"])
    again = client.get(second["Location"])
    reload = client.get(step_url("done"))

    order = Order.objects.get()
    assert str(order.idempotency_key) == str(key)
    confirmation = f"/order/placed/{order.reference}/"
    assert done["Location"] == again["Location"] == reload["Location"] == confirmation
    page = client.get(confirmation)
    assert order.reference in page.content.decode()
    assert f"/orders/{order.reference}/" in page.content.decode()
    assert "Woodgrove Bank&#x27;s administrative contact" in page.content.decode()


def test_the_done_page_refreshed_again_and_after_signing_in_again_shows_the_order(
    client, buyer, add_to_cart, woodgrove
):
    add_to_cart(product())
    review = until_review(client, woodgrove)
    client.get(press_buy(client, order_key=review.context["order_key"])["Location"])
    order = Order.objects.get()
    confirmation = f"/order/placed/{order.reference}/"

    refreshed = [client.get(step_url("done"))["Location"] for _ in range(2)]
    client.logout()
    client.force_login(buyer)
    after_sign_in = client.get(step_url("done"))

    assert refreshed == [confirmation, confirmation]
    assert after_sign_in["Location"] == confirmation
    assert Order.objects.count() == 1


def test_the_done_page_of_a_new_wizard_places_nothing_and_shows_the_first_step(
    client, buyer, add_to_cart, woodgrove
):
    add_to_cart(product())
    review = until_review(client, woodgrove)
    client.get(press_buy(client, order_key=review.context["order_key"])["Location"])
    add_to_cart(product(), 4)
    client.get(step_url("cart"))  # a new wizard begins

    done = client.get(step_url("done"))

    assert done.status_code == 302 and done["Location"] == step_url("cart")
    assert Order.objects.count() == 1


def test_back_and_buy_again_from_the_old_page_finds_the_same_order(
    client, buyer, add_to_cart, woodgrove
):
    add_to_cart(product())
    review = until_review(client, woodgrove)
    key = review.context["order_key"]
    client.get(press_buy(client, order_key=key)["Location"])

    # The browser's Back button shows the old review page; Buy posts it again.
    stale = press_buy(client, order_key=key)

    order = Order.objects.get()
    assert stale["Location"] == f"/order/placed/{order.reference}/"


def test_two_tabs_share_one_wizard_and_one_order(client, buyer, add_to_cart, woodgrove):
    add_to_cart(product())
    first_tab = until_review(client, woodgrove)
    second_tab = client.get(step_url("review"))

    client.get(press_buy(client, order_key=first_tab.context["order_key"])["Location"])
    client.get(press_buy(client, order_key=second_tab.context["order_key"])["Location"])

    assert Order.objects.count() == 1


def test_a_new_wizard_after_an_order_gets_a_new_key(client, buyer, add_to_cart, woodgrove):
    add_to_cart(product())
    review = until_review(client, woodgrove)
    client.get(press_buy(client, order_key=review.context["order_key"])["Location"])
    add_to_cart(product(), 4)

    next_review = until_review(client, woodgrove)
    client.get(press_buy(client, order_key=next_review.context["order_key"])["Location"])

    assert next_review.context["order_key"] != review.context["order_key"]
    assert Order.objects.count() == 2


def test_back_keeps_what_was_typed_even_when_invalid(client, buyer, add_to_cart):
    add_to_cart(product())
    follow(client, start(client), "customer")
    typed = {"mode": "new", "company_name": "Half Typed GmbH", "city": "Berlin", "email": "bad@"}

    response = client.post(
        step_url("customer"),
        {
            MANAGEMENT_FIELD: "customer",
            "wizard_goto_step": "cart",
            **{f"customer-{k}": v for k, v in typed.items()},
        },
    )
    assert response["Location"] == step_url("cart")
    back_again = follow(
        client,
        post_step(
            client,
            "cart",
            {"lines": client.get(step_url("cart")).context["wizard"]["form"].current_signature},
        ),
        "customer",
    )

    body = back_again.content.decode()
    assert 'value="Half Typed GmbH"' in body and 'value="Berlin"' in body


def test_refresh_shows_the_stored_step_again(client, buyer, add_to_cart, woodgrove):
    add_to_cart(product())
    follow(client, start(client), "customer")
    follow(client, pick(client, woodgrove), "partner")

    again = client.get(step_url("customer"))

    assert again.context["wizard"]["form"]["customer"].value() == str(woodgrove.pk)
    assert f'value="{woodgrove.pk}" id="customer-pick-{woodgrove.pk}"\n' in again.content.decode()


def test_an_error_stays_at_its_field_and_keeps_the_rest(client, buyer, add_to_cart):
    add_to_cart(product())
    follow(client, start(client), "customer")

    response = post_step(
        client,
        "customer",
        {
            "mode": "new",
            "first_name": "Grace",
            "last_name": "Hopper",
            "email": "grace@microsoft.com",
            "phone": "+12065550199",
            "company_name": "Fourth Coffee",
            "street_address": "1 Pike St",
            "city": "Seattle",
            "state": "ZZ",
            "postal_code": "98101",
            "country": "US",
        },
    )

    body = response.content.decode()
    errors = response.context["wizard"]["form"].errors
    assert set(errors) == {"email", "state"}
    assert 'aria-describedby="id_customer-email-hint id_customer-email-error"' in body
    assert 'id="id_customer-email-error"' in body
    assert 'aria-invalid="true"' in body
    assert 'value="Fourth Coffee"' in body and 'value="1 Pike St"' in body


HOSTILE = [
    {"mode": "<script>alert(1)</script>"},
    {"mode": "existing", "customer": "1 OR 1=1"},
    {"mode": "existing", "customer": "999999999999999999999999"},
    {"mode": "new", "company_name": "x" * 5000, "country": "\x00"},
    {"mode": "new", "phone": "+" + "9" * 40, "login": "../../etc/passwd"},
]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_input_to_the_customer_step_gets_a_message(client, buyer, add_to_cart, data):
    add_to_cart(product())
    follow(client, start(client), "customer")

    response = post_step(client, "customer", data)

    assert response.status_code == 200
    assert response.context["wizard"]["form"].errors


@pytest.mark.parametrize(
    ("step", "data"),
    [
        ("cart", {"lines": "1:2:x;;"}),
        ("partner", {"mpn_id": "12ab", "indirect_reseller_domain": "a b"}),
        ("tenant", {"tenant_preference": "maybe"}),
        ("attestation", {"partner_of_record": "no-thanks"}),
        ("agreement", {"accepted_on": "31-12-2999"}),
        ("qualification", {"special_qualification": "Nonprofit"}),
        ("review", {"po_number": "<b>" * 30}),
    ],
)
def test_malformed_posts_to_any_step_never_fail(client, buyer, add_to_cart, woodgrove, step, data):
    add_to_cart(product())
    until_review(client, woodgrove)

    response = post_step(client, step, data)

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["wizard"]["form"].errors


def test_a_missing_management_form_is_refused_cleanly(client, buyer, add_to_cart):
    add_to_cart(product())

    response = client.post(step_url("customer"), {"customer-mode": "new"})

    assert response.status_code == 400


def test_unknown_step_names_lead_to_the_first_step(client, buyer, add_to_cart):
    add_to_cart(product())

    response = client.get("/order/no-such-step/")

    assert response["Location"] == step_url("cart")


def test_a_cart_changed_after_confirming_sends_the_reseller_back_to_it(
    client, buyer, add_to_cart, woodgrove
):
    add_to_cart(product())
    until_review(client, woodgrove)
    CartLine.objects.filter(cart__user=buyer).update(quantity=7)

    response = press_buy(client)
    done = client.get(response["Location"])

    assert done["Location"] == step_url("cart")
    page = client.get(done["Location"])
    assert "Your cart changed" in page.content.decode()
    assert not Order.objects.exists()


def test_readiness_lists_every_blocker_with_a_link_to_its_step(
    client, buyer, add_to_cart, simulator
):
    add_to_cart(product())
    until_tenant(client)
    choose_tenant(client, tenant_preference="new", tenant_prefix="fourthcoffee77")
    attest(client, "agreement")
    agree(client, "qualification")
    review = qualify(client)
    assert review.context["problems"] == []
    # Someone else takes the name meanwhile (only the marketplace knows), and the
    # reseller's partner details stop being READY.
    simulator.post("taken-prefixes", {"prefix": "fourthcoffee77"})
    buyer.reseller.tier_status = "inquiring"
    buyer.reseller.save(update_fields=["tier_status"])

    review = client.get(step_url("review"))
    refused = press_buy(client)

    places = {(problem.field, problem.step) for problem in review.context["problems"]}
    assert {("partner", "partner"), ("microsoft_domain", "tenant")} <= places
    body = review.content.decode()
    assert "fourthcoffee77.onmicrosoft.com is not available" in body
    assert 'name="wizard_goto_step" value="tenant"' in body
    assert refused.status_code == 200 and not Order.objects.exists()


def test_the_customer_search_never_lists_hundreds(client, buyer, add_to_cart, northwind):
    from tests.factories import CustomerFactory, ResellerFactory

    for n in range(25):
        CustomerFactory(reseller=northwind, company_name=f"Alpine Ski {n:02d}")
    CustomerFactory(reseller=ResellerFactory(), company_name="Alpine Ski of another reseller")
    add_to_cart(product())
    follow(client, start(client), "customer")

    page = client.get(step_url("customer"), {"q": "alpine"})
    fragment = client.get("/order/live/customers/", {"q": "ski 07"}, HTTP_HX_REQUEST="true")

    assert len(page.context["results"]) == 10 and page.context["more_results"]
    assert "another reseller" not in page.content.decode()
    assert fragment.content.decode().count('type="radio"') == 1
    assert "Alpine Ski 07" in fragment.content.decode()


def test_the_customer_step_says_truly_that_the_login_password_is_kept(client, buyer, add_to_cart):
    add_to_cart(product())
    follow(client, start(client), "customer")

    page = client.get(step_url("customer")).content.decode()

    # The wizard keeps it (tests/credentials: the wizard keeps the password...), viewable later.
    assert "never store" not in page
    assert 'It is kept encrypted: you and the customer can read it with "View password"' in page


def test_the_country_input_offers_every_country_on_every_render(client, buyer, add_to_cart):
    from django_countries import countries

    add_to_cart(product())
    follow(client, start(client), "customer")

    bodies = [client.get(step_url("customer")).content.decode() for _ in range(2)]

    body = bodies[0]
    datalist = body[body.index('<datalist id="country-list">') :]
    datalist = datalist[: datalist.index("</datalist>")]
    assert datalist.count("<option ") == len(countries) > 240
    assert '<option value="DE">Germany</option>' in datalist
    assert 'list="country-list"' in body
    assert datalist in bodies[1]


def test_another_resellers_customer_cannot_be_picked(client, buyer, add_to_cart):
    from tests.factories import CustomerFactory

    stranger = CustomerFactory()
    add_to_cart(product())
    follow(client, start(client), "customer")

    response = post_step(client, "customer", {"mode": "existing", "customer": stranger.pk})

    assert "not one of yours" in str(response.context["wizard"]["form"].errors)


def test_the_live_tenant_name_check_suggests_free_names(client, buyer, add_to_cart):
    add_to_cart(product())

    taken = client.get("/order/live/tenant-name/", {"tenant-tenant_prefix": "contoso"})
    free = client.get("/order/live/tenant-name/", {"tenant-tenant_prefix": "brandnew2026"})
    bad = client.get("/order/live/tenant-name/", {"tenant-tenant_prefix": "no spaces"})

    assert "Free names" in taken.content.decode()
    assert "brandnew2026.onmicrosoft.com</strong> is free" in free.content.decode()
    assert "Latin letters and digits" in bad.content.decode()


def test_only_reseller_staff_use_the_wizard(client, support_user):
    client.force_login(support_user)

    assert client.get(step_url("cart")).status_code == 403


def test_going_back_from_review_keeps_later_answers(client, buyer, add_to_cart, woodgrove):
    add_to_cart(product())
    until_review(client, woodgrove)

    go_back(client, "review", "tenant")
    tenant = client.get(step_url("tenant"))

    assert tenant.context["wizard"]["form"]["existing_tenant"].value() == woodgrove.tenant_domain
    assert client.get(step_url("review")).status_code == 200


def test_the_live_partner_check_says_ready_or_why_not(client, buyer, northwind):
    refused = client.post(
        "/order/live/partner/",
        {
            "partner-mpn_id": "2222222",
            "partner-indirect_reseller_domain": "northwindit.onmicrosoft.com",
        },
    )
    northwind.refresh_from_db()
    assert "INQUIRING" in refused.content.decode()
    assert northwind.tier_status == "inquiring"

    ready = client.post(
        "/order/live/partner/",
        {
            "partner-mpn_id": "1234567",
            "partner-indirect_reseller_domain": "northwindit.onmicrosoft.com",
        },
    )
    northwind.refresh_from_db()
    assert "READY" in ready.content.decode() and northwind.tier_status == "ready"

    malformed = client.post("/order/live/partner/", {"partner-mpn_id": "abc"})
    assert malformed.status_code == 200 and "field-error" in malformed.content.decode()


def test_the_live_relationship_check_reports_acceptance(client, buyer, woodgrove):
    accepted = client.post(
        "/order/live/relationship/",
        {"tenant-existing_tenant": woodgrove.tenant_domain, "customer": woodgrove.pk},
    )
    tenantless = CustomerFactory(
        reseller=woodgrove.reseller, tenant_domain="", upstream_customer_id=""
    )
    missing = client.post(
        "/order/live/relationship/",
        {"tenant-existing_tenant": "litware.onmicrosoft.com", "customer": tenantless.pk},
    )

    assert "Accepted" in accepted.content.decode()
    assert "Not accepted yet" in missing.content.decode()


def test_a_busy_marketplace_says_so_and_when_to_press_next_again(
    client, buyer, add_to_cart, simulator
):
    from .journey import NEW_CUSTOMER

    add_to_cart(product())
    follow(client, start(client), "customer")
    simulator.fail(kind="status", status=429, retryAfter=30, method="POST", path="/customers")

    body = post_step(client, "customer", NEW_CUSTOMER).content.decode()

    assert "The marketplace is busy just now" in body and "Try again in 30 seconds" in body
    assert "could not be reached" not in body
    assert 'value="Fourth Coffee Roasters"' in body


def test_an_unreachable_marketplace_is_not_ready_and_offers_no_way_to_the_same_page(
    client, buyer, add_to_cart, woodgrove, simulator
):
    add_to_cart(product())
    existing_customer_until_attestation(client, woodgrove, woodgrove.tenant_domain)
    attest(client, "qualification")
    simulator.fail(kind="status", status=504, count=20)

    review = qualify(client).content.decode()

    assert "not confirmed ready" in review and "Everything is ready" not in review
    # The problem is on the review step itself: a "Go to review" button there leads nowhere.
    assert 'name="wizard_goto_step" value="review"' not in review


def test_buy_refused_for_problems_points_down_to_their_list(
    client, buyer, add_to_cart, woodgrove, simulator
):
    add_to_cart(product())
    existing_customer_until_attestation(client, woodgrove, woodgrove.tenant_domain)
    attest(client, "qualification")
    simulator.fail(kind="status", status=504, count=20)
    qualify(client)

    refused = post_step(client, "review", {"terms": "on"}).content.decode()

    assert "fix the problems listed below first" in refused
    assert refused.index('id="step-errors"') < refused.index('id="readiness"')


def test_an_unreachable_marketplace_keeps_the_new_customer_typed(
    client, buyer, add_to_cart, simulator
):
    from customers.models import Customer

    from .journey import NEW_CUSTOMER

    add_to_cart(product())
    follow(client, start(client), "customer")
    simulator.fail(kind="status", status=503, method="POST", path="/customers", count=9)

    response = post_step(client, "customer", NEW_CUSTOMER)

    assert response.status_code == 200
    body = response.content.decode()
    # A 503 may come from a gateway after the customer was created: never "nothing was changed".
    assert "may have" in body and "press Next again" in body
    assert "nothing was changed" not in body
    assert 'value="Fourth Coffee Roasters"' in body
    assert not Customer.objects.filter(company_name="Fourth Coffee Roasters").exists()


def test_a_customer_the_marketplace_refuses_shows_its_reason(client, buyer, add_to_cart, simulator):
    from .journey import NEW_CUSTOMER

    add_to_cart(product())
    follow(client, start(client), "customer")
    simulator.fail(kind="business", error="invalid_customer", method="POST", path="/customers")

    response = post_step(client, "customer", NEW_CUSTOMER)

    assert "The marketplace refused the new customer" in response.content.decode()
