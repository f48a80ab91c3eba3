"""Reads for trips."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload, selectinload

from crm.accounts.models import User
from crm.core.listing import ListParams, deleted_filter, list_params, paginate, search, sorted_by
from crm.core.time import calendar_known
from crm.extensions import db
from crm.sectors.models import Sector
from crm.trips.models import DelegationMember, Trip, TripStatus, trip_sectors

TRIP_SORTS = {"start": Trip.start_on, "title": Trip.title, "status": Trip.status, "updated": Trip.updated_at}


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


def trip_list_params(args, viewer: User) -> ListParams:
    """The trip list's search, sort and page from its query string: latest trips first."""
    return list_params(args, TRIP_SORTS, "start", default_descending=True, may_see_deleted=viewer.is_manager)


@dataclass
class TripFilters:
    status: TripStatus | None = None
    since: date | None = None
    until: date | None = None
    sector_id: int | None = None
    city: str = ""
    organiser_id: int | None = None


def list_trips(params: ListParams, filters: TripFilters) -> Pagination:
    return paginate(trips_query(params, filters), params)


def trips_query(params: ListParams, filters: TripFilters) -> sa.Select:
    """The trip list's rows, filtered and sorted, for its pages and its exports."""
    query = sa.select(Trip).options(joinedload(Trip.organiser), selectinload(Trip.sectors))
    query = deleted_filter(query, Trip, params)
    query = search(query, params.q, Trip.title, Trip.local_title, Trip.objectives, Trip.destination_cities)
    if filters.status:
        query = query.where(Trip.status == filters.status)
    if filters.since:  # trips that are still going on at or after this date
        query = query.where(Trip.end_on >= filters.since)
    if filters.until:
        query = query.where(Trip.start_on <= filters.until)
    if filters.city:
        query = search(query, filters.city, Trip.destination_cities)
    if filters.organiser_id:
        query = query.where(Trip.organiser_id == filters.organiser_id)
    if filters.sector_id:
        within = sa.select(Sector.id).where(
            sa.or_(Sector.id == filters.sector_id, Sector.parent_id == filters.sector_id)
        )
        query = query.where(Trip.id.in_(sa.select(trip_sectors.c.trip_id).where(trip_sectors.c.sector_id.in_(within))))
    return sorted_by(query, params, TRIP_SORTS, Trip.id)


def recent_trips(limit: int = 50) -> list[Trip]:
    """Live trips, latest first, for the trip select of the visit form."""
    query = sa.select(Trip).where(Trip.deleted_at.is_(None)).order_by(Trip.start_on.desc()).limit(limit)
    return list(db.session.scalars(query))


def account_details(user_ids: list[int] | None = None) -> dict[int, dict]:
    """What a delegation member takes from an account: name, Chinese name, title, and the unit the person
    was last entered with on a delegation (accounts have no unit of their own). Active accounts, or these."""
    # The unit is looked up per account (by ix_delegation_members_user_latest, newest first), not by grouping every
    # delegation member of every trip: 0.3 ms rather than 1.3 ms at a zone's volume, on every trip page.
    latest_unit = (
        sa.select(DelegationMember.unit)
        .where(DelegationMember.user_id == User.id, DelegationMember.unit.is_not(None))
        .order_by(DelegationMember.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    # Four columns, not whole accounts: a province has a few hundred.
    query = sa.select(User.id, User.name, User.local_name, User.title, latest_unit).where(
        User.id.in_(user_ids) if user_ids is not None else User.active
    )
    # What an account lacks is left out (the form's script takes a missing field as blank): at a province's few
    # hundred accounts this list is most of the trip page's delegation section.
    return {
        user_id: {
            field: value
            for field, value in (("name", name), ("local_name", local_name), ("title", title), ("unit", unit))
            if value
        }
        for user_id, name, local_name, title, unit in db.session.execute(query)
    }


@dataclass
class ReportDeadline:
    due_on: date
    submitted_on: date | None
    # False when China's holidays for the deadline's years are not known yet: weekends only were counted.
    calendar_known: bool = True

    @property
    def met(self) -> bool:
        return self.submitted_on is not None and self.submitted_on <= self.due_on

    def is_late(self, today: date) -> bool:
        return (self.submitted_on or today) > self.due_on

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days


def report_deadline(trip: Trip) -> ReportDeadline:
    due_on = trip.report_due_on
    known = calendar_known(trip.end_on) and calendar_known(due_on)
    return ReportDeadline(due_on, trip.report_submitted_on, known)


def itinerary(trip: Trip, visits: list) -> list[tuple[date, dict]]:
    """Every day of the trip with its visits by half-day slot; visits outside the dates get their own days."""
    by_day: dict[date, dict] = defaultdict(lambda: defaultdict(list))
    for visit in visits:
        by_day[visit.visited_on][visit.slot].append(visit)
    return [(day, by_day.get(day, {})) for day in sorted(_trip_days(trip) | set(by_day))]


def _trip_days(trip: Trip) -> set[date]:
    """Every day from the first to the last; for a span no trip can have (dates stored before the forms refused
    them), only those two days, so that the page stays quick whatever the database holds."""
    span = (trip.end_on - trip.start_on).days + 1
    if not 0 < span <= current_app.config["TRIP_MAX_DAYS"]:
        return {trip.start_on, trip.end_on}
    return {trip.start_on + timedelta(days=offset) for offset in range(span)}


def projects_of_trip(trip_id: int) -> list:
    """Projects that came out of (or were advanced by) the trip's visits; a confidential one is shown by its
    code name to those who may not see it (templates' project_name), as on the board."""
    from crm.pipeline.models import InvestmentProject
    from crm.pipeline.queries import of_trip

    query = (
        sa.select(InvestmentProject)
        .where(of_trip(trip_id), InvestmentProject.deleted_at.is_(None))
        .options(joinedload(InvestmentProject.enterprise), joinedload(InvestmentProject.owner))
        .order_by(InvestmentProject.id)
    )
    return list(db.session.scalars(query))
