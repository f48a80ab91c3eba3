"""Reads for follow-ups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import contains_eager, joinedload

from crm.accounts.models import User
from crm.core.database import any_of
from crm.core.forms import day_in_range, optional_int
from crm.core.listing import ListParams, deleted_filter, list_params, paginate, search, sorted_by
from crm.core.time import utcnow
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.pipeline.models import InvestmentProject
from crm.pipeline.queries import not_of_hidden_project
from crm.visits.models import Visit, visit_projects

# What a follow-up shows beside its title: the records it links to (and a visit's enterprise).
LINKS = (
    joinedload(FollowUp.trip),
    joinedload(FollowUp.visit).joinedload(Visit.enterprise),
    joinedload(FollowUp.project),
    joinedload(FollowUp.enterprise),
)


def open_follow_ups_of(user: User, *, limit: int = 20) -> list[FollowUp]:
    """The user's open follow-ups, the most urgent first."""
    query = (
        sa.select(FollowUp)
        .where(FollowUp.owner_id == user.id, FollowUp.done_at.is_(None), FollowUp.deleted_at.is_(None))
        .options(*LINKS)
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
    viewer: User | None = None,
) -> list[FollowUp]:
    """Live follow-ups of one record, open ones first by due date, then the done ones.

    Given the viewer, those of a confidential project the viewer may not see are left out: listed on an
    enterprise's (or a trip's) page, their titles would betray the project.
    """
    query = sa.select(FollowUp).where(FollowUp.deleted_at.is_(None)).options(joinedload(FollowUp.owner))
    query = _without_hidden_projects(query, viewer)
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


def _without_hidden_projects(query: sa.Select, viewer: User | None, project_id=FollowUp.project_id) -> sa.Select:
    """Leave out follow-ups of confidential projects that the viewer may see only by code name."""
    if viewer is None or viewer.is_manager:
        return query
    return query.where(not_of_hidden_project(project_id, viewer))


# How many follow-ups a trip's or an enterprise's page lists before "all N" links to the filtered list.
AROUND_LIMIT = 8


def trip_links(trip_id: int) -> tuple[sa.ColumnElement[bool], ...]:
    """How a follow-up belongs to a trip: its own, of one of its visits, or of a project those visits
    originated or advanced."""
    visits = sa.select(Visit.id).where(Visit.trip_id == trip_id, Visit.deleted_at.is_(None))
    projects = sa.select(visit_projects.c.project_id).where(visit_projects.c.visit_id.in_(visits))
    return FollowUp.trip_id == trip_id, FollowUp.visit_id.in_(visits), FollowUp.project_id.in_(projects)


def enterprise_links(enterprise_id: int) -> tuple[sa.ColumnElement[bool], ...]:
    """How a follow-up belongs to an enterprise: its own, of one of its visits, or of one of its projects."""
    visits = sa.select(Visit.id).where(Visit.enterprise_id == enterprise_id, Visit.deleted_at.is_(None))
    projects = sa.select(InvestmentProject.id).where(InvestmentProject.enterprise_id == enterprise_id)
    return FollowUp.enterprise_id == enterprise_id, FollowUp.visit_id.in_(visits), FollowUp.project_id.in_(projects)


def around_trip(trip_id: int) -> sa.ColumnElement[bool]:
    """Follow-ups of the trip, of its visits and of the projects those visits originated or advanced."""
    return any_of(FollowUp.id, *trip_links(trip_id))


def around_enterprise(enterprise_id: int) -> sa.ColumnElement[bool]:
    """Follow-ups of the enterprise, of its visits and of its projects."""
    return any_of(FollowUp.id, *enterprise_links(enterprise_id))


@dataclass
class FewFollowUps:
    """The first few follow-ups of a page's section and how many there are in all."""

    items: list[FollowUp]
    total: int
    # How many of the total are done (a trip's results count them: the same set, no second query).
    done: int = 0

    @property
    def still_open(self) -> int:
        return self.total - self.done


