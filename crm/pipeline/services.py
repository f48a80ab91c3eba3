"""Writes for investment projects. Services flush; the caller commits."""

from __future__ import annotations

from crm.accounts.models import User
from crm.core.time import utcnow
from crm.extensions import db
from crm.pipeline.models import InvestmentProject, Stage, StageChange


def open_project(project: InvestmentProject, *, by: User | None, note: str = "") -> InvestmentProject:
    """Add a new project and record its first stage as a change from nothing."""
    project.stage = project.stage or Stage.LEAD
    project.stage_entered_at = utcnow()
    if project.probability is None:
        project.probability = project.stage.default_probability
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


def advance_stage(
    project: InvestmentProject, to: Stage, *, by: User | None, note: str = "", probability: int | None = None
) -> StageChange:
    """Move a project to another stage, keeping how long it spent in the one it leaves."""
    now = utcnow()
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
    project.probability = probability if probability is not None else to.default_probability
    db.session.add(change)
    db.session.flush()
    return change
