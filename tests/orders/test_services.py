import re
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from orders.checks import request_problems
from orders.dispatch import enqueue_submit
from orders.models import Attestation, Order
from orders.requests import LineRequest
from orders.services import OrderRejected, order_place
from tests.factories import CustomerFactory, ProductFactory, UserFactory

from .helpers import order_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(reseller):
    return UserFactory(reseller=reseller)


def place(request, reseller, buyer, key=None):
    return order_place(
        request=request,
        reseller=reseller,
        placed_by=buyer,
        idempotency_key=key or uuid.uuid4(),
        ip_address="203.0.113.7",
        channel=Order.Channel.WIZARD,
    )


def problem_fields(excinfo):
    return [field for field, _ in excinfo.value.problems]


def test_placing_writes_the_order_its_lines_parameters_attestations_and_event(
    customer, reseller, buyer, django_capture_on_commit_callbacks
):
    plain = ProductFactory(price=Decimal("12.50"))
    attested = ProductFactory(
        price=Decimal("30.00"),
        offer_attestation_required=True,
        offer_attestation_text="Windows 365 with Hybrid Use Rights: I attest eligibility.",
    )
    with django_capture_on_commit_callbacks() as callbacks:
        order = place(order_request(customer, [plain, attested]), reseller, buyer)

    assert re.fullmatch(r"NCE-[0-9A-HJKMNP-TV-Z]{8}", order.reference)
    assert order.status == Order.Status.PLACED
    assert order.total == Decimal("127.50")
    assert [(line.mpn, line.quantity) for line in order.lines.all()] == [
        (plain.mpn, 3),
        (attested.mpn, 3),
    ]
    params = {p.name: (p.value, p.structured_value) for p in order.parameters.filter(line=None)}
    assert params == {
        "tenant_preference": ("new", None),
        "microsoft_domain": (f"contoso{customer.pk}x.onmicrosoft.com", None),
        "partner_on_record_attestation_accepted": ("", {"attestation_accepted": True}),
        "mca_acceptance": ("yes", None),
        "agreement_date": ("01-31-2026", None),
        "first_name_agreement": ("Jane", None),
        "last_name_agreement": ("Doe", None),
        "email_address_agreement": ("jane.doe@contoso.example", None),
        "special_qualifications": ("None", None),
    }
    line_params = list(
        order.parameters.exclude(line=None).values_list("line__mpn", "name", "structured_value")
    )
    # Seed 004: offer_attestation on every line, false for an item that needs none.
    assert line_params == [
        (plain.mpn, "offer_attestation", {"attestation_accepted": False}),
        (attested.mpn, "offer_attestation", {"attestation_accepted": True}),
    ]
    kinds = {a.kind: a for a in order.attestations.all()}
    assert set(kinds) == {"partner_of_record", "terms", "customer_agreement", "offer"}
    assert kinds["offer"].text == attested.offer_attestation_text
    assert all(a.accepted_by == buyer and a.ip_address == "203.0.113.7" for a in kinds.values())
    event = order.events.get()
    assert (event.action, event.to_status, event.actor, event.actor_user) == (
        "place",
        "placed",
        "reseller",
        buyer,
    )
    assert len(callbacks) == 1
    assert callbacks[0].func is enqueue_submit and callbacks[0].args == (order.pk,)


def test_the_same_key_returns_the_same_order(customer, reseller, buyer):
    key = uuid.uuid4()
    request = order_request(customer, [ProductFactory()])
    first = place(request, reseller, buyer, key)
    second = place(request, reseller, buyer, key)
    assert first.pk == second.pk
    assert Order.objects.count() == 1


def test_a_key_of_another_reseller_is_simply_a_new_key(customer, reseller, buyer):
    key = uuid.uuid4()
    first = place(order_request(customer, [ProductFactory()]), reseller, buyer, key)
    stranger = CustomerFactory()
    theirs = place(order_request(stranger, [ProductFactory()]), stranger.reseller, None, key)
    assert theirs != first and theirs.reseller == stranger.reseller
    assert Order.objects.filter(idempotency_key=key).count() == 2


def _place_with_key_found_unused(request, reseller, buyer, key):
    """What the wizard's placement does: its draft load found no order with ``key``."""
    return order_place(
        request=request,
        reseller=reseller,
        placed_by=buyer,
        idempotency_key=key,
        ip_address="203.0.113.7",
        channel=Order.Channel.WIZARD,
        key_found_unused=True,
    )


