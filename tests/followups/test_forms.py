"""Creating and editing follow-ups: links prefilled from a record, owners, bad input, stale versions."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from crm.core.roles import Role
from crm.core.time import local_today
from crm.extensions import db
from crm.followups.models import FollowUp
from tests import factories
from tests.conftest import count_rows, text_of


def _valid(**changes) -> dict:
    data = {"title": "Send the investment guide", "due_on": (local_today() + timedelta(days=3)).isoformat()}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _only_follow_up() -> FollowUp:
    db.session.expire_all()
    return db.session.scalars(sa.select(FollowUp)).one()


def _records(owner):
    enterprise = factories.enterprise(owner, name="Huawei Suzhou Industrial Park")
    trip = factories.trip(owner, title="Yangtze delta mission")
    visit = factories.visit(owner, enterprise, trip)
    project = factories.project(owner, enterprise, name="Kunpeng computing centre")
    db.session.commit()
    return {"trip": trip, "visit": visit, "project": project, "enterprise": enterprise}


ORIGIN = {
    "trip": "trips.detail",
    "visit": "visits.detail",
    "project": "pipeline.detail",
    "enterprise": "enterprises.detail",
}
SHOWN = {
    "trip": "Yangtze delta mission",
    "visit": "Huawei Suzhou Industrial Park",
    "project": "Kunpeng computing centre",
    "enterprise": "Huawei Suzhou Industrial Park",
}


@pytest.mark.parametrize("kind", ["trip", "visit", "project", "enterprise"])
def test_create_from_a_record_prefills_the_link_and_goes_back_to_it(app, client, login_as, kind):
    officer = login_as(Role.OFFICER)
    records = _records(officer)
    record = records[kind]
    argument = f"{kind}_id"
    form = client.get(f"/follow-ups/new?{argument}={record.id}")
    assert form.status_code == 200
    assert f"For: {kind.title()}" in text_of(form) and SHOWN[kind] in text_of(form)
    assert f'name="{argument}" type="hidden" value="{record.id}"' in form.get_data(as_text=True)
    assert "js-enterprise-picker" not in form.get_data(as_text=True)  # the link is known: no picker

    response = client.post(f"/follow-ups/new?{argument}={record.id}", data=_valid(**{argument: record.id}))
    assert response.status_code == 302
    item = _only_follow_up()
    if ORIGIN[kind] in app.view_functions:
        assert response.headers["Location"] == f"{_path_of(app, ORIGIN[kind], argument, record.id)}"
    else:
        assert response.headers["Location"] == f"/follow-ups/{item.id}"
    assert getattr(item, argument) == record.id
    assert item.owner_id == officer.id and item.done_at is None
    if kind == "visit":  # a visit's follow-up also belongs to its trip and its enterprise
        assert (item.trip_id, item.enterprise_id) == (records["trip"].id, records["enterprise"].id)
    else:
        others = {"trip_id", "visit_id", "project_id", "enterprise_id"} - {argument}
        assert all(getattr(item, other) is None for other in others)


def _path_of(app, endpoint, argument, record_id) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{argument: record_id})


def test_create_follows_a_same_site_next_only(client, login_as):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(officer)
    db.session.commit()
    response = client.post(
        f"/follow-ups/new?enterprise_id={enterprise.id}&next=/follow-ups/?scope=all",
        data=_valid(enterprise_id=enterprise.id),
    )
    assert response.headers["Location"] == "/follow-ups/?scope=all"
    response = client.post("/follow-ups/new?next=//evil.example/", data=_valid(enterprise_id=enterprise.id))
    assert response.status_code == 302 and "evil" not in response.headers["Location"]


def test_create_from_the_list_picks_an_enterprise(client, login_as):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(officer, name="Dulwich International High School Suzhou")
    db.session.commit()
    form = client.get("/follow-ups/new")
    assert "js-enterprise-picker" in form.get_data(as_text=True)
    response = client.post("/follow-ups/new", data=_valid(enterprise=f"{enterprise.name} #{enterprise.id}"))
    assert response.status_code == 302
    item = _only_follow_up()
    assert response.headers["Location"] == f"/follow-ups/{item.id}"
    assert item.enterprise_id == enterprise.id


def test_a_follow_up_must_link_to_something(client, login_as):
    login_as(Role.OFFICER)
    before = count_rows()
    response = client.post("/follow-ups/new", data=_valid())
    assert response.status_code == 400
    assert "Link it to a trip, visit, project or enterprise." in text_of(response)
    assert 'value="Send the investment guide"' in response.get_data(as_text=True)  # the input is kept
    assert count_rows() == before


@pytest.mark.parametrize("kind", ["trip", "visit", "project", "enterprise"])
@pytest.mark.parametrize("problem", ["unknown", "deleted", "garbage"])
def test_unknown_or_deleted_linked_records_are_refused(client, login_as, kind, problem):
    officer = login_as(Role.OFFICER)
    record = _records(officer)[kind]
    if problem == "deleted":
        record.deleted_at = db.func.now()
        db.session.commit()
        record_id = record.id
    else:
        record_id = {"unknown": 99999, "garbage": "12abc"}[problem]
    message = "or it was deleted."
    argument = f"{kind}_id"

    form = client.get(f"/follow-ups/new?{argument}={record_id}")
    assert form.status_code == 400 and message in text_of(form)
    assert "js-enterprise-picker" in form.get_data(as_text=True)  # pick another instead

    before = count_rows()
    response = client.post("/follow-ups/new", data=_valid(**{argument: record_id}))
    assert response.status_code == 400 and message in text_of(response)
    assert count_rows() == before


def test_an_id_too_large_for_the_database_is_refused_not_crashed(client, login_as):
    login_as(Role.OFFICER)
    response = client.post("/follow-ups/new", data=_valid(trip_id="9" * 30))
    assert response.status_code == 400 and "There is no such trip" in text_of(response)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "This field is required."),
        ({"title": "   "}, "This field is required."),
        ({"title": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"notes": "x" * 5001}, "Field cannot be longer than 5000 characters."),
        ({"due_on": ""}, "This field is required."),
        ({"due_on": "2026-02-30"}, "Not a valid date value."),
        ({"due_on": "next Tuesday"}, "Not a valid date value."),
    ],
)
def test_create_rejects_bad_input_beside_the_field_and_keeps_it(client, login_as, changes, message):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(officer)
    db.session.commit()
    before = count_rows()
    response = client.post("/follow-ups/new", data=_valid(enterprise_id=enterprise.id, **changes))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in text_of(response)
    assert "invalid-feedback" in html and "Please correct the fields marked below." in text_of(response)
    field, typed = next(iter(changes.items()))
    if typed.strip() and field != "notes":
        assert f'value="{typed}"' in html
    assert count_rows() == before


def test_a_due_date_in_the_past_is_allowed(client, login_as):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(officer)
    db.session.commit()
    yesterday = local_today() - timedelta(days=1)
    response = client.post("/follow-ups/new", data=_valid(enterprise_id=enterprise.id, due_on=yesterday.isoformat()))
    assert response.status_code == 302
    assert _only_follow_up().due_on == yesterday


def test_officers_create_for_themselves_whatever_they_send(client, login_as, make_user):
    officer = login_as(Role.OFFICER)
    colleague = make_user(Role.OFFICER)
    enterprise = factories.enterprise(officer)
    db.session.commit()
    response = client.post("/follow-ups/new", data=_valid(enterprise_id=enterprise.id, owner_id=colleague.id))
    assert response.status_code == 302
    assert _only_follow_up().owner_id == officer.id


def test_managers_choose_any_active_owner(client, login_as, make_user):
    login_as(Role.MANAGER)
    officer = make_user(Role.OFFICER)
    retired = make_user(Role.OFFICER, name="Retired Officer")
    retired.active = False
    enterprise = factories.enterprise(officer)
    db.session.commit()
    form = client.get("/follow-ups/new")
    assert "Retired Officer" not in text_of(form)

    before = count_rows()
    refused = client.post("/follow-ups/new", data=_valid(enterprise_id=enterprise.id, owner_id=retired.id))
    assert refused.status_code == 400 and "Not a valid choice." in text_of(refused)
    assert count_rows() == before

    response = client.post("/follow-ups/new", data=_valid(enterprise_id=enterprise.id, owner_id=officer.id))
    assert response.status_code == 302
    assert _only_follow_up().owner_id == officer.id


def test_the_owner_edits_a_follow_up(client, login_as):
    officer = login_as(Role.OFFICER)
    item = factories.follow_up(officer, title="Old title")
    db.session.commit()
    new_due = local_today() + timedelta(days=10)
    response = client.post(
        f"/follow-ups/{item.id}/edit",
        data={"title": "New title", "notes": "Call first", "due_on": new_due.isoformat(), "version": item.version},
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/follow-ups/{item.id}"
    item = _only_follow_up()
    assert (item.title, item.notes, item.due_on, item.owner_id) == ("New title", "Call first", new_due, officer.id)
    assert "New title" in text_of(client.get(f"/follow-ups/{item.id}"))


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"due_on": "31/12/2026"}, "Not a valid date value."),
    ],
)
def test_edit_rejects_bad_input_and_writes_nothing(client, login_as, changes, message):
    officer = login_as(Role.OFFICER)
    item = factories.follow_up(officer, title="Keep me")
    db.session.commit()
    data = {"title": "Changed", "due_on": item.due_on.isoformat(), "version": item.version, **changes}
    response = client.post(f"/follow-ups/{item.id}/edit", data=data)
    assert response.status_code == 400 and message in text_of(response)
    assert _only_follow_up().title == "Keep me"


def test_a_stale_edit_is_refused_with_both_values_and_nothing_written(client, login_as):
    officer = login_as(Role.OFFICER)
    item = factories.follow_up(officer, title="Call the park committee")
    db.session.commit()
    loaded_version = item.version
    item.title = "Call the park committee on Monday"  # someone else saves meanwhile
    db.session.commit()

    response = client.post(
        f"/follow-ups/{item.id}/edit",
        data={"title": "Email the park committee", "due_on": item.due_on.isoformat(), "version": loaded_version},
    )
    assert response.status_code == 409
    text = text_of(response)
    assert "Someone else saved this record" in text
    assert "Call the park committee on Monday" in text and "Email the park committee" in text
    assert _only_follow_up().title == "Call the park committee on Monday"


def test_a_manager_reassigns_in_the_edit_form_and_an_inactive_owner_stays_choosable(client, login_as, make_user):
    login_as(Role.MANAGER)
    retired = make_user(Role.OFFICER, name="Retired Officer")
    colleague = make_user(Role.OFFICER, name="Active Officer")
    item = factories.follow_up(retired, title="Inherited task")
    retired.active = False
    db.session.commit()
    form = client.get(f"/follow-ups/{item.id}/edit")
    assert "Retired Officer (deactivated)" in text_of(form)
    data = {"title": "Inherited task", "due_on": item.due_on.isoformat(), "version": item.version}
    assert client.post(f"/follow-ups/{item.id}/edit", data={**data, "owner_id": retired.id}).status_code == 302
    item = _only_follow_up()
    data["version"] = item.version
    assert client.post(f"/follow-ups/{item.id}/edit", data={**data, "owner_id": colleague.id}).status_code == 302
    assert _only_follow_up().owner_id == colleague.id


def test_officers_may_not_edit_others_follow_ups(client, login_as, make_user):
    login_as(Role.OFFICER)
    item = factories.follow_up(make_user(Role.OFFICER))
    db.session.commit()
    assert client.get(f"/follow-ups/{item.id}/edit").status_code == 403
    data = {"title": "Hijacked", "due_on": item.due_on.isoformat(), "version": item.version}
    assert client.post(f"/follow-ups/{item.id}/edit", data=data).status_code == 403
    assert _only_follow_up().title != "Hijacked"
