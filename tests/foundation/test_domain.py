"""The domain model's own rules: stages, deadlines, money, time, versions, soft delete, audit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm.exc import StaleDataError

from crm.core.audit import AuditAction, AuditEvent, acting_as
from crm.core.roles import Role
from crm.core.time import add_working_days
from crm.extensions import db
from crm.models import Enterprise, FollowUp, InvestmentProject, Sector, Stage, StageChange, Trip
from crm.pipeline import services as pipeline

pytestmark = pytest.mark.usefixtures("app")


def _enterprise(**fields) -> Enterprise:
    enterprise = Enterprise(name=fields.pop("name", "Qingdao Haiyan Robotics"), **fields)
    db.session.add(enterprise)
    db.session.flush()
    return enterprise


def test_a_project_records_each_stage_change_with_time_spent(make_user):
    officer = make_user(Role.OFFICER)
    project = pipeline.open_project(
        InvestmentProject(name="Robot plant", code_name="Project Gull", enterprise=_enterprise(), owner=officer),
        by=officer,
    )
    assert project.stage is Stage.LEAD and project.probability == 10
    project.stage_entered_at -= timedelta(days=3)
    change = pipeline.advance_stage(project, Stage.NEGOTIATION, by=officer, note="Board approved the study")
    db.session.commit()
    assert (change.from_stage, change.to_stage) == (Stage.LEAD, Stage.NEGOTIATION)
    assert 3 * 86400 <= change.seconds_in_from_stage < 3 * 86400 + 60
    assert project.probability == 50 and not project.stage.is_landed
    pipeline.advance_stage(project, Stage.SIGNED, by=officer, probability=80)
    assert project.probability == 80 and project.stage.is_landed
    history = db.session.scalars(
        sa.select(StageChange.to_stage).where(StageChange.project_id == project.id).order_by(StageChange.id)
    ).all()
    assert history == [Stage.LEAD, Stage.NEGOTIATION, Stage.SIGNED]


def test_the_trip_report_is_due_fifteen_working_days_after_the_trip():
    # The seed trip ends on Thursday 26 March 2026; three weeks of working days later would be 16 April,
    # but Monday 6 April is the Qingming holiday, so it is 17 April.
    assert add_working_days(date(2026, 3, 26), 15) == date(2026, 4, 17)
    assert add_working_days(date(2026, 3, 27), 1) == date(2026, 3, 30)  # Friday → Monday
    trip = Trip(title="t", start_on=date(2026, 3, 23), end_on=date(2026, 3, 26), destination_cities="Wuxi")
    assert trip.report_due_on == date(2026, 4, 17)


def test_a_trip_cannot_end_before_it_starts():
    db.session.add(
        Trip(title="Backwards", start_on=date(2026, 5, 2), end_on=date(2026, 5, 1), destination_cities="Xi'an")
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_money_is_exact_and_timestamps_are_utc():
    enterprise = _enterprise()
    project = InvestmentProject(
        name="p", code_name="c", enterprise=enterprise, planned_investment=Decimal("123456789.01")
    )
    db.session.add(project)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(InvestmentProject, project.id)
    assert stored.planned_investment == Decimal("123456789.01")
    assert stored.created_at.tzinfo is not None and stored.created_at.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - stored.created_at) < timedelta(minutes=1)


def test_enumerations_are_stored_as_their_values():
    enterprise = _enterprise()
    db.session.commit()
    kind = db.session.execute(
        sa.text("SELECT kind FROM enterprises WHERE id = :id"), {"id": enterprise.id}
    ).scalar_one()
    assert kind == "company"
    with pytest.raises(StatementError):
        db.session.execute(sa.update(Enterprise).values(kind="spaceship"))
    db.session.rollback()


def test_a_follow_up_must_link_to_a_record(make_user):
    db.session.add(FollowUp(title="Call back", due_on=date(2026, 4, 1), owner=make_user()))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_saving_over_a_newer_version_is_refused():
    enterprise = _enterprise()
    db.session.commit()
    assert enterprise.version == 1
    # Someone else saves in between: the row moves to version 2 behind this session's back.
    db.session.execute(sa.update(Enterprise.__table__).values(version=2, city="Qingdao"))
    enterprise.name = "Overwritten?"
    with pytest.raises(StaleDataError):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Enterprise, enterprise.id).name == "Qingdao Haiyan Robotics"


def test_every_write_is_audited_with_before_and_after(make_user):
    admin = make_user(Role.ADMIN)
    sector = db.session.scalar(sa.select(Sector).where(Sector.code == "blockchain"))
    with acting_as("system (test)"):
        enterprise = _enterprise(name="Old name", owner=admin, sectors=[sector])
        db.session.commit()
        db.session.refresh(enterprise)  # as a request would load it before editing
        enterprise.name = "New name"
        db.session.commit()
        enterprise.deleted_at = datetime.now(UTC)
        db.session.commit()
        enterprise.deleted_at = None
        db.session.commit()
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.entity_type == "enterprises").order_by(AuditEvent.id)
    ).all()
    assert [event.action for event in events] == [
        AuditAction.CREATE,
        AuditAction.UPDATE,
        AuditAction.DELETE,
        AuditAction.RESTORE,
    ]
    assert [(event.entity_id, event.actor) for event in events] == [(enterprise.id, "system (test)")] * 4
    assert events[0].changes["name"] == [None, "Old name"]
    assert events[0].changes["sectors"] == {"added": [sector.id], "removed": []}
    assert events[1].changes == {"name": ["Old name", "New name"]}


def test_linking_records_is_audited_as_added_and_removed_ids():
    enterprise = _enterprise()
    db.session.commit()
    sectors = db.session.scalars(sa.select(Sector).where(Sector.code.in_(["blockchain", "education"]))).all()
    enterprise.sectors.extend(sectors)
    db.session.commit()
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action is AuditAction.UPDATE
    assert sorted(event.changes["sectors"]["added"]) == sorted(sector.id for sector in sectors)


def test_confidential_projects_show_their_real_name_to_owner_and_managers_only(make_user):
    owner, other, manager = make_user(Role.OFFICER), make_user(Role.OFFICER), make_user(Role.MANAGER)
    project = InvestmentProject(
        name="Secret fab", code_name="Project Tide", enterprise=_enterprise(), owner=owner, is_confidential=True
    )
    db.session.add(project)
    db.session.flush()
    assert project.can_see(owner) and project.can_see(manager) and not project.can_see(other)
    assert project.can_edit(owner) and project.can_edit(manager) and not project.can_edit(other)
