"""How the audit log and record histories read to people: one registry, model → field → label and formatter.

An AuditEvent stores column names and plain JSON values ("stage_entered_at", "negotiation", "80000000.00",
[3, 7]). Here each kind of record gets its name and page, each field its label (taken from the forms where
people met it, so the words are the same), and each value is formatted from its column's type: amounts with
`money()`, dates and times with Flask-Babel, enumerations by their labels, references and links by the name
of the record they point to. The records named on a page are loaded in one query per kind, not one per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache, partial

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.util import identity_key
from wtforms.fields.core import UnboundField

from crm.core.audit import AuditEvent
from crm.core.i18n import datetime as moment
from crm.core.i18n import language, money
from crm.extensions import db

# Internal columns a reader has no use for.
HIDDEN_FIELDS = {"name_key", "local_name_key", "stored_name", "sha256", "position", "id"}
# The trip report's frozen copy and its order of meetings and photos: the report's page shows them as they are.
HIDDEN_FIELDS |= {"approved_content", "meeting_choice", "photo_choice"}

# Columns no form shows, named the same for every kind of record.
COMMON_LABELS = {
    "created_at": _l("Created"),
    "deleted_at": _l("Deleted"),
    "owner_id": _l("Owner"),
    "is_sample": _l("Sample data"),
    "trip_id": _l("Trip"),
    "visit_id": _l("Visit"),
    "project_id": _l("Project"),
    "enterprise_id": _l("Enterprise"),
    "done_at": _l("Done on"),
    "stage_entered_at": _l("In stage since"),
    "status_reason": _l("Reason"),
    "from_stage": _l("From stage"),
    "to_stage": _l("To stage"),
    "changed_by_id": _l("Changed by"),
    "changed_at": _l("Changed on"),
    "seconds_in_from_stage": _l("Time in the stage it left"),
    "email": _l("Email"),
    "role": _l("Role"),
    "active": _l("Active"),
    "password_hash": _l("Password"),
    "user_id": _l("Account"),
    "size_bytes": _l("Size"),
    "content_type": _l("File type"),
    "filename": _l("File name"),
    "uploaded_by_id": _l("Uploaded by"),
    "name_en": _l("Name in English"),
    "name_zh": _l("Name in Chinese"),
    "parent_id": _l("Parent sector"),
    "members_present": _l("Delegation members present"),
    "contacts": _l("Contacts met"),
    "projects": _l("Projects"),
    "origin_visits": _l("Origin visits"),
    "sectors": _l("Sectors"),
}


@dataclass
class RecordKind:
    """One kind of record in the log: its label, model, page and how one is named."""

    label: object
    model: type
    endpoint: str | None
    id_arg: str
    name: Callable[[object, object], str]
    forms: tuple[type, ...] = ()
    labels: dict[str, object] = field(default_factory=dict)
    # The relationship `name` reads (a visit is named by its enterprise), loaded with the records.
    named_by: str | None = None

    def field_label(self, name: str) -> str:
        # A page of 50 events names a hundred fields: each label is translated once per language and kept.
        key = (self.model.__name__, name, language())
        if key not in _FIELD_LABELS:
            # `is None`, not `or`: the labels are lazy texts, and `or` would translate each one twice.
            label = self.labels.get(name)
            if label is None:
                label = _common_label(name)
            _FIELD_LABELS[key] = name.replace("_", " ").capitalize() if label is None else str(label)
        return _FIELD_LABELS[key]


# (model, field, language) → the field's label; the catalogs do not change while the app runs.
_FIELD_LABELS: dict[tuple[str, str, str], str] = {}


def _form_labels(*forms: type) -> dict[str, object]:
    """The labels of the forms' fields, keyed by the column they fill (sector_ids → sectors, enterprise → …_id)."""
    labels: dict[str, object] = {}
    for form in forms:
        for attribute in dir(form):
            unbound = getattr(form, attribute, None)
            if not isinstance(unbound, UnboundField):
                continue
            text = unbound.args[0] if unbound.args else unbound.kwargs.get("label")
            if text is None:
                continue
            if attribute.endswith("_ids"):
                attribute = {"member_ids": "members_present", "contact_ids": "contacts"}.get(
                    attribute, attribute[: -len("_ids")] + "s"
                )
            elif attribute == "enterprise":
                attribute = "enterprise_id"
            labels.setdefault(attribute, text)
    return labels


