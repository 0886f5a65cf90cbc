"""The reference page renders in Chromium under the site's CSP, with no request off the site.

Debian's chromium driven by Playwright against pytest-django's live_server.
"""

import os
from urllib.parse import urlparse

import pytest

from webhooks.models import Event

# Playwright's sync API runs an event loop in this thread; the ORM must still work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.django_db(transaction=True)

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


def test_the_reference_page_lists_every_endpoint_without_breaking_the_csp(
    browser,
    live_server,
):
    context = browser.new_context()
    page = context.new_page()
    problems, hosts = [], set()
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))

    response = page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15_000)

    assert "script-src 'self'" in response.headers["content-security-policy"]
    webhooks = page.locator(".webhooks .opblock-summary-path").all_inner_texts()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    # Every event the product sends is documented in the schema's webhooks section, which
    # Swagger UI lists after the endpoints, in blocks of the same kind.
    events = {event.value for event in Event}
    assert {w.replace("\u200b", "") for w in webhooks} == events
    assert {p.replace("\u200b", "") for p in paths} - events == {
        "/api/v1/products",
        "/api/v1/customers",
        "/api/v1/customers/{customer_id}",
        "/api/v1/orders",
        "/api/v1/orders/validate",
        "/api/v1/orders/{reference}",
        "/api/v1/orders/{reference}/cancel",
        "/api/v1/subscriptions",
        "/api/v1/subscriptions/{subscription_id}/changes",
        "/api/v1/subscriptions/{subscription_id}/auto-renew",
        "/api/v1/subscriptions/{subscription_id}/scheduled-changes/{reference}/cancel",
    }
    assert problems == []
    assert hosts == {urlparse(live_server.url).netloc}
    context.close()
