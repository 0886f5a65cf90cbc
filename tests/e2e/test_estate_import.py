"""A reseller imports its estate in Chromium and watches the progress move by itself.

Nothing is faked: the live server and a real Celery worker share the test database; the
marketplace is the simulator as a separate process over HTTP, seeded with 150 subscriptions
bought elsewhere and slowed a little per request (a scripted delay) so the run is seen moving.
The page is never reloaded: htmx refreshes the progress while the import runs.
"""

import re

import pytest
from playwright.sync_api import expect

from estate.models import ImportRun
from orders.models import Subscription
from tests.pipeline import conftest as pipeline

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

simulator_process = pipeline.simulator_process
simulator = pipeline.simulator
start_worker = pipeline.start_worker
upstream = pipeline.upstream

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def test_an_import_started_in_the_browser_shows_its_progress_until_done(
    page, live_server, upstream, simulator, start_worker
):
    reseller, customer, buyer = upstream
    simulator.control(
        "POST", "estate", {"resellerId": "1000001", "customers": 12, "subscriptions": 150}
    )
    simulator.fail(kind="delay", seconds=0.05, method="GET", path="/subscriptions/*")
    start_worker(pipeline_env={"ORDERS_POLL_REQUESTS_PER_MINUTE": "20000"})

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(buyer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("summary", has_text="Back office").click()  # the menu groups it there
    page.get_by_role("link", name="Estate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your estate at the marketplace")
    page.shots("estate")
    page.get_by_role("button", name="Import from the marketplace").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import of the estate")
    page.evaluate("window.notReloaded = true")
    progress = page.locator("#import-progress")
    expect(progress).to_contain_text(re.compile(r"Running|Waiting"))
    page.shots("running")
    expect(progress.get_by_role("heading")).to_have_text("Done: 100 %", timeout=90_000)
    expect(progress.get_by_test_id("subscriptions")).to_contain_text("150 of 150 read: 150 adopted")
    assert page.evaluate("window.notReloaded") is True
    page.shots("done")
    assert ImportRun.objects.get().status == "done"
    assert Subscription.objects.filter(origin="adopted").count() == 150

    page.get_by_role("link", name="See the subscriptions").click()
    expect(page.get_by_text("adopted").first).to_be_visible()
