"""A known dataset for the dashboards, in 2025, with every edge case the figures must get right.

Officer A ("me") and officer B ("other"); a manager reads everything.
  P1  A  lead, active, 10 m at 10 %, AI chips, outbound visit; opened 1 Feb, first follow-up done 4 Feb
  P2  A  lead → assessment → negotiation → signed → back to negotiation, active, 20 m at 50 %, referral
  P3  B  lead → signed (skipping two stages) on 10 May, active, 100 m, 200 jobs, 30 m paid in
  P4  A  lead → assessment → negotiation, then lost, 50 m
  P5  A  lead → assessment, on hold, 40 m at 25 %
  P6  B  confidential, lead → negotiation, active, 80 m at 50 %, biomedicine
  P7  A  deleted: counts nowhere
Trip T1 (cost 1 m): visit V1 by A to E1 on 24 Mar (P1, P3), visit V2 by B to E2 on 25 Mar (P6);
  a follow-up of the trip done, one of V1 open and overdue. Trip T2 (no cost): one visit, no project.
Targets 2025: the bureau 4 projects, 0 investment (a target of zero), 100 jobs; B 0 projects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm.core.roles import Role
from crm.dashboards.models import Target
from crm.extensions import db
from crm.models import ProjectSource, ProjectStatus, Sector, Stage, StageChange
from crm.pipeline.models import InvestmentProject
from tests import factories

M = Decimal("1000000")
PERIOD = {"from": "2025-01-01", "to": "2025-12-31"}


def at(month: int, day: int, hour: int = 4) -> datetime:
    """A moment in 2025 (04:00 UTC is noon in the zone, far from any day boundary)."""
    return datetime(2025, month, day, hour, tzinfo=UTC)


def set_history(project: InvestmentProject, steps: list[tuple[Stage, datetime]], by=None) -> None:
    """Replace the project's stage changes with `steps`, keeping the time spent in each stage left."""
    db.session.execute(sa.delete(StageChange).where(StageChange.project_id == project.id))
    project.furthest_stage, project.landed_at = Stage.LEAD, None
    previous = None
    for stage, moment in steps:
        project.reach(stage, moment)
        db.session.add(
            StageChange(
                project_id=project.id,
                from_stage=previous[0] if previous else None,
                to_stage=stage,
                changed_by_id=by.id if by else None,
                changed_at=moment,
                seconds_in_from_stage=int((moment - previous[1]).total_seconds()) if previous else None,
            )
        )
        previous = (stage, moment)
    project.stage, project.stage_entered_at = previous
    project.created_at = steps[0][1]
    db.session.flush()


def sector(code: str) -> Sector:
    return db.session.scalar(sa.select(Sector).where(Sector.code == code))


@dataclass
class Dataset:
    me: object
    other: object
    manager: object
    projects: dict
    trips: dict


@pytest.fixture
def dataset(app, make_user) -> Dataset:
    me = make_user(Role.OFFICER, name="Officer A")
    other = make_user(Role.OFFICER, name="Officer B")
    manager = make_user(Role.MANAGER, name="Manager M")
    e1, e2, e3 = factories.enterprise(me), factories.enterprise(other), factories.enterprise(me)

    def project(owner, steps, **fields):
        record = factories.project(owner, **fields)
        set_history(record, steps, by=owner)
        return record

    p = {}
    p[1] = project(
        me,
        [(Stage.LEAD, at(2, 1))],
        enterprise_=e1,
        planned_investment=10 * M,
        probability=10,
        source=ProjectSource.OUTBOUND_VISIT,
        sectors=[sector("ai-chips")],
    )
    p[2] = project(
        me,
        [
            (Stage.LEAD, at(3, 1)),
            (Stage.ASSESSMENT, at(3, 11)),
            (Stage.NEGOTIATION, at(4, 10)),
            (Stage.SIGNED, at(6, 1)),
            (Stage.NEGOTIATION, at(6, 11)),
        ],
        planned_investment=20 * M,
        probability=50,
        source=ProjectSource.REFERRAL,
    )
    p[3] = project(
        other,
        [(Stage.LEAD, at(4, 1)), (Stage.SIGNED, at(5, 10))],
        enterprise_=e1,
        planned_investment=100 * M,
        planned_jobs=200,
        actual_paid_in_capital=30 * M,
        probability=90,
        sectors=[sector("biomedicine")],
    )
    p[4] = project(
        me,
        [(Stage.LEAD, at(6, 1)), (Stage.ASSESSMENT, at(6, 5)), (Stage.NEGOTIATION, at(6, 25))],
        planned_investment=50 * M,
        status=ProjectStatus.LOST,
        status_reason="Went to another zone",
    )
    p[5] = project(
        me,
        [(Stage.LEAD, at(7, 1)), (Stage.ASSESSMENT, at(7, 21))],
        planned_investment=40 * M,
        probability=25,
        status=ProjectStatus.ON_HOLD,
        status_reason="Waiting for the board",
    )
    p[6] = project(
        other,
        [(Stage.LEAD, at(8, 1)), (Stage.NEGOTIATION, at(8, 11))],
        enterprise_=e2,
        planned_investment=80 * M,
        probability=50,
        is_confidential=True,
        name="Secret Pharma Plant",
        code_name="Code Falcon",
        sectors=[sector("biomedicine")],
    )
    # Deleted: its 59 days in assessment must not count in the medians.
    p[7] = project(
        me,
        [(Stage.LEAD, at(2, 1)), (Stage.ASSESSMENT, at(2, 2)), (Stage.NEGOTIATION, at(4, 2))],
        planned_investment=999 * M,
        deleted_at=at(9, 1),
    )

    t1 = factories.trip(me, title="Trip One", start_on=date(2025, 3, 23), actual_cost=1 * M)
    t2 = factories.trip(me, title="Trip Two", start_on=date(2025, 9, 1))
    v1 = factories.visit(me, e1, t1, visited_on=date(2025, 3, 24))
    v2 = factories.visit(other, e2, t1, visited_on=date(2025, 3, 25))
    factories.visit(me, e3, t2, visited_on=date(2025, 9, 2))
    v1.projects = [p[1], p[3]]
    v2.projects = [p[6]]

    def follow_up(owner, **fields):
        record = factories.follow_up(owner, **fields)
        record.created_at = fields.get("done_at") or at(3, 26)
        return record

    follow_up(me, project=p[1], due_on=date(2025, 2, 10), done_at=at(2, 4))
    follow_up(me, trip=t1, due_on=date(2025, 4, 1), done_at=at(3, 28))
    follow_up(me, visit=v1, due_on=date(2025, 4, 1))
    db.session.add_all(
        [
            Target(year=2025, projects_signed=4, investment_signed=Decimal(0), jobs=100),
            Target(year=2025, officer_id=other.id, projects_signed=0),
        ]
    )
    db.session.commit()
    return Dataset(me, other, manager, p, {"t1": t1, "t2": t2})


@pytest.fixture
def login_user(client):
    from tests.conftest import login

    def sign_in(user):
        assert login(client, user.email).status_code == 302
        return user

    return sign_in
