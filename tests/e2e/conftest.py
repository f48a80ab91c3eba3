"""Browser tests: the app served on a local port, driven by Playwright in Debian's Chromium.

Playwright cannot download its own browsers here, so it is pointed at the system's `chromium`.
Without one, these tests are skipped, unless CRM_REQUIRE_BROWSER is set (CI sets it), where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.e2e.server import CHROMIUM_ARGS, browser_app, serve

# When the browser moves on while the test server is still sending it a static file (Chart.js is 200 kB),
# werkzeug's development server can leave that file to the garbage collector, which warns (ResourceWarning),
# and the suite turns every warning into an error. It is the test server's, not the app's: gunicorn serves
# the app in production. Only that warning, about files under static/, is let through.
ABANDONED_STATIC_FILE = (
    r"ignore:Exception ignored in.*_io\.(FileIO|BufferedReader) name='[^']*/static/[^']*':"
    "pytest.PytestUnraisableExceptionWarning"
)


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.filterwarnings(ABANDONED_STATIC_FILE))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CRM_REQUIRE_BROWSER"):
            pytest.fail("CRM_REQUIRE_BROWSER is set but there is no chromium on PATH")
        pytest.skip("no chromium on PATH (apt-get install chromium)")
    return path


@pytest.fixture
def live_server(tmp_path) -> Iterator[str]:
    """The app on a free local port, with a fresh SQLite file of its own (the browser is another thread)."""
    with serve(browser_app(tmp_path)) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()
