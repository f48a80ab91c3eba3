"""Reads for enterprises and contacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from crm.core.forms import optional_int
from crm.core.listing import ListParams, deleted_filter, list_params, paginate, search, sorted_by
from crm.core.searchkeys import load_in_order, query_key, ranked_ids
from crm.enterprises.models import Contact, Enterprise, EnterpriseKind, Ownership, enterprise_sectors
from crm.extensions import db
from crm.sectors.models import Sector
from crm.visits.models import Visit

ENTERPRISE_SORTS = {
    "name": Enterprise.display_name,
    "city": Enterprise.city,
    "kind": Enterprise.kind,
    "created": Enterprise.created_at,
    "updated": Enterprise.updated_at,
}
CONTACT_SORTS = {"name": Contact.display_name, "enterprise": Enterprise.display_name, "updated": Contact.updated_at}


def enterprise_list_params(args, viewer) -> ListParams:
    return list_params(args, ENTERPRISE_SORTS, "name", may_see_deleted=viewer.is_manager)


def contact_list_params(args, viewer) -> ListParams:
    return list_params(args, CONTACT_SORTS, "name", may_see_deleted=viewer.is_manager)


@dataclass
class EnterpriseFilters:
    kind: EnterpriseKind | None = None
    ownership: Ownership | None = None
    sector_id: int | None = None
    city: str = ""
    owner_id: int | None = None
    # The dashboards' drill-downs (kept in the URL, not in the filter form).
    drill: list[sa.ColumnElement[bool]] = field(default_factory=list)


def met() -> sa.ColumnElement[bool]:
    """Enterprises with at least one live visit."""
    return Enterprise.id.in_(sa.select(Visit.enterprise_id).where(Visit.deleted_at.is_(None)))


def met_on_trip(trip_id: int) -> sa.ColumnElement[bool]:
    visited = sa.select(Visit.enterprise_id).where(Visit.trip_id == trip_id, Visit.deleted_at.is_(None))
    return Enterprise.id.in_(visited)


def first_met_between(start: date, end: date, by_user_id: int | None = None) -> sa.ColumnElement[bool]:
    """Enterprises whose first live visit was in [start, end] (both inclusive), and visited by the user then."""
    first = (
        sa.select(Visit.enterprise_id)
        .where(Visit.deleted_at.is_(None))
        .group_by(Visit.enterprise_id)
        .having(sa.func.min(Visit.visited_on).between(start, end))
    )
    condition = Enterprise.id.in_(first)
    if by_user_id:
        theirs = sa.select(Visit.enterprise_id).where(
            Visit.deleted_at.is_(None), Visit.owner_id == by_user_id, Visit.visited_on.between(start, end)
        )
        condition = sa.and_(condition, Enterprise.id.in_(theirs))
    return condition


def drill_conditions(args) -> tuple[list, dict]:
    """?met=1, ?trip=ID, ?met_from=&met_to=[&met_by=USER] as conditions, and the arguments kept."""
    conditions: list = []
    kept: dict = {}
    if args.get("met") == "1":
        conditions.append(met())
        kept["met"] = "1"
    if trip_id := optional_int(args.get("trip")):
        conditions.append(met_on_trip(trip_id))
        kept["trip"] = trip_id
    try:
        start, end = date.fromisoformat(args.get("met_from", "")), date.fromisoformat(args.get("met_to", ""))
    except ValueError:
        start = end = None
    if start and end and start <= end:
        by = optional_int(args.get("met_by"))
        conditions.append(first_met_between(start, end, by))
        kept.update(met_from=start.isoformat(), met_to=end.isoformat(), **({"met_by": by} if by else {}))
    return conditions, kept


def list_enterprises(params: ListParams, filters: EnterpriseFilters) -> Pagination:
    return paginate(enterprises_query(params, filters), params)


def enterprises_query(params: ListParams, filters: EnterpriseFilters) -> sa.Select:
    """The enterprise list's rows, filtered and sorted, for its pages and its exports."""
    query = sa.select(Enterprise).options(
        joinedload(Enterprise.owner), joinedload(Enterprise.parent), selectinload(Enterprise.sectors)
    )
    query = deleted_filter(query, Enterprise, params)
    query = search(query, params.q, Enterprise.name, Enterprise.local_name)
    if filters.kind:
        query = query.where(Enterprise.kind == filters.kind)
    if filters.ownership:
        query = query.where(Enterprise.ownership == filters.ownership)
    if filters.city:
        query = search(query, filters.city, Enterprise.city)
    if filters.owner_id:
        query = query.where(Enterprise.owner_id == filters.owner_id)
    if filters.sector_id:
        # A sector matches itself and its industry-chain nodes.
        within = sa.select(Sector.id).where(
            sa.or_(Sector.id == filters.sector_id, Sector.parent_id == filters.sector_id)
        )
        tagged = sa.select(enterprise_sectors.c.enterprise_id).where(enterprise_sectors.c.sector_id.in_(within))
        query = query.where(Enterprise.id.in_(tagged))
    if filters.drill:
        query = query.where(*filters.drill)
    return sorted_by(query, params, ENTERPRISE_SORTS, Enterprise.id)


