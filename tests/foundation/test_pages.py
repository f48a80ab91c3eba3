"""The layout every page shares: languages, error pages, health check, security headers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.core.roles import Role
from crm.extensions import db
from tests.conftest import PASSWORD, text_of


def test_healthz_says_the_database_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": True}


def test_healthz_reports_a_database_that_does_not_answer(tmp_path):
    from tests.conftest import build_app

    app = build_app(tmp_path, DATABASE_URL="sqlite:////nonexistent-folder/crm.sqlite")
    with app.app_context():
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": False}


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", ["My trips", "My open follow-ups", "Sign out"]),
        ("zh", ["我的出访", "我的待办跟进", "退出"]),
    ],
)
def test_home_page_in_both_languages(client, login_as, language, expected):
    login_as(Role.OFFICER)
    client.post("/language", data={"language": language, "next": "/"})
    page = client.get("/")
    assert page.status_code == 200
    assert all(phrase in text_of(page) for phrase in expected)
    assert f'lang="{"zh-CN" if language == "zh" else "en"}"' in page.get_data(as_text=True)


def test_the_language_follows_the_browser_until_chosen(client, make_user):
    make_user()
    assert "登录" in text_of(client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}))
    assert "Sign in" in text_of(client.get("/login", headers={"Accept-Language": "en-GB"}))
    client.post("/language", data={"language": "zh"})
    assert "登录" in text_of(client.get("/login", headers={"Accept-Language": "en-GB"}))


def test_the_chosen_language_is_kept_on_the_account(client, login_as):
    user = login_as()
    client.post("/language", data={"language": "zh"})
    db.session.refresh(user)
    assert user.locale == "zh"


def test_language_switch_ignores_unknown_languages_and_foreign_redirects(client, make_user):
    make_user()
    response = client.post("/language", data={"language": "xx", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"
    assert "Sign in" in text_of(client.get("/login", headers={"Accept-Language": "en"}))


def test_dates_and_money_follow_the_language(app):
    from datetime import date
    from decimal import Decimal

    from flask_babel import format_date, refresh

    from crm.core.i18n import money

    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        refresh()  # the test's app context outlives one request; a server's does not
        assert format_date(date(2026, 3, 23), "medium") == "2026年3月23日"
        assert money(Decimal("45260")) == "4.53万元"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        assert format_date(date(2026, 3, 23), "medium") == "23 Mar 2026"
        assert money(Decimal("45260")) == "CNY 45,260"
        assert money(None) == "—"


def test_not_found_page_is_inside_the_layout(client, login_as):
    login_as()
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Not found" in text_of(response) and "Investment CRM" in text_of(response)


def test_unexpected_errors_show_a_page_without_a_traceback(app, client, login_as):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    login_as()

    response = client.get("/boom")
    assert response.status_code == 500
    page = text_of(response)
    assert "Something went wrong" in page and "Nothing was saved" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_every_response_carries_the_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_pages_have_no_inline_scripts_or_styles(client, login_as):
    login_as()
    html = client.get("/").get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and "onclick" not in html


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "https:evil.com",
        "/\\evil.com",
        "\\\\evil.com",
        "javascript:alert(1)",
        "https://evil.com/",
        "/\n/evil.com",
        "/\t/evil.com",
    ],
)
def test_login_never_redirects_off_site(client, make_user, target):
    user = make_user()
    response = client.post("/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_login_follows_a_same_site_next(client, make_user):
    user = make_user()
    response = client.post(
        "/login", query_string={"next": "/healthz?x=1"}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/healthz?x=1"


def test_sqlite_runs_with_foreign_keys_wal_and_a_busy_timeout(tmp_path):
    from tests.conftest import build_app

    app = build_app(tmp_path, DATABASE_URL="sqlite:///crm.sqlite")
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        db.engine.dispose()


def test_postgresql_connections_run_without_jit(app):
    """JIT compiling took longer than the dashboards' aggregates it was meant to speed up (see _without_jit)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    for _ in range(2):  # a new connection, then one back from the pool after a rollback
        assert db.session.execute(sa.text("SHOW jit")).scalar() == "off"
        db.session.rollback()


def test_request_size_is_limited(client, make_user):
    make_user()
    response = client.post("/login", data={"email": "x" * (17 * 1024 * 1024)})
    assert response.status_code == 413
    from crm.core.audit import AuditAction, AuditEvent

    # Refused before anything was read: not even a failed login is recorded.
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == AuditAction.LOGIN_FAILED)
        )
        == 0
    )


@pytest.mark.parametrize(
    "endpoint, arguments",
    [
        ("pipeline.index", {}),
        ("pipeline.index", {"trip": 7, "phase": "landed"}),
        ("followups.index", {"scope": "all", "trip": 12, "state": "done", "owner": None}),
        ("visits.index", {"q": "苏州 & Co., Ltd. 50%+ /x?y=z#frag", "since": "2026-01-01"}),
        ("enterprises.index", {"sector": 3, "met": "1", "q": "it's (a) test!$*,:;@"}),
    ],
)
def test_list_url_writes_the_same_url_as_url_for(app, endpoint, arguments):
    """The dashboards' cheap link writer must not change a single link."""
    from flask import url_for

    from crm.core.web import list_url

    with app.test_request_context("/", base_url="http://crm.example/zone-a"):
        assert list_url(endpoint, **arguments) == url_for(endpoint, **arguments)
        assert list_url(endpoint, **arguments) == url_for(endpoint, **arguments)  # the path remembered


@pytest.mark.parametrize(
    "endpoint, argument",
    [
        ("visits.detail", "visit_id"),
        ("pipeline.detail", "project_id"),
        ("trips.edit", "trip_id"),
        ("followups.done", "follow_up_id"),
    ],
)
def test_record_url_writes_the_same_url_as_url_for(app, endpoint, argument):
    """The lists' cheap link writer must not change a single link, behind a path prefix too."""
    from flask import url_for

    from crm.core.web import record_url

    with app.test_request_context("/", base_url="http://crm.example/zone-a"):
        for record_id in (1, 42, 987654321, 2**31 - 1):
            assert record_url(endpoint, record_id) == url_for(endpoint, **{argument: record_id})
