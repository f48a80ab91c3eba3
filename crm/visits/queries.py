"""Reads for visits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import contains_eager, joinedload, load_only, selectinload

from crm.core.listing import (
    ListParams,
    Section,
    contains,
    deleted_filter,
    first_of,
    like_pattern,
    list_params,
    paginate,
    search,
    sorted_by,
)
from crm.enterprises.models import Enterprise
from crm.extensions import db
from crm.sectors.models import Sector
from crm.trips.models import DelegationMember
from crm.visits.models import InterestLevel, Visit, VisitDirection, visit_sectors


def visits_of_enterprise(enterprise_id: int) -> Section:
    """The enterprise's latest visits and how many there are."""
    query = (
        sa.select(Visit)
        .where(Visit.enterprise_id == enterprise_id, Visit.deleted_at.is_(None))
        .options(joinedload(Visit.trip), joinedload(Visit.owner))
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
    )
    return first_of(query)


def visits_of_trip(trip_id: int) -> list[Visit]:
    """A trip's live visits in the order of its itinerary, with what the trip's page shows of them (raiseload:
    a page that needs more fails its tests rather than read each visit's enterprise or notes again)."""
    query = (
        sa.select(Visit)
        .where(Visit.trip_id == trip_id, Visit.deleted_at.is_(None))
        .options(
            load_only(
                Visit.trip_id,
                Visit.enterprise_id,
                Visit.visited_on,
                Visit.slot,
                Visit.city,
                Visit.purpose,
                raiseload=True,
            ),
            joinedload(Visit.enterprise).load_only(Enterprise.name, Enterprise.local_name, raiseload=True),
        )
        .order_by(Visit.visited_on, Visit.slot, Visit.id)
    )
    return list(db.session.scalars(query))


VISIT_SORTS = {
    "date": Visit.visited_on,
    "enterprise": Enterprise.display_name,
    "city": Visit.city,
    "updated": Visit.updated_at,
}


def visit_list_params(args, viewer) -> ListParams:
    """The visit list's search, sort and page from its query string: latest visits first."""
    return list_params(args, VISIT_SORTS, "date", default_descending=True, may_see_deleted=viewer.is_manager)


@dataclass
class VisitFilters:
    direction: VisitDirection | None = None
    interest: InterestLevel | None = None
    since: date | None = None
    until: date | None = None
    sector_id: int | None = None
    city: str = ""
    owner_id: int | None = None
    trip_id: int | None = None
    enterprise_id: int | None = None  # "all N visits" from an enterprise's page


def list_visits(params: ListParams, filters: VisitFilters) -> Pagination:
    return paginate(visits_query(params, filters), params)


def visits_query(params: ListParams, filters: VisitFilters) -> sa.Select:
    """The visit list's rows, filtered and sorted, for its pages and its exports."""
    query = sa.select(Visit).options(joinedload(Visit.trip), joinedload(Visit.owner), selectinload(Visit.sectors))
    # Join the enterprise only to sort by its name: the page count then reads the visits alone.
    if params.sort == "enterprise":
        query = query.join(Visit.enterprise).options(contains_eager(Visit.enterprise))
    else:
        query = query.options(joinedload(Visit.enterprise))
    query = deleted_filter(query, Visit, params)
    query = search(
        query,
        params.q,
        Visit.purpose,
        Visit.discussed,
        Visit.commitments,
        Visit.city,
        linked=(Visit.enterprise_id, Enterprise.name, Enterprise.local_name),
    )
    for column, value in (
        (Visit.direction, filters.direction),
        (Visit.interest_level, filters.interest),
        (Visit.owner_id, filters.owner_id),
        (Visit.trip_id, filters.trip_id),
        (Visit.enterprise_id, filters.enterprise_id),
    ):
        if value:
            query = query.where(column == value)
    if filters.since:
        query = query.where(Visit.visited_on >= filters.since)
    if filters.until:
        query = query.where(Visit.visited_on <= filters.until)
    if filters.city:
        query = search(query, filters.city, Visit.city)
    if filters.sector_id:
        within = sa.select(Sector.id).where(
            sa.or_(Sector.id == filters.sector_id, Sector.parent_id == filters.sector_id)
        )
        query = query.where(
            Visit.id.in_(sa.select(visit_sectors.c.visit_id).where(visit_sectors.c.sector_id.in_(within)))
        )
    return sorted_by(query, params, VISIT_SORTS, Visit.id.desc())


def members_of_trip(trip_id: int | None, keep: list[int] | tuple = ()) -> list[DelegationMember]:
    """The trip's delegation; members removed since stay choosable where a visit already lists them (`keep`)."""
    if not trip_id:
        return []
    on_delegation = DelegationMember.deleted_at.is_(None)
    if keep:
        on_delegation = on_delegation | DelegationMember.id.in_(keep)
    query = sa.select(DelegationMember).where(DelegationMember.trip_id == trip_id, on_delegation)
    return list(db.session.scalars(query.order_by(DelegationMember.is_leader.desc(), DelegationMember.position)))


# How many of an enterprise's projects the visit page offers to link at once: the most recently updated,
# or those whose name holds the words typed (a busy enterprise has hundreds, and a page must not grow with them).
LINK_CHOICES_LIMIT = 30


def linkable_projects(enterprise_id: int, exclude: list[int], viewer, text: str = "") -> Section:
    """Projects of the enterprise the viewer may see and the visit does not link yet (those whose name, Chinese
    title or code name contains `text`, if given): the most recently updated first, and how many there are."""
    from crm.pipeline.models import InvestmentProject
    from crm.pipeline.queries import visible_to

    query = (
        sa.select(InvestmentProject)
        .where(InvestmentProject.enterprise_id == enterprise_id, InvestmentProject.deleted_at.is_(None))
        .where(visible_to(viewer))
        .order_by(InvestmentProject.updated_at.desc(), InvestmentProject.id.desc())
    )
    if exclude:
        query = query.where(InvestmentProject.id.not_in(exclude))
    if text:
        pattern = like_pattern(text)
        named = (InvestmentProject.name, InvestmentProject.local_title, InvestmentProject.code_name)
        query = query.where(sa.or_(*(contains(column, pattern) for column in named)))
    return first_of(query, LINK_CHOICES_LIMIT)
