"""Reassigning a follow-up from the list in a real browser: one dialog for the page, not a menu per row."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from crm.accounts import services as accounts
from crm.core.roles import Role
from crm.extensions import db
from crm.followups.models import FollowUp
from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.server import browser_app, serve


def test_a_manager_reassigns_a_follow_up_from_the_list(tmp_path, browser):
    app = browser_app(tmp_path)
    with app.app_context():
        accounts.create_user(email="boss@zone.test", name="Zhou Min", password=PASSWORD, role=Role.MANAGER)
        first = accounts.create_user(email="li@zone.test", name="Li Wei", password=PASSWORD, role=Role.OFFICER)
        accounts.create_user(email="wang@zone.test", name="Wang Fang", password=PASSWORD, role=Role.OFFICER)
        item = factories.follow_up(first, title="Send the land price sheet")
        db.session.commit()
        item_id, first_id = item.id, first.id
    with serve(app) as url:
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url + "/login")
        page.get_by_label("Email").fill("boss@zone.test")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(url + "/follow-ups/?scope=all")
        # The accounts are listed once, in the dialog, not in every row.
        assert page.locator("select[name=owner_id]").count() == 1
        page.get_by_role("link", name="Reassign: Send the land price sheet").click()
        dialog = page.locator("#reassign-dialog")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("Send the land price sheet")
        expect(dialog.get_by_label("New owner")).to_have_value(str(first_id))
        dialog.get_by_label("New owner").select_option(label="Wang Fang")
        dialog.get_by_role("button", name="Reassign").click()
        expect(page.locator(".alert-success")).to_contain_text("Follow-up reassigned to Wang Fang.")
        assert page.url.endswith("/follow-ups/?scope=all")
        context.close()
    with app.app_context():
        owner = db.session.scalar(sa.select(FollowUp.owner_id).where(FollowUp.id == item_id))
        assert owner != first_id
    assert errors == []
