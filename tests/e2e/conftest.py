"""Browser tests: Chromium driven by Playwright against a live server.

The browser is Debian's /usr/bin/chromium (`apt-get install chromium`; CI installs
it), never one downloaded by Playwright. Without it the browser tests fail, each
with a one-line instruction; the rest of the suite runs.

The server is pytest-django's live_server (a real HTTP server in a thread);
the marketplace is the simulator, served in-process through SimulatorTransport
because the server thread shares this process. Screenshots of every step go
to test-artifacts/screenshots/<test>/<nn>-<step>.png (named in the README).
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django then refuses
# ORM calls from test code unless told the thread is not really async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

#: Debian's Chromium; CHROMIUM_PATH names another build of Chromium already on the machine.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


INSTALL_HINT = (
    f"No Chromium for the browser tests at {CHROMIUM}: install Debian's "
    "(apt-get install -y chromium). The tests never download a browser."
)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(INSTALL_HINT, pytrace=False)
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as error:  # noqa: BLE001 - the browser is there but does not start
            pytest.fail(f"{INSTALL_HINT} ({type(error).__name__}: {error})", pytrace=False)
        yield browser
        browser.close()


class Screenshots:
    """Write numbered full-page screenshots for one test."""

    def __init__(self, page, test_name):
        self.page = page
        self.folder = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0

    def __call__(self, step):
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{step}.png"), full_page=True)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.shots = Screenshots(page, request.node.name)
    yield page
    context.close()
