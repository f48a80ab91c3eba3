"""Removed delegation members can be restored, and attachments can be removed where they are shown
(issue 8, point 2)."""

from __future__ import annotations

import sqlalchemy as sa

from crm.core.audit import AuditAction, AuditEvent
from crm.core.roles import Role
from crm.extensions import db
from crm.trips.models import DelegationMember
from tests import factories
from tests.conftest import login, text_of


def test_a_removed_member_stays_recoverable_and_a_manager_restores_them(app, client, login_as, make_user):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer)
    member = factories.member(trip, name="Zhang Wei", local_name="张伟", is_leader=True)
    db.session.commit()
    assert client.post(f"/trips/{trip.id}/members/{member.id}/delete").status_code == 302
    page = text_of(client.get(f"/trips/{trip.id}"))
    assert "张伟" not in page
    db.session.expire_all()
    removed = db.session.get(DelegationMember, member.id)
    assert removed is not None and removed.deleted_at is not None
    event = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.entity_type == "delegation_members", AuditEvent.entity_id == member.id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.action is AuditAction.DELETE
    # The officer may not restore; a manager sees the removed member and may.
    assert client.post(f"/trips/{trip.id}/members/{member.id}/restore").status_code == 403
    manager = app.test_client()
    assert login(manager, make_user(Role.MANAGER).email).status_code == 302
    assert "张伟" in text_of(manager.get(f"/trips/{trip.id}"))
    assert manager.post(f"/trips/{trip.id}/members/{member.id}/restore").status_code == 302
    db.session.expire_all()
    assert db.session.get(DelegationMember, member.id).deleted_at is None
    assert [m.id for m in db.session.get(type(trip), trip.id).members] == [member.id]


def test_a_removed_member_is_no_longer_on_the_delegation_anywhere(client, login_as):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer)
    kept, gone = factories.member(trip, name="Kept"), factories.member(trip, name="Gone")
    db.session.commit()
    client.post(f"/trips/{trip.id}/members/{gone.id}/delete")
    assert client.get(f"/trips/{trip.id}/members.json").get_json() == [{"id": kept.id, "name": "Kept"}]
    assert client.get(f"/trips/{trip.id}/members/{gone.id}/edit").status_code == 404


def test_an_attachment_can_be_removed_from_the_page_that_shows_it(client, login_as):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer)
    attachment = factories.attachment(trip, officer)
    db.session.commit()
    html = client.get(f"/trips/{trip.id}").get_data(as_text=True)
    assert f'action="/attachments/{attachment.id}/delete"' in html
    assert client.post(f"/attachments/{attachment.id}/delete").status_code == 302
    assert "minutes.pdf" not in text_of(client.get(f"/trips/{trip.id}"))


def test_a_removed_member_is_offered_only_on_visits_that_list_them(client, login_as):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer)
    present, gone = factories.member(trip, name="Present Then Gone"), factories.member(trip, name="Never Met")
    visit = factories.visit(officer, trip_=trip)
    visit.members_present = [present]
    db.session.commit()
    client.post(f"/trips/{trip.id}/members/{present.id}/delete")
    client.post(f"/trips/{trip.id}/members/{gone.id}/delete")
    assert "Present Then Gone" in text_of(client.get(f"/visits/{visit.id}/edit"))
    assert "Never Met" not in text_of(client.get(f"/visits/{visit.id}/edit"))
    assert "Present Then Gone" not in text_of(client.get(f"/visits/new?trip_id={trip.id}"))