def test_an_order_placed_with_the_key_after_the_caller_looked_is_returned(
    customer, reseller, buyer, django_capture_on_commit_callbacks
):
    # Another tab placed the order between the caller's look-up and this call.
    key = uuid.uuid4()
    request = order_request(customer, [ProductFactory()])
    first = place(request, reseller, buyer, key)

    with django_capture_on_commit_callbacks() as callbacks:
        second = _place_with_key_found_unused(request, reseller, buyer, key)

    assert second.pk == first.pk
    assert Order.objects.count() == 1 and first.events.count() == 1
    assert callbacks == []  # nothing handed to the worker a second time


def test_an_order_placed_meanwhile_is_returned_even_when_the_request_no_longer_passes(
    customer, reseller, buyer
):
    key = uuid.uuid4()
    first = place(order_request(customer, [ProductFactory()]), reseller, buyer, key)
    stale = order_request(customer, [ProductFactory(active=False)])

    assert _place_with_key_found_unused(stale, reseller, buyer, key).pk == first.pk
    assert Order.objects.count() == 1


def test_a_key_of_another_reseller_is_a_new_key_after_the_caller_looked(customer, reseller, buyer):
    key = uuid.uuid4()
    first = place(order_request(customer, [ProductFactory()]), reseller, buyer, key)
    stranger = CustomerFactory()

    theirs = _place_with_key_found_unused(
        order_request(stranger, [ProductFactory()]), stranger.reseller, None, key
    )

    assert theirs != first and theirs.reseller == stranger.reseller
    assert Order.objects.count() == 2


def test_an_existing_valid_mca_is_not_sent_again(reseller, buyer):
    customer = CustomerFactory(
        reseller=reseller,
        tenant_domain="fabrikam.onmicrosoft.com",
        mca_accepted_on=date(2025, 5, 1),
    )
    request = order_request(
        customer,
        [ProductFactory()],
        tenant_preference="existing",
        microsoft_domain="fabrikam.onmicrosoft.com",
        agreement=None,
    )
    order = place(request, reseller, buyer)
    names = set(order.parameters.values_list("name", flat=True))
    assert "mca_acceptance" not in names
    assert not order.attestations.filter(kind=Attestation.Kind.CUSTOMER_AGREEMENT).exists()


def test_education_orders_carry_the_qualification_and_segment(customer, reseller, buyer):
    request = order_request(
        customer,
        [ProductFactory(segment="education")],
        tenant_preference="existing",
        microsoft_domain="school.onmicrosoft.com",
        special_qualification="Education",
        education_segment="K12",
    )
    order = place(request, reseller, buyer)
    params = dict(order.parameters.values_list("name", "value"))
    # Seed 004: special_qualifications is None or soe; the segment is its own parameter.
    assert params["special_qualifications"] == "None"
    assert params["education_segment"] == "K12"


def test_a_customer_of_another_reseller_is_refused(reseller, buyer):
    stranger = CustomerFactory()
    with pytest.raises(OrderRejected) as rejected:
        place(order_request(stranger, [ProductFactory()]), reseller, buyer)
    assert "customer_id" in problem_fields(rejected)
    assert not Order.objects.exists()


def test_every_problem_is_reported_at_once(customer, reseller, buyer):
    gone = ProductFactory(active=False)
    limited = ProductFactory(minimum_quantity=1, maximum_quantity=10)
    repriced = ProductFactory(price=Decimal("20.00"))
    attested = ProductFactory(offer_attestation_required=True)
    request = order_request(
        customer,
        [],
        lines=(
            LineRequest(product_id=gone.pk, quantity=1),
            LineRequest(product_id=limited.pk, quantity=11),
            LineRequest(product_id=repriced.pk, quantity=1, expected_unit_price="18.00"),
            LineRequest(product_id=attested.pk, quantity=1, offer_attestation_accepted=False),
        ),
        partner_of_record_accepted=False,
        agreement=None,
        terms_accepted=False,
    )
    with pytest.raises(OrderRejected) as rejected:
        place(request, reseller, buyer)
    assert problem_fields(rejected) == [
        "lines[0].product_id",
        "lines[1].quantity",
        "lines[2].expected_unit_price",
        "lines[3].offer_attestation_accepted",
        "partner_of_record_accepted",
        "terms_accepted",
        "agreement",
    ]
    messages = dict(rejected.value.problems)
    assert "at most 10" in messages["lines[1].quantity"]
    assert messages["lines[2].expected_unit_price"] == (
        f"The price of {repriced.name} changed from 18.00 USD to 20.00 USD."
    )


