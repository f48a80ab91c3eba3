"""What each list exports: its rows (the list's own query, with the list's filters and sort) and its columns.

The rows come from the areas' queries and filter forms, never from a second copy of their filters, so an
export always holds what the list page shows, in the same order, as the user may see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from crm.accounts.models import User
from crm.core.time import local_today


@dataclass(frozen=True)
class Column:
    """One column: `key` names it in imports whatever the language; `value` reads it off a row for a viewer."""

    key: str
    label: Any  # a lazy string: the header in the reader's language
    value: Callable[[Any, User], Any]
    kind: str = "text"  # text, date, datetime, money, integer
    width: int = 18

    @property
    def title(self) -> str:
        if self.kind == "money":
            return _("%(label)s (yuan)", label=self.label)
        return str(self.label)


@dataclass(frozen=True)
class Table:
    name: str  # in URLs, on the command line and in file names
    label: Any
    list_endpoint: str
    columns: list[Column]
    query: Callable[[MultiDict, User], sa.Select] = field(repr=False)
    managers_only: bool = False


def _name_of(record: Any) -> str | None:
    return record.display_name if record is not None else None


def _label(member: Any) -> str | None:
    return str(member.label) if member is not None else None


def _sectors(record: Any) -> str:
    return "; ".join(sector.name for sector in record.sectors)


def _yes(flag: bool) -> str:
    return _("Yes") if flag else _("No")


# ----- the lists' rows, through each area's own list query and filter form


def _trips(args: MultiDict, viewer: User) -> sa.Select:
    from crm.trips import queries
    from crm.trips.forms import TripFilterForm

    return queries.trips_query(queries.trip_list_params(args, viewer), TripFilterForm(args).filters())


def _visits(args: MultiDict, viewer: User) -> sa.Select:
    from crm.core.forms import record_id
    from crm.visits import queries
    from crm.visits.forms import VisitFilterForm

    filters = VisitFilterForm(args).filters(trip_id=args.get("trip", type=record_id))
    return queries.visits_query(queries.visit_list_params(args, viewer), filters)


def _enterprises(args: MultiDict, viewer: User) -> sa.Select:
    from crm.enterprises import queries
    from crm.enterprises.forms import EnterpriseFilterForm

    filters = EnterpriseFilterForm(args).filters()
    filters.drill, _kept = queries.drill_conditions(args)  # a dashboard's drill-down exports what it lists
    return queries.enterprises_query(queries.enterprise_list_params(args, viewer), filters)


def _contacts(args: MultiDict, viewer: User) -> sa.Select:
    from crm.enterprises import queries

    return queries.contacts_query(queries.contact_list_params(args, viewer))


def _projects(args: MultiDict, viewer: User) -> sa.Select:
    from crm.pipeline import queries
    from crm.pipeline.forms import ProjectFilterForm

    params = queries.project_list_params(args, viewer)
    from sqlalchemy.orm import selectinload

    from crm.pipeline.models import InvestmentProject

    filters = ProjectFilterForm(args).filters()
    filters.drill, _kept = queries.drill_from(args)  # a dashboard's drill-down exports what it lists
    # The list page shows no sectors; the export does, loaded with each batch, not once per project.
    return queries.projects_query(params, filters, viewer).options(selectinload(InvestmentProject.sectors))


def _follow_ups(args: MultiDict, viewer: User) -> sa.Select:
    from crm.followups import queries
    from crm.followups.forms import FollowUpFilterForm

    params = queries.follow_up_list_params(args, viewer)
    return queries.follow_ups_query(params, FollowUpFilterForm(args).filters(args), today=local_today(), viewer=viewer)


class RefusedFilters(ValueError):
    """The audit log's filters are wrong; its page says which."""


def _audit(args: MultiDict, viewer: User) -> sa.Select:
    from crm.auditlog import queries
    from crm.auditlog.forms import AuditFilterForm

    filters = AuditFilterForm.for_args(args).filters(submitted=bool(args))
    if filters is None:
        raise RefusedFilters
    return queries.events_query(viewer, filters)


# ----- what a confidential project shows to someone who may not see it: its code name, stage, status, owner


def _seen(project: Any, viewer: User, value: Any) -> Any:
    return value if project.can_see(viewer) else None


def _project_name(project: Any, viewer: User) -> str:
    return project.name if project.can_see(viewer) else project.code_name


def _follow_up_link(attribute: str):
    """A follow-up's linked record; all but the project's code name blank when that project is hidden."""

    def value(item: Any, viewer: User) -> Any:
        if item.project is not None and not item.project.can_see(viewer):
            return item.project.code_name if attribute == "project" else None
        linked = getattr(item, attribute)
        if linked is None:
            return None
        if attribute == "project":
            return linked.name
        if attribute == "trip":
            return linked.title
        if attribute == "visit":
            return f"{linked.visited_on.isoformat()} · {linked.enterprise.display_name}"
        return linked.display_name

    return value


def _local_time(moment: Any) -> Any:
    from datetime import UTC
    from zoneinfo import ZoneInfo

    from flask import current_app

    if moment is None:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(zone)


