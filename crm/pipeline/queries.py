"""Reads for investment projects.

A confidential project that the viewer may not see can be found only by what is shown of it (its code
name, stage, status and owner): searches, filters and sorts on its name, enterprise, sectors, amounts or
dates treat it as if those were blank, so that nothing about them can be inferred from a list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload, load_only

from crm.accounts.models import User
from crm.core import listing
from crm.core.database import unindexed
from crm.core.forms import day_in_range, enum_or_none, optional_int
from crm.core.listing import (
    ListParams,
    Section,
    deleted_filter,
    first_of,
    like_pattern,
    list_params,
    paginate,
    sorted_by,
)
from crm.enterprises.models import Enterprise
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.pipeline.models import (
    InvestmentProject,
    ProjectSource,
    ProjectStatus,
    Stage,
    StageChange,
    project_sectors,
)
from crm.sectors.models import Sector
from crm.visits.models import Visit, visit_projects

# Cards shown per board column, those longest in their stage; the rest are a click away in the list. Twelve
# fill a column on a desktop and keep the whole board light (84 cards, not 140: a third less to render).
BOARD_COLUMN_LIMIT = 12


def visible_to(user: User) -> sa.ColumnElement[bool]:
    """Projects whose name and enterprise the user may see: not confidential, or theirs, or all for managers.

    A confidential project that the user may not see must not be listed where it would betray its
    enterprise (an enterprise's page, a search by enterprise name).
    """
    if user.is_manager:
        return sa.true()
    # Owner compared only when there is one: a confidential project without an owner is nobody's, and its
    # condition must be false, not NULL, so that NOT visible_to(…) counts it as hidden too.
    theirs = sa.and_(InvestmentProject.owner_id.is_not(None), InvestmentProject.owner_id == user.id)
    return sa.or_(InvestmentProject.is_confidential.is_(False), theirs)


def not_of_hidden_project(project_id, viewer: User) -> sa.ColumnElement[bool]:
    """`project_id` (a row's link to a project) is empty or names a project the viewer may see by name.

    The complement of visible_to, written as the few hidden projects to leave out rather than the many visible
    ones to look up; `=`, not `IS`, so that SQLite reads ix_investment_projects_confidential.
    """
    if viewer.is_manager:
        return sa.true()
    hidden = sa.select(InvestmentProject.id).where(
        InvestmentProject.is_confidential == sa.true(),
        sa.or_(InvestmentProject.owner_id.is_(None), InvestmentProject.owner_id != viewer.id),
    )
    return sa.or_(project_id.is_(None), project_id.not_in(hidden))


def enterprise_projects(enterprise_id: int, viewer: User) -> sa.Select:
    """The enterprise's live projects the viewer may see as its (a confidential one of another: not at all)."""
    return (
        sa.select(InvestmentProject)
        .where(InvestmentProject.enterprise_id == enterprise_id, InvestmentProject.deleted_at.is_(None))
        .where(visible_to(viewer))
        .options(joinedload(InvestmentProject.owner))
        .order_by(InvestmentProject.id.desc())
    )


def projects_of_enterprise(enterprise_id: int, viewer: User) -> Section:
    """The enterprise's latest projects and how many there are, for its page."""
    return first_of(enterprise_projects(enterprise_id, viewer))


def _if_visible(viewer: User, column, otherwise=None):
    """`column` where the viewer may see the project, else `otherwise` (NULL: sorts last, matches nothing)."""
    if viewer.is_manager:
        return column
    return sa.case((visible_to(viewer), column), else_=otherwise if otherwise is not None else sa.null())


def stage_order() -> sa.ColumnElement[int]:
    """The stage as its place in the lifecycle, so that sorting follows lead → in production."""
    return sa.case({stage.value: stage.order for stage in Stage}, value=InvestmentProject.stage)


def project_sorts(viewer: User) -> dict:
    """The sortable columns of the project list, as this viewer may sort them."""
    return {
        "name": _if_visible(viewer, InvestmentProject.name, InvestmentProject.code_name),
        "stage": stage_order(),
        "planned_investment": _if_visible(viewer, InvestmentProject.planned_investment),
        "expected_decision": _if_visible(viewer, InvestmentProject.expected_decision_on),
        "updated": InvestmentProject.updated_at,
    }


def in_sector(sector_id: int) -> sa.ColumnElement[bool]:
    """Projects tagged with the sector or one of its industry-chain nodes."""
    within = sa.select(Sector.id).where(sa.or_(Sector.id == sector_id, Sector.parent_id == sector_id))
    tagged = sa.select(project_sectors.c.project_id).where(project_sectors.c.sector_id.in_(within))
    return InvestmentProject.id.in_(tagged)


# The project sets the dashboards count, as conditions, so that a figure and the list behind it are one query.
OPEN_STAGES = [stage for stage in Stage if not stage.is_landed]


def is_open() -> sa.ColumnElement[bool]:
    """The open pipeline: active projects not yet landed.

    Named by the stages it keeps rather than those it leaves out, so that both engines read just these projects
    from ix_investment_projects_board (status, stage, …) instead of every live project.
    """
    return sa.and_(InvestmentProject.status == ProjectStatus.ACTIVE, InvestmentProject.stage.in_(OPEN_STAGES))


def is_landed() -> sa.ColumnElement[bool]:
    """Landed: signed or later today, and not lost (the rule is the model's: InvestmentProject.is_landed)."""
    return InvestmentProject.is_landed


def landed_between(start: datetime, end: datetime) -> sa.ColumnElement[bool]:
    """Landed projects signed (first entered a landed stage) in [start, end)."""
    signed = InvestmentProject.landed_at
    return sa.and_(is_landed(), signed >= start, signed < end)


def opened_between(start: datetime, end: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(InvestmentProject.created_at >= start, InvestmentProject.created_at < end)


def change_stage_order(column) -> sa.ColumnElement[int]:
    return sa.case({stage.value: stage.order for stage in Stage}, value=column)


def reached(stage: Stage) -> sa.ColumnElement[bool]:
    """Projects that were at `stage` or a later one at some time (a skipped stage counts as passed)."""
    return InvestmentProject.furthest_stage.in_([later for later in Stage if later.order >= stage.order])


def of_trip(trip_id: int) -> sa.ColumnElement[bool]:
    """Projects opened or advanced by a visit of the trip."""
    linked = (
        sa.select(visit_projects.c.project_id)
        .join(Visit, Visit.id == visit_projects.c.visit_id)
        .where(Visit.trip_id == trip_id, Visit.deleted_at.is_(None))
    )
    return InvestmentProject.id.in_(linked)


def _touched_since(since: datetime) -> sa.CompoundSelect:
    """The projects with a visit or a follow-up (added or done) since `since`: a few weeks' rows, by date indexes."""
    recent_visit = (
        sa.select(visit_projects.c.project_id)
        .join(Visit, Visit.id == visit_projects.c.visit_id)
        .where(Visit.deleted_at.is_(None), Visit.visited_on >= since.date())
    )
    # Added and done apart, so that each reads the follow-ups of the last weeks by an index
    # (ix_follow_ups_added; ix_follow_ups_open_by_due on done_at) rather than every live follow-up.
    follow_ups_added = sa.select(FollowUp.project_id).where(
        FollowUp.project_id.is_not(None), FollowUp.created_at >= since, unindexed(FollowUp.deleted_at).is_(None)
    )
    follow_ups_done = sa.select(FollowUp.project_id).where(
        FollowUp.project_id.is_not(None), FollowUp.done_at >= since, FollowUp.deleted_at.is_(None)
    )
    return sa.union(recent_visit, follow_ups_added, follow_ups_done)


def is_stale(since: datetime) -> sa.ColumnElement[bool]:
    """Active projects with no stage change, visit or follow-up (added or done) since `since`."""
    return sa.and_(
        InvestmentProject.status == ProjectStatus.ACTIVE,
        InvestmentProject.stage_entered_at < since,
        InvestmentProject.id.not_in(_touched_since(since)),
    )


def project_list_params(args, viewer: User) -> ListParams:
    """The project list's search, sort and page from its query string: the latest changed first."""
    return list_params(
        args, project_sorts(viewer), "updated", default_descending=True, may_see_deleted=viewer.is_manager
    )


@dataclass
class ProjectFilters:
    stage: Stage | None = None
    status: ProjectStatus | None = None
    sector_id: int | None = None
    owner_id: int | None = None
    decision_from: date | None = None
    decision_to: date | None = None
    # The dashboards' drill-downs (kept in the URL, not in the filter form).
    drill: list[sa.ColumnElement[bool]] = field(default_factory=list)


def _local_day_start(day: date, zone: str) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(zone))


def drill_from(args) -> tuple[list, dict]:
    """The dashboards' drill-down arguments of a request (page or export), with the app's settings."""
    from flask import current_app

    from crm.core.time import utcnow

    return drill_conditions(
        args,
        zone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
        stale_days=current_app.config["STALE_PROJECT_DAYS"],
        now=utcnow(),
    )


def drill_conditions(args, *, zone: str, stale_days: int, now: datetime) -> tuple[list, dict]:
    """The dashboards' drill-down arguments of the project list as conditions, and the arguments kept.

    ?phase=open|landed, ?landed_from=&landed_to= and ?opened_from=&opened_to= (local dates, inclusive),
    ?reached=STAGE, ?trip=ID, ?source=SOURCE, ?stale=1.
    """
    conditions: list = []
    kept: dict = {}

    phase = args.get("phase")
    if phase in ("open", "landed"):
        conditions.append(is_open() if phase == "open" else is_landed())
        kept["phase"] = phase
    for prefix, between in (("landed", landed_between), ("opened", opened_between)):
        start, end = day_in_range(args.get(f"{prefix}_from")), day_in_range(args.get(f"{prefix}_to"))
        if start and end and start <= end:
            conditions.append(between(_local_day_start(start, zone), _local_day_start(end + timedelta(days=1), zone)))
            kept.update({f"{prefix}_from": start.isoformat(), f"{prefix}_to": end.isoformat()})
    if stage := enum_or_none(Stage, args.get("reached")):
        conditions.append(reached(stage))
        kept["reached"] = stage.value
    if trip_id := optional_int(args.get("trip")):
        conditions.append(of_trip(trip_id))
        kept["trip"] = trip_id
    if source := enum_or_none(ProjectSource, args.get("source")):
        conditions.append(InvestmentProject.source == source)
        kept["source"] = source.value
    if args.get("stale") == "1":
        conditions.append(is_stale(now - timedelta(days=stale_days)))
        kept["stale"] = "1"
    return conditions, kept


def list_projects(params: ListParams, filters: ProjectFilters, viewer: User) -> Pagination:
    return paginate(projects_query(params, filters, viewer), params)


def projects_query(params: ListParams, filters: ProjectFilters, viewer: User) -> sa.Select:
    """The project list's rows as this viewer may find them, for its pages and its exports."""
    visible = visible_to(viewer)
    query = sa.select(InvestmentProject).options(
        joinedload(InvestmentProject.owner), joinedload(InvestmentProject.enterprise)
    )
    query = deleted_filter(query, InvestmentProject, params)
    if params.q:
        pattern = like_pattern(params.q)

        def contains(column) -> sa.ColumnElement[bool]:
            return listing.contains(column, pattern)

        # A confidential project is found by its code name alone, unless the viewer may see it.
        own_names = sa.or_(
            contains(InvestmentProject.code_name),
            sa.and_(visible, sa.or_(contains(InvestmentProject.name), contains(InvestmentProject.local_title))),
        )
        columns = (InvestmentProject.code_name, InvestmentProject.name, InvestmentProject.local_title)
        names = (Enterprise.name, Enterprise.local_name)
        enterprise = listing.points_at_match(InvestmentProject.enterprise_id, params.q, *names)
        query = query.where(sa.or_(listing.among_words(params.q, own_names, columns), sa.and_(visible, enterprise)))
    if filters.stage:
        query = query.where(InvestmentProject.stage == filters.stage)
    if filters.status:
        query = query.where(InvestmentProject.status == filters.status)
    if filters.owner_id:
        query = query.where(InvestmentProject.owner_id == filters.owner_id)
    if filters.sector_id:
        query = query.where(visible, in_sector(filters.sector_id))
    if filters.decision_from:
        query = query.where(visible, InvestmentProject.expected_decision_on >= filters.decision_from)
    if filters.decision_to:
        query = query.where(visible, InvestmentProject.expected_decision_on <= filters.decision_to)
    if filters.drill:
        query = query.where(*filters.drill)
    return sorted_by(query, params, project_sorts(viewer), InvestmentProject.id)


@dataclass
class BoardFilters:
    owner_id: int | None = None
    sector_id: int | None = None


@dataclass
class BoardColumn:
    stage: Stage
    projects: list[InvestmentProject] = field(default_factory=list)
    count: int = 0
    # Planned investment of the cards the viewer may see (a confidential amount is not added in).
    visible_total: Decimal | None = None

    @property
    def more(self) -> int:
        return self.count - len(self.projects)


# What a card shows and its links and buttons ask for (its names, amount, owner, days in the stage, version).
BOARD_CARD_COLUMNS = (
    InvestmentProject.name,
    InvestmentProject.local_title,
    InvestmentProject.code_name,
    InvestmentProject.is_confidential,
    InvestmentProject.enterprise_id,
    InvestmentProject.owner_id,
    InvestmentProject.stage,
    InvestmentProject.stage_entered_at,
    InvestmentProject.planned_investment,
    InvestmentProject.is_sample,
    InvestmentProject.version,
)


def board(viewer: User, filters: BoardFilters) -> list[BoardColumn]:
    """One column per stage with the active projects in it, those longest in the stage first.

    Two queries whatever the number of cards: the totals per stage, and the cards themselves.
    """
    visible = visible_to(viewer)
    conditions = [InvestmentProject.deleted_at.is_(None), InvestmentProject.status == ProjectStatus.ACTIVE]
    if filters.owner_id:
        conditions.append(InvestmentProject.owner_id == filters.owner_id)
    if filters.sector_id:
        conditions.extend([visible, in_sector(filters.sector_id)])

    columns = {stage: BoardColumn(stage) for stage in Stage}
    totals = db.session.execute(
        sa.select(
            InvestmentProject.stage,
            sa.func.count(),
            sa.func.sum(_if_visible(viewer, InvestmentProject.planned_investment)),
        )
        .where(*conditions)
        .group_by(InvestmentProject.stage)
    )
    for stage, count, total in totals:
        columns[stage].count = count
        columns[stage].visible_total = total

    longest_first = (InvestmentProject.stage_entered_at, InvestmentProject.id)
    # Each column's first cards by their own short index range (ix_investment_projects_board), not a ranking
    # of every active project.
    per_column = [
        sa.select(InvestmentProject.id)
        .where(*conditions, InvestmentProject.stage == stage)
        .order_by(*longest_first)
        .limit(BOARD_COLUMN_LIMIT)
        .subquery()
        .select()
        for stage in Stage
    ]
    cards = db.session.scalars(
        sa.select(InvestmentProject)
        .where(InvestmentProject.id.in_(sa.union_all(*per_column)))
        .options(
            # A card shows a few of the project's columns (not its description, nor seven amounts turned into
            # Decimals), and the enterprise's and the owner's names: not their thirty other columns, which the
            # ORM would fill in for each of the 84 cards. raiseload: a card that needs more fails its tests.
            load_only(*BOARD_CARD_COLUMNS, raiseload=True),
            joinedload(InvestmentProject.enterprise).load_only(
                Enterprise.name, Enterprise.local_name, Enterprise.deleted_at, raiseload=True
            ),
            joinedload(InvestmentProject.owner).load_only(User.name, User.local_name, raiseload=True),
        )
        .order_by(*longest_first)
    )
    for project in cards:
        columns[project.stage].projects.append(project)
    return list(columns.values())


def stage_history(project_id: int) -> list[StageChange]:
    """A project's stage changes, oldest first, with who made them."""
    query = (
        sa.select(StageChange)
        .where(StageChange.project_id == project_id)
        .options(joinedload(StageChange.changed_by))
        .order_by(StageChange.changed_at, StageChange.id)
    )
    return list(db.session.scalars(query))


def origin_visits_of(project_id: int) -> list[Visit]:
    """The live visits a project came out of (or that advanced it), newest first."""
    query = (
        sa.select(Visit)
        .join(visit_projects, visit_projects.c.visit_id == Visit.id)
        .where(visit_projects.c.project_id == project_id, Visit.deleted_at.is_(None))
        .options(joinedload(Visit.trip), joinedload(Visit.enterprise))
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
    )
    return list(db.session.scalars(query))


def live_visit(visit_id: int) -> Visit | None:
    visit = db.session.get(Visit, visit_id) if visit_id else None
    return visit if visit is not None and visit.deleted_at is None else None
