"""Import in a real browser: upload a list, see errors and duplicates beside their rows, choose, import.

Set CRM_SCREENSHOTS=folder to keep screenshots of the preview (English and Chinese, desktop and phone).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from crm.accounts import services as accounts
from crm.core.roles import Role
from crm.enterprises.models import Enterprise
from crm.extensions import db
from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.server import browser_app, serve

FILE = (
    "Enterprise name,Name in Chinese,Kind,City,Sectors\r\n"
    "Bosch Automotive Diesel Systems,博世汽车柴油系统,Company,Wuxi,\r\n"
    "Suzhou Smart City Center,苏州工业园区智慧城市运营管理中心,Government body,Suzhou,\r\n"
    "Hangzhou City Brain,杭州城市大脑,Spaceship,Hangzhou,\r\n"
    "SUZHOU SMART CITY CENTER,,Government body,Suzhou,\r\n"
    "Dulwich International High School Suzhou,德威国际高中,School,Suzhou,Blockchain of everything\r\n"
).encode("utf-8-sig")


@pytest.fixture
def import_app(tmp_path, chromium_path) -> Iterator:
    app = browser_app(tmp_path)
    with app.app_context():
        manager = accounts.create_user(email="li@zone.test", name="Li Hongyan", password=PASSWORD, role=Role.MANAGER)
        factories.enterprise(
            manager, name="Bosch Automotive Diesel Systems Co., Ltd.", local_name="博世汽车柴油系统有限公司"
        )
        db.session.commit()
    with serve(app) as url:
        yield url, app


def _sign_in(page, base: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=email]", "li@zone.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def _upload(page, base: str, content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "enterprises.csv"
    path.write_bytes(content)
    page.goto(base + "/enterprises/")
    page.get_by_role("link", name="Import").click()
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Check the file").click()


def test_errors_and_duplicates_are_shown_and_fixing_the_file_imports_every_row(import_app, browser, tmp_path):
    base, app = import_app
    context = browser.new_context(locale="en-GB", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    _sign_in(page, base)
    _upload(page, base, FILE, tmp_path)
    expect(page.locator("#row-4")).to_contain_text("“Spaceship” is not one of")
    expect(page.locator("#row-6")).to_contain_text("No sector is named “Blockchain of everything”")
    expect(page.locator("#row-2")).to_contain_text("Already there: 博世汽车柴油系统有限公司")
    expect(page.locator("#row-5")).to_contain_text("Same as row 3.")
    expect(page.get_by_role("button", name="Import")).to_have_count(0)  # not while rows have errors

    fixed = FILE.replace(b"Spaceship", b"Government body").replace(b"Blockchain of everything", b"")
    _upload(page, base, fixed, tmp_path)
    page.select_option("#choice-2", "update")
    page.get_by_role("button", name="Import 5 rows").click()
    expect(page.locator(".alert-success")).to_contain_text("3 created, 1 updated, 1 skipped")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 4
        bosch = db.session.scalars(sa.select(Enterprise).where(Enterprise.city == "Wuxi")).one()
        assert bosch.name == "Bosch Automotive Diesel Systems Co., Ltd."
    context.close()


def test_screenshots_of_the_preview(import_app, browser, tmp_path):
    """The preview in both languages, on a desktop and a phone (kept when CRM_SCREENSHOTS names a folder)."""
    base, _ = import_app
    folder = Path(os.environ.get("CRM_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for language, locale in (("en", "en-GB"), ("zh", "zh-CN")):
        for device, viewport in (("desktop", {"width": 1366, "height": 900}), ("phone", {"width": 390, "height": 844})):
            context = browser.new_context(locale=locale, viewport=viewport)
            page = context.new_page()
            _sign_in(page, base)
            path = tmp_path / "enterprises.csv"
            path.write_bytes(FILE)
            page.goto(base + "/exchange/import/enterprises")
            page.screenshot(path=folder / f"import-upload-{language}-{device}.png", full_page=True)
            page.set_input_files("input[type=file]", str(path))
            page.locator("main button[type=submit]").click()
            expect(page.locator("#row-4")).to_be_visible()
            page.screenshot(path=folder / f"import-preview-{language}-{device}.png", full_page=True)
            page.goto(base + "/enterprises/")
            page.screenshot(path=folder / f"enterprises-{language}-{device}.png")
            context.close()
