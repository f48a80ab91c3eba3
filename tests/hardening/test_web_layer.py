"""The web layer (issue 8, point 6): no cached signed-in pages, CSRF tokens that expire, one spelling of every
email, and downloads named for what they are."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from itsdangerous import TimestampSigner

from crm.accounts.models import User
from crm.core.emails import normalise_email
from crm.core.roles import Role
from crm.extensions import db
from tests import factories
from tests.conftest import PASSWORD, login
from tests.security.test_csrf import csrf_app, csrf_token  # noqa: F401 - csrf_app is a fixture


def test_signed_in_pages_are_not_stored_by_the_browser(client, login_as):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    login_as(Role.OFFICER)
    for path in ("/", "/trips/", "/enterprises/", "/audit/", "/account"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_a_csrf_token_expires_with_the_longest_sign_in(csrf_app, monkeypatch):  # noqa: F811 - the fixture
    assert csrf_app.config["WTF_CSRF_TIME_LIMIT"] == 14 * 24 * 3600
    client = csrf_app.test_client()
    token = csrf_token(client, "/setup")
    data = {"name": "Admin", "email": "admin@zone.test", "password": PASSWORD, "confirm": PASSWORD, "csrf_token": token}
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + 15 * 24 * 3600)
    assert client.post("/setup", data=data).status_code == 400
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    assert client.post("/setup", data=data).status_code == 302


@pytest.mark.parametrize(
    "typed",
    [
        "Li.Na@Zone.Test",
        "  li.na@zone.test  ",
        "li.na@zone.test.",
        "li\u200b.na@zone.test",
        "\ufeffli.na@zone\u200d.test",
        "ｌｉ.ｎａ＠ｚｏｎｅ.ｔｅｓｔ",
    ],
)
def test_look_alike_emails_are_one_address(typed):
    assert normalise_email(typed) == "li.na@zone.test"


def test_an_admin_cannot_create_a_look_alike_account(client, login_as):
    login_as(Role.ADMIN)
    data = {"name": "Li Na", "role": "officer", "locale": "en", "password": PASSWORD, "confirm": PASSWORD}
    assert client.post("/admin/users/new", data={**data, "email": "li.na@zone.test"}).status_code == 302
    response = client.post("/admin/users/new", data={**data, "email": "LI.NA\u200b@zone.test."})
    assert response.status_code == 400
    assert "An account with this email already exists." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.email.like("%li%"))) == 1


def test_sign_in_and_the_cli_use_the_same_spelling(app, client):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", " Wang@Zone.TEST. ", "--name", "Wang", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(User.email).where(User.name == "Wang")) == "wang@zone.test"
    assert login(client, "ｗａｎｇ@zone.test\u200b").status_code == 302


@pytest.mark.parametrize(
    "filename, content_type, expected",
    [
        ("report.exe", "application/pdf", "report.exe.pdf"),
        ("photo", "image/png", "photo.png"),
        ("Photo.JPEG", "image/jpeg", "Photo.JPEG"),
        ("budget.xls", "application/x-ole-storage", "budget.xls"),
        ("minutes.docx", "application/pdf", "minutes.docx.pdf"),
    ],
)
def test_a_download_is_named_with_the_extension_of_its_detected_type(
    client, login_as, filename, content_type, expected
):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer)
    attachment = factories.attachment(trip, officer, filename=filename, content_type=content_type)
    db.session.commit()
    response = client.get(f"/attachments/{attachment.id}")
    response.close()  # streamed from disk
    assert response.status_code == 200
    assert f"filename={expected}" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
