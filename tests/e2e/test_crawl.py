"""Every page, for every role, in a real browser: no error, no template text, no sideways
scrolling at 1280 and 390 px, no serious or critical WCAG 2.2 AA violation.

The pages are every URL pattern of the resolver (tests/e2e/crawl_pages.py), filled from data
that holds every kind of object (tests/e2e/crawl_world.py), so a page added later is crawled
without touching this file. Each role signs in once (its session is handed to the browser);
each page is loaded once per role at 1280 px, checked, then narrowed to 390 px and checked
again in the same load; axe-core runs at 1280 px only. A page a role reaches twice (a
redirect to the same sign-in or list page) is checked once, and axe-core runs once per
distinct page structure. Endpoints that are not pages are fetched over HTTP in the role's
session for a status below 500.

Django's admin is crawled like every other page. What its own markup failed (breadcrumb
links told apart by colour only, small list-filter links, unlabelled split date/time and
inline-row inputs, nameless autocomplete boxes, tables wider than the window) is fixed by the
site's overrides: static/css/admin.css, static/js/admin-names.js, config/admin_labels.py. The
one violation left inside a third party's markup is listed, with whose markup it is, in
crawl_checks.UPSTREAM_MARKUP. The check that the main menu is one line applies to the site's
menu (``.site-header``); the admin's header has none.

CRAWL_ROLES="support,admin" crawls only those roles (for working on their pages; CI crawls
all). CRAWL_LANGUAGE=de crawls the pages in German (or another of settings.LANGUAGES), as the
header's language menu would choose it: longer words must fit too (CI crawls in English; the
other languages' words are checked page by page in tests/i18n). CRAWL_SCREENSHOTS=1 writes a
screenshot of every page at both widths to test-artifacts/screenshots/crawl/ (slow; for
looking at the pages, not for CI).
"""

import os
import re
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from tests.server_failures import server_failed
from tests.simulated import simulated_marketplace
from tests.wizard.journey import attest, choose_tenant, qualify, until_tenant
from tests.wizard.simulated import SELF_SERVICE

from . import crawl_checks as checks
from .conftest import SCREENSHOTS
from .crawl_pages import Objects, filled, url_patterns
from .crawl_world import ROLES, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
SHOTS = os.environ.get("CRAWL_SCREENSHOTS") == "1"
ONLY = [role for role in os.environ.get("CRAWL_ROLES", "").split(",") if role]
LANGUAGE = os.environ.get("CRAWL_LANGUAGE", "")


@pytest.fixture
def world(transactional_db):
    with simulated_marketplace() as simulator:
        yield build_world(simulator)


def signed_in(user) -> Client:
    """Return a test client signed in as ``user``, with its wizard walked to the review step."""
    client = Client()
    client.force_login(user)
    if user.role == user.Role.CUSTOMER_USER:
        cart = client.get(SELF_SERVICE.step_url("cart"))
        signature = cart.context["wizard"]["form"].current_signature
        SELF_SERVICE.post_step(client, "cart", {"lines": signature})
        SELF_SERVICE.post_step(client, "qualification", {"special_qualification": "None"})
    if user.role == user.Role.RESELLER_STAFF:
        customer = user.reseller.customers.get(company_name="Woodgrove Bank")
        until_tenant(client, customer)
        choose_tenant(client, tenant_preference="existing", existing_tenant=customer.tenant_domain)
        attest(client, "qualification")
        qualify(client)
    return client


