"""Reads for the dashboards: every figure is one SQL aggregate over the same conditions as the list behind it.

The project sets come from crm.pipeline.queries (is_open, landed_between, reached, of_trip, …),
which the project list also applies to its drill-down arguments, so a figure and its list cannot drift.
A confidential project counts in every total; it is never named here. Breakdowns by sector leave out
the confidential projects a viewer may not see (the project list's sector filter does the same, since
a sector would betray them) and count them on a line of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from crm.accounts.models import User
from crm.core.database import unindexed
from crm.dashboards.models import Target
from crm.dashboards.sql import days_between, local_month, medians
from crm.enterprises.models import Enterprise, enterprise_sectors
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.followups.queries import FewFollowUps
from crm.followups.queries import of_trip as follow_ups_of_trip
from crm.pipeline.models import InvestmentProject, ProjectSource, ProjectStatus, Stage, StageChange, project_sectors
from crm.pipeline.queries import (
    change_stage_order,
    in_sector,
    is_landed,
    is_open,
    is_stale,
    landed_between,
    of_trip,
    opened_between,
    reached,
    visible_to,
)
from crm.sectors.models import Sector
from crm.trips.models import Trip
from crm.visits.models import Visit, visit_projects

ZERO = Decimal("0")


@dataclass
class Filters:
    """What the dashboard shows: a period (local dates, both inclusive) and optional narrowing."""

    start: date
    end: date
    zone: str
    sector_id: int | None = None
    trip_id: int | None = None
    owner_id: int | None = None
    status: ProjectStatus | None = None

    def moment(self, day: date) -> datetime:
        """The start of a local day, as the UTC instant that timestamps are compared with."""
        return datetime.combine(day, time.min, tzinfo=ZoneInfo(self.zone)).astimezone(UTC)

    @property
    def period(self) -> tuple[datetime, datetime]:
        return self.moment(self.start), self.moment(self.end + timedelta(days=1))

    @property
    def utc_offset_minutes(self) -> int:
        offset = datetime.combine(self.end, time(12), tzinfo=ZoneInfo(self.zone)).utcoffset()
        return int(offset.total_seconds() // 60) if offset else 0

    def project_conditions(self, viewer: User, *, joined: bool = False) -> list:
        """Live projects narrowed by sector, trip, owner and status, as the project list narrows them.

        `joined`: the projects are those of other rows (the period's stage changes), each found by its key; the
        live condition must not make SQLite read every project by its deleted_at index instead.
        """
        live = unindexed(InvestmentProject.deleted_at) if joined else InvestmentProject.deleted_at
        conditions = [live.is_(None)]
        if self.sector_id:
            conditions += [visible_to(viewer), in_sector(self.sector_id)]
        if self.trip_id:
            conditions.append(of_trip(self.trip_id))
        if self.owner_id:
            conditions.append(InvestmentProject.owner_id == self.owner_id)
        if self.status:
            conditions.append(InvestmentProject.status == self.status)
        return conditions

    @property
    def narrows_projects(self) -> bool:
        """Whether some projects are left out beyond the deleted ones."""
        return bool(self.sector_id or self.trip_id or self.owner_id or self.status)

    def follow_up_conditions(self) -> list:
        """Live follow-ups narrowed by owner and trip (sector and status describe projects, not follow-ups)."""
        conditions = [FollowUp.deleted_at.is_(None)]
        if self.owner_id:
            conditions.append(FollowUp.owner_id == self.owner_id)
        if self.trip_id:
            conditions.append(follow_ups_of_trip(self.trip_id))
        return conditions

    def args(self) -> dict:
        """The dashboard's own URL arguments."""
        values = {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "sector": self.sector_id,
            "trip": self.trip_id,
            "owner": self.owner_id,
            "status": self.status.value if self.status else None,
        }
        return {name: value for name, value in values.items() if value}

    def project_list_args(self) -> dict:
        """The project list's arguments for the same narrowing."""
        values = {
            "sector": self.sector_id,
            "trip": self.trip_id,
            "owner": self.owner_id,
            "status": self.status.value if self.status else None,
        }
        return {name: value for name, value in values.items() if value}

    def follow_up_list_args(self) -> dict:
        values = {"scope": "all", "owner": self.owner_id, "trip": self.trip_id}
        return {name: value for name, value in values.items() if value}


def _weighted(column=InvestmentProject.planned_investment) -> sa.ColumnElement:
    return column * InvestmentProject.probability / 100


def _sum(column) -> sa.ColumnElement:
    return sa.func.coalesce(sa.func.sum(column), 0)


@dataclass
class Headline:
    open_count: int = 0
    open_value: Decimal = ZERO
    weighted_value: Decimal = ZERO
    landed_count: int = 0
    landed_investment: Decimal = ZERO
    landed_jobs: int = 0
    landed_capital: Decimal = ZERO
    opened_count: int = 0
    opened_signed: int = 0
    stale_count: int = 0
    # Open confidential projects the viewer may not see (an officer's breakdown by sector leaves them out).
    hidden_count: int = 0
    hidden_value: Decimal = ZERO
    # The open pipeline by owner and by source, largest first.
    by_owner: list[Slice] = field(default_factory=list)
    by_source: list[Slice] = field(default_factory=list)

    @property
    def conversion(self) -> float | None:
        return self.opened_signed / self.opened_count if self.opened_count else None


def _subset_figures(conditions: list, **columns: sa.ColumnElement) -> sa.Subquery:
    """One row of named aggregates over the live projects that meet `conditions` (read by the index serving them)."""
    return sa.select(*(column.label(name) for name, column in columns.items())).where(*conditions).subquery()


def _headline_parts(filters: Filters, viewer: User, *, stale_since: datetime) -> list[sa.Subquery]:
    """The period's figures (named as Headline's fields), each part over its own projects: the landed ones (by
    landing date), the opened ones (by creation date), the stale ones; each read by its own index. (A single
    aggregate over every live project, one filter per figure, evaluated every filter on every project: 30 ms
    of SQL at a zone's volume, against about 10.)"""
    start, end = filters.period
    narrowed = filters.project_conditions(viewer)
    return [
        _subset_figures(
            [landed_between(start, end), *narrowed],
            landed_count=sa.func.count(),
            landed_investment=_sum(InvestmentProject.planned_investment),
            landed_jobs=_sum(InvestmentProject.planned_jobs),
            landed_capital=_sum(InvestmentProject.actual_paid_in_capital),
        ),
        _subset_figures(
            [opened_between(start, end), *narrowed],
            opened_count=sa.func.count(),
            opened_signed=sa.func.count(sa.case((reached(Stage.SIGNED), 1))),
        ),
        _subset_figures([is_stale(stale_since), *narrowed], stale_count=sa.func.count()),
    ]


def _hidden_columns(filters: Filters, viewer: User) -> list[sa.ColumnElement]:
    """Count and value of the open projects the viewer may not see (none for managers, or by sector)."""
    if viewer.is_manager or filters.sector_id:
        return [sa.literal(0).label("hidden_count"), sa.literal(0).label("hidden_value")]
    hidden = sa.not_(visible_to(viewer))
    return [
        sa.func.count(sa.case((hidden, 1))).label("hidden_count"),
        _sum(sa.case((hidden, InvestmentProject.planned_investment))).label("hidden_value"),
    ]


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def headline(filters: Filters, viewer: User, *, stale_since: datetime) -> Headline:
    """The pipeline's figures in two queries: the open pipeline (with its breakdowns by owner and by source),
    and one row joining the one-row parts of the period's figures."""
    figures = Headline()
    _add_open_pipeline(figures, filters, viewer)
    first, *others = _headline_parts(filters, viewer, stale_since=stale_since)
    joined = first
    for part in others:
        joined = joined.join(part, sa.true())
    row = db.session.execute(sa.select(first, *others).select_from(joined)).one()._mapping
    for name, value in row.items():
        setattr(figures, name, _decimal(value) if isinstance(value, float) else value)
    return figures


def _add_open_pipeline(figures: Headline, filters: Filters, viewer: User) -> None:
    """The open pipeline's totals and its breakdowns by owner and by source: one pass over the open projects.

    SQL counts and sums them per (owner, source), a few hundred rows at most; the totals and each breakdown add
    up those rows.
    """
    grouped = (
        sa.select(
            InvestmentProject.owner_id.label("owner_id"),
            InvestmentProject.source.label("source"),
            sa.func.count().label("count"),
            _sum(InvestmentProject.planned_investment).label("value"),
            _sum(_weighted()).label("weighted"),
            *_hidden_columns(filters, viewer),
        )
        .where(is_open(), *filters.project_conditions(viewer))
        .group_by(InvestmentProject.owner_id, InvestmentProject.source)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(grouped, User.name, User.local_name).outerjoin(User, User.id == grouped.c.owner_id)
    ).all()
    by_owner: dict[int | None, Slice] = {}
    by_source: dict[str | None, Slice] = {}
    for owner_id, source, count, value, weighted, hidden_count, hidden_value, name, local_name in rows:
        figures.open_count += count
        figures.open_value += _decimal(value)
        figures.weighted_value += _decimal(weighted)
        figures.hidden_count += hidden_count
        figures.hidden_value += _decimal(hidden_value)
        if owner_id not in by_owner:
            by_owner[owner_id] = _owner_slice(owner_id, name, local_name)
        if source not in by_source:
            by_source[source] = _source_slice(source)
        for item in (by_owner[owner_id], by_source[source]):
            item.count += count
            item.value += _decimal(value)
    figures.by_owner, figures.by_source = _largest_first(by_owner.values()), _largest_first(by_source.values())


def overdue_follow_ups(filters: Filters, today: date) -> int:
    query = sa.select(sa.func.count()).where(
        *filters.follow_up_conditions(), FollowUp.done_at.is_(None), FollowUp.due_on < today
    )
    return db.session.scalar(query) or 0


# The key of the response time among the medians (the others are stages).
RESPONSE = "response"


def _days_in_stage_values(filters: Filters, viewer: User) -> sa.Select:
    """(stage left, days spent in it) of the stage changes made in the period."""
    start, end = filters.period
    changes = sa.select(
        sa.cast(StageChange.from_stage, sa.String).label("key"),
        (StageChange.seconds_in_from_stage / 86400.0).label("value"),
    ).where(
        StageChange.from_stage.is_not(None),
        StageChange.seconds_in_from_stage.is_not(None),
        StageChange.changed_at >= start,
        StageChange.changed_at < end,
    )
    if not filters.narrows_projects:
        # Only the few deleted projects are left out, rather than every project looked up (or, on PostgreSQL,
        # every project read to join it to a year's stage changes).
        deleted = sa.select(InvestmentProject.id).where(InvestmentProject.deleted_at.is_not(None))
        return changes.where(StageChange.project_id.not_in(deleted))
    return changes.join(InvestmentProject, InvestmentProject.id == StageChange.project_id).where(
        *filters.project_conditions(viewer, joined=True)
    )


def _response_values(filters: Filters, viewer: User) -> sa.Select:
    """(RESPONSE, days) from each lead's opening (in the period) to its first completed follow-up."""
    start, end = filters.period
    # The period's projects joined to their completed follow-ups (ix_follow_ups_project_done, per project) and
    # grouped: the first completion is read once per project, and projects with none drop out of the join.
    answered = (
        sa.select(
            InvestmentProject.id.label("project_id"),
            InvestmentProject.created_at.label("opened_at"),
            sa.func.min(FollowUp.done_at).label("first_done"),
        )
        .join(FollowUp, FollowUp.project_id == InvestmentProject.id)
        .where(
            FollowUp.deleted_at.is_(None),
            # A follow-up done before the lead was opened (and linked to it later) is no answer to it.
            FollowUp.done_at >= InvestmentProject.created_at,
            opened_between(start, end),
            *filters.project_conditions(viewer),
        )
        .group_by(InvestmentProject.id, InvestmentProject.created_at)
        .subquery()
    )
    # Whether the project was opened as a lead is asked of the answered projects only, after the join: a sixth
    # of a province's year of new projects, each one index lookup (44 ms of SQL to 26).
    first_stage = (
        sa.select(StageChange.to_stage)
        .where(StageChange.project_id == answered.c.project_id, StageChange.from_stage.is_(None))
        .limit(1)
        .scalar_subquery()
    )
    return sa.select(
        sa.literal(RESPONSE, sa.String).label("key"),
        days_between(answered.c.first_done, answered.c.opened_at).label("value"),
    ).where(first_stage == Stage.LEAD.value)


def _medians_of(*values: sa.Select) -> dict[str, float]:
    """The median value per key of the (key, value) rows, computed in SQL: one row per key."""
    query = medians(sa.union_all(*values), db.engine.dialect.name)
    return {key: float(median) for key, median in db.session.execute(query)}


def period_medians(filters: Filters, viewer: User) -> tuple[dict[Stage, float], float | None]:
    """Per stage, the median days projects spent in it (from the stage changes made in the period), and the
    median days from a lead's opening in the period to its first completed follow-up: one query."""
    found = _medians_of(_days_in_stage_values(filters, viewer), _response_values(filters, viewer))
    response = found.pop(RESPONSE, None)
    return {Stage(key): days for key, days in found.items()}, response


@dataclass
class FunnelStep:
    stage: Stage
    count: int
    value: Decimal
    # Of the projects that reached the stage before, the share that reached this one.
    conversion: float | None = None


def funnel(filters: Filters, viewer: User) -> list[FunnelStep]:
    """Projects opened in the period by the furthest stage they reached (a skipped stage counts as passed).

    The period's projects only, by their creation date (ix_investment_projects_live_created), counted and summed
    per furthest stage in SQL; a stage's step is then the sum of its own row and those of the later stages (seven
    rows), rather than fourteen filtered aggregates evaluated on every project.
    """
    furthest = InvestmentProject.furthest_stage
    rows = db.session.execute(
        sa.select(furthest, sa.func.count(), _sum(InvestmentProject.planned_investment))
        .where(opened_between(*filters.period), *filters.project_conditions(viewer))
        .group_by(furthest)
    ).all()
    by_furthest = {Stage(stage): (count, Decimal(value)) for stage, count, value in rows}
    steps = []
    for stage in Stage:
        reached_it = [figures for later, figures in by_furthest.items() if later.order >= stage.order]
        steps.append(FunnelStep(stage, sum(count for count, _ in reached_it), sum((v for _, v in reached_it), ZERO)))
    for before, step in pairwise(steps):
        step.conversion = step.count / before.count if before.count else None
    return steps


@dataclass
class Slice:
    """One bar of a breakdown: a label, its count and value, and the list arguments behind it (None: no list)."""

    key: object
    label: str
    count: int
    value: Decimal
    list_args: dict | None = None
    # The rest of a breakdown added up in one slice ("12 others"), shown in its table, not in its chart.
    others: bool = False


def _top_sector() -> sa.ColumnElement[int]:
    return sa.func.coalesce(Sector.parent_id, Sector.id)


def open_value_by_sector(filters: Filters, viewer: User) -> list[Slice]:
    """The open pipeline by target sector (a project in two sectors is in both bars)."""
    pairs = (
        sa.select(_top_sector().label("sector_id"), project_sectors.c.project_id)
        .join(Sector, Sector.id == project_sectors.c.sector_id)
        .distinct()
        .subquery()
    )
    rows = db.session.execute(
        sa.select(pairs.c.sector_id, sa.func.count(), _sum(InvestmentProject.planned_investment))
        .join(InvestmentProject, InvestmentProject.id == pairs.c.project_id)
        .where(is_open(), visible_to(viewer), *filters.project_conditions(viewer))
        .group_by(pairs.c.sector_id)
        .order_by(sa.func.sum(InvestmentProject.planned_investment).desc().nulls_last(), pairs.c.sector_id)
    ).all()
    names = _sector_names([sector_id for sector_id, _count, _value in rows])
    return [
        Slice(sector_id, names.get(sector_id, ""), count, Decimal(value), {"phase": "open", "sector": sector_id})
        for sector_id, count, value in rows
    ]


def _sector_names(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {sector.id: sector.name for sector in db.session.scalars(sa.select(Sector).where(Sector.id.in_(ids)))}


def _owner_slice(user_id: int | None, name: str | None, local_name: str | None) -> Slice:
    if user_id is None:
        return Slice(None, "—", 0, ZERO)
    return Slice(user_id, User.shown_name(name, local_name), 0, ZERO, {"phase": "open", "owner": user_id})


def _source_slice(source: str | None) -> Slice:
    if not source:
        return Slice(None, "—", 0, ZERO)
    origin = ProjectSource(source)
    return Slice(origin.value, origin.label, 0, ZERO, {"phase": "open", "source": origin.value})


def _largest_first(slices) -> list[Slice]:
    """By value, largest first; ties by key (owners by id, sources by name), the blank one after the others."""
    return sorted(slices, key=lambda item: (-item.value, item.key is None, item.key))


@dataclass
class Month:
    first_day: date
    count: int = 0
    value: Decimal = ZERO

    @property
    def last_day(self) -> date:
        following = date(self.first_day.year + self.first_day.month // 12, self.first_day.month % 12 + 1, 1)
        return following - timedelta(days=1)


def last_twelve_months(end: date) -> list[date]:
    """The first days of the twelve months ending with `end`'s month, oldest first."""
    months = []
    year, month = end.year, end.month
    for _ in range(12):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def landed_per_month(filters: Filters, viewer: User) -> list[Month]:
    """Projects landed (signed) in each of the twelve months ending with the period's last month."""
    months = [Month(first_day) for first_day in last_twelve_months(filters.end)]
    start, end = filters.moment(months[0].first_day), filters.moment(months[-1].last_day + timedelta(days=1))
    signed = InvestmentProject.landed_at
    month = local_month(signed, filters.utc_offset_minutes)
    rows = db.session.execute(
        sa.select(month, sa.func.count(), _sum(InvestmentProject.planned_investment))
        .where(is_landed(), signed >= start, signed < end, *filters.project_conditions(viewer))
        .group_by(month)
    ).all()
    by_key = {item.first_day.strftime("%Y-%m"): item for item in months}
    for key, count, value in rows:
        by_key[key].count, by_key[key].value = count, Decimal(value)
    return months


# The year's targets -----------------------------------------------------------------------------------

TARGET_MEASURES = ("projects_signed", "investment_signed", "capital_in_place", "jobs")
# How each is named, on the pages (as measure_labels) and in the refusal of a stale save.
TARGET_LABELS = {
    "projects_signed": _l("Projects signed"),
    "investment_signed": _l("Investment signed"),
    "capital_in_place": _l("Capital in place (到资)"),
    "jobs": _l("Jobs"),
}
AMOUNT_MEASURES = ("investment_signed", "capital_in_place")


@dataclass
class TargetLine:
    measure: str
    target: Decimal | int | None
    done: Decimal | int
    expected_by_today: Decimal | None

    @property
    def share_done(self) -> float | None:
        return float(self.done) / float(self.target) if self.target else None


@dataclass
class TargetRow:
    officer: User | None
    lines: list[TargetLine] = field(default_factory=list)


def year_fraction(year: int, today: date) -> Decimal:
    """How much of the year has passed by the end of today (0 before it starts, 1 after it ends)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    if today < first:
        return Decimal(0)
    if today >= last:
        return Decimal(1)
    return Decimal((today - first).days + 1) / Decimal((last - first).days + 1)


# (count, investment, capital in place, jobs) of an owner with nothing landed.
NOTHING_DONE = (0, ZERO, ZERO, 0)


def target_of(year: int, officer_id: int | None) -> Target | None:
    """The year's targets of the bureau (officer_id None) or of one officer, if set."""
    whose = Target.officer_id.is_(None) if officer_id is None else Target.officer_id == officer_id
    return db.session.scalar(sa.select(Target).where(Target.year == year, whose))


def target_table(
    year: int, today: date, zone: str, *, with_officers: bool = True, only: int | None = None
) -> tuple[TargetRow, list[TargetRow]]:
    """The bureau's targets and each officer's (those with a target or with something landed), or only the
    officer `only`'s row beside the bureau's (what an officer sees)."""
    fraction = year_fraction(year, today)
    if not with_officers:
        target = target_of(year, None)
        return _target_row(None, target, _landed(year, zone, by_owner=False)[0][1], fraction), []
    # One pass over the year's landed projects: the bureau's figures are the sum of every owner's.
    done_by_owner = dict(_landed(year, zone, by_owner=True))
    bureau_done = tuple(sum(figures) for figures in zip(*done_by_owner.values(), strict=True)) or NOTHING_DONE
    wanted = sa.true() if only is None else sa.or_(Target.officer_id.is_(None), Target.officer_id == only)
    targets = {
        target.officer_id: target
        for target in db.session.scalars(
            sa.select(Target).where(Target.year == year, wanted).options(joinedload(Target.officer))
        )
    }
    bureau = _target_row(None, targets.get(None), bureau_done, fraction)
    officer_ids = sorted(
        {key for key in targets if key is not None} | {key for key in done_by_owner if key is not None}
    )
    if only is not None:
        officer_ids = [officer_id for officer_id in officer_ids if officer_id == only]
    users = {user.id: user for user in db.session.scalars(sa.select(User).where(User.id.in_(officer_ids)))}
    rows = [
        _target_row(users[officer_id], targets.get(officer_id), done_by_owner.get(officer_id, NOTHING_DONE), fraction)
        for officer_id in officer_ids
        if officer_id in users
    ]
    rows.sort(key=lambda row: row.officer.display_name)
    return bureau, rows


def _landed(year: int, zone: str, *, by_owner: bool) -> list[tuple[int | None, tuple]]:
    """What landed in the year: (owner, (count, investment, capital in place, jobs)) per owner, or one row."""
    filters = Filters(date(year, 1, 1), date(year, 12, 31), zone)
    start, end = filters.period
    owner = InvestmentProject.owner_id if by_owner else sa.null()
    query = sa.select(
        owner,
        sa.func.count(),
        _sum(InvestmentProject.planned_investment),
        _sum(InvestmentProject.actual_paid_in_capital),
        _sum(InvestmentProject.planned_jobs),
    ).where(InvestmentProject.deleted_at.is_(None), landed_between(start, end))
    if by_owner:
        query = query.group_by(InvestmentProject.owner_id)
    return [
        (owner_id, (count, Decimal(investment), Decimal(capital), int(jobs)))
        for owner_id, count, investment, capital, jobs in db.session.execute(query)
    ]


def _target_row(officer: User | None, target: Target | None, done: tuple, fraction: Decimal) -> TargetRow:
    row = TargetRow(officer)
    for measure, achieved in zip(TARGET_MEASURES, done, strict=True):
        goal = getattr(target, measure) if target is not None else None
        expected = None if goal is None else Decimal(goal) * fraction
        row.lines.append(TargetLine(measure, goal, achieved, expected))
    return row


# Trip results -----------------------------------------------------------------------------------------


@dataclass
class TripResult:
    trip: Trip
    visits: int = 0
    enterprises: int = 0
    projects: int = 0
    planned_investment: Decimal = ZERO
    planned_jobs: int = 0
    landed: int = 0
    landed_investment: Decimal = ZERO
    follow_ups_done: int = 0
    follow_ups_open: int = 0

    @property
    def cost(self) -> Decimal | None:
        return self.trip.actual_cost

    @property
    def value_per_cost(self) -> float | None:
        """Pipeline value brought in per yuan spent; None without a cost."""
        return float(self.planned_investment / self.cost) if self.cost else None

    @property
    def cost_per_project(self) -> Decimal | None:
        return (self.cost / self.projects).quantize(Decimal("0.01")) if self.cost and self.projects else None


def trip_results(trips: list[Trip]) -> list[TripResult]:
    """The results of the given trips: three grouped queries whatever their number."""
    results = {trip.id: TripResult(trip) for trip in trips}
    if not results:
        return []
    ids = list(results)
    live_visits = sa.and_(Visit.deleted_at.is_(None), Visit.trip_id.in_(ids))
    for trip_id, visits, enterprises in db.session.execute(
        sa.select(Visit.trip_id, sa.func.count(), sa.func.count(sa.distinct(Visit.enterprise_id)))
        .where(live_visits)
        .group_by(Visit.trip_id)
    ):
        results[trip_id].visits, results[trip_id].enterprises = visits, enterprises

    pairs = (
        sa.select(Visit.trip_id, visit_projects.c.project_id)
        .join(Visit, Visit.id == visit_projects.c.visit_id)
        .where(live_visits)
        .distinct()
        .subquery()
    )
    for trip_id, count, investment, jobs, landed, landed_investment in db.session.execute(
        sa.select(
            pairs.c.trip_id,
            sa.func.count(),
            _sum(InvestmentProject.planned_investment),
            _sum(InvestmentProject.planned_jobs),
            sa.func.count(sa.case((is_landed(), 1))),
            _sum(sa.case((is_landed(), InvestmentProject.planned_investment))),
        )
        .join(InvestmentProject, InvestmentProject.id == pairs.c.project_id)
        .where(InvestmentProject.deleted_at.is_(None))
        .group_by(pairs.c.trip_id)
    ):
        result = results[trip_id]
        result.projects, result.planned_investment, result.planned_jobs = count, Decimal(investment), int(jobs)
        result.landed, result.landed_investment = landed, Decimal(landed_investment)

    for trip_id, (done, still_open) in _follow_up_counts(ids).items():
        results[trip_id].follow_ups_done, results[trip_id].follow_ups_open = done, still_open
    return list(results.values())


def _follow_up_counts(ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per trip, its follow-ups done and still open."""
    # A trip's follow-ups are those the trip page lists (crm.followups.queries.around_trip): its own, its
    # visits' and those of the projects its visits opened or advanced; a follow-up may count for two trips.
    live_visit = sa.and_(Visit.deleted_at.is_(None), Visit.trip_id.in_(ids))
    pairs = sa.union(
        sa.select(FollowUp.id.label("follow_up_id"), FollowUp.trip_id.label("trip_id")).where(
            FollowUp.trip_id.in_(ids)
        ),
        sa.select(FollowUp.id, Visit.trip_id).join(Visit, Visit.id == FollowUp.visit_id).where(live_visit),
        sa.select(FollowUp.id, Visit.trip_id)
        .join(visit_projects, visit_projects.c.project_id == FollowUp.project_id)
        .join(Visit, Visit.id == visit_projects.c.visit_id)
        .where(live_visit),
    ).subquery()
    rows = db.session.execute(
        sa.select(
            pairs.c.trip_id,
            sa.func.count(sa.case((FollowUp.done_at.is_not(None), 1))),
            sa.func.count(sa.case((FollowUp.done_at.is_(None), 1))),
        )
        .join(FollowUp, FollowUp.id == pairs.c.follow_up_id)
        .where(FollowUp.deleted_at.is_(None))
        .group_by(pairs.c.trip_id)
    )
    return {trip_id: (done, still_open) for trip_id, done, still_open in rows}


def trip_result(
    trip: Trip, visits: list[Visit], projects: list[InvestmentProject], follow_ups: FewFollowUps
) -> TripResult:
    """One trip's results for its own page, from what that page has read already: the sets trip_results counts
    (its live visits, the live projects they opened or advanced) and its follow-ups section, which counts the
    same follow-ups as trip_results (follow_ups_around over trip_links). Three grouped queries fewer."""
    landed = [project for project in projects if project.is_landed]
    result = TripResult(
        trip,
        visits=len(visits),
        enterprises=len({visit.enterprise_id for visit in visits}),
        projects=len(projects),
        planned_investment=sum((project.planned_investment or ZERO for project in projects), ZERO),
        planned_jobs=sum(project.planned_jobs or 0 for project in projects),
        landed=len(landed),
        landed_investment=sum((project.planned_investment or ZERO for project in landed), ZERO),
    )
    result.follow_ups_done, result.follow_ups_open = follow_ups.done, follow_ups.still_open
    return result


TRIP_COMPARISON_LIMIT = 50


def trips_between(start: date, end: date, limit: int = TRIP_COMPARISON_LIMIT) -> tuple[list[Trip], int]:
    """Live trips starting in the period (newest first, at most `limit`), and how many there are."""
    condition = sa.and_(Trip.deleted_at.is_(None), Trip.start_on.between(start, end))
    total = db.session.scalar(sa.select(sa.func.count()).where(condition)) or 0
    trips = list(
        db.session.scalars(sa.select(Trip).where(condition).order_by(Trip.start_on.desc(), Trip.id.desc()).limit(limit))
    )
    return trips, total


# Industry chains --------------------------------------------------------------------------------------


@dataclass
class ChainRow:
    sector: Sector
    enterprises_met: int = 0
    open_projects: int = 0
    landed_projects: int = 0
    landed_value: Decimal = ZERO
    nodes: list[ChainRow] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        """A link the zone still lacks (补链): nothing landed in it."""
        return self.landed_projects == 0


def _sector_pairs(link_table, record_column: str) -> sa.Subquery:
    """(sector_id, record_id) for each tagged node and, once, for its top-level sector."""
    record = link_table.c[record_column]
    as_tagged = sa.select(link_table.c.sector_id.label("sector_id"), record.label("record_id"))
    as_sector = sa.select(_top_sector().label("sector_id"), record.label("record_id")).join(
        Sector, Sector.id == link_table.c.sector_id
    )
    return sa.union(as_tagged, as_sector).subquery()


def industry_chains(viewer: User) -> list[ChainRow]:
    """Each active target sector with its chain nodes: enterprises met, open and landed projects."""
    sectors = list(db.session.scalars(sa.select(Sector).where(Sector.active).order_by(Sector.position, Sector.id)))
    rows = {sector.id: ChainRow(sector) for sector in sectors}

    enterprise_pairs = _sector_pairs(enterprise_sectors, "enterprise_id")
    met = sa.select(Visit.enterprise_id).where(Visit.deleted_at.is_(None))
    for sector_id, count in db.session.execute(
        sa.select(enterprise_pairs.c.sector_id, sa.func.count())
        .join(Enterprise, Enterprise.id == enterprise_pairs.c.record_id)
        .where(Enterprise.deleted_at.is_(None), Enterprise.id.in_(met))
        .group_by(enterprise_pairs.c.sector_id)
    ):
        if sector_id in rows:
            rows[sector_id].enterprises_met = count

    project_pairs = _sector_pairs(project_sectors, "project_id")
    for sector_id, open_count, landed_count, landed_value in db.session.execute(
        sa.select(
            project_pairs.c.sector_id,
            sa.func.count(sa.case((is_open(), 1))),
            sa.func.count(sa.case((is_landed(), 1))),
            _sum(sa.case((is_landed(), InvestmentProject.planned_investment))),
        )
        .join(InvestmentProject, InvestmentProject.id == project_pairs.c.record_id)
        .where(InvestmentProject.deleted_at.is_(None), visible_to(viewer))
        .group_by(project_pairs.c.sector_id)
    ):
        if sector_id in rows:
            row = rows[sector_id]
            row.open_projects, row.landed_projects, row.landed_value = open_count, landed_count, Decimal(landed_value)

    top = []
    for sector in sectors:
        if sector.parent_id is None:
            top.append(rows[sector.id])
        elif sector.parent_id in rows:
            rows[sector.parent_id].nodes.append(rows[sector.id])
    return top


# The team's month ------------------------------------------------------------------------------------


@dataclass
class TeamRow:
    user: User
    visits: int = 0
    enterprises_met: int = 0
    projects_opened: int = 0
    stage_advances: int = 0
    follow_ups_done: int = 0
    follow_ups_overdue: int = 0


def team_members(only: int | None = None) -> sa.Select:
    """The people of the team's month, by name: the active accounts, or only one (an officer's own month)."""
    people = sa.select(User).where(User.id == only) if only else sa.select(User).where(User.active)
    return people.order_by(User.name, User.id)


def team_month(first_day: date, last_day: date, zone: str, today: date, users: list[User]) -> list[TeamRow]:
    """Per person of `users` (a page of team_members), what they did in the month; five grouped queries
    whatever the team's size."""
    filters = Filters(first_day, last_day, zone)
    start, end = filters.period
    rows = {user.id: TeamRow(user) for user in users}
    if not rows:
        return []
    ids = list(rows)

    in_month = sa.and_(Visit.deleted_at.is_(None), Visit.visited_on.between(first_day, last_day))
    # Met for the first time: no live visit of the enterprise before the month (one index lookup per visit
    # of the month, ix_visits_enterprise_live, rather than grouping every visit ever made).
    earlier = sa.orm.aliased(Visit)
    met_before = sa.exists().where(
        earlier.enterprise_id == Visit.enterprise_id, earlier.deleted_at.is_(None), earlier.visited_on < first_day
    )
    # Not of a deleted enterprise: the few deleted ones (ix_enterprises_deleted), not every live one, are read.
    deleted_enterprise = sa.select(Enterprise.id).where(Enterprise.deleted_at.is_not(None))
    new_enterprise = sa.and_(~met_before, Visit.enterprise_id.not_in(deleted_enterprise))
    for user_id, visits, new_enterprises in db.session.execute(
        sa.select(
            Visit.owner_id,
            sa.func.count(),
            sa.func.count(sa.distinct(sa.case((new_enterprise, Visit.enterprise_id)))),
        )
        .where(in_month, unindexed(Visit.owner_id).in_(ids))  # the month's visits by date, not everyone's
        .group_by(Visit.owner_id)
    ):
        rows[user_id].visits, rows[user_id].enterprises_met = visits, new_enterprises

    for user_id, count in db.session.execute(
        sa.select(InvestmentProject.owner_id, sa.func.count())
        .where(
            InvestmentProject.deleted_at.is_(None),
            opened_between(start, end),
            unindexed(InvestmentProject.owner_id).in_(ids),  # the month's projects by date, not everyone's
        )
        .group_by(InvestmentProject.owner_id)
    ):
        rows[user_id].projects_opened = count

    forward = change_stage_order(StageChange.to_stage) > change_stage_order(StageChange.from_stage)
    for user_id, count in db.session.execute(
        sa.select(StageChange.changed_by_id, sa.func.count())
        .join(InvestmentProject, InvestmentProject.id == StageChange.project_id)
        .where(
            # The month's stage changes by date (not each person's changes of every year, nor every project),
            # each project then by its key.
            unindexed(InvestmentProject.deleted_at).is_(None),
            StageChange.from_stage.is_not(None),
            forward,
            StageChange.changed_at >= start,
            StageChange.changed_at < end,
            unindexed(StageChange.changed_by_id).in_(ids),
        )
        .group_by(StageChange.changed_by_id)
    ):
        rows[user_id].stage_advances = count

    # Done in the month and overdue apart, each a range of ix_follow_ups_open_by_due (done_at, due_on) rather
    # than every follow-up the team ever had.
    done_in_month = sa.and_(FollowUp.done_at >= start, FollowUp.done_at < end)
    overdue = sa.and_(FollowUp.done_at.is_(None), FollowUp.due_on < today)
    for condition, figure in ((done_in_month, "follow_ups_done"), (overdue, "follow_ups_overdue")):
        for user_id, count in db.session.execute(
            sa.select(FollowUp.owner_id, sa.func.count())
            .where(FollowUp.deleted_at.is_(None), condition, unindexed(FollowUp.owner_id).in_(ids))
            .group_by(FollowUp.owner_id)
        ):
            setattr(rows[user_id], figure, count)
    return list(rows.values())
