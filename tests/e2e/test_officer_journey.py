"""An officer's trip, end to end in a real browser: trip → delegation → visit → project → follow-up."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from crm.accounts import services as accounts
from crm.core.roles import Role
from crm.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.server import browser_app, serve


def test_an_officers_trip_from_planning_to_finding_the_project_again(browser, tmp_path):
    app = browser_app(tmp_path)
    with app.app_context():
        accounts.create_user(email="chen@zone.test", name="Chen Jing", password=PASSWORD, role=Role.OFFICER)
        db.session.commit()
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    with serve(app) as base:
        page.goto(base + "/login")
        page.get_by_label("Email").fill("chen@zone.test")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        # Plan the trip.
        page.get_by_role("link", name="New trip").click()
        page.get_by_label("Title", exact=True).fill("Mission to Suzhou")
        page.get_by_label("First day").fill("2026-03-23")
        page.get_by_label("Last day").fill("2026-03-26")
        page.get_by_label("Destination cities").fill("Wuxi, Suzhou, Hangzhou")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name="Mission to Suzhou")).to_be_visible()

        # The delegation.
        # The "Add a member" panel is open on an empty delegation.
        page.get_by_label("Name (English or pinyin)", exact=True).fill("Li Hongyan")
        page.get_by_label("Job title").fill("Director of the Management Department")
        page.get_by_label("Leads the delegation").check()
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_text("Li Hongyan added to the delegation.")).to_be_visible()

        # Log a visit to an enterprise that is not on file yet.
        page.get_by_role("link", name="Log a visit").click()
        expect(page.get_by_label("Date")).to_have_value("2026-03-23")
        page.locator("#city").fill("Suzhou")  # the trip goes to three cities: the visit says which
        page.get_by_text("Not on file yet? Add the enterprise here").click()
        page.locator("#new_enterprise_name").fill("Huawei Suzhou Industrial Park")
        page.locator("#new_enterprise_local_name").fill("华为苏州工业园区")
        page.locator("#new_enterprise_city").fill("Suzhou")
        page.get_by_label("What was discussed").fill("A digital-city joint innovation centre")
        page.get_by_role("button", name="Save the visit").click()
        expect(page.get_by_text("Visit logged.")).to_be_visible()
        expect(page.get_by_role("heading", name=re.compile("华为苏州工业园区"))).to_be_visible()

        # Open a project from the visit: the enterprise is filled in.
        page.get_by_role("link", name="Open a new project").click()
        page.get_by_label("Project name", exact=True).fill("Digital-city joint innovation centre")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name=re.compile("Digital-city joint innovation centre"))).to_be_visible()

        # A follow-up on the project.
        page.get_by_role("link", name="Add follow-up").click()
        page.get_by_label("Title").fill("Prepare the land and policy package")
        page.get_by_label("Due").fill("2026-12-10")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Prepare the land and policy package")).to_be_visible()

        # Advance the stage.
        page.goto(base + "/projects/")
        page.get_by_role("link", name=re.compile("Digital-city joint innovation centre")).click()
        page.locator("select[name=to_stage]").select_option("negotiation")
        page.locator("textarea[name=note]").fill("Framework agreed in principle")
        page.get_by_role("button", name="Change stage").click()
        expect(page.get_by_text("Framework agreed in principle").first).to_be_visible()

        # Find it again by the enterprise's Chinese name.
        page.goto(base + "/projects/")
        page.get_by_label("Search").fill("苏州工业园")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("link", name=re.compile("Digital-city joint innovation centre"))).to_be_visible()
        # Nothing on the way overflowed the phone's width.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
