"""Stage and status changes from the project's page: history, probability, refusals, stale forms."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.core.roles import Role
from crm.extensions import db
from crm.pipeline import services
from crm.pipeline.models import InvestmentProject, ProjectStatus, Stage, StageChange
from tests import factories
from tests.conftest import count_rows, text_of


@pytest.fixture
def officer(login_as):
    return login_as(Role.OFFICER)


@pytest.fixture
def project(officer):
    record = factories.project(officer, name="Hydrogen engine line")
    db.session.commit()
    return record


def _changes(project) -> list[StageChange]:
    return list(
        db.session.scalars(sa.select(StageChange).where(StageChange.project_id == project.id).order_by(StageChange.id))
    )


def _post(client, project, action, **data):
    data.setdefault("version", str(db.session.get(InvestmentProject, project.id).version))
    return client.post(f"/projects/{project.id}/{action}", data=data)


def _refused(client, project, action, code, *messages, **data):
    before = count_rows()
    response = _post(client, project, action, **data)
    assert response.status_code == code, text_of(response)[:1500]
    text = text_of(response)
    for message in messages:
        assert message in text, message
    assert count_rows() == before
    return response


# Stage -------------------------------------------------------------------------------------------------


def test_a_stage_change_is_recorded_with_its_note_and_the_stage_default_probability(client, officer, project):
    response = _post(client, project, "stage", to_stage="negotiation", note="Met the CFO", probability="")
    assert response.status_code == 302 and response.headers["Location"] == f"/projects/{project.id}"
    db.session.expire_all()
    assert project.stage is Stage.NEGOTIATION and project.probability == 50
    last = _changes(project)[-1]
    assert (last.from_stage, last.to_stage, last.note, last.changed_by_id) == (
        Stage.LEAD,
        Stage.NEGOTIATION,
        "Met the CFO",
        officer.id,
    )
    assert last.seconds_in_from_stage is not None
    page = client.get(f"/projects/{project.id}")
    assert "Stage changed to Negotiation." in text_of(page) and "Lead → Negotiation" in text_of(page)


def test_a_stage_change_may_override_the_probability(client, officer, project):
    assert _post(client, project, "stage", to_stage="signed", probability="70").status_code == 302
    db.session.expire_all()
    assert project.stage is Stage.SIGNED and project.probability == 70


def test_moving_to_the_current_stage_is_refused(client, officer, project):
    _refused(client, project, "stage", 400, "already at this stage", to_stage="lead")


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "This field is required."),
        ({"to_stage": "paradise"}, "Not a valid choice."),
        ({"to_stage": "signed", "probability": "150"}, "Enter a percentage from 0 to 100."),
        ({"to_stage": "signed", "probability": "-1"}, "Enter a percentage from 0 to 100."),
        ({"to_stage": "signed", "probability": "most"}, "Not a valid integer value."),
        ({"to_stage": "signed", "note": "n" * 2001}, "Field cannot be longer than 2000 characters."),
    ],
)
def test_bad_stage_changes_are_refused_beside_the_field(client, officer, project, data, message):
    response = _refused(client, project, "stage", 400, message, **data)
    html = response.get_data(as_text=True)
    assert 'id="to_stage-errors"' in html or 'id="probability-errors"' in html or 'id="note-errors"' in html
    if "note" in data:
        assert data["note"] in html  # what was typed is kept
    db.session.expire_all()
    assert project.stage is Stage.LEAD and len(_changes(project)) == 1


def test_a_stage_change_over_a_newer_version_is_refused_and_nothing_written(client, officer, project):
    loaded_at = str(project.version)
    services.advance_stage(project, Stage.ASSESSMENT, by=officer, note="A colleague moved it")
    db.session.commit()
    response = _refused(
        client, project, "stage", 409, "Someone else saved this record", to_stage="signed", version=loaded_at
    )
    text = text_of(response)
    assert "Assessment" in text and "Signed" in text  # their stage beside the one chosen
    db.session.expire_all()
    assert project.stage is Stage.ASSESSMENT and len(_changes(project)) == 2


def test_managers_move_anyones_project(client, login_as, make_user):
    project = factories.project(make_user(Role.OFFICER))
    db.session.commit()
    login_as(Role.MANAGER)
    assert _post(client, project, "stage", to_stage="assessment").status_code == 302
    db.session.expire_all()
    assert project.stage is Stage.ASSESSMENT


# Status ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["on_hold", "lost"])
def test_on_hold_and_lost_need_a_reason(client, officer, project, status):
    response = _refused(client, project, "status", 400, "Say why the project is on hold or lost.", status=status)
    assert 'id="status_reason-errors"' in response.get_data(as_text=True)
    _refused(client, project, "status", 400, "Say why", status=status, status_reason="   ")


def test_a_project_is_lost_with_a_reason_and_reactivated_without_one(client, officer, project):
    response = _post(client, project, "status", status="lost", status_reason="Chose Hangzhou")
    assert response.status_code == 302
    db.session.expire_all()
    assert project.status is ProjectStatus.LOST and project.status_reason == "Chose Hangzhou"
    assert "Chose Hangzhou" in text_of(client.get(f"/projects/{project.id}"))
    assert _post(client, project, "status", status="active", status_reason="leftover").status_code == 302
    db.session.expire_all()
    assert project.status is ProjectStatus.ACTIVE and project.status_reason is None


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "This field is required."),
        ({"status": "bankrupt"}, "Not a valid choice."),
        ({"status": "lost", "status_reason": "r" * 2001}, "Field cannot be longer than 2000 characters."),
    ],
)
def test_bad_status_changes_are_refused(client, officer, project, data, message):
    _refused(client, project, "status", 400, message, **data)


def test_a_status_change_over_a_newer_version_is_refused(client, officer, project):
    loaded_at = str(project.version)
    services.change_status(project, ProjectStatus.ON_HOLD, "Waiting for the land quota")
    db.session.commit()
    response = _refused(
        client, project, "status", 409, "Someone else saved", status="lost", status_reason="Gone", version=loaded_at
    )
    assert "Waiting for the land quota" in text_of(response) and "On hold" in text_of(response)
    db.session.expire_all()
    assert project.status is ProjectStatus.ON_HOLD


@pytest.mark.parametrize(
    "action, data",
    [("stage", {"to_stage": "signed"}), ("status", {"status": "lost", "status_reason": "Gone"}), ("edit", {})],
)
def test_a_form_without_its_version_is_refused_as_incomplete(client, officer, project, action, data):
    if action == "edit":
        data = {"name": "N", "code_name": "C", "enterprise": f"x #{project.enterprise_id}"}
    _refused(
        client, project, action, 400, "This form is incomplete. Reload the page and try again.", version="", **data
    )