def list_contacts(params: ListParams, enterprise_id: int | None = None) -> Pagination:
    return paginate(contacts_query(params, enterprise_id), params)


def contacts_query(params: ListParams, enterprise_id: int | None = None) -> sa.Select:
    """The contact list's rows, searched and sorted, for its pages and its exports."""
    query = deleted_filter(sa.select(Contact).options(joinedload(Contact.owner)), Contact, params)
    # Join the enterprise only to search or sort by its name: the page count then reads one index of the
    # contacts alone (ix_contacts_live_by_name), leaving out those of the few deleted enterprises.
    if params.sort == "enterprise":
        query = query.join(Contact.enterprise).options(contains_eager(Contact.enterprise))
        query = query.where(Enterprise.deleted_at.is_(None))
    else:
        deleted_enterprises = sa.select(Enterprise.id).where(Enterprise.deleted_at.is_not(None))
        query = query.options(joinedload(Contact.enterprise)).where(Contact.enterprise_id.not_in(deleted_enterprises))
    query = search(
        query,
        params.q,
        Contact.name,
        Contact.local_name,
        Contact.title,
        linked=(Contact.enterprise_id, Enterprise.name, Enterprise.local_name),
    )
    if enterprise_id:
        query = query.where(Contact.enterprise_id == enterprise_id)
    return sorted_by(query, params, CONTACT_SORTS, Contact.id)


def live_contacts(enterprise_id: int) -> sa.Select:
    return (
        sa.select(Contact)
        .where(Contact.enterprise_id == enterprise_id, Contact.deleted_at.is_(None))
        .order_by(Contact.display_name, Contact.id)
    )


def live_contacts_of(enterprise_id: int) -> list[Contact]:
    return list(db.session.scalars(live_contacts(enterprise_id)))


def find_by_name(text: str, limit: int = 10) -> list[Enterprise]:
    """Live enterprises for pickers: by any word of either name, an alias, pinyin, initials or the group's name."""
    key = query_key(text)
    if not key:
        return []
    return load_in_order(Enterprise, ranked_ids(Enterprise, key, limit))


def find_exact(text: str) -> Enterprise | None:
    """The live enterprise named exactly `text` (either script, any case), if there is exactly one."""
    cleaned = text.strip().lower()
    if not cleaned:
        return None
    matches = db.session.scalars(
        sa.select(Enterprise)
        .where(
            Enterprise.deleted_at.is_(None),
            sa.or_(sa.func.lower(Enterprise.name) == cleaned, sa.func.lower(Enterprise.local_name) == cleaned),
        )
        .limit(2)
    ).all()
    return matches[0] if len(matches) == 1 else None


def live_enterprise(enterprise_id: int) -> Enterprise | None:
    enterprise = db.session.get(Enterprise, enterprise_id)
    return enterprise if enterprise is not None and enterprise.deleted_at is None else None


GROUP_LIST = 10  # a group's page shows the latest few of its members' records, with the totals


@dataclass
class GroupActivity:
    """A group's members and what happened with them, the latest few of each with the totals."""

    members: list[Enterprise]
    member_count: int
    visits: list
    visit_count: int
    projects: list
    project_count: int


def group_activity(group_id: int, viewer) -> GroupActivity | None:
    """For a group's page: its live members, their latest visits and the projects the viewer may see."""
    from crm.pipeline.models import InvestmentProject
    from crm.pipeline.queries import visible_to
    from crm.visits.models import Visit

    members = sa.select(Enterprise.id).where(Enterprise.parent_id == group_id, Enterprise.deleted_at.is_(None))
    member_count = db.session.scalar(sa.select(sa.func.count()).select_from(members.subquery()))
    if not member_count:
        return None
    visits = sa.select(Visit).where(Visit.enterprise_id.in_(members), Visit.deleted_at.is_(None))
    projects = sa.select(InvestmentProject).where(
        InvestmentProject.enterprise_id.in_(members), InvestmentProject.deleted_at.is_(None), visible_to(viewer)
    )
    return GroupActivity(
        members=list(
            db.session.scalars(
                sa.select(Enterprise)
                .where(Enterprise.id.in_(members))
                .order_by(Enterprise.display_name)
                .limit(GROUP_LIST)
            )
        ),
        member_count=member_count,
        visits=list(
            db.session.scalars(
                visits.options(joinedload(Visit.enterprise), joinedload(Visit.trip))
                .order_by(Visit.visited_on.desc(), Visit.id.desc())
                .limit(GROUP_LIST)
            )
        ),
        visit_count=db.session.scalar(sa.select(sa.func.count()).select_from(visits.subquery())),
        projects=list(
            db.session.scalars(
                projects.options(joinedload(InvestmentProject.enterprise))
                .order_by(InvestmentProject.id.desc())
                .limit(GROUP_LIST)
            )
        ),
        project_count=db.session.scalar(sa.select(sa.func.count()).select_from(projects.subquery())),
    )
