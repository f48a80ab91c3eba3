"""The audit log: every kind of action is recorded, in the same transaction, and browsable by role."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from crm.core import listing
from crm.core.audit import AuditAction, AuditEvent
from crm.core.roles import Role
from crm.core.time import utcnow
from crm.extensions import db
from crm.models import Enterprise
from tests.conftest import login, text_of


def events(action: AuditAction | None = None) -> list[AuditEvent]:
    query = sa.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def test_sign_in_failed_sign_in_and_sign_out_are_recorded_with_the_address(client, make_user):
    user = make_user()
    login(client, user.email, "wrong password entirely")
    login(client, "nobody@zone.test", "wrong password entirely")
    login(client, user.email)
    client.post("/logout")
    failed = events(AuditAction.LOGIN_FAILED)
    assert [event.changes["email"] for event in failed] == [user.email, "nobody@zone.test"]
    assert failed[0].entity_id == user.id and failed[1].entity_id is None
    assert all(event.user_id is None and event.ip_address == "127.0.0.1" for event in failed)
    (signed_in,) = events(AuditAction.LOGIN)
    (signed_out,) = events(AuditAction.LOGOUT)
    assert signed_in.user_id == signed_out.user_id == user.id


def test_admin_changes_are_recorded_with_before_and_after(client, login_as, make_user):
    admin = login_as(Role.ADMIN)
    officer = make_user()
    old_name = officer.name
    client.post(
        f"/admin/users/{officer.id}/edit",
        data={"name": "New Name", "email": officer.email, "role": "manager", "locale": "en"},
    )
    client.post(f"/admin/users/{officer.id}/deactivate")
    updates = [event for event in events(AuditAction.UPDATE) if event.entity_id == officer.id]
    assert updates[0].changes["name"] == [old_name, "New Name"]
    assert updates[0].changes["role"] == ["officer", "manager"]
    assert updates[-1].changes["active"] == [True, False]
    token_changes = [event.changes["session_token"] for event in updates if "session_token" in event.changes]
    assert token_changes == [["***", "***"]]  # deactivation ended the sessions; the token is never logged
    assert all(event.user_id == admin.id for event in updates)


def test_create_delete_and_restore_are_recorded(app):
    enterprise = Enterprise(name="Weifu High-Technology")
    db.session.add(enterprise)
    db.session.commit()
    db.session.refresh(enterprise)
    enterprise.deleted_at = utcnow()
    db.session.commit()
    db.session.refresh(enterprise)
    enterprise.deleted_at = None
    db.session.commit()
    assert [event.action for event in events()] == [AuditAction.CREATE, AuditAction.DELETE, AuditAction.RESTORE]


def test_a_change_that_is_rolled_back_leaves_no_audit_event(app):
    db.session.add(Enterprise(name="Never saved"))
    db.session.flush()
    assert len(events()) == 1  # written in the same transaction as the change...
    db.session.rollback()
    assert events() == []  # ...and gone with it


def test_managers_see_everyones_events_and_officers_only_their_own(app, make_user):
    officer, colleague, manager = make_user(), make_user(), make_user(Role.MANAGER)
    for user in (officer, colleague):
        login(app.test_client(), user.email)
    officer_client = app.test_client()
    login(officer_client, officer.email)
    page = text_of(officer_client.get("/audit/"))
    assert officer.name in page and colleague.name not in page

    manager_client = app.test_client()
    login(manager_client, manager.email)
    page = text_of(manager_client.get("/audit/"))
    assert officer.name in page and colleague.name in page
    only_colleague = text_of(manager_client.get("/audit/", query_string={"user": colleague.id}))
    table = only_colleague.split("When Who Action Record Details")[1]
    assert colleague.name in table and officer.name not in table and "1 record" in table


def test_audit_filters_by_action_and_date(client, login_as, make_user):
    login_as(Role.MANAGER)
    make_user(name="Zhou Min")
    created = text_of(client.get("/audit/", query_string={"action": "create", "entity_type": "users"}))
    assert "Zhou Min" in created
    future = text_of(client.get("/audit/", query_string={"since": date(2099, 1, 1).isoformat()}))
    assert "Nothing matches these filters." in future


def test_a_long_log_says_more_than_so_many_events_instead_of_counting_them_all(
    client, login_as, make_user, monkeypatch
):
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    login_as(Role.MANAGER)
    for number in range(5):
        make_user(name=f"Colleague {number}")
    page = text_of(client.get("/audit/"))
    assert "More than 3 records" in page
    narrow = text_of(client.get("/audit/", query_string={"action": "login"}))
    assert "1 record" in narrow  # the manager's own sign-in: few enough to count
    # The filters offer the kinds of record and the actions the log holds.
    html = client.get("/audit/").get_data(as_text=True)
    assert 'value="users"' in html and 'value="attachments"' not in html and 'value="restore"' not in html


def test_audit_filters_reject_bad_input_with_a_message(client, login_as):
    login_as(Role.MANAGER)
    response = client.get(
        "/audit/", query_string={"since": "2026-05-01", "until": "2026-04-01", "entity_id": "-3", "action": "shred"}
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "The end date is before the start date." in page
    assert "Number must be between 1 and 2147483647." in page
    assert "Not a valid choice." in page
    assert 'value="2026-05-01"' in response.get_data(as_text=True)


def test_nobody_can_change_the_log_through_the_app(client, login_as):
    login_as(Role.ADMIN)
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert client.open("/audit/", method=method).status_code == 405


def test_the_log_pages_like_the_lists_25_events_or_the_size_asked_for(client, login_as, make_user):
    login_as(Role.MANAGER)
    for number in range(30):
        make_user(name=f"Colleague {number:02d}")

    def events_on(**args) -> int:
        html = client.get("/audit/", query_string=args).get_data(as_text=True)
        return html.split("<tbody", 1)[1].split("</tbody>", 1)[0].count("<tr")

    assert events_on() == 25
    assert events_on(page=2) >= 5  # the rest: 30 accounts created and the sign-in
    assert events_on(per_page=50) > 25
    assert events_on(per_page=7) == 25  # not one of the offered sizes: the default


@pytest.mark.parametrize(
    ("language", "expected"), [("en", ["Investment projects", "Rows", "Format"]), ("zh", ["招商项目", "行数", "格式"])]
)
def test_an_export_in_the_log_names_the_list_and_its_details(client, login_as, language, expected):
    login_as(Role.MANAGER)
    assert client.get("/exchange/export/projects.csv").status_code == 200
    client.post("/language", data={"language": language})
    page = text_of(client.get("/audit/", query_string={"action": "export"}))
    assert all(text in page for text in expected)
    assert "#None" not in page and "projects #" not in page
    # The log's own export names the list as its page does.
    list_name = expected[0]
    exported = client.get("/exchange/export/audit.csv", query_string={"action": "export"}).get_data(as_text=True)
    assert f",{list_name}," in exported