def _audit_details(event: Any, viewer: User) -> str | None:
    import json

    return json.dumps(event.changes, ensure_ascii=False, sort_keys=True) if event.changes else None


def _entity_label(event: Any, viewer: User) -> str | None:
    from crm.auditlog.presentation import entity_label

    return entity_label(event.entity_type)


TRIPS = Table(
    "trips",
    _l("Trips"),
    "trips.index",
    [
        Column("title", _l("Title"), lambda t, v: t.title, width=36),
        Column("status", _l("Status"), lambda t, v: _label(t.status), width=12),
        Column("start_on", _l("Start date"), lambda t, v: t.start_on, "date", 12),
        Column("end_on", _l("End date"), lambda t, v: t.end_on, "date", 12),
        Column("destination_cities", _l("Destination cities"), lambda t, v: t.destination_cities, width=28),
        Column("sectors", _l("Target sectors"), lambda t, v: _sectors(t), width=30),
        Column("objectives", _l("Objectives"), lambda t, v: t.objectives, width=40),
        Column("planned_budget", _l("Planned budget"), lambda t, v: t.planned_budget, "money", 16),
        Column("actual_cost", _l("Actual cost"), lambda t, v: t.actual_cost, "money", 16),
        Column("organiser", _l("Organiser"), lambda t, v: _name_of(t.organiser), width=16),
        Column("report_due_on", _l("Trip report due"), lambda t, v: t.report_due_on, "date", 14),
        Column("report_submitted_on", _l("Trip report submitted"), lambda t, v: t.report_submitted_on, "date", 14),
    ],
    _trips,
)

VISITS = Table(
    "visits",
    _l("Visits"),
    "visits.index",
    [
        Column("visited_on", _l("Date"), lambda x, v: x.visited_on, "date", 12),
        Column("slot", _l("Time of day"), lambda x, v: _label(x.slot), width=10),
        Column("direction", _l("Direction"), lambda x, v: _label(x.direction), width=12),
        Column("enterprise", _l("Enterprise"), lambda x, v: x.enterprise.display_name, width=32),
        Column("city", _l("City"), lambda x, v: x.city, width=12),
        Column("trip", _l("Trip"), lambda x, v: x.trip.title if x.trip else None, width=30),
        Column("purpose", _l("Purpose"), lambda x, v: x.purpose, width=36),
        Column("discussed", _l("Discussed"), lambda x, v: x.discussed, width=40),
        Column("commitments", _l("Commitments received"), lambda x, v: x.commitments, width=36),
        Column("interest_level", _l("Interest"), lambda x, v: _label(x.interest_level), width=10),
        Column("sectors", _l("Sectors discussed"), lambda x, v: _sectors(x), width=30),
        Column("owner", _l("Owner"), lambda x, v: _name_of(x.owner), width=16),
    ],
    _visits,
)

ENTERPRISES = Table(
    "enterprises",
    _l("Enterprises"),
    "enterprises.index",
    [
        Column("name", _l("Enterprise name"), lambda e, v: e.name, width=36),
        Column("local_name", _l("Name in Chinese"), lambda e, v: e.local_name, width=28),
        Column("kind", _l("Kind"), lambda e, v: _label(e.kind), width=14),
        Column("ownership", _l("Ownership"), lambda e, v: _label(e.ownership), width=16),
        Column("parent", _l("Parent group"), lambda e, v: e.parent.display_name if e.parent else None, width=24),
        Column("country", _l("Country"), lambda e, v: e.country, width=12),
        Column("province", _l("Province"), lambda e, v: e.province, width=12),
        Column("city", _l("City"), lambda e, v: e.city, width=12),
        Column("address", _l("Address"), lambda e, v: e.address, width=32),
        Column("website", _l("Website"), lambda e, v: e.website, width=28),
        Column("size", _l("Size"), lambda e, v: _label(e.size), width=10),
        Column("sectors", _l("Sectors"), lambda e, v: _sectors(e), width=30),
        Column("description", _l("Notes"), lambda e, v: e.description, width=40),
        Column("owner", _l("Owner"), lambda e, v: _name_of(e.owner), width=16),
    ],
    _enterprises,
)

CONTACTS = Table(
    "contacts",
    _l("Contacts"),
    "contacts.index",
    [
        Column("name", _l("Name"), lambda c, v: c.name, width=24),
        Column("local_name", _l("Name in Chinese characters"), lambda c, v: c.local_name, width=16),
        Column("enterprise", _l("Enterprise"), lambda c, v: c.enterprise.display_name, width=32),
        Column("title", _l("Job title"), lambda c, v: c.title, width=20),
        Column("department", _l("Department"), lambda c, v: c.department, width=18),
        Column("phone", _l("Phone"), lambda c, v: c.phone, width=16),
        Column("mobile", _l("Mobile"), lambda c, v: c.mobile, width=16),
        Column("email", _l("Email"), lambda c, v: c.email, width=26),
        Column("wechat", _l("WeChat"), lambda c, v: c.wechat, width=16),
        Column("notes", _l("Notes"), lambda c, v: c.notes, width=40),
        Column("owner", _l("Owner"), lambda c, v: _name_of(c.owner), width=16),
    ],
    _contacts,
)