def follow_ups_around(links: tuple[sa.ColumnElement[bool], ...], viewer: User | None = None) -> FewFollowUps:
    """Live follow-ups with any of the `links` (`trip_links` or `enterprise_links`): open ones first by due
    date, then done.

    Given the viewer, those of confidential projects the viewer may not see are left out (as on an
    enterprise's page, where even a code name would tie the project to the enterprise); without one, they
    are listed and `FollowUp.title_for` shows only the code name (as on a trip's page, like the board).
    """
    urgent_first = (FollowUp.done_at.is_not(None), FollowUp.due_on, FollowUp.id)
    # Each link found by its own index, with what the order needs, and their union read as it is: joined back
    # to the follow-ups (an IN), it made PostgreSQL read the whole table at a province's volume. Then the
    # first few ids with the total beside them (a window count, taken before the LIMIT), and only those few
    # joined to what they link to: one query, and no join for the follow-ups not shown.
    columns = (FollowUp.id, FollowUp.done_at.is_not(None).label("done"), FollowUp.due_on, FollowUp.project_id)
    found = sa.union(*(sa.select(*columns).where(FollowUp.deleted_at.is_(None), link) for link in links)).subquery()
    totals = (
        sa.func.count().over().label("total"),
        sa.func.count(sa.case((found.c.done, 1))).over().label("done_total"),
    )
    first = _without_hidden_projects(sa.select(found.c.id, *totals), viewer, project_id=found.c.project_id)
    first = first.order_by(found.c.done, found.c.due_on, found.c.id).limit(AROUND_LIMIT).subquery()
    query = (
        sa.select(FollowUp, first.c.total, first.c.done_total)
        .join(first, first.c.id == FollowUp.id)
        .options(*LINKS, joinedload(FollowUp.owner))
        .order_by(*urgent_first)
    )
    rows = db.session.execute(query).all()
    if not rows:
        return FewFollowUps([], 0)
    return FewFollowUps([row.FollowUp for row in rows], rows[0].total, rows[0].done_total)


FOLLOW_UP_SORTS = {
    "due": FollowUp.due_on,
    "title": FollowUp.title,
    "owner": sa.func.coalesce(User.local_name, User.name),  # as the name is shown
    "updated": FollowUp.updated_at,
}


def follow_up_list_params(args, viewer: User) -> ListParams:
    return list_params(args, FOLLOW_UP_SORTS, "due", may_see_deleted=viewer.is_manager)


@dataclass
class FollowUpFilters:
    owner_id: int | None = None
    state: str = ""  # "open", "done", or "" for both
    overdue_only: bool = False
    due_from: date | None = None
    due_to: date | None = None
    trip_id: int | None = None  # the trip's, its visits' and their projects' (as on the trip's page)
    enterprise_id: int | None = None  # the enterprise's, its visits' and its projects'
    # The dashboards' drill-downs (kept in the URL, not in the filter form).
    drill: list[sa.ColumnElement[bool]] = field(default_factory=list)


def of_trip(trip_id: int) -> sa.ColumnElement[bool]:
    """What a trip's results count as its follow-ups: the same set as the trip page's (around_trip)."""
    return around_trip(trip_id)


