"""Two people save the same record from the same loaded version: exactly one wins, the other gets 409
with both values, whether they changed different fields or only the record's links (issue 8, point 1)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.core.audit import AuditEvent
from crm.core.roles import Role
from crm.extensions import db
from crm.sectors.models import Sector
from tests import factories
from tests.conftest import login, text_of
from tests.hardening.html_forms import edit_form


def _sectors(count: int = 2) -> list[Sector]:
    return list(
        db.session.scalars(sa.select(Sector).where(Sector.parent_id.is_(None)).order_by(Sector.id).limit(count))
    )


def _records(owner) -> dict[str, object]:
    trip = factories.trip(owner)
    member = factories.member(trip, name="Zhang Wei")
    visit = factories.visit(owner, trip_=trip, city="Wuxi")  # the trip goes to three cities: the visit says which
    contact = factories.contact(visit.enterprise, owner, name="Wang Lei")
    project = factories.project(owner, visit.enterprise)
    follow_up = factories.follow_up(owner, trip=trip)
    db.session.commit()
    return {
        "trip": trip,
        "member": member,
        "visit": visit,
        "contact": contact,
        "project": project,
        "follow_up": follow_up,
        "enterprise": visit.enterprise,
    }


# record → (edit path, a text field one person changes, another text field the other changes)
EDITABLE = {
    "trip": ("/trips/{id}/edit", "title", "objectives"),
    "enterprise": ("/enterprises/{id}/edit", "description", "city"),
    "contact": ("/contacts/{id}/edit", "title", "department"),
    "visit": ("/visits/{id}/edit", "purpose", "discussed"),
    "project": ("/projects/{id}/edit", "description", "referrer"),
    "follow_up": ("/follow-ups/{id}/edit", "title", "notes"),
    "member": ("/trips/{trip}/members/{id}/edit", "title", "unit"),
}
# record → the link fields its form offers
LINKS = {
    "trip": ["sector_ids"],
    "enterprise": ["sector_ids"],
    "visit": ["sector_ids", "contact_ids", "member_ids"],
    "project": ["sector_ids"],
}


@pytest.fixture
def two_clients(app, make_user):
    first, second = make_user(Role.MANAGER), make_user(Role.MANAGER)
    clients = []
    for user in (first, second):
        client = app.test_client()
        assert login(client, user.email).status_code == 302
        clients.append(client)
    return first, clients


def _link_value(name: str, records: dict) -> str:
    return {
        "sector_ids": str(_sectors()[1].id),
        "contact_ids": str(records["contact"].id),
        "member_ids": str(records["member"].id),
    }[name]


def _shown(name: str, records: dict) -> str:
    return {
        "sector_ids": _sectors()[1].name_en,
        "contact_ids": "Wang Lei",
        "member_ids": "Zhang Wei",
    }[name]


@pytest.mark.parametrize("kind", sorted(EDITABLE))
def test_different_fields_from_the_same_version_one_wins_the_other_gets_409(two_clients, kind):
    owner, (first, second) = two_clients
    records = _records(owner)
    path, field_a, field_b = EDITABLE[kind]
    path = path.format(id=records[kind].id, trip=records["trip"].id)
    form_a, form_b = edit_form(first, path), edit_form(second, path)
    form_a[field_a] = ["Changed by the first person"]
    form_b[field_b] = ["Changed by the second person"]
    assert first.post(path, data=form_a).status_code == 302
    refused = second.post(path, data=form_b)
    assert refused.status_code == 409
    text = text_of(refused)
    assert "Changed by the first person" in text  # theirs
    assert "Changed by the second person" in text  # yours, kept in the form
    db.session.expire_all()
    saved = db.session.get(type(records[kind]), records[kind].id)
    assert getattr(saved, field_a) == "Changed by the first person"
    assert getattr(saved, field_b) != "Changed by the second person"


@pytest.mark.parametrize(
    "kind, link", [(kind, link) for kind, links in sorted(LINKS.items()) for link in links], ids=lambda v: str(v)
)
@pytest.mark.parametrize("who_changes_links", ["first", "second"])
def test_changing_only_links_moves_the_version_so_a_stale_save_gets_409(two_clients, kind, link, who_changes_links):
    owner, (first, second) = two_clients
    records = _records(owner)
    record = records[kind]
    path = EDITABLE[kind][0].format(id=record.id)
    version_before = record.version
    form_a, form_b = edit_form(first, path), edit_form(second, path)
    links_form, text_form = (form_a, form_b) if who_changes_links == "first" else (form_b, form_a)
    links_form[link] = [_link_value(link, records)]
    text_form[EDITABLE[kind][1]] = "Saved over a stale form"
    assert first.post(path, data=form_a).status_code == 302
    refused = second.post(path, data=form_b)
    assert refused.status_code == 409, text_of(refused)[:500]
    assert _shown(link, records) in text_of(refused)  # the links, theirs beside yours
    db.session.expire_all()
    record = db.session.get(type(record), record.id)
    assert record.version > version_before
    linked = [
        str(item.id)
        for item in getattr(record, {"sector_ids": "sectors", "contact_ids": "contacts"}.get(link, "members_present"))
    ]
    assert linked == ([_link_value(link, records)] if who_changes_links == "first" else [])


def test_the_audit_event_of_a_links_only_change_says_which_links(client, login_as):
    manager = login_as(Role.MANAGER)
    trip = factories.trip(manager)
    db.session.commit()
    path = f"/trips/{trip.id}/edit"
    form = edit_form(client, path)
    sector = _sectors()[0]
    form["sector_ids"] = [str(sector.id)]
    assert client.post(path, data=form).status_code == 302
    event = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.entity_type == "trips", AuditEvent.entity_id == trip.id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.action.value == "update"
    assert event.changes == {"sectors": {"added": [sector.id], "removed": []}}


def test_linking_a_project_to_a_visit_moves_the_visits_version_not_the_projects(client, login_as):
    manager = login_as(Role.MANAGER)
    visit = factories.visit(manager)
    project = factories.project(manager, visit.enterprise)
    db.session.commit()
    visit_version, project_version = visit.version, project.version
    response = client.post(f"/visits/{visit.id}/projects", data={"project_id": project.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(visit), visit.id).version == visit_version + 1
    assert db.session.get(type(project), project.id).version == project_version
