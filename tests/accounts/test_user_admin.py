"""Admins manage accounts; every user manages their own name, language and password."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.accounts.models import User
from crm.core.roles import Role
from crm.extensions import db
from tests.conftest import PASSWORD, login, text_of

NEW_PASSWORD = "another long passphrase 7"


def user_named(email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_admin_creates_an_officer_who_can_sign_in(client, login_as, app):
    login_as(Role.ADMIN)
    response = client.post(
        "/admin/users/new",
        data={
            "name": "Chen Jing",
            "local_name": "陈静",
            "title": "Investment officer",
            "email": "chen.jing@zone.test",
            "role": "officer",
            "locale": "zh",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert "Chen Jing" in text_of(client.get("/admin/users/"))
    user = user_named("chen.jing@zone.test")
    assert (user.role, user.local_name, user.locale) == (Role.OFFICER, "陈静", "zh")
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "email": "x@zone.test"}, "This field is required."),
        ({"email": "no-at-sign"}, "Invalid email address."),
        ({"name": "x" * 101}, "Field cannot be longer than 100 characters."),
        ({"password": "short", "confirm": "short"}, "Use at least 12 characters."),
        ({"confirm": "something else entirely"}, "The passwords differ."),
        ({"role": "emperor"}, "Not a valid choice."),
        ({"email": "ADMIN1@zone.test"}, "An account with this email already exists."),
    ],
)
def test_creating_a_user_rejects_bad_input_and_keeps_it(client, login_as, data, message):
    login_as(Role.ADMIN)
    form = {
        "name": "Chen Jing",
        "email": "chen@zone.test",
        "role": "officer",
        "locale": "en",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        **data,
    }
    response = client.post("/admin/users/new", data=form)
    assert response.status_code == 400
    assert message in text_of(response)
    if form["name"] and len(form["name"]) < 50:
        assert f'value="{form["name"]}"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_admin_edits_a_user_and_changes_the_role(client, login_as, make_user):
    login_as(Role.ADMIN)
    officer = make_user(Role.OFFICER)
    response = client.post(
        f"/admin/users/{officer.id}/edit",
        data={
            "name": "Renamed",
            "local_name": "",
            "title": "",
            "email": officer.email,
            "role": "manager",
            "locale": "en",
        },
    )
    assert response.status_code == 302
    assert user_named(officer.email).role is Role.MANAGER and user_named(officer.email).name == "Renamed"


def test_the_last_administrator_cannot_be_demoted_or_deactivated(client, login_as):
    admin = login_as(Role.ADMIN)
    response = client.post(
        f"/admin/users/{admin.id}/edit",
        data={"name": admin.name, "email": admin.email, "role": "officer", "locale": "en"},
    )
    assert response.status_code == 400 and "only active administrator" in text_of(response)
    assert user_named(admin.email).role is Role.ADMIN
    response = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account." in text_of(response)
    assert user_named(admin.email).active


def test_deactivate_and_reactivate(client, login_as, make_user, app):
    login_as(Role.ADMIN)
    officer = make_user()
    page = client.post(f"/admin/users/{officer.id}/deactivate", follow_redirects=True)
    assert f"{officer.name} is deactivated and signed out." in text_of(page)
    assert not user_named(officer.email).active
    assert login(app.test_client(), officer.email).status_code == 200  # refused
    client.post(f"/admin/users/{officer.id}/reactivate")
    assert login(app.test_client(), officer.email).status_code == 302


def test_admin_resets_a_password(client, login_as, make_user, app):
    login_as(Role.ADMIN)
    officer = make_user()
    bad = client.post(f"/admin/users/{officer.id}/password", data={"password": "short", "confirm": "short"})
    assert bad.status_code == 400 and "Use at least 12 characters." in text_of(bad)
    response = client.post(
        f"/admin/users/{officer.id}/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert login(app.test_client(), officer.email, NEW_PASSWORD).status_code == 302
    assert login(app.test_client(), officer.email, PASSWORD).status_code == 200


def test_unknown_user_ids_are_not_found(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/admin/users/9999/edit").status_code == 404
    assert client.post("/admin/users/9999/deactivate").status_code == 404


def test_everyone_edits_their_own_name_and_language(client, login_as):
    user = login_as(Role.OFFICER)
    response = client.post(
        "/account", data={"name": "Liu Yang", "local_name": "刘洋", "title": "Officer", "locale": "zh"}
    )
    assert response.status_code == 302
    assert "您好，刘洋" in text_of(client.get("/"))
    assert user_named(user.email).local_name == "刘洋"
    bad = client.post("/account", data={"name": "", "locale": "fr"})
    assert bad.status_code == 400
    assert "该字段是必填字段。" in text_of(bad)  # WTForms speaks Chinese too


def test_changing_the_password_needs_the_current_one(client, login_as):
    login_as(Role.OFFICER)
    response = client.post(
        "/account/password",
        data={"current_password": "not my password at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "This is not your current password." in text_of(response)
    weak = client.post(
        "/account/password", data={"current_password": PASSWORD, "password": "password1234", "confirm": "password1234"}
    )
    assert weak.status_code == 400 and "too common" in text_of(weak)


def test_colleagues_who_share_a_name_are_told_apart_by_their_email_in_every_account_menu(client, login_as, make_user):
    login_as(Role.MANAGER)
    first = make_user(Role.OFFICER, name="Wang Wei", email="wang.wei@zone.test")
    second = make_user(Role.OFFICER, name="Wang Wei", email="wang.wei2@zone.test")
    make_user(Role.OFFICER, name="Ma Li", email="ma.li@zone.test")
    html = client.get("/follow-ups/?scope=all").get_data(as_text=True)
    assert f'value="{first.id}">Wang Wei (wang.wei@zone.test)</option>' in html
    assert f'value="{second.id}">Wang Wei (wang.wei2@zone.test)</option>' in html
    assert ">Ma Li</option>" in html