def done_between(start: datetime, end: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(FollowUp.done_at >= start, FollowUp.done_at < end)


def drill_conditions(args, *, zone: str) -> tuple[list, dict]:
    """?trip=ID and ?done_from=&done_to= (local dates, inclusive) as conditions, and the arguments kept."""
    from zoneinfo import ZoneInfo

    conditions: list = []
    kept: dict = {}
    if trip_id := optional_int(args.get("trip")):
        kept["trip"] = trip_id  # the list filters by it (FollowUpFilters.trip_id); kept for the heading and links
    start, end = day_in_range(args.get("done_from")), day_in_range(args.get("done_to"))
    if start and end and start <= end:
        local = ZoneInfo(zone)
        conditions.append(
            done_between(
                datetime.combine(start, time.min, tzinfo=local),
                datetime.combine(end + timedelta(days=1), time.min, tzinfo=local),
            )
        )
        kept.update(done_from=start.isoformat(), done_to=end.isoformat())
    return conditions, kept


def list_follow_ups(params: ListParams, filters: FollowUpFilters, *, today: date, viewer: User) -> Pagination:
    """Everyone's follow-ups, searched by title, filtered, sorted and paginated."""
    return paginate(follow_ups_query(params, filters, today=today, viewer=viewer), params)


def follow_ups_query(params: ListParams, filters: FollowUpFilters, *, today: date, viewer: User) -> sa.Select:
    """The follow-up list's rows, filtered and sorted, for its pages and its exports."""
    query = sa.select(FollowUp).options(*LINKS)
    # Join the owner only to sort by name: every follow-up has one, and the page count then reads one index.
    if params.sort == "owner":
        query = query.join(FollowUp.owner).options(contains_eager(FollowUp.owner))
    else:
        query = query.options(joinedload(FollowUp.owner))
    query = deleted_filter(query, FollowUp, params)
    if params.q:  # a title the viewer reads only as "Follow-up on <code name>" must not be found by its words
        query = search(_without_hidden_projects(query, viewer), params.q, FollowUp.title)
    if filters.trip_id:
        query = query.where(around_trip(filters.trip_id))
    if filters.enterprise_id:
        query = _without_hidden_projects(query.where(around_enterprise(filters.enterprise_id)), viewer)
    if filters.owner_id:
        query = query.where(FollowUp.owner_id == filters.owner_id)
    if filters.state == "open":
        query = query.where(FollowUp.done_at.is_(None))
    elif filters.state == "done":
        query = query.where(FollowUp.done_at.is_not(None))
    if filters.overdue_only:
        query = query.where(FollowUp.done_at.is_(None), FollowUp.due_on < today)
    if filters.due_from:
        query = query.where(FollowUp.due_on >= filters.due_from)
    if filters.due_to:
        query = query.where(FollowUp.due_on <= filters.due_to)
    if filters.drill:
        query = query.where(*filters.drill)
    return sorted_by(query, params, FOLLOW_UP_SORTS, FollowUp.id)


def end_of_week(today: date) -> date:
    """The coming Sunday (today, on a Sunday): "due this week" runs to the end of it."""
    return today + timedelta(days=6 - today.weekday())


@dataclass
class Group:
    """One section of "My follow-ups": the first few items, how many there are, the list of them all."""

    items: list[FollowUp] = field(default_factory=list)
    total: int = 0
    due_from: date | None = None
    due_to: date | None = None

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass
class MyFollowUps:
    """One user's follow-ups as the list page groups them; each group shows at most GROUP_LIMIT items."""

    overdue: Group = field(default_factory=Group)
    this_week: Group = field(default_factory=Group)
    later: Group = field(default_factory=Group)
    recently_done: list[FollowUp] = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return self.overdue.total + self.this_week.total + self.later.total


GROUP_LIMIT = 20
RECENTLY_DONE_DAYS = 14
RECENTLY_DONE_LIMIT = 10


def my_follow_ups(user: User, *, today: date, limit: int = GROUP_LIMIT) -> MyFollowUps:
    """The user's open follow-ups in overdue, due this week (to Sunday) and later, the first `limit` of
    each with its total, and those done in the last two weeks. A fixed number of queries, at any volume."""
    mine = sa.select(FollowUp).where(FollowUp.owner_id == user.id, FollowUp.deleted_at.is_(None)).options(*LINKS)
    still_open = mine.where(FollowUp.done_at.is_(None)).order_by(FollowUp.due_on, FollowUp.id)
    sunday = end_of_week(today)
    groups = MyFollowUps(
        overdue=Group(due_to=today - timedelta(days=1)),
        this_week=Group(due_from=today, due_to=sunday),
        later=Group(due_from=sunday + timedelta(days=1)),
    )
    counts = _open_counts(user, today, sunday)
    for key in ("overdue", "this_week", "later"):
        group = getattr(groups, key)
        query = still_open
        if group.due_from:
            query = query.where(FollowUp.due_on >= group.due_from)
        if group.due_to:
            query = query.where(FollowUp.due_on <= group.due_to)
        group.total = counts.get(key, 0)
        group.items = list(db.session.scalars(query.limit(limit)))
    done = (
        mine.where(FollowUp.done_at >= utcnow() - timedelta(days=RECENTLY_DONE_DAYS))
        .order_by(FollowUp.done_at.desc(), FollowUp.id.desc())
        .limit(RECENTLY_DONE_LIMIT)
    )
    groups.recently_done = list(db.session.scalars(done))
    return groups


def _open_counts(user: User, today: date, sunday: date) -> dict[str, int]:
    """How many open follow-ups the user has in each group, in one GROUP BY."""
    group = sa.case(
        (FollowUp.due_on < today, "overdue"), (FollowUp.due_on <= sunday, "this_week"), else_="later"
    ).label("group")
    query = (
        sa.select(group, sa.func.count())
        .where(FollowUp.owner_id == user.id, FollowUp.deleted_at.is_(None), FollowUp.done_at.is_(None))
        .group_by(group)
    )
    return dict(db.session.execute(query).all())