class Crawl:
    """One role's visits in one browser context; findings are collected, not raised."""

    def __init__(self, browser, base_url, role, client, axed):
        self.role, self.base_url, self.client, self.axed = role, base_url, client, axed
        self.context = browser.new_context(viewport=WIDE, locale="en-US")
        self.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": base_url,
                }
            ]
        )
        if LANGUAGE:
            self.context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": LANGUAGE, "url": base_url}]
            )
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = LANGUAGE
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.errors: list[tuple[str, str]] = []  # (what the browser said, about which URL)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append((f"script error: {error}", "")))
        self.seen: set[str] = set()
        self.findings: list[str] = []
        self.pages = 0

    def _console(self, message):
        if message.type == "error":
            url = message.location.get("url", "")
            self.errors.append((f"console error: {message.text} ({url})", url))

    def report(self, url, finding):
        self.findings.append(f"{self.role} | {url} | {finding}")

    def visit(self, path, pattern_name):
        """Check ``path`` in the browser at both widths, unless this role has seen its page."""
        # The test client (same session) tells cheaply where the path leads: a redirect to a
        # page already checked, or a refusal (403, 404) of a pattern already refused, is not
        # loaded again.
        answer = self.client.get(path)
        if server_failed(path, answer.status_code):
            self.report(path, f"status {answer.status_code}")
            return
        if answer.status_code in (301, 302) and urlsplit(answer["Location"]).path in self.seen:
            return
        if answer.status_code >= 400 and (pattern_name, answer.status_code) in self.seen:
            return
        self.load(path, pattern_name)

    def load(self, path, pattern_name):
        page = self.page
        self.errors.clear()
        response = page.goto(self.base_url + path, wait_until="load")
        landed = urlsplit(page.url).path
        if response.status >= 500:
            self.report(path, f"status {response.status}")
        key = (pattern_name, response.status) if response.status >= 400 else landed
        if key in self.seen:
            return
        self.seen.add(key)
        self.pages += 1
        where = path if landed == path else f"{path} -> {landed}"
        findings = checks.template_text(page) + checks.overflow(page, WIDE["width"])
        findings += checks.menu_on_one_line(page)
        # axe runs once per distinct page structure (the same markup for another object or
        # role gives the same violations): a status box, a button or a menu more is new.
        # What the page logged while loading; axe's own style sheets, refused by the site's
        # CSP while axe runs, are not the page's.
        errors = list(self.errors)
        structure = checks.structure(page)
        if structure not in self.axed:
            self.axed.add(structure)
            findings += checks.accessibility(page)
        self.shot(landed, "1280")
        page.set_viewport_size(NARROW)
        findings += checks.overflow(page, NARROW["width"])
        self.shot(landed, "390")
        page.set_viewport_size(WIDE)
        # A 4xx answer is a page too (checked above); the browser logs it as a failed load.
        document = {self.base_url + path, page.url} if response.status < 500 else set()
        findings += [error for error, url in errors if url not in document]
        for finding in findings:
            self.report(where, finding)

    def fetch(self, path):
        """Fetch ``path`` over HTTP in this role's session (not followed): a status below 500.

        Over HTTP, not the test client: the test client cannot run an async view (the
        readiness probe) in this thread, where Playwright's event loop runs.
        """
        answer = self.context.request.get(self.base_url + path, max_redirects=0)
        if server_failed(path, answer.status):
            self.report(path, f"status {answer.status} (fetched)")
        answer.dispose()

    def shot(self, path, width):
        if SHOTS:
            folder = SCREENSHOTS / "crawl" / re.sub(r"\W+", "-", self.role).strip("-")
            folder.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "home"
            self.page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)

    def close(self):
        self.context.close()


@pytest.mark.timeout(600)  # about 4 minutes on a loaded 2-core machine; the default is 300 s
def test_every_page_for_every_role(browser, live_server, world):
    patterns = url_patterns()
    started, findings, visits, pages, axed = time.monotonic(), [], 0, 0, set()
    for role in ONLY or ROLES:
        user = world.users[role]
        crawl = Crawl(browser, live_server.url, role, signed_in(user), axed)
        try:
            objects = Objects(user)
            for pattern in patterns:
                for values in filled(pattern, objects):
                    path = pattern.url(values)
                    if pattern.is_page:
                        crawl.visit(path, pattern.name)
                        visits += 1
                    else:
                        crawl.fetch(path)
        finally:
            crawl.close()
        findings += crawl.findings
        pages += crawl.pages
    elapsed = time.monotonic() - started
    print(
        f"crawl: {visits} (role, page) visits ({len(patterns)} URL patterns), "
        f"{pages} pages checked in the browser, "
        f"{len(axed)} distinct page structures checked by axe, in {elapsed:.0f} s"
    )
    assert not findings, f"{len(findings)} findings (role | page | finding):\n" + "\n".join(
        findings
    )
