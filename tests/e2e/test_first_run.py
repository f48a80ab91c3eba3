"""A new installation, as a person meets it in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def test_first_start_setup_then_home_in_both_languages(page, live_server):
    errors: list[str] = []
    # Console errors (a CSP violation, a script error), and any file of the page's that fails to load.
    # A form refused with 400 is the page itself answering, not a broken resource.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and "/static/" in response.url
            else None
        ),
    )

    page.goto(live_server + "/")
    expect(page).to_have_url(re.compile(r"/setup$"))
    page.get_by_label("Your name").fill("Wang Fang")
    page.get_by_label("Email").fill("wang.fang@zone.test")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password again").fill("short")
    page.get_by_role("button", name="Create the administrator").click()
    # Refused beside the field, with what was typed kept.
    expect(page.get_by_text("Use at least 12 characters.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("wang.fang@zone.test")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create the administrator").click()
    expect(page.get_by_role("heading", name="Hello, Wang Fang")).to_be_visible()
    expect(page.get_by_role("heading", name="My trips")).to_be_visible()

    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="我的出访")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("电子邮箱").fill("wang.fang@zone.test")
    page.get_by_label("密码").fill("wrong password here")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("电子邮箱或密码错误。")).to_be_visible()

    # No CSP violations or missing files along the way.
    assert errors == []