PROJECTS = Table(
    "projects",
    _l("Investment projects"),
    "pipeline.index",
    [
        Column("name", _l("Project name"), _project_name, width=36),
        Column("code_name", _l("Code name"), lambda p, v: p.code_name, width=18),
        Column("is_confidential", _l("Confidential"), lambda p, v: _yes(p.is_confidential), width=10),
        Column("enterprise", _l("Enterprise"), lambda p, v: _seen(p, v, p.enterprise.display_name), width=32),
        Column("stage", _l("Stage"), lambda p, v: _label(p.stage), width=12),
        Column("status", _l("Status"), lambda p, v: _label(p.status), width=10),
        Column("status_reason", _l("Reason"), lambda p, v: _seen(p, v, p.status_reason), width=24),
        Column("sectors", _l("Sectors"), lambda p, v: _seen(p, v, _sectors(p)), width=30),
        Column("planned_investment", _l("Planned investment"), lambda p, v: _seen(p, v, p.planned_investment), "money"),
        Column("actual_investment", _l("Actual investment"), lambda p, v: _seen(p, v, p.actual_investment), "money"),
        Column(
            "planned_fixed_assets",
            _l("Planned fixed assets"),
            lambda p, v: _seen(p, v, p.planned_fixed_assets),
            "money",
        ),
        Column(
            "actual_fixed_assets", _l("Actual fixed assets"), lambda p, v: _seen(p, v, p.actual_fixed_assets), "money"
        ),
        Column(
            "planned_paid_in_capital",
            _l("Planned paid-in capital"),
            lambda p, v: _seen(p, v, p.planned_paid_in_capital),
            "money",
        ),
        Column(
            "actual_paid_in_capital",
            _l("Actual paid-in capital"),
            lambda p, v: _seen(p, v, p.actual_paid_in_capital),
            "money",
        ),
        Column("planned_jobs", _l("Planned jobs"), lambda p, v: _seen(p, v, p.planned_jobs), "integer", 10),
        Column("actual_jobs", _l("Actual jobs"), lambda p, v: _seen(p, v, p.actual_jobs), "integer", 10),
        Column(
            "expected_decision_on",
            _l("Expected decision date"),
            lambda p, v: _seen(p, v, p.expected_decision_on),
            "date",
            14,
        ),
        Column("probability", _l("Probability (%)"), lambda p, v: _seen(p, v, p.probability), "integer", 10),
        Column("referrer", _l("Referrer"), lambda p, v: _seen(p, v, p.referrer), width=16),
        Column("source", _l("Source"), lambda p, v: _seen(p, v, _label(p.source)), width=16),
        Column("description", _l("Description"), lambda p, v: _seen(p, v, p.description), width=40),
        Column("owner", _l("Owner"), lambda p, v: _name_of(p.owner), width=16),
        Column("updated_at", _l("Updated"), lambda p, v: _local_time(p.updated_at), "datetime", 16),
    ],
    _projects,
)

FOLLOW_UPS = Table(
    "follow-ups",
    _l("Follow-ups"),
    "followups.index",
    [
        Column("title", _l("Title"), lambda f, v: f.title_for(v), width=36),  # masked as on the page
        Column("due_on", _l("Due"), lambda f, v: f.due_on, "date", 12),
        Column("state", _l("Status"), lambda f, v: _("Done") if f.is_done else _("Open"), width=10),
        Column("done_at", _l("Done on"), lambda f, v: _local_time(f.done_at), "datetime", 16),
        Column("owner", _l("Owner"), lambda f, v: _name_of(f.owner), width=16),
        Column("project", _l("Project"), _follow_up_link("project"), width=28),
        Column("visit", _l("Visit"), _follow_up_link("visit"), width=32),
        Column("trip", _l("Trip"), _follow_up_link("trip"), width=28),
        Column("enterprise", _l("Enterprise"), _follow_up_link("enterprise"), width=28),
    ],
    _follow_ups,
)

AUDIT = Table(
    "audit",
    _l("Audit log"),
    "auditlog.index",
    [
        Column("occurred_at", _l("When"), lambda e, v: _local_time(e.occurred_at), "datetime", 17),
        Column("who", _l("Who"), lambda e, v: e.user.name if e.user else e.actor, width=24),
        Column("action", _l("Action"), lambda e, v: _label(e.action), width=14),
        Column("entity_type", _l("Record type"), _entity_label, width=16),
        Column("entity_id", _l("Record number"), lambda e, v: e.entity_id, "integer", 10),
        Column("details", _l("Details"), _audit_details, width=60),
        Column("ip_address", _l("Address"), lambda e, v: e.ip_address, width=16),
    ],
    _audit,
    managers_only=True,
)

TABLES = {table.name: table for table in (TRIPS, VISITS, ENTERPRISES, CONTACTS, PROJECTS, FOLLOW_UPS, AUDIT)}
