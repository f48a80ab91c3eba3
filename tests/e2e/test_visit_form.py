"""The visit form in a browser: suggestions in either script, then that enterprise's contacts."""

from __future__ import annotations

from playwright.sync_api import expect

from crm.accounts import services as accounts
from crm.core.roles import Role
from crm.extensions import db
from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.server import browser_app, serve


def test_picking_an_enterprise_by_its_chinese_name_offers_its_contacts(browser, tmp_path):
    app = browser_app(tmp_path)
    with app.app_context():
        officer = accounts.create_user(email="o@zone.test", name="Officer", password=PASSWORD, role=Role.OFFICER)
        enterprise = factories.enterprise(
            officer, name="Dulwich International High School Suzhou", local_name="苏州德威国际高级中学"
        )
        factories.contact(enterprise, officer, name="Ms Zhou")
        db.session.commit()
        label = f"Dulwich International High School Suzhou · 苏州德威国际高级中学 #{enterprise.id}"
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    with serve(app) as base:
        page.goto(base + "/login")
        page.fill("input[name=email]", "o@zone.test")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.goto(base + "/visits/new")
        picker = page.locator("#enterprise")
        picker.press_sequentially("德威")
        expect(page.locator("#enterprise-options option")).to_have_attribute("value", label)
        picker.fill(label)
        picker.dispatch_event("change")
        expect(page.locator("#contact_ids label")).to_have_text("Ms Zhou")
        page.get_by_label("Ms Zhou").check()
        page.get_by_role("button", name="保存拜访").click()
        expect(page.get_by_role("link", name="Ms Zhou")).to_be_visible()
    context.close()


def test_a_name_with_no_suggestion_becomes_the_new_enterprise(browser, tmp_path):
    app = browser_app(tmp_path)
    with app.app_context():
        accounts.create_user(email="o@zone.test", name="Officer", password=PASSWORD, role=Role.OFFICER)
        factories.enterprise(name="Huawei Suzhou Industrial Park", local_name="华为苏州工业园区")
        db.session.commit()
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    with serve(app) as base:
        page.goto(base + "/login")
        page.fill("input[name=email]", "o@zone.test")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.goto(base + "/visits/new")
        picker = page.locator("#enterprise")
        with page.expect_response(lambda response: "/enterprises/lookup" in response.url):
            picker.press_sequentially("腾讯")
        picker.dispatch_event("change")
        expect(page.locator("#new_enterprise_local_name")).to_have_value("腾讯")
        page.fill("#new_enterprise_local_name", "腾讯科技（深圳）有限公司")
        page.get_by_role("button", name="保存拜访").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("腾讯科技（深圳）有限公司")
    context.close()
