"""Reads for follow-ups."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from crm.accounts.models import User
from crm.extensions import db
from crm.followups.models import FollowUp


def open_follow_ups_of(user: User, *, limit: int = 20) -> list[FollowUp]:
    """The user's open follow-ups, the most urgent first."""
    query = (
        sa.select(FollowUp)
        .where(FollowUp.owner_id == user.id, FollowUp.done_at.is_(None), FollowUp.deleted_at.is_(None))
        .options(
            joinedload(FollowUp.trip),
            joinedload(FollowUp.visit),
            joinedload(FollowUp.project),
            joinedload(FollowUp.enterprise),
        )
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def follow_ups_linked_to(
    *,
    enterprise_id: int | None = None,
    trip_id: int | None = None,
    visit_id: int | None = None,
    project_id: int | None = None,
) -> list[FollowUp]:
    """Live follow-ups of one record, open ones first by due date, then the done ones."""
    query = sa.select(FollowUp).where(FollowUp.deleted_at.is_(None)).options(joinedload(FollowUp.owner))
    for column, value in (
        (FollowUp.enterprise_id, enterprise_id),
        (FollowUp.trip_id, trip_id),
        (FollowUp.visit_id, visit_id),
        (FollowUp.project_id, project_id),
    ):
        if value is not None:
            query = query.where(column == value)
    query = query.order_by(FollowUp.done_at.is_not(None), FollowUp.due_on, FollowUp.id)
    return list(db.session.scalars(query))
