"""Accessibility: axe-core checks every main page, in English and Chinese, on a desktop and a phone.

No violation of serious or critical impact is allowed (axe's WCAG 2.x A and AA rules and best practices).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crm.accounts import services as accounts
from crm.core.roles import Role
from crm.demo import load_sample_trip
from crm.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.server import browser_app, serve

AXE = Path(__file__).parent / "vendor/axe-core-4.14.1/axe.min.js"

MAIN_PAGES = {
    "home": "/",
    "trips": "/trips/",
    "trip": "/trips/1",
    "visits": "/visits/",
    "visit": "/visits/3",
    "visit form": "/visits/new?trip_id=1",
    "enterprises": "/enterprises/",
    "enterprise": "/enterprises/3",
    "contacts": "/contacts/",
    "projects": "/projects/",
    "project": "/projects/1",
    "project form": "/projects/new?visit_id=3",
    "board": "/projects/board",
    "follow-ups": "/follow-ups/?scope=all",
    "audit log": "/audit/",
}


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory, chromium_path) -> Iterator[str]:
    app = browser_app(tmp_path_factory.mktemp("axe"))
    with app.app_context():
        accounts.create_user(email="admin@zone.test", name="Wang Fang", password=PASSWORD, role=Role.ADMIN)
        load_sample_trip()
        db.session.commit()
    with serve(app) as url:
        yield url


def _serious_violations(page) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:3]
        )
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"]
)
@pytest.mark.parametrize("language", ["en", "zh"])
def test_main_pages_have_no_serious_accessibility_violations(browser, sample_site, language, viewport):
    # bypass_csp lets the test inject axe; the pages themselves are served under their strict policy.
    context = browser.new_context(locale="zh-CN" if language == "zh" else "en-GB", viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(sample_site + "/login")
    page.fill("input[name=email]", "admin@zone.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if language == "zh" else "en")
    found = {}
    for name, path in MAIN_PAGES.items():
        page.goto(sample_site + path)
        violations = _serious_violations(page)
        if violations:
            found[name] = violations
    context.close()
    assert found == {}, "\n".join(f"{name}: {violation}" for name, items in found.items() for violation in items)


@pytest.mark.parametrize("width", [1200, 1280, 1366, 1400, 1600])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_top_bar_holds_every_area_on_one_line_at_desktop_widths(browser, sample_site, language, width):
    """The administrator has the most areas. Each name stays on one line (首页, not 首 over 页) and the bar does not
    push the page wider than the window; below 1200 px the areas fold into the menu button."""
    context = browser.new_context(
        locale="zh-CN" if language == "zh" else "en-GB", viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    page.goto(sample_site + "/login")
    page.fill("input[name=email]", "admin@zone.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(sample_site + "/visits/")
    heights = page.eval_on_selector_all(".app-navbar .nav-link", "links => links.map(link => link.offsetHeight)")
    bar = page.eval_on_selector(".app-navbar", "bar => bar.offsetHeight")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert heights and max(heights) < 45, heights
    assert bar < 70, bar
    assert scroll_width <= width
