"""The error catalogue: each documented upstream error in plain words; unknown ones counted."""

import pytest
from django.urls import reverse

from orders.error_catalogue import ENTRIES, GENERIC
from orders.guidance import guidance_for, upstream_error_seen
from orders.models import Order, UnrecognisedUpstreamError
from orders.pipeline import submission
from simulator import errors as upstream_texts
from tests.factories import UserFactory

from .test_pipeline_decisions import placed  # noqa: F401  (the same placed order fixture)

CATALOGUE = reverse("errors:catalogue")

#: Every code shared/upstream/README.md names for an upstream refusal or order state, by section.
DOCUMENTED_CODES = {
    "§1.6/1.7/2.10 rate limit": "HTTP 429",
    "§1.8 long-running operation": "LO",
    "§1.8 provisioning failed": "PF",
    "§1.8 no payment method": "NP",
    "§1.8 waiting for payment": "WP",
    "§1.8 hold": "HL",
    "§2.3 MPN not numeric": "2000",
    "§2.3 partner organisation not found": "3000",
    "§2.3 MPN not found": "800015",
    "§2.3 not an indirect reseller": "800016",
    "§2.3 provider not valid as PoR": "2072",
    "§2.3 MPA not accepted": "900123",
    "§2.3 programme not active": "800039",
    "§2.4 no relationship": "20002",
    "§2.5 duplicate agreement": "600061",
    "§2.5 MCA missing": "13605",
    "§2.7 registration number": "600049",
    "§2.7 phone number": "600050",
    "§2.7 registration and phone": "600051",
    "§2.9 window passed": "900117",
    "§2.9 cannot decrease": "800090",
    "§2.9 quantity out of range": "2002",
}


def test_every_documented_code_has_exactly_one_entry():
    for where, code in DOCUMENTED_CODES.items():
        owners = [entry.key for entry in ENTRIES if code in entry.codes]
        assert len(owners) == 1, f"{where} ({code}) is in {owners}"


def test_every_entry_says_what_happened_what_to_do_and_who():
    for entry in ENTRIES:
        assert entry.title and entry.what_happened and entry.advice and entry.who, entry.key
        assert entry.source, entry.key


@pytest.mark.parametrize(
    "message, key",
    [
        (upstream_texts.MPN_NOT_NUMERIC, "mpn_not_numeric"),
        (upstream_texts.MPN_NOT_FOUND, "mpn_not_found"),
        (upstream_texts.MPN_NOT_INDIRECT_RESELLER, "mpn_not_reseller"),
        (upstream_texts.MPA_NOT_ACCEPTED, "mpa"),
        (upstream_texts.NO_RELATIONSHIP.format(partner=1, customer=2), "relationship"),
        (upstream_texts.MCA_MISSING, "mca"),
        (
            upstream_texts.QUANTITY_OUT_OF_RANGE.format(quantity=500, minimum=1, maximum=300),
            "quantity",
        ),
        (upstream_texts.CANCELLATION_WINDOW_PASSED.format(days=7), "window"),
        (upstream_texts.QUANTITY_CANNOT_DECREASE, "window"),
        (
            upstream_texts.CONFLICTING_CHANGE.format(subscription=1, order="CH1", status="LO"),
            "conflicting_change",
        ),
        (upstream_texts.AMBIGUOUS_PRODUCT.format(mpn="X:0001"), "ambiguous_product"),
        (upstream_texts.DOMAIN_TAKEN.format(domain="contoso.onmicrosoft.com"), "domain_taken"),
        ("special_qualifications must be 'None' or 'soe'.", "qualification_value"),
        (
            "The marketplace could not provision the order (status error, PF).",
            "provisioning_failed",
        ),
        ("The marketplace could not provision the order (status error, NP).", "payment"),
        ("Rate limit is exceeded. Try again in 57 seconds.", "rate_limited"),
    ],
)
def test_the_upstreams_own_texts_find_their_entry(message, key):
    """The texts come from the simulator, which carries the upstream's wording (README §1.6-2.9)."""
    assert guidance_for(message).key == key


@pytest.mark.django_db
def test_an_unknown_message_is_counted_and_a_known_one_is_not():
    assert upstream_error_seen("Zorblax quota exhausted", order=None) is GENERIC
    assert upstream_error_seen("Zorblax   quota exhausted ", order=None) is GENERIC
    upstream_error_seen(upstream_texts.MPN_NOT_FOUND)

    seen = UnrecognisedUpstreamError.objects.get()
    assert (seen.message, seen.count) == ("Zorblax quota exhausted", 2)


@pytest.mark.django_db
def test_a_refusal_with_unknown_words_fails_the_order_raw_and_is_counted(
    placed,  # noqa: F811
    simulator,
    enqueued,
    django_capture_on_commit_callbacks,
):
    simulator.fail(
        kind="status", status=400, message="Zorblax quota exhausted", path="/orders", count=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)

    order = Order.objects.get(pk=placed.pk)
    assert order.status == "failed"
    assert "Zorblax quota exhausted" in order.failure_message
    seen = UnrecognisedUpstreamError.objects.get()
    assert (seen.count, seen.last_order) == (1, order)


@pytest.mark.django_db
def test_a_failed_orders_page_explains_its_error_and_links_the_catalogue(
    client,
    placed,  # noqa: F811
    simulator,
    enqueued,
    django_capture_on_commit_callbacks,
):
    simulator.fail(kind="business", error="mca_missing", method="POST", path="/orders", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    client.force_login(placed.placed_by)

    page = client.get(reverse("orders:detail", kwargs={"reference": placed.reference}))
    text = page.content.decode()
    assert "Microsoft Customer Agreement not confirmed" in text
    assert "Who can do it:" in text
    assert f'{CATALOGUE}#error-mca"' in text


@pytest.mark.django_db
def test_the_catalogue_page_lists_every_entry_and_only_staff_see_the_unknown_ones(client):
    UnrecognisedUpstreamError.objects.create(
        digest="0" * 64,
        message="Zorblax",
        first_seen="2026-01-01T00:00Z",
        last_seen="2026-01-01T00:00Z",
    )
    client.force_login(UserFactory())
    reseller_page = client.get(CATALOGUE).content.decode()
    for entry in ENTRIES:
        assert f'id="error-{entry.key}"' in reseller_page
    assert "Zorblax" not in reseller_page

    client.force_login(UserFactory(support=True))
    assert "Zorblax" in client.get(CATALOGUE).content.decode()
