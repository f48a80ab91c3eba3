"""The pipeline dashboard in a real browser: the charts draw under the CSP, a bar leads to its list,
and a phone never scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crm.accounts import services as accounts
from crm.core.roles import Role
from crm.demo import load_sample_trip
from crm.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.server import browser_app, serve


@pytest.fixture
def dashboard_url(tmp_path, chromium_path) -> Iterator[str]:
    app = browser_app(tmp_path)
    with app.app_context():
        accounts.create_user(email="zhao.min@zone.test", name="Zhao Min", password=PASSWORD, role=Role.MANAGER)
        load_sample_trip(owner_email="zhao.min@zone.test")
        db.session.commit()
    with serve(app) as url:
        yield url


def sign_in(page, base: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=email]", "zhao.min@zone.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}])
def test_the_charts_draw_and_a_bar_opens_its_list(browser, dashboard_url, viewport):
    context = browser.new_context(locale="en-GB", viewport=viewport)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, dashboard_url)
    page.goto(dashboard_url + "/dashboards/")
    # The sample's projects have not landed: that chart says so instead of drawing twelve empty months.
    assert page.locator("canvas[data-chart]").count() == 4
    assert page.locator(".chart-empty").all_inner_texts() == ["Nothing landed in these twelve months."]
    # Chart.js has drawn on every canvas: each holds a chart instance.
    drawn = page.evaluate("[...document.querySelectorAll('canvas[data-chart]')].every(c => Chart.getChart(c))")
    assert drawn, problems
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # The first funnel bar (lead) leads to the projects opened in the period.
    funnel = page.locator("canvas[data-chart=funnel]")
    funnel.scroll_into_view_if_needed()
    box = funnel.bounding_box()
    bar = page.evaluate(
        "(() => { const c = Chart.getChart(document.querySelector('canvas[data-chart=funnel]'));"
        " const b = c.getDatasetMeta(0).data[0]; return {x: b.x, y: (b.y + b.base) / 2}; })()"
    )
    page.mouse.click(box["x"] + bar["x"], box["y"] + bar["y"])
    page.wait_for_url("**/projects/?**")
    assert "reached=lead" in page.url
    assert "4 records" in page.inner_text("main")
    assert problems == []
    context.close()
