"""The trip report in a real browser: the organiser writes and submits it, a manager approves it, the PDF opens."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from crm.accounts import services as accounts
from crm.core.roles import Role
from crm.demo import load_sample_trip
from crm.extensions import db
from crm.reports.models import TripReport
from crm.trips.models import Trip, TripStatus
from tests.conftest import PASSWORD
from tests.e2e.server import browser_app, serve


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_sample_trip_s_report_is_written_submitted_approved_and_exported(browser, tmp_path):
    app = browser_app(tmp_path)
    with app.app_context():
        accounts.create_user(email="wang@zone.test", name="Wang Fang", password=PASSWORD, role=Role.OFFICER)
        accounts.create_user(email="li@zone.test", name="Li Hongyan", password=PASSWORD, role=Role.MANAGER)
        db.session.commit()
        load_sample_trip("wang@zone.test")
        # The sample comes with its report handed in; this journey writes one from the start.
        db.session.execute(sa.delete(TripReport))
        db.session.execute(sa.update(Trip).values(status=TripStatus.COMPLETED, report_submitted_on=None))
        db.session.commit()
    context = browser.new_context(locale="en-GB", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    with serve(app) as base:
        sign_in(page, base, "wang@zone.test")
        page.goto(base + "/trips/1")
        page.get_by_role("link", name="Open the trip report").click()
        page.get_by_role("link", name="Write the report").click()
        page.get_by_label("Summary").fill("Five meetings; two projects are moving to negotiation.")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Trip report saved.")).to_be_visible()
        page.get_by_role("button", name="Submit for approval").click()
        expect(page.get_by_text("Trip report submitted.")).to_be_visible()
        expect(page.locator("#report-status")).to_have_text("Submitted")
        page.get_by_role("button", name="Sign out").click()

        sign_in(page, base, "li@zone.test")
        page.goto(base + "/trips/1/report")
        page.get_by_role("button", name="Approve").click()
        expect(page.locator("#report-status")).to_have_text("Approved")
        response = page.request.get(base + "/trips/1/report/export?format=pdf&language=zh")
        assert response.status == 200 and response.body().startswith(b"%PDF")
    context.close()
