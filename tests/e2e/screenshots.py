"""Screenshots of every page, in English and Chinese, on a desktop and a phone, for a person to look at.

    .venv/bin/python -m tests.e2e.screenshots [OUTPUT_FOLDER]   (default: screenshots/)

Not a test: it asserts nothing. It signs in as a sample administrator over the sample trip.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from crm.accounts import services as accounts
from crm.core.roles import Role
from crm.demo import load_sample_trip
from crm.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.server import CHROMIUM_ARGS, browser_app, serve

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
ANONYMOUS_PAGES = {"login": "/login"}
SIGNED_IN_PAGES = {
    "home": "/",
    "trips": "/trips/",
    "trip": "/trips/1",
    "trip-edit": "/trips/1/edit",
    "trip-report": "/trips/1/report",
    "trip-report-edit": "/trips/1/report/edit",
    "visits": "/visits/",
    "visit": "/visits/3",
    "visit-new": "/visits/new?trip_id=1",
    "enterprises": "/enterprises/",
    "enterprise": "/enterprises/3",
    "enterprise-new": "/enterprises/new",
    "contacts": "/contacts/",
    "projects": "/projects/",
    "project": "/projects/1",
    "project-edit": "/projects/1/edit",
    "project-new": "/projects/new?visit_id=3",
    "board": "/projects/board",
    "follow-ups": "/follow-ups/",
    "follow-ups-all": "/follow-ups/?scope=all",
    "follow-up-new": "/follow-ups/new?visit_id=3",
    "not-found": "/no-such-page",
    "users": "/admin/users/",
    "user-new": "/admin/users/new",
    "user-edit": "/admin/users/1/edit",
    "user-password": "/admin/users/1/password",
    "profile": "/account",
    "password": "/account/password",
    "audit": "/audit/",
    "dashboard": "/dashboards/",
    "dashboard-targets": "/dashboards/targets",
    "dashboard-trips": "/dashboards/trips?from=2026-01-01",
    "dashboard-chains": "/dashboards/chains",
    "dashboard-team": "/dashboards/team",
}


def main(output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    app = browser_app(Path(tempfile.mkdtemp()))
    with app.app_context():
        accounts.create_user(email="admin@zone.test", name="Wang Fang", password=PASSWORD, role=Role.ADMIN)
        load_sample_trip()
        db.session.commit()
    with serve(app) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for language in ("en", "zh"):
            for device, viewport in VIEWPORTS.items():
                context = browser.new_context(locale="zh-CN" if language == "zh" else "en-GB", viewport=viewport)
                page = context.new_page()
                for name, path in ANONYMOUS_PAGES.items():
                    page.goto(base + path)
                    page.screenshot(path=output / f"{name}-{language}-{device}.png", full_page=True)
                page.goto(base + "/login")
                page.fill("input[name=email]", "admin@zone.test")
                page.fill("input[name=password]", PASSWORD)
                page.click("main button[type=submit]")
                for name, path in SIGNED_IN_PAGES.items():
                    page.goto(base + path)
                    page.screenshot(path=output / f"{name}-{language}-{device}.png", full_page=device == "phone")
                context.close()
        browser.close()
    print(f"Screenshots in {output}/")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
