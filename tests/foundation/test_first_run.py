"""A fresh instance: the first-run page, then sign-in, then a home page."""

from __future__ import annotations

import stat

from crm.accounts.models import User
from crm.core.roles import Role
from crm.extensions import db
from tests.conftest import PASSWORD, build_app, login, text_of


def test_empty_instance_generates_a_private_secret_key_and_leads_to_setup(tmp_path):
    app = build_app(tmp_path, SECRET_KEY=None, DATABASE_URL="sqlite:///crm.sqlite")
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.exists() and len(key_file.read_text()) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert app.config["SECRET_KEY"] == key_file.read_text()
    with app.app_context():
        db.create_all()
        client = app.test_client()
        assert client.get("/").headers["Location"].startswith("/login")
        assert client.get("/login").headers["Location"] == "/setup"
        assert "Create the administrator" in text_of(client.get("/setup"))
    # A second start reads the same key instead of making a new one (sessions survive restarts).
    assert build_app(tmp_path, SECRET_KEY=None).config["SECRET_KEY"] == key_file.read_text()


def test_setup_creates_the_first_admin_and_then_disappears(client):
    response = client.post(
        "/setup",
        data={"name": "Wang Fang", "email": " Wang.Fang@Zone.test ", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    admin = db.session.scalar(db.select(User))
    assert admin.role is Role.ADMIN and admin.email == "wang.fang@zone.test"
    assert "Hello, Wang Fang" in text_of(client.get("/"))
    assert client.get("/setup").status_code == 404
    assert (
        client.post(
            "/setup", data={"name": "Intruder", "email": "x@zone.test", "password": PASSWORD, "confirm": PASSWORD}
        ).status_code
        == 404
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_setup_rejects_bad_input_beside_each_field_and_keeps_what_was_typed(client):
    response = client.post(
        "/setup", data={"name": "", "email": "not-an-email", "password": "short", "confirm": "different"}
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "This field is required." in page
    assert "Invalid email address." in page
    assert "Use at least 12 characters." in page
    assert "The passwords differ." in page
    assert 'value="not-an-email"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_setup_refuses_a_common_password(client):
    response = client.post(
        "/setup", data={"name": "A", "email": "a@zone.test", "password": "password1234", "confirm": "password1234"}
    )
    assert response.status_code == 400
    assert "too common" in text_of(response)


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user):
    user = make_user(Role.OFFICER)
    wrong = login(client, user.email, "wrong password entirely")
    unknown = login(client, "nobody@zone.test", "wrong password entirely")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "The email or the password is wrong." in text_of(response)
    assert client.get("/").status_code == 302  # still signed out
    assert 'value="nobody@zone.test"' in unknown.get_data(as_text=True)


def test_empty_login_form_is_refused_with_messages(client, make_user):
    make_user()
    response = client.post("/login", data={})
    assert response.status_code == 400
    assert text_of(response).count("This field is required.") == 2


def test_sign_in_and_out(client, make_user):
    user = make_user(Role.MANAGER, name="Zhao Lei")
    assert login(client, user.email.upper()).headers["Location"] == "/"
    assert "Hello, Zhao Lei" in text_of(client.get("/"))
    assert client.post("/logout").headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_a_deactivated_user_cannot_sign_in(client, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    assert "The email or the password is wrong." in text_of(login(client, user.email))
