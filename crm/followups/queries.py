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
