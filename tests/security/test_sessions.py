"""Sessions: fresh on sign-in, ended everywhere by sign-out, a password change or deactivation."""

from __future__ import annotations

from datetime import timedelta

from crm.core.roles import Role
from crm.extensions import db
from tests.conftest import PASSWORD, build_app, login


def cookie_header(response, name: str) -> str:
    return next(value for value in response.headers.getlist("Set-Cookie") if value.startswith(f"{name}="))


def test_a_session_cookie_copied_before_sign_out_is_refused_afterwards(app, make_user):
    user = make_user()
    victim = app.test_client()
    login(victim, user.email)
    stolen = victim.get_cookie("session").value
    victim.post("/logout")

    attacker = app.test_client()
    attacker.set_cookie("session", stolen)
    response = attacker.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_remember_me_cookie_copied_before_sign_out_is_refused_afterwards(app, make_user):
    user = make_user()
    victim = app.test_client()
    login(victim, user.email, remember="y")
    remembered = victim.get_cookie("remember_token").value
    victim.post("/logout")

    attacker = app.test_client()
    attacker.set_cookie("remember_token", remembered)
    assert attacker.get("/").status_code == 302


def test_sign_out_on_one_device_ends_the_others(app, make_user):
    user = make_user()
    phone, laptop = app.test_client(), app.test_client()
    login(phone, user.email)
    login(laptop, user.email)
    phone.post("/logout")
    assert laptop.get("/").status_code == 302


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(app, make_user):
    user = make_user()
    this, other = app.test_client(), app.test_client()
    login(this, user.email)
    login(other, user.email)
    new = "a new long passphrase 2026"
    response = this.post("/account/password", data={"current_password": PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 302
    assert this.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert login(app.test_client(), user.email, new).status_code == 302


def test_deactivation_ends_the_users_sessions(app, make_user):
    admin, user = make_user(Role.ADMIN), make_user()
    admin_client, user_client = app.test_client(), app.test_client()
    login(admin_client, admin.email)
    login(user_client, user.email)
    assert admin_client.post(f"/admin/users/{user.id}/deactivate").status_code == 302
    assert user_client.get("/").status_code == 302
    assert "The email or the password is wrong." in login(user_client, user.email).get_data(as_text=True)


def test_sign_in_starts_a_fresh_session(app, make_user):
    user = make_user()
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    login(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_cookies_are_httponly_and_samesite_lax_and_remember_me_lasts_days(app, make_user):
    user = make_user()
    response = login(app.test_client(), user.email, remember="y")
    session_cookie = cookie_header(response, "session")
    remember_cookie = cookie_header(response, "remember_token")
    for cookie in (session_cookie, remember_cookie):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=14)


def test_cookies_are_secure_and_hsts_is_sent_behind_https(tmp_path):
    app = build_app(tmp_path, HTTPS=True)
    with app.app_context():
        db.create_all()
        from crm.accounts import services

        services.create_user(email="s@zone.test", name="S", password=PASSWORD)
        db.session.commit()
        response = login(app.test_client(), "s@zone.test", remember="y")
        assert "Secure" in cookie_header(response, "session")
        assert "Secure" in cookie_header(response, "remember_token")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        db.engine.dispose()


def test_debug_is_off_by_default(app):
    assert app.debug is False
