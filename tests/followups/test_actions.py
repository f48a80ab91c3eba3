"""Done and reopen, reassign, delete and restore: who may, what is written, where the user lands."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.core.audit import AuditAction, AuditEvent
from crm.core.roles import Role
from crm.core.time import utcnow
from crm.extensions import db
from crm.followups.models import FollowUp
from tests import factories
from tests.conftest import count_rows, text_of


def _reloaded(item: FollowUp) -> FollowUp:
    db.session.expire_all()
    return db.session.get(FollowUp, item.id)


def test_the_owner_marks_done_and_reopens(client, login_as):
    officer = login_as(Role.OFFICER)
    item = factories.follow_up(officer, title="Send the land-use plan")
    db.session.commit()

    response = client.post(f"/follow-ups/{item.id}/done", data={"state": "done", "next": "/"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    done_at = _reloaded(item).done_at
    assert done_at is not None and done_at.tzinfo is not None
    assert "Send the land-use plan" in text_of(client.get("/follow-ups/")).split("Recently done")[1]

    # A second click of the same (stale) button changes nothing.
    client.post(f"/follow-ups/{item.id}/done", data={"state": "done"})
    assert _reloaded(item).done_at == done_at

    client.post(f"/follow-ups/{item.id}/done", data={"state": "open"})
    assert _reloaded(item).done_at is None


def test_done_without_a_state_toggles(client, login_as):
    officer = login_as(Role.OFFICER)
    item = factories.follow_up(officer)
    db.session.commit()
    client.post(f"/follow-ups/{item.id}/done")
    assert _reloaded(item).is_done
    client.post(f"/follow-ups/{item.id}/done")
    assert not _reloaded(item).is_done


@pytest.mark.parametrize(
    "data, headers, lands_on",
    [
        ({"next": "/follow-ups/?scope=all&page=2"}, {}, "/follow-ups/?scope=all&page=2"),
        ({"next": "https://evil.example/"}, {}, "/follow-ups/{id}"),
        ({"next": "//evil.example/"}, {}, "/follow-ups/{id}"),
        ({}, {"Referer": "http://localhost/enterprises/7"}, "/enterprises/7"),
        ({}, {"Referer": "https://evil.example/enterprises/7"}, "/follow-ups/{id}"),
        ({}, {}, "/follow-ups/{id}"),
    ],
)
def test_done_goes_back_to_a_same_site_page_only(client, login_as, data, headers, lands_on):
    officer = login_as(Role.OFFICER)
    item = factories.follow_up(officer)
    db.session.commit()
    response = client.post(f"/follow-ups/{item.id}/done", data=data, headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == lands_on.format(id=item.id)


def test_officers_may_not_mark_others_follow_ups_done_but_managers_may(client, login_as, make_user):
    item = factories.follow_up(make_user(Role.OFFICER))
    db.session.commit()
    login_as(Role.OFFICER)
    assert client.post(f"/follow-ups/{item.id}/done").status_code == 403
    assert not _reloaded(item).is_done
    assert "Mark done" not in client.get(f"/follow-ups/{item.id}").get_data(as_text=True)
    client.post("/logout")
    login_as(Role.MANAGER)
    assert client.post(f"/follow-ups/{item.id}/done").status_code == 302
    assert _reloaded(item).is_done


def test_a_manager_reassigns_and_the_audit_log_says_so(client, login_as, make_user):
    manager = login_as(Role.MANAGER)
    first, second = make_user(Role.OFFICER), make_user(Role.OFFICER, name="Wang Lei")
    item = factories.follow_up(first)
    db.session.commit()
    response = client.post(f"/follow-ups/{item.id}/reassign", data={"owner_id": second.id, "next": "/follow-ups/"})
    assert response.status_code == 302 and response.headers["Location"] == "/follow-ups/"
    assert _reloaded(item).owner_id == second.id
    event = db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.entity_type == "follow_ups",
            AuditEvent.entity_id == item.id,
            AuditEvent.action == AuditAction.UPDATE,
        )
    ).one()
    assert event.user_id == manager.id and event.changes["owner_id"] == [first.id, second.id]


def test_officers_may_not_reassign_even_their_own(client, login_as, make_user):
    officer = login_as(Role.OFFICER)
    item = factories.follow_up(officer)
    db.session.commit()
    response = client.post(f"/follow-ups/{item.id}/reassign", data={"owner_id": make_user(Role.OFFICER).id})
    assert response.status_code == 403
    assert _reloaded(item).owner_id == officer.id


@pytest.mark.parametrize("target", ["unknown", "deactivated", "garbage", "missing"])
def test_reassigning_to_an_unknown_or_deactivated_user_is_refused(client, login_as, make_user, target):
    login_as(Role.MANAGER)
    owner = make_user(Role.OFFICER)
    retired = make_user(Role.OFFICER)
    retired.active = False
    item = factories.follow_up(owner)
    db.session.commit()
    data = {"unknown": {"owner_id": 99999}, "deactivated": {"owner_id": retired.id}, "garbage": {"owner_id": "x"}}
    before = count_rows()
    response = client.post(f"/follow-ups/{item.id}/reassign", data=data.get(target, {}))
    assert response.status_code == 400
    message = "Choose the new owner." if target == "missing" else "Not a valid choice."
    assert message in text_of(response) and "invalid-feedback" in response.get_data(as_text=True)
    assert count_rows() == before and _reloaded(item).owner_id == owner.id


def test_delete_and_restore(client, login_as, make_user):
    officer = login_as(Role.OFFICER)
    item = factories.follow_up(officer, title="Obsolete reminder")
    db.session.commit()
    response = client.post(f"/follow-ups/{item.id}/delete")
    assert response.status_code == 302 and response.headers["Location"] == "/follow-ups/"
    assert _reloaded(item).deleted_at is not None
    assert "Obsolete reminder" not in text_of(client.get("/follow-ups/"))
    assert "Obsolete reminder" not in text_of(client.get("/follow-ups/?scope=all"))
    assert client.post(f"/follow-ups/{item.id}/restore").status_code == 404  # officers do not see deleted ones
    assert client.get(f"/follow-ups/{item.id}").status_code == 404

    client.post("/logout")
    login_as(Role.MANAGER)
    assert "Obsolete reminder" in text_of(client.get("/follow-ups/?scope=all&deleted=1"))
    response = client.post(f"/follow-ups/{item.id}/restore")
    assert response.status_code == 302 and response.headers["Location"] == f"/follow-ups/{item.id}"
    assert _reloaded(item).deleted_at is None


def test_officers_may_not_delete_others_follow_ups(client, login_as, make_user):
    item = factories.follow_up(make_user(Role.OFFICER))
    db.session.commit()
    login_as(Role.OFFICER)
    assert client.post(f"/follow-ups/{item.id}/delete").status_code == 403
    assert _reloaded(item).deleted_at is None


def test_actions_on_a_deleted_follow_up_are_hidden(client, login_as):
    manager = login_as(Role.MANAGER)
    item = factories.follow_up(manager, deleted_at=utcnow())
    db.session.commit()
    html = client.get(f"/follow-ups/{item.id}").get_data(as_text=True)
    assert "/done" not in html and "/reassign" not in html and "/edit" not in html and "/restore" in html