@cache
def kinds() -> dict[str, RecordKind]:
    """The registry, by table name (built on first use: it imports every area's models and forms)."""
    from crm.accounts.forms import UserForm
    from crm.accounts.models import User
    from crm.attachments.models import Attachment
    from crm.enterprises.forms import ContactForm, EnterpriseForm
    from crm.enterprises.models import Contact, Enterprise
    from crm.followups.forms import FollowUpForm
    from crm.followups.models import FollowUp
    from crm.pipeline.forms import FIELD_LABELS, ProjectForm, StageForm, StatusForm
    from crm.pipeline.models import InvestmentProject, StageChange
    from crm.sectors.models import Sector
    from crm.trips.forms import MemberForm, TripForm
    from crm.trips.models import DelegationMember, Trip
    from crm.visits.forms import VisitForm
    from crm.visits.models import Visit

    def project_name(project, viewer) -> str:
        return project.name if viewer is None or project.can_see(viewer) else project.code_name

    registry = {
        "users": RecordKind(_l("User"), User, None, "user_id", lambda r, v: r.display_name, (UserForm,)),
        "enterprises": RecordKind(
            _l("Enterprise"),
            Enterprise,
            "enterprises.detail",
            "enterprise_id",
            lambda r, v: r.display_name,
            (EnterpriseForm,),
        ),
        "contacts": RecordKind(
            _l("Contact"), Contact, "contacts.detail", "contact_id", lambda r, v: r.display_name, (ContactForm,)
        ),
        "trips": RecordKind(_l("Trip"), Trip, "trips.detail", "trip_id", lambda r, v: r.title, (TripForm,)),
        "delegation_members": RecordKind(
            _l("Delegation member"), DelegationMember, None, "member_id", lambda r, v: r.display_name, (MemberForm,)
        ),
        "visits": RecordKind(
            _l("Visit"),
            Visit,
            "visits.detail",
            "visit_id",
            lambda r, v: f"{r.enterprise.display_name}, {format_date(r.visited_on, 'medium')}",
            (VisitForm,),
            named_by="enterprise",
        ),
        "investment_projects": RecordKind(
            _l("Investment project"),
            InvestmentProject,
            "pipeline.detail",
            "project_id",
            project_name,
            (ProjectForm,),
            dict(FIELD_LABELS),
        ),
        "stage_changes": RecordKind(
            _l("Stage change"),
            StageChange,
            None,
            "stage_change_id",
            lambda r, v: f"{project_name(r.project, v)} → {r.to_stage.label}",
            (StageForm, StatusForm),
            named_by="project",
        ),
        "follow_ups": RecordKind(
            _l("Follow-up"),
            FollowUp,
            "followups.detail",
            "follow_up_id",
            lambda r, v: r.title_for(v) if v is not None else r.title,
            (FollowUpForm,),
            named_by="project",
        ),
        "attachments": RecordKind(_l("Attachment"), Attachment, None, "attachment_id", lambda r, v: r.filename),
        "sectors": RecordKind(_l("Sector"), Sector, None, "sector_id", lambda r, v: r.name),
    }
    for make in _ADDED_KINDS:
        table, kind = make()
        registry[table] = kind
    for kind in registry.values():
        kind.labels = {**_form_labels(*kind.forms), **kind.labels}
    return registry


# Kinds that the read and output areas keep records of (the trip report): they register here, as those areas
# may import this one and not the other way round. Each function gives (table, kind) when the registry is built.
_ADDED_KINDS: list[Callable[[], tuple[str, RecordKind]]] = []


def add_kind(make: Callable[[], tuple[str, RecordKind]]) -> None:
    _ADDED_KINDS.append(make)
    kinds.cache_clear()


