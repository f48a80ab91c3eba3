"""Reads for trips."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crm.accounts.models import User
from crm.extensions import db
from crm.trips.models import DelegationMember, Trip, TripStatus


def trips_of(user: User, *, limit: int = 10) -> list[Trip]:
    """Trips the user organises or travels on, current and upcoming first, then the most recent."""
    member_of = sa.select(DelegationMember.trip_id).where(DelegationMember.user_id == user.id)
    query = (
        sa.select(Trip)
        .where(Trip.deleted_at.is_(None), Trip.status != TripStatus.CANCELLED)
        .where(sa.or_(Trip.organiser_id == user.id, Trip.id.in_(member_of)))
        .options(selectinload(Trip.members), selectinload(Trip.sectors))
        .order_by(Trip.end_on.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
