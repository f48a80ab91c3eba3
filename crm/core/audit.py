"""The audit log: one AuditEvent for every write, login and export, in the same transaction.

Writes are caught in one place, a session listener, so no service can forget to log one. Logins,
exports and imports are not row changes and are recorded explicitly with `record()`.
"""

from __future__ import annotations

import contextvars
import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from crm.core.models import LabelledEnum, enum_column
from crm.core.time import UTCDateTime, utcnow
from crm.extensions import db

# Values never copied into the log.
REDACTED_FIELDS = {"password_hash", "session_token"}
# Bookkeeping that changes on every write and tells a reader nothing.
IGNORED_FIELDS = {"updated_at", "version", "last_login_at"}  # last_login_at: the LOGIN event says it
# Keys derived from a name by the model (crm.enterprises.names): the name's own change says it all.
IGNORED_FIELDS |= {"name_key", "local_name_key"}

# Who acts when there is no logged-in user (a CLI command, say); set with `acting_as`.
_system_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_actor", default=None)


class AuditAction(LabelledEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    EXPORT = "export"
    IMPORT = "import"
    MERGE = "merge"
    UNMERGE = "unmerge"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.CREATE: _l("Created"),
            cls.UPDATE: _l("Updated"),
            cls.DELETE: _l("Deleted"),
            cls.RESTORE: _l("Restored"),
            cls.LOGIN: _l("Logged in"),
            cls.LOGIN_FAILED: _l("Login failed"),
            cls.LOGOUT: _l("Logged out"),
            cls.EXPORT: _l("Exported"),
            cls.IMPORT: _l("Imported"),
            cls.MERGE: _l("Merged"),
            cls.UNMERGE: _l("Merge undone"),
        }


# Work done outside a request is recorded as the system's ("system (flask demo load)"); pages translate the word.
SYSTEM = "system"


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # Who it was in words, kept even if the account is renamed: an email, or "system (demo load)".
    actor: Mapped[str | None] = mapped_column(sa.String(254))
    action: Mapped[AuditAction] = enum_column(AuditAction, index=True)
    entity_type: Mapped[str | None] = mapped_column(sa.String(50))
    entity_id: Mapped[int | None] = mapped_column(sa.Integer)
    changes: Mapped[dict | None] = mapped_column(sa.JSON)
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))

    user = relationship("User")

    __table_args__ = (sa.Index("ix_audit_events_entity", "entity_type", "entity_id"),)

    @property
    def actor_shown(self) -> str | None:
        """The recorded actor with "system" in the reader's language: "系统 (flask demo load)" on a Chinese page."""
        if self.actor and (self.actor == SYSTEM or self.actor.startswith(SYSTEM + " (")):
            return str(_l("system")) + self.actor[len(SYSTEM) :]
        return self.actor


class acting_as:  # used as a context manager, so it reads like a phrase
    """Attribute writes made outside a request (CLI commands) to a named system actor."""

    def __init__(self, actor: str) -> None:
        self.actor = actor

    def __enter__(self) -> None:
        self._token = _system_actor.set(self.actor)

    def __exit__(self, *exc: object) -> None:
        _system_actor.reset(self._token)


def _who() -> dict[str, Any]:
    if has_request_context():
        user = current_user._get_current_object() if current_user else None
        if user is not None and getattr(user, "is_authenticated", False):
            return {"user_id": user.id, "actor": user.email, "ip_address": request.remote_addr}
        return {"user_id": None, "actor": _system_actor.get(), "ip_address": request.remote_addr}
    return {"user_id": None, "actor": _system_actor.get() or SYSTEM, "ip_address": None}


def record(
    action: AuditAction,
    entity: Any = None,
    *,
    entity_type: str | None = None,
    details: dict | None = None,
    user: Any = None,
) -> AuditEvent:
    """Add an explicit event (login, export, import) to the current transaction."""
    who = _who()
    if user is not None:
        who.update(user_id=user.id, actor=user.email)
    event_ = AuditEvent(
        action=action,
        entity_type=entity_type or (entity.__tablename__ if entity is not None else None),
        entity_id=getattr(entity, "id", None),
        changes=details,
        **who,
    )
    db.session.add(event_)
    return event_


def _plain(value: Any) -> Any:
    """A value as JSON can hold it."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    return value


def _shown(key: str, value: Any) -> Any:
    return "***" if key in REDACTED_FIELDS and value is not None else _plain(value)


def _column_changes(state: sa.orm.InstanceState, *, new: bool) -> dict[str, list]:
    changes: dict[str, list] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in IGNORED_FIELDS:
            continue
        history = state.attrs[attr.key].history
        if new:
            value = state.attrs[attr.key].value
            if value is not None:
                changes[attr.key] = [None, _shown(attr.key, value)]
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                changes[attr.key] = [_shown(attr.key, before), _shown(attr.key, after)]
    return changes


def _link_changes(state: sa.orm.InstanceState) -> dict[str, dict]:
    """Many-to-many links (sectors, contacts met, projects) added and removed, as ids."""
    changes: dict[str, dict] = {}
    for rel in state.mapper.relationships:
        if rel.secondary is None:
            continue
        history = state.attrs[rel.key].history
        added = [item.id for item in history.added]
        removed = [item.id for item in history.deleted]
        if added or removed:
            changes[rel.key] = {"added": added, "removed": removed}
    return changes


def _action_for(state: sa.orm.InstanceState, changes: dict) -> AuditAction:
    deleted_at = changes.get("deleted_at")
    if deleted_at is not None:
        return AuditAction.DELETE if deleted_at[1] is not None else AuditAction.RESTORE
    return AuditAction.UPDATE


@event.listens_for(Session, "after_flush")
def _audit_flush(session: Session, flush_context: Any) -> None:
    """Write one AuditEvent for each record this flush created, changed or deleted."""
    rows = []
    who = None
    for obj, kind in _flushed(session):
        state = sa.inspect(obj)
        if kind == "create":
            changes = _column_changes(state, new=True) | _link_changes(state)
            action = AuditAction.CREATE
        elif kind == "delete":
            changes = {
                key: [_shown(key, state.attrs[key].value), None]
                for key in [attr.key for attr in state.mapper.column_attrs]
                if key not in IGNORED_FIELDS
            }
            action = AuditAction.DELETE
        else:
            changes = _column_changes(state, new=False) | _link_changes(state)
            if not changes:
                continue
            action = _action_for(state, changes)
        who = who or _who()
        rows.append(
            {
                "occurred_at": utcnow(),
                "action": action,
                "entity_type": obj.__tablename__,
                "entity_id": state.mapper.primary_key_from_instance(obj)[0],
                "changes": changes,
                **who,
            }
        )
    if rows:
        session.connection().execute(sa.insert(AuditEvent), rows)


def _audited(obj: object) -> bool:
    """Models opt out with `__audited__ = False` (the log itself, rate-limit counters)."""
    return getattr(obj, "__audited__", True)


def _flushed(session: Session):
    for obj in session.new:
        if _audited(obj):
            yield obj, "create"
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj):
            yield obj, "update"
    for obj in session.deleted:
        if _audited(obj):
            yield obj, "delete"