def _target_table(kind: RecordKind, name: str) -> str | None:
    """The table a column's foreign key or a many-to-many link points to."""
    mapper = sa.inspect(kind.model)
    if name in mapper.relationships:
        return mapper.relationships[name].mapper.local_table.name
    column = mapper.columns.get(name)
    if column is not None and column.foreign_keys:
        return next(iter(column.foreign_keys)).column.table.name
    return None


@dataclass
class Shown:
    """A value as the page shows it: text, and the page of the record it names, if any."""

    text: str
    url: str | None = None


@dataclass
class FieldChange:
    label: str
    before: list[Shown] | None = None  # None: no "before" (a creation, or links)
    after: list[Shown] | None = None
    added: list[Shown] = field(default_factory=list)
    removed: list[Shown] = field(default_factory=list)


@dataclass
class ReadableEvent:
    """An AuditEvent with its record named and its changes labelled and formatted."""

    event: AuditEvent
    kind_label: str | None
    record: Shown | None
    changes: list[FieldChange]


class _Names:
    """The records a page of events names, loaded with one query per kind of record."""

    def __init__(self, viewer) -> None:
        self.viewer = viewer
        self.wanted: dict[str, set[int]] = defaultdict(set)
        self.found: dict[tuple[str, int], Shown] = {}

    def want(self, table: str | None, ids: Iterable) -> None:
        if table in kinds():
            self.wanted[table].update(i for i in ids if isinstance(i, int))

    def load(self) -> None:
        from flask import url_for

        for table, ids in self.wanted.items():
            kind = kinds()[table]
            records = [record for record in map(partial(_in_session, kind), ids) if record is not None]
            missing = set(ids) - {record.id for record in records}
            if missing:
                query = sa.select(kind.model).where(kind.model.id.in_(missing))
                if kind.named_by:
                    query = query.options(joinedload(getattr(kind.model, kind.named_by)))
                records += db.session.scalars(query)
            for record in records:
                url = url_for(kind.endpoint, **{kind.id_arg: record.id}) if kind.endpoint else None
                self.found[(table, record.id)] = Shown(kind.name(record, self.viewer), url)

    def shown(self, table: str, record_id: int) -> Shown:
        return self.found.get((table, record_id)) or Shown(f"{kinds()[table].label} #{record_id}")


def _in_session(kind: RecordKind, record_id: int):
    """The record if the page has already read it (its own record, its trip…), with what names it: no query."""
    record = db.session.identity_map.get(identity_key(kind.model, record_id))
    if record is None or sa.inspect(record).expired:
        return None
    if kind.named_by and kind.named_by in sa.inspect(record).unloaded:
        return None
    return record


def _format(kind: RecordKind, name: str, value, names: _Names) -> list[Shown]:
    """One stored value as a reader should see it, from the type of its column."""
    if value is None or value == "":
        return [Shown("—")]
    table = _target_table(kind, name)
    if table in kinds():
        return [names.shown(table, item) for item in (value if isinstance(value, list) else [value])]
    column = sa.inspect(kind.model).columns.get(name)
    column_type = column.type if column is not None else None
    try:
        if isinstance(column_type, sa.Enum) and column_type.enum_class is not None:
            return [Shown(str(column_type.enum_class(value).label))]
        if isinstance(column_type, sa.Boolean):
            return [Shown(str(_l("yes") if value else _l("no")))]
        if isinstance(column_type, sa.Numeric) and not isinstance(column_type, sa.Integer | sa.Float):
            return [Shown(money(Decimal(str(value))))]
        if isinstance(column_type, sa.Date):
            return [Shown(format_date(date.fromisoformat(value), "medium"))]
        if column_type is not None and column_type.python_type is datetime:
            return [Shown(moment(datetime.fromisoformat(value)))]
    except (ValueError, InvalidOperation, NotImplementedError, TypeError):
        pass  # a value the column no longer holds in this form: shown as stored
    text = str(value)
    return [Shown(text if len(text) <= 120 else text[:119] + "…")]