def test_a_changed_price_is_written_for_the_readers_language(customer, reseller):
    repriced = ProductFactory(price=Decimal("1234.50"), currency="EUR")
    line = LineRequest(product_id=repriced.pk, quantity=1, expected_unit_price="1200")
    request = order_request(customer, [], lines=(line,))
    for language, words in (
        ("en", "changed from 1,200.00 EUR to 1,234.50 EUR."),
        ("de", "hat sich von 1.200,00 EUR auf 1.234,50 EUR geändert."),
    ):
        with translation.override(language):
            [problem] = [
                p
                for p in request_problems(request=request, reseller=reseller)
                if p.field == "lines[0].expected_unit_price"
            ]
        assert problem.message.endswith(words), problem.message


def test_tenant_rules_are_checked(reseller, buyer):
    customer = CustomerFactory(reseller=reseller, tenant_domain="fabrikam.onmicrosoft.com")
    with pytest.raises(OrderRejected) as rejected:
        place(
            order_request(customer, [ProductFactory()], microsoft_domain="bad name.com"),
            reseller,
            buyer,
        )
    assert problem_fields(rejected) == ["tenant_preference", "microsoft_domain"]
    with pytest.raises(OrderRejected) as rejected:
        place(
            order_request(
                customer,
                [ProductFactory()],
                tenant_preference="existing",
                microsoft_domain="",
                microsoft_tenant_id="not-a-guid",
            ),
            reseller,
            buyer,
        )
    assert problem_fields(rejected) == ["microsoft_tenant_id"]


def test_a_new_tenant_is_refused_for_education_offers(customer, reseller, buyer):
    product = ProductFactory(segment="education")
    request = order_request(
        customer, [product], special_qualification="Education", education_segment="HigherEducation"
    )
    with pytest.raises(OrderRejected) as rejected:
        place(request, reseller, buyer)
    assert problem_fields(rejected) == ["tenant_preference"]


def test_a_refused_tenant_choice_is_fixed_the_one_way_that_works(customer, reseller):
    # The fix used to offer "a new tenant name or the customer's existing tenant" for both,
    # though only one of them is allowed in each case.
    school = order_request(customer, [ProductFactory(segment="education")])
    [refused] = [
        p for p in request_problems(request=school, reseller=reseller) if p.step == "tenant"
    ]
    assert refused.fix == "Choose the customer's existing tenant."

    government = order_request(
        customer,
        [ProductFactory(segment="government")],
        tenant_preference="existing",
        microsoft_domain="cityofkirkland.onmicrosoft.com",
    )
    [refused] = [p for p in request_problems(request=government, reseller=reseller)]
    assert refused.field == "tenant_preference"
    assert refused.fix == "Choose a new tenant and give it a name."


def test_qualification_values_and_irreversibility(reseller, buyer):
    customer = CustomerFactory(reseller=reseller, qualification="state_owned_entity")
    with pytest.raises(OrderRejected) as rejected:
        place(
            order_request(
                customer,
                [ProductFactory(segment="education")],
                tenant_preference="existing",
                microsoft_domain="soe.onmicrosoft.com",
                special_qualification="Education",
            ),
            reseller,
            buyer,
        )
    assert problem_fields(rejected) == ["education_segment", "special_qualification"]
    with pytest.raises(OrderRejected) as rejected:
        place(
            order_request(
                customer,
                [ProductFactory()],
                special_qualification="Education",
                education_segment="K12",
            ),
            reseller,
            buyer,
        )
    assert problem_fields(rejected) == ["special_qualification"]
    with pytest.raises(OrderRejected) as rejected:
        place(
            order_request(customer, [ProductFactory()], special_qualification="Nonprofit"),
            reseller,
            buyer,
        )
    assert problem_fields(rejected) == ["special_qualification"]


def test_an_agreement_signed_by_a_placeholder_is_refused(customer, reseller, buyer):
    from orders.requests import AgreementAcceptance

    agreement = AgreementAcceptance(
        first_name="Test", last_name="D", email="x@microsoft.com", accepted_on=date(2099, 1, 1)
    )
    with pytest.raises(OrderRejected) as rejected:
        place(order_request(customer, [ProductFactory()], agreement=agreement), reseller, buyer)
    fields = problem_fields(rejected)
    assert fields == [
        "agreement.first_name",
        "agreement.last_name",
        "agreement.email",
        "agreement.accepted_on",
    ]


def test_an_inquiring_partner_cannot_order(customer, reseller, buyer):
    reseller.tier_status = reseller.TierStatus.INQUIRING
    reseller.tier_reason = "MPN Id is not found"
    reseller.save()
    with pytest.raises(OrderRejected) as rejected:
        place(order_request(customer, [ProductFactory()]), reseller, buyer)
    assert problem_fields(rejected) == ["partner"]
