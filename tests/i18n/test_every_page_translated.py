"""Every page of the crawl, for every role, in German, French, Spanish and Dutch: no English left.

Each page is rendered with the test client (no browser: the English browser crawl checks the
layout) once in English and once per language, chosen as a person does, with the language
cookie the header's switcher sets; what the other language shows exactly as English does is
English left over (tests/i18n/untranslated.py), unless it is data: a name, a product name, a
code, or the marketplace's own words. The failure lists, per language and per page, each
piece of text left in English, so a translator sees what to do. I18N_LANGUAGES="de" checks
only those languages (for a translator at work; CI checks all).
"""

import os
import zoneinfo
from collections import defaultdict

import pytest
from django.conf import settings
from django.test import Client

from catalog.models import Product
from customers.models import Contact, Customer, Reseller, User
from orders.models import Attestation, Order, UnrecognisedUpstreamError
from relationships.models import PartnerRolesCheck
from tests.e2e.crawl_pages import Objects, filled, url_patterns
from tests.e2e.crawl_world import ROLES, build_world
from tests.e2e.test_crawl import signed_in
from tests.simulated import simulated_marketplace
from webhooks.models import Endpoint

from .untranslated import english_vocabulary, untranslated

pytestmark = pytest.mark.django_db(transaction=True)

OTHER_LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]
ONLY = [code for code in os.environ.get("I18N_LANGUAGES", "").split(",") if code]


@pytest.fixture
def world(transactional_db):
    with simulated_marketplace() as simulator:
        yield build_world(simulator)


def page_data() -> list[str]:
    """Return the data a page may show as it is in every language, longest first."""
    # The product's own name, and time zones' names (the preferences' list of zones).
    values = {"NCE Orders", *zoneinfo.available_timezones()}
    for model, fields in (
        (Customer, ("company_name", "city", "tenant_domain", "street_address")),
        (Reseller, ("name", "tier_reason")),
        (Product, ("name", "vendor")),
        (User, ("username", "first_name", "last_name")),
        (Contact, ("first_name", "last_name", "email")),
        (Order, ("reference", "failure_message", "failure_guidance", "po_number")),
        (Attestation, ("text",)),  # kept word for word as the person accepted it
        (Endpoint, ("url",)),
        (UnrecognisedUpstreamError, ("message",)),
        (PartnerRolesCheck, ("message",)),
    ):
        for row in model.objects.values_list(*fields):
            values.update(" ".join(value.split()) for value in row if value)
    return sorted(values, key=len, reverse=True)


def render(client: Client, path: str, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    if response.status_code in (301, 302) or "html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode()


@pytest.mark.timeout(900)
def test_every_page_is_translated_in_every_language(world):
    languages = [code for code in OTHER_LANGUAGES if not ONLY or code in ONLY]
    vocabulary = {language: english_vocabulary(language) for language in languages}
    data = page_data()
    left = defaultdict(list)  # language -> ["role | path | text", ...]
    pages = defaultdict(set)
    for role in ROLES:
        user = world.users[role]
        client = signed_in(user)
        objects = Objects(user)
        for pattern in url_patterns():
            if not pattern.is_page or pattern.name.startswith("admin"):
                continue  # Django's admin is Django's own translation
            for values in filled(pattern, objects)[:1]:
                path = pattern.url(values)
                english = render(client, path, "en")
                if english is None:
                    continue
                for language in languages:
                    other = render(client, path, language)
                    for text in untranslated(
                        english, other or "", vocabulary=vocabulary[language], data=data
                    ):
                        left[language].append(f"{role} | {path} | {text}")
                        pages[language].add(path)
    summary = [
        f"{language}: {len(left[language])} pieces of English on {len(pages[language])} pages"
        for language in languages
    ]
    details = [f"{language} | {line}" for language in languages for line in left[language]]
    assert not details, "\n".join(summary + details)