def readable(
    events: Iterable[AuditEvent], viewer=None, *, withheld: frozenset[str] = frozenset()
) -> list[ReadableEvent]:
    """The events of one page, ready to show; every record they name is loaded once.

    `viewer` (the signed-in user by default) decides whether a confidential project is named or code-named;
    the changes of the `withheld` fields are left out.
    """
    if viewer is None and has_request_context() and current_user.is_authenticated:
        viewer = current_user._get_current_object()
    events = list(events)
    names = _Names(viewer)
    for event in events:
        kind = kinds().get(event.entity_type or "")
        if kind is None:
            continue
        names.want(event.entity_type, [event.entity_id])
        for name, change in (event.changes or {}).items():
            table = _target_table(kind, name)
            if isinstance(change, dict):
                names.want(table, [*change.get("added", []), *change.get("removed", [])])
            elif isinstance(change, list):
                names.want(table, [item for item in change if not isinstance(item, list)])
    names.load()
    return [_readable(event, names, withheld) for event in events]


# What an export's or an import's details say (the lists are named as their pages are).
DETAIL_LABELS = {
    "export": _l("Export"),
    "list": _l("List"),
    "format": _l("Format"),
    "filters": _l("Filters"),
    "rows": _l("Rows"),
    "language": _l("Language"),
    "file": _l("File name"),
    "kind": _l("Kind"),
    "created": _l("Created"),
    "updated": _l("Updated"),
    "skipped": _l("Skipped"),
}


def _common_label(name: str):
    """The label of a field every kind has, or of an export's or import's detail; None if neither names it."""
    label = COMMON_LABELS.get(name)
    return DETAIL_LABELS.get(name) if label is None else label


def entity_label(table: str | None) -> str | None:
    """How a kind of record is named on the log's page, in its filter and in its export: the kind's label, or,
    for an export or import of a whole list, the list's (its page's title: "Investment projects", not
    "projects")."""
    if not table:
        return None
    kind = kinds().get(table)
    if kind is not None:
        return str(kind.label)
    from crm.exchange.tables import TABLES  # the exchange area records these events: imported when first needed

    return str(TABLES[table].label) if table in TABLES else table


def _detail(value) -> str:
    """A detail as text: a list's filters as name=value, none as a dash."""
    if isinstance(value, dict):
        return ", ".join(f"{name}={item}" for name, item in value.items()) or "—"
    return "—" if value is None or value == "" else str(value)


def _readable(event: AuditEvent, names: _Names, withheld: frozenset[str] = frozenset()) -> ReadableEvent:
    kind = kinds().get(event.entity_type or "")
    if kind is None:  # a sign-in with details, an export or import of a list, or a kind not registered yet
        changes = [
            FieldChange(str(label if (label := _common_label(key)) is not None else key), after=[Shown(_detail(value))])
            for key, value in (event.changes or {}).items()
        ]
        # An export of a whole list names the list, not a record ("projects #None" before).
        record = Shown(f"{event.entity_type} #{event.entity_id}") if event.entity_type and event.entity_id else None
        return ReadableEvent(event, entity_label(event.entity_type), record, changes)
    changes = []
    for name, change in (event.changes or {}).items():
        if name in HIDDEN_FIELDS or name in withheld:
            continue
        label = kind.field_label(name)
        if isinstance(change, dict):
            added = [shown for item in change.get("added", []) for shown in _format(kind, name, item, names)]
            removed = [shown for item in change.get("removed", []) for shown in _format(kind, name, item, names)]
            changes.append(FieldChange(label, added=added, removed=removed))
        elif isinstance(change, list) and len(change) == 2:
            before, after = change
            changes.append(
                FieldChange(
                    label,
                    before=_format(kind, name, before, names) if before is not None else None,
                    after=_format(kind, name, after, names),
                )
            )
        else:
            changes.append(FieldChange(label, after=_format(kind, name, change, names)))
    record = names.shown(event.entity_type, event.entity_id) if event.entity_id else None
    return ReadableEvent(event, str(kind.label), record, changes)
