"""Pipeline services: stage changes keep their history and time in stage; probability; status reasons."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm.core.roles import Role
from crm.core.time import utcnow
from crm.extensions import db
from crm.pipeline import services
from crm.pipeline.models import ProjectSource, ProjectStatus, Stage, StageChange
from crm.sectors.models import Sector
from crm.visits.models import VisitDirection
from tests import factories


def _changes(project) -> list[StageChange]:
    return list(
        db.session.scalars(sa.select(StageChange).where(StageChange.project_id == project.id).order_by(StageChange.id))
    )


def test_a_new_project_starts_as_a_lead_with_its_first_stage_change(app, make_user):
    officer = make_user(Role.OFFICER)
    enterprise = factories.enterprise(officer)
    project = services.create_project(
        {"name": "Joint innovation centre", "code_name": "Project Kite", "enterprise": enterprise, "probability": None},
        by=officer,
    )
    assert project.stage is Stage.LEAD and project.status is ProjectStatus.ACTIVE
    assert project.owner_id == officer.id and project.probability == Stage.LEAD.default_probability
    [first] = _changes(project)
    assert first.from_stage is None and first.to_stage is Stage.LEAD and first.changed_by_id == officer.id
    assert first.seconds_in_from_stage is None and first.time_in_from_stage is None


def test_a_project_from_a_visit_keeps_the_visit_and_takes_no_owner_from_the_form(app, make_user):
    officer, other = make_user(Role.OFFICER), make_user(Role.OFFICER)
    visit = factories.visit(officer, direction=VisitDirection.INBOUND)
    project = services.create_project(
        {"name": "P", "code_name": "C", "enterprise": visit.enterprise, "probability": 40, "owner_id": other.id},
        by=officer,
        origin_visit=visit,
    )
    assert project.origin_visits == [visit] and project.probability == 40 and project.owner_id == officer.id
    assert services.source_of_visit(visit) is ProjectSource.INBOUND_VISIT
    visit.direction = VisitDirection.OUTBOUND
    assert services.source_of_visit(visit) is ProjectSource.OUTBOUND_VISIT


def test_a_stage_change_records_who_when_the_note_and_the_time_in_the_stage_left(app, make_user):
    officer = make_user(Role.OFFICER)
    project = factories.project(officer)
    project.stage_entered_at = utcnow() - timedelta(days=3, hours=2)
    assert project.days_in_stage == 3

    change = services.advance_stage(project, Stage.NEGOTIATION, by=officer, note="Board approved the study")

    assert (change.from_stage, change.to_stage, change.note) == (
        Stage.LEAD,
        Stage.NEGOTIATION,
        "Board approved the study",
    )
    assert change.changed_by_id == officer.id
    assert abs(change.seconds_in_from_stage - int(timedelta(days=3, hours=2).total_seconds())) < 5
    assert change.time_in_from_stage.days == 3
    assert project.stage is Stage.NEGOTIATION and project.days_in_stage == 0
    assert project.stage_entered_at == change.changed_at
    assert [c.to_stage for c in _changes(project)] == [Stage.LEAD, Stage.NEGOTIATION]


def test_a_project_keeps_the_furthest_stage_it_reached_and_when_it_was_first_signed(app, make_user):
    officer = make_user(Role.OFFICER)
    project = factories.project(officer)
    assert (project.furthest_stage, project.landed_at) == (Stage.LEAD, None)
    start = utcnow() - timedelta(days=30)
    signed = services.advance_stage(project, Stage.SIGNED, by=officer, at=start + timedelta(days=10))
    services.advance_stage(project, Stage.CONSTRUCTION, by=officer, at=start + timedelta(days=20))
    services.advance_stage(project, Stage.NEGOTIATION, by=officer, at=start + timedelta(days=25))
    # Back in negotiation: the dashboards still know it got to construction and was signed on day 10.
    assert project.furthest_stage is Stage.CONSTRUCTION
    assert project.landed_at == signed.changed_at


def test_probability_follows_the_stage_unless_given(app, make_user):
    officer = make_user(Role.OFFICER)
    project = factories.project(officer)
    services.advance_stage(project, Stage.NEGOTIATION, by=officer)
    assert project.probability == Stage.NEGOTIATION.default_probability == 50
    services.advance_stage(project, Stage.SIGNED, by=officer, probability=80)
    assert project.probability == 80 and project.stage.is_landed
    services.update_project(project, {"probability": None})
    assert project.probability == Stage.SIGNED.default_probability
    services.update_project(project, {"probability": 0})
    assert project.probability == 0


def test_moving_to_the_current_stage_is_refused(app, make_user):
    officer = make_user(Role.OFFICER)
    project = factories.project(officer)
    with pytest.raises(services.SameStage):
        services.advance_stage(project, Stage.LEAD, by=officer)
    assert len(_changes(project)) == 1


@pytest.mark.parametrize("status", [ProjectStatus.ON_HOLD, ProjectStatus.LOST])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_on_hold_and_lost_need_a_reason(app, make_user, status, reason):
    project = factories.project(make_user(Role.OFFICER))
    with pytest.raises(services.ReasonRequired):
        services.change_status(project, status, reason)
    assert project.status is ProjectStatus.ACTIVE and project.status_reason is None


def test_a_reason_is_kept_until_the_project_is_active_again(app, make_user):
    project = factories.project(make_user(Role.OFFICER))
    services.change_status(project, ProjectStatus.LOST, "  Chose Suzhou instead  ")
    assert project.status is ProjectStatus.LOST and project.status_reason == "Chose Suzhou instead"
    services.change_status(project, ProjectStatus.ON_HOLD, "Waiting for the land quota")
    assert project.status_reason == "Waiting for the land quota"
    services.change_status(project, ProjectStatus.ACTIVE, "ignored")
    assert project.status is ProjectStatus.ACTIVE and project.status_reason is None


def test_update_sets_fields_sectors_and_owner(app, make_user):
    officer, manager = make_user(Role.OFFICER), make_user(Role.MANAGER)
    project = factories.project(officer)
    sector = db.session.scalars(sa.select(Sector).where(Sector.parent_id.is_not(None))).first()
    services.update_project(
        project,
        {"planned_investment": Decimal("12.50"), "actual_jobs": 7, "sector_ids": [sector.id], "owner_id": manager.id},
    )
    assert project.planned_investment == Decimal("12.50") and project.actual_jobs == 7
    assert project.sectors == [sector] and project.owner_id == manager.id
