"""Writes for trips and their delegations. Services flush; the view commits."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from crm.accounts.models import User
from crm.core.records import restore, soft_delete
from crm.extensions import db
from crm.sectors.queries import sectors_by_ids
from crm.trips.models import DelegationMember, Trip
from crm.trips.queries import account_details

TRIP_FIELDS = (
    "title",
    "local_title",
    "objectives",
    "start_on",
    "end_on",
    "destination_cities",
    "status",
    "planned_budget",
    "actual_cost",
    "report_submitted_on",
)
MEMBER_FIELDS = ("name", "local_name", "title", "unit", "is_leader", "user_id")


def _apply(trip: Trip, values: dict) -> None:
    for field in TRIP_FIELDS:
        if field in values:
            setattr(trip, field, values[field])
    if "sector_ids" in values:
        trip.sectors = sectors_by_ids(values["sector_ids"])
    if values.get("organiser_id"):
        trip.organiser_id = values["organiser_id"]


def create_trip(values: dict, *, by: User) -> Trip:
    trip = Trip(organiser_id=by.id)
    _apply(trip, values)
    db.session.add(trip)
    db.session.flush()
    return trip


def update_trip(trip: Trip, values: dict) -> Trip:
    _apply(trip, values)
    db.session.flush()
    return trip


def fill_from_account(values: dict) -> dict:
    """The member's fields left blank, taken from the account picked (typed values win)."""
    if not values.get("user_id"):
        return values
    details = account_details([values["user_id"]]).get(values["user_id"], {})
    return {**values, **{key: value for key, value in details.items() if not values.get(key) and value}}


def save_member(trip: Trip, values: dict, member: DelegationMember | None = None) -> DelegationMember:
    """Add or change a delegation member; a delegation has one leader, so a new leader replaces the old."""
    values = fill_from_account(values)
    if member is None:
        member = DelegationMember(trip=trip, position=len(trip.members))
        db.session.add(member)
    for field in MEMBER_FIELDS:
        if field in values:
            setattr(member, field, values[field])
    if member.is_leader:
        for other in trip.members:
            if other is not member and other.is_leader:
                other.is_leader = False
    db.session.flush()
    return member


def remove_member(member: DelegationMember) -> None:
    """Take someone off the delegation; the row stays (its audit events keep pointing at it) for a manager to
    restore. A removed leader is no longer the leader."""
    member.is_leader = False
    soft_delete(member)


def restore_member(member: DelegationMember) -> None:
    restore(member)


REMOVED_MEMBERS_SHOWN = 20


def removed_members(trip: Trip) -> list[DelegationMember]:
    """Members taken off the delegation, latest first (at most 20), for managers to restore.

    Read in one query with the delegation as it stands, which it puts in `trip.members` unasked.
    """
    latest_removed = (
        sa.select(DelegationMember.id)
        .where(DelegationMember.trip_id == trip.id, DelegationMember.deleted_at.is_not(None))
        .order_by(DelegationMember.deleted_at.desc())
        .limit(REMOVED_MEMBERS_SHOWN)
    )
    query = (
        sa.select(DelegationMember)
        .where(
            DelegationMember.trip_id == trip.id,
            sa.or_(DelegationMember.deleted_at.is_(None), DelegationMember.id.in_(latest_removed)),
        )
        .order_by(DelegationMember.is_leader.desc(), DelegationMember.position)
    )
    everyone = list(db.session.scalars(query))
    set_committed_value(trip, "members", [member for member in everyone if member.deleted_at is None])
    removed = [member for member in everyone if member.deleted_at is not None]
    return sorted(removed, key=lambda member: member.deleted_at, reverse=True)
