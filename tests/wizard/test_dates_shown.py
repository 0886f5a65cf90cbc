"""Dates are shown to people as "4 December 2026"; MM-DD-YYYY only goes upstream."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from .conftest import product
from .journey import (
    AGREEMENT,
    TODAY,
    agree,
    attest,
    buy,
    existing_customer_until_attestation,
    params,
    qualify,
)
from .simulated import TAILSPIN, post_step

pytestmark = pytest.mark.django_db

SHOWN_TODAY = f"{TODAY.day} {TODAY:%B %Y}"


def test_the_review_shows_the_agreement_date_in_words_and_sends_mm_dd_yyyy(
    client, buyer, add_to_cart, tailspin
):
    add_to_cart(product())
    existing_customer_until_attestation(client, tailspin, TAILSPIN["tenant"])
    attest(client, "agreement")
    agree(client, "qualification")
    review = qualify(client).content.decode()

    agreement = review.split("<dt>Microsoft Customer Agreement</dt>", 1)[1].split("</dd>", 1)[0]
    assert f"on {SHOWN_TODAY}" in agreement
    assert TODAY.strftime("%m-%d-%Y") not in agreement

    order = buy(client)
    assert params(order)["agreement_date"] == TODAY.strftime("%m-%d-%Y")


def test_the_agreement_step_asks_for_a_date_with_a_date_picker(
    client, buyer, add_to_cart, tailspin
):
    add_to_cart(product())
    existing_customer_until_attestation(client, tailspin, TAILSPIN["tenant"])
    step = attest(client, "agreement").content.decode()

    assert 'type="date"' in step and f'value="{TODAY.isoformat()}"' in step
    assert "MM-DD-YYYY" not in step and TODAY.strftime("%m-%d-%Y") not in step

    future = post_step(client, "agreement", {**AGREEMENT, "accepted_on": "2999-12-31"})
    assert "The agreement date, 31 December 2999, is in the future" in future.content.decode()


def test_the_customer_page_shows_the_agreement_date_in_words(client, buyer, woodgrove):
    page = client.get(reverse("customers:detail", kwargs={"pk": woodgrove.pk})).content.decode()

    assert "on 1 May 2025" in page and "2025-05-01" not in page


@pytest.mark.parametrize(
    "template, expected",
    [
        ("{{ value|day }}", "4 December 2026"),
        ("{{ value|moment }}", "4 December 2026, 07:21"),
        ('{{ value|moment:"seconds zone" }}', "4 December 2026, 07:21:09 UTC"),
        ("{{ nothing|day }}", ""),
    ],
)
def test_one_form_for_dates(template, expected, settings):
    settings.TIME_ZONE = "UTC"
    context = Context({"value": datetime(2026, 12, 4, 7, 21, 9, tzinfo=UTC), "nothing": None})
    assert Template("{% load words %}" + template).render(context) == expected
    assert Template("{% load words %}{{ d|day }}").render(Context({"d": date(2026, 12, 4)})) == (
        "4 December 2026"
    )
