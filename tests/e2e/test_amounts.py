"""Amount boxes in a browser: separators appear while typing, the unit beside it, the amount stored in yuan."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from playwright.sync_api import expect

from crm.accounts import services as accounts
from crm.core.roles import Role
from crm.extensions import db
from crm.trips.models import Trip
from tests.conftest import PASSWORD
from tests.e2e.server import browser_app, serve


def test_a_budget_typed_in_wan_yuan_shows_separators_and_is_stored_in_yuan(browser, tmp_path):
    app = browser_app(tmp_path)
    with app.app_context():
        accounts.create_user(email="o@zone.test", name="Officer", password=PASSWORD, role=Role.OFFICER)
        db.session.commit()
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    with serve(app) as base:
        page.goto(base + "/login")
        page.fill("input[name=email]", "o@zone.test")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.goto(base + "/trips/new")
        page.fill("#title", "赴深圳招商")
        page.fill("#start_on", "2026-12-07")
        page.fill("#end_on", "2026-12-09")
        page.fill("#destination_cities", "深圳")
        budget = page.locator("#planned_budget")
        budget.press_sequentially("1234567")
        expect(budget).to_have_value("1,234,567")
        page.locator("#actual_cost").press_sequentially("38000万")
        expect(page.locator("#actual_cost")).to_have_value("38,000万")
        page.select_option("#planned_budget-unit", label="元")
        page.locator("main form button[type=submit]").first.click()
        expect(page.locator("h1")).to_contain_text("赴深圳招商")
        expect(page.locator("main")).to_contain_text("123.46万元")
    context.close()
    with app.app_context():
        trip = db.session.scalar(sa.select(Trip))
        assert (trip.planned_budget, trip.actual_cost) == (Decimal("1234567"), Decimal("380000000"))
