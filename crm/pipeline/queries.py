"""Reads for investment projects.

A confidential project that the viewer may not see can be found only by what is shown of it (its code
name, stage, status and owner): searches, filters and sorts on its name, enterprise, sectors, amounts or
dates treat it as if those were blank, so that nothing about them can be inferred from a list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import contains_eager, joinedload

from crm.accounts.models import User
from crm.core import listing
from crm.core.listing import ListParams, deleted_filter, like_pattern, paginate, sorted_by
from crm.enterprises.models import Enterprise
from crm.extensions import db
from crm.pipeline.models import InvestmentProject, ProjectStatus, Stage, StageChange, project_sectors
from crm.sectors.models import Sector
from crm.visits.models import Visit, visit_projects

# Cards shown per board column; the rest are a click away in the list.
BOARD_COLUMN_LIMIT = 100


def visible_to(user: User) -> sa.ColumnElement[bool]:
    """Projects whose name and enterprise the user may see: not confidential, or theirs, or all for managers.

    A confidential project that the user may not see must not be listed where it would betray its
    enterprise (an enterprise's page, a search by enterprise name).
    """
    if user.is_manager:
        return sa.true()
    return sa.or_(InvestmentProject.is_confidential.is_(False), InvestmentProject.owner_id == user.id)


def projects_of_enterprise(enterprise_id: int, viewer: User) -> list[InvestmentProject]:
    query = (
        sa.select(InvestmentProject)
        .where(InvestmentProject.enterprise_id == enterprise_id, InvestmentProject.deleted_at.is_(None))
        .where(visible_to(viewer))
        .options(joinedload(InvestmentProject.owner))
        .order_by(InvestmentProject.id.desc())
    )
    return list(db.session.scalars(query))


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


def _in_sector(sector_id: int) -> sa.ColumnElement[bool]:
    """Projects tagged with the sector or one of its industry-chain nodes."""
    within = sa.select(Sector.id).where(sa.or_(Sector.id == sector_id, Sector.parent_id == sector_id))
    tagged = sa.select(project_sectors.c.project_id).where(project_sectors.c.sector_id.in_(within))
    return InvestmentProject.id.in_(tagged)


@dataclass
class ProjectFilters:
    stage: Stage | None = None
    status: ProjectStatus | None = None
    sector_id: int | None = None
    owner_id: int | None = None
    decision_from: date | None = None
    decision_to: date | None = None


def list_projects(params: ListParams, filters: ProjectFilters, viewer: User) -> Pagination:
    visible = visible_to(viewer)
    query = (
        sa.select(InvestmentProject)
        .join(InvestmentProject.enterprise)
        .options(contains_eager(InvestmentProject.enterprise), joinedload(InvestmentProject.owner))
    )
    query = deleted_filter(query, InvestmentProject, params)
    if params.q:
        pattern = like_pattern(params.q)

        def contains(column) -> sa.ColumnElement[bool]:
            return listing.contains(column, pattern)

        hidden_names = sa.or_(
            contains(InvestmentProject.name), contains(Enterprise.name), contains(Enterprise.local_name)
        )
        query = query.where(sa.or_(contains(InvestmentProject.code_name), sa.and_(visible, hidden_names)))
    if filters.stage:
        query = query.where(InvestmentProject.stage == filters.stage)
    if filters.status:
        query = query.where(InvestmentProject.status == filters.status)
    if filters.owner_id:
        query = query.where(InvestmentProject.owner_id == filters.owner_id)
    if filters.sector_id:
        query = query.where(visible, _in_sector(filters.sector_id))
    if filters.decision_from:
        query = query.where(visible, InvestmentProject.expected_decision_on >= filters.decision_from)
    if filters.decision_to:
        query = query.where(visible, InvestmentProject.expected_decision_on <= filters.decision_to)
    return paginate(sorted_by(query, params, project_sorts(viewer), InvestmentProject.id), params)


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


def board(viewer: User, filters: BoardFilters) -> list[BoardColumn]:
    """One column per stage with the active projects in it, those longest in the stage first.

    Two queries whatever the number of cards: the totals per stage, and the cards themselves.
    """
    visible = visible_to(viewer)
    conditions = [InvestmentProject.deleted_at.is_(None), InvestmentProject.status == ProjectStatus.ACTIVE]
    if filters.owner_id:
        conditions.append(InvestmentProject.owner_id == filters.owner_id)
    if filters.sector_id:
        conditions.extend([visible, _in_sector(filters.sector_id)])

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
    ranked = (
        sa.select(
            InvestmentProject.id,
            sa.func.row_number().over(partition_by=InvestmentProject.stage, order_by=longest_first).label("place"),
        )
        .where(*conditions)
        .subquery()
    )
    cards = db.session.scalars(
        sa.select(InvestmentProject)
        .join(ranked, ranked.c.id == InvestmentProject.id)
        .where(ranked.c.place <= BOARD_COLUMN_LIMIT)
        .options(joinedload(InvestmentProject.enterprise), joinedload(InvestmentProject.owner))
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
