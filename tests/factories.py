"""Records for tests, with sensible defaults; every keyword overrides a field."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from crm.accounts.models import User
from crm.extensions import db
from crm.models import (
    Contact,
    DelegationMember,
    Enterprise,
    FollowUp,
    InvestmentProject,
    Stage,
    Trip,
    TripStatus,
    Visit,
)
from crm.pipeline import services as pipeline

_counter = iter(range(1, 1_000_000))


def _saved(record):
    db.session.add(record)
    db.session.flush()
    return record


def enterprise(owner: User | None = None, **fields) -> Enterprise:
    number = next(_counter)
    fields.setdefault("name", f"Test Enterprise {number} Co., Ltd.")
    fields.setdefault("local_name", f"测试企业{number}有限公司")
    fields.setdefault("city", "Suzhou")
    record = Enterprise(owner=owner, **fields)
    return _saved(record)


def contact(enterprise_: Enterprise | None = None, owner: User | None = None, **fields) -> Contact:
    fields.setdefault("name", f"Contact {next(_counter)}")
    return _saved(Contact(enterprise=enterprise_ or enterprise(owner), owner=owner, **fields))


def trip(organiser: User | None = None, **fields) -> Trip:
    fields.setdefault("title", f"Mission {next(_counter)}")
    fields.setdefault("start_on", date(2026, 3, 23))
    fields.setdefault("end_on", fields["start_on"] + timedelta(days=3))
    fields.setdefault("destination_cities", "Wuxi, Suzhou, Hangzhou")
    fields.setdefault("status", TripStatus.PLANNED)
    return _saved(Trip(organiser=organiser, **fields))


def member(trip_: Trip, **fields) -> DelegationMember:
    fields.setdefault("name", f"Member {next(_counter)}")
    return _saved(DelegationMember(trip=trip_, **fields))


def visit(
    owner: User | None = None, enterprise_: Enterprise | None = None, trip_: Trip | None = None, **fields
) -> Visit:
    fields.setdefault("visited_on", trip_.start_on if trip_ else date(2026, 3, 24))
    fields.setdefault("purpose", "Introduce the zone")
    return _saved(Visit(owner=owner, enterprise=enterprise_ or enterprise(owner), trip=trip_, **fields))


def project(owner: User | None = None, enterprise_: Enterprise | None = None, **fields) -> InvestmentProject:
    number = next(_counter)
    fields.setdefault("name", f"Project {number}")
    fields.setdefault("code_name", f"Code {number}")
    fields.setdefault("planned_investment", Decimal("10000000"))
    record = InvestmentProject(owner=owner, enterprise=enterprise_ or enterprise(owner), **fields)
    record.stage = fields.get("stage", Stage.LEAD)
    return pipeline.open_project(record, by=owner)


def follow_up(owner: User, **fields) -> FollowUp:
    fields.setdefault("title", f"Follow-up {next(_counter)}")
    fields.setdefault("due_on", date.today() + timedelta(days=7))
    if not any(fields.get(link) for link in ("trip", "visit", "project", "enterprise")):
        fields["enterprise"] = enterprise(owner)
    return _saved(FollowUp(owner=owner, **fields))


def attachment(trip_: Trip, uploader: User, *, content: bytes = b"%PDF-1.4\n", **fields):
    """An attachment of a trip, with its file in the upload folder."""
    import secrets

    from crm.attachments.models import Attachment, AttachmentKind
    from crm.attachments.services import upload_folder

    stored_name = f"{secrets.token_hex(8)}.bin"
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored_name).write_bytes(content)
    fields.setdefault("filename", "minutes.pdf")
    fields.setdefault("content_type", "application/pdf")
    fields.setdefault("kind", AttachmentKind.DOCUMENT)
    record = Attachment(
        trip=trip_,
        stored_name=stored_name,
        size_bytes=len(content),
        sha256="0" * 64,
        uploaded_by_id=uploader.id,
        **fields,
    )
    return _saved(record)
