"""Writes for investment projects. Services flush; the caller commits."""

from __future__ import annotations

from datetime import datetime

from crm.accounts.models import User
from crm.core.time import utcnow
from crm.extensions import db
from crm.pipeline.models import InvestmentProject, ProjectSource, ProjectStatus, Stage, StageChange
from crm.sectors.queries import sectors_by_ids
from crm.visits.models import Visit, VisitDirection

# The fields a project form sets directly; stage and status change through their own actions.
PROJECT_FIELDS = (
    "name",
    "local_title",
    "code_name",
    "is_confidential",
    "description",
    "planned_investment",
    "actual_investment",
    "planned_fixed_assets",
    "actual_fixed_assets",
    "planned_paid_in_capital",
    "actual_paid_in_capital",
    "planned_jobs",
    "actual_jobs",
    "expected_decision_on",
    "referrer",
    "source",
)
# Statuses that say why the project stopped moving, so they need a reason.
STATUSES_NEEDING_A_REASON = (ProjectStatus.ON_HOLD, ProjectStatus.LOST)


class SameStage(ValueError):
    """A stage change to the stage the project is already in."""


class ReasonRequired(ValueError):
    """On hold and lost need a reason."""


def open_project(
    project: InvestmentProject, *, by: User | None, note: str = "", at: datetime | None = None
) -> InvestmentProject:
    """Add a new project and record its first stage as a change from nothing (`at`: when, if not now)."""
    project.stage = project.stage or Stage.LEAD
    project.stage_entered_at = at or utcnow()
    if project.probability is None:
        project.probability = project.stage.default_probability
    project.reach(project.stage, project.stage_entered_at)
    db.session.add(project)
    db.session.add(
        StageChange(
            project=project,
            from_stage=None,
            to_stage=project.stage,
            changed_by=by,
            changed_at=project.stage_entered_at,
            note=note or None,
        )
    )
    db.session.flush()
    return project


def source_of_visit(visit: Visit) -> ProjectSource:
    """A project that came out of a visit came from an outbound or an inbound visit."""
    return ProjectSource.INBOUND_VISIT if visit.direction is VisitDirection.INBOUND else ProjectSource.OUTBOUND_VISIT


def _apply_project(project: InvestmentProject, values: dict) -> None:
    for field in PROJECT_FIELDS:
        if field in values:
            setattr(project, field, values[field])
    if values.get("enterprise") is not None:
        project.enterprise = values["enterprise"]
    if "sector_ids" in values:
        project.sectors = sectors_by_ids(values["sector_ids"])
    if values.get("owner_id"):
        project.owner_id = values["owner_id"]
    if "probability" in values:
        # Blank means "what is usual for the stage".
        stage = project.stage or Stage.LEAD
        project.probability = values["probability"] if values["probability"] is not None else stage.default_probability


def create_project(values: dict, *, by: User, origin_visit: Visit | None = None) -> InvestmentProject:
    """A new project at the first stage, owned by its creator, optionally born of a visit."""
    project = InvestmentProject(owner_id=by.id, stage=Stage.LEAD, status=ProjectStatus.ACTIVE)
    _apply_project(project, {key: value for key, value in values.items() if key != "owner_id"})
    if origin_visit is not None:
        project.origin_visits.append(origin_visit)
    return open_project(project, by=by)


def update_project(project: InvestmentProject, values: dict) -> InvestmentProject:
    _apply_project(project, values)
    db.session.flush()
    return project


def advance_stage(
    project: InvestmentProject,
    to: Stage,
    *,
    by: User | None,
    note: str = "",
    probability: int | None = None,
    at: datetime | None = None,
) -> StageChange:
    """Move a project to another stage, keeping how long it spent in the one it leaves.

    The probability becomes `probability`, or the new stage's default when none is given. `at` is when the
    move happened, if not now (the sample data's history).
    """
    if to == project.stage:
        raise SameStage(to)
    now = at or utcnow()
    change = StageChange(
        project=project,
        from_stage=project.stage,
        to_stage=to,
        changed_by=by,
        changed_at=now,
        seconds_in_from_stage=int((now - project.stage_entered_at).total_seconds()),
        note=note or None,
    )
    project.stage = to
    project.stage_entered_at = now
    project.reach(to, now)
    project.probability = probability if probability is not None else to.default_probability
    db.session.add(change)
    db.session.flush()
    return change


def change_status(project: InvestmentProject, status: ProjectStatus, reason: str | None = None) -> InvestmentProject:
    """Set the status: on hold and lost need a reason; making a project active again clears it."""
    reason = (reason or "").strip() or None
    if status in STATUSES_NEEDING_A_REASON and reason is None:
        raise ReasonRequired(status)
    project.status = status
    project.status_reason = reason if status in STATUSES_NEEDING_A_REASON else None
    db.session.flush()
    return project
