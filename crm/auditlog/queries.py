"""Reads for the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload

from crm.accounts.models import User
from crm.auditlog.presentation import ReadableEvent, readable
from crm.core.audit import AuditAction, AuditEvent
from crm.core.listing import PER_PAGE, paginate_capped
from crm.extensions import db


@dataclass
class AuditFilter:
    user_id: int | None = None
    action: AuditAction | None = None
    entity_type: str | None = None
    entity_id: int | None = None
    since: date | None = None
    until: date | None = None


def _local_midnight_utc(day: date) -> datetime:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def visible_events(viewer: User, filters: AuditFilter, page: int, per_page: int = PER_PAGE) -> Pagination:
    """Events the viewer may read, newest first: managers and admins see all, officers their own.

    The log only grows: its pages count at most COUNT_CAP events ("more than 10,000"), not the whole log. A page
    holds as many events as a list's page holds rows (25, or ?per_page=50, 100 or 200).
    """
    return paginate_capped(events_query(viewer, filters), page=page, per_page=per_page)


def events_query(viewer: User, filters: AuditFilter) -> sa.Select:
    """The audit log's rows as the viewer may read them, newest first, for its pages and its exports."""
    query = sa.select(AuditEvent).options(joinedload(AuditEvent.user)).order_by(AuditEvent.id.desc())
    if not viewer.is_manager:
        query = query.where(AuditEvent.user_id == viewer.id)
    elif filters.user_id:
        query = query.where(AuditEvent.user_id == filters.user_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.entity_type:
        query = query.where(AuditEvent.entity_type == filters.entity_type)
    if filters.entity_id:
        query = query.where(AuditEvent.entity_id == filters.entity_id)
    if filters.since:
        query = query.where(AuditEvent.occurred_at >= _local_midnight_utc(filters.since))
    if filters.until:
        query = query.where(AuditEvent.occurred_at < _local_midnight_utc(filters.until + timedelta(days=1)))
    return query


def _present(column, values: list) -> list:
    """Those of `values` that `column` holds, one index lookup each (EXISTS), rather than a DISTINCT over
    every event: the log only grows."""
    probes = [
        sa.select(sa.literal(index)).where(sa.exists().where(column == value)) for index, value in enumerate(values)
    ]
    return [values[index] for index in db.session.scalars(sa.union_all(*probes))]


def entity_types() -> list[str]:
    """The kinds of record the log names (of those the app audits: its models)."""
    audited = (mapper.class_ for mapper in db.Model.registry.mappers)
    return sorted(
        _present(AuditEvent.entity_type, [m.__tablename__ for m in audited if getattr(m, "__audited__", True)])
    )


def users_for_filter() -> list[tuple[int, str]]:
    """(id, shown name) of every account, the inactive ones too (they are in the log): two columns, not accounts."""
    rows = db.session.execute(sa.select(User.id, User.name, User.local_name).order_by(User.name))
    return [(user_id, User.shown_name(name, local_name)) for user_id, name, local_name in rows]


def actions_in_log() -> list[AuditAction]:
    """The actions that have happened, for the filter (no choice for one that cannot match yet)."""
    present = set(_present(AuditEvent.action, list(AuditAction)))
    return [action for action in AuditAction if action in present]


def history_of(
    entity_type: str, entity_id: int, limit: int = 100, *, withheld: frozenset[str] = frozenset()
) -> list[ReadableEvent]:
    """A record's timeline: its audit events, newest first, labelled and formatted for people, without the
    changes of the `withheld` fields (a follow-up's title and notes to a reader who may not see its project)."""
    query = (
        sa.select(AuditEvent)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    return readable(db.session.scalars(query), withheld=withheld)
