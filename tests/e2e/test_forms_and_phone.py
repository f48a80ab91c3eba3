"""In a browser: checkbox lists by keyboard and touch, the code name shown only for confidential projects,
a delegation member filled from the account, and tables on a phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from crm.accounts import services as accounts
from crm.core.roles import Role
from crm.extensions import db
from crm.pipeline import services as pipeline
from crm.pipeline.models import Stage
from crm.trips.models import DelegationMember, Trip
from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.server import browser_app, serve


@pytest.fixture
def site(tmp_path, chromium_path) -> Iterator[tuple[str, object, dict]]:
    """A served app with an officer, a colleague with a title, a trip and a project with a long stage note."""
    app = browser_app(tmp_path)
    with app.app_context():
        officer = accounts.create_user(email="li.wei@zone.test", name="Li Wei", password=PASSWORD, role=Role.OFFICER)
        colleague = accounts.create_user(email="wang@zone.test", name="Wang Fang", password=PASSWORD)
        colleague.local_name, colleague.title = "王芳", "Section chief"
        trip = factories.trip(officer, destination_cities="Shenzhen")
        project = factories.project(officer, name="Battery plant")
        pipeline.advance_stage(
            project, Stage.ASSESSMENT, by=officer, note="Met the chairman; a site visit is planned for spring."
        )
        db.session.commit()
        ids = {"trip": trip.id, "project": project.id, "colleague": colleague.id}
    with serve(app) as url:
        yield url, app, ids


def _signed_in(browser, url: str, locale: str = "en-GB", **context_options):
    context = browser.new_context(locale=locale, **context_options)
    page = context.new_page()
    page.goto(url + "/login")
    page.fill("input[name=email]", "li.wei@zone.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    return context, page


def test_sectors_are_ticked_from_the_keyboard_and_the_list_narrows_as_one_types(browser, site):
    url, app, ids = site
    context, page = _signed_in(browser, url, viewport={"width": 1366, "height": 900})
    page.goto(url + f"/trips/{ids['trip']}/edit")
    sectors = page.locator("#sector_ids")
    expect(sectors.locator("input[type=checkbox]").first).to_be_visible()
    assert page.locator("select[multiple]").count() == 0  # no Ctrl-click anywhere
    search = sectors.locator(".js-checkbox-filter")
    expect(search).to_be_visible()
    search.fill("artificial")
    visible = sectors.locator(".form-check:visible")
    expect(visible.first).to_contain_text("Artificial")
    assert all("artificial" in text.lower() for text in visible.all_inner_texts())
    search.press("Tab")  # to the first box still shown
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Artificial")
    with app.app_context():
        trip = db.session.get(Trip, ids["trip"])
        assert [sector.name_en for sector in trip.sectors] and all("Artificial" in s.name_en for s in trip.sectors)
    context.close()


def test_the_code_name_is_asked_for_only_when_the_project_is_confidential(browser, site):
    url, _, ids = site
    context, page = _signed_in(browser, url, viewport={"width": 1366, "height": 900})
    page.goto(url + f"/projects/{ids['project']}/edit")
    code_name = page.get_by_label("Code name", exact=True)
    expect(code_name).to_be_hidden()
    page.get_by_label("Confidential: others see only the code name").check()
    expect(code_name).to_be_visible()
    context.close()


def test_picking_an_account_fills_the_member_from_it(browser, site):
    url, app, ids = site
    context, page = _signed_in(browser, url, viewport={"width": 390, "height": 844}, has_touch=True)
    page.goto(url + f"/trips/{ids['trip']}")
    panel = page.locator("#add-member")
    expect(panel).to_have_attribute("open", "")
    expect(panel.get_by_label("Name (English or pinyin)", exact=True)).to_have_value(
        "Li Wei"
    )  # the organiser, offered first
    panel.get_by_label("Account").select_option(str(ids["colleague"]))
    expect(panel.get_by_label("Name (English or pinyin)", exact=True)).to_have_value("Wang Fang")
    expect(panel.get_by_label("Job title")).to_have_value("Section chief")
    panel.get_by_role("button", name="Add").tap()
    expect(page.locator(".alert-success")).to_contain_text("added to the delegation")
    expect(page.locator("#add-member")).to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.id") == "user_id"  # ready for the next member
    with app.app_context():
        member = db.session.scalars(sa.select(DelegationMember)).one()
        assert (member.name, member.title) == ("Wang Fang", "Section chief")
    context.close()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_on_a_phone_tables_stack_and_nothing_shrinks_to_a_character_a_line(browser, site, language):
    url, _, ids = site
    locale = "zh-CN" if language == "zh" else "en-GB"
    context, page = _signed_in(browser, url, locale, viewport={"width": 390, "height": 844})
    for path in (f"/projects/{ids['project']}", "/projects/", "/trips/", "/audit/"):
        page.goto(url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        # Every cell is at least a few characters wide: no text one character per line.
        narrowest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('main tbody td, main tbody th')]
                 .filter((cell) => cell.offsetParent && cell.textContent.trim().length > 1)
                 .map((cell) => cell.getBoundingClientRect().width))"""
        )
        assert narrowest >= 120, (path, narrowest)
    # A little wider, where the tables are tables again, column headings stay on one line (类型, not 类/型).
    page.set_viewport_size({"width": 600, "height": 900})
    for path in ("/projects/", "/trips/", "/audit/", f"/projects/{ids['project']}"):
        page.goto(url + path)
        wrapped = page.evaluate(
            """() => [...document.querySelectorAll('main thead th')].filter((th) => {
                 const style = getComputedStyle(th);
                 const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
                 const inner = th.getBoundingClientRect().height - parseFloat(style.paddingTop)
                   - parseFloat(style.paddingBottom);
                 return th.textContent.trim() && inner > line * 1.6;
               }).map((th) => th.textContent.trim())"""
        )
        assert wrapped == [], (path, wrapped)
    context.close()
