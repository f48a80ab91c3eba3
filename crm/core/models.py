"""Mixins and column types that every business record shares."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from crm.core.time import UTCDateTime, utcnow

# (member, language) → label; the catalogs do not change while the app runs.
_LABELS: dict[tuple, str] = {}


def _language() -> str:
    from flask import has_request_context
    from flask_babel import get_locale

    if not has_request_context():
        return ""  # outside a request (CLI, tests without one), labels are not cached
    locale = get_locale()
    return str(locale) if locale else ""


class LabelledEnum(enum.StrEnum):
    """A string enumeration whose members carry a translatable label.

    Subclasses define `_labels()` returning {member: lazy_gettext(...)}; the label is looked up
    when shown, so it follows the reader's language.
    """

    @classmethod
    def _labels(cls) -> dict:
        return {}

    @property
    def label(self) -> str:
        # Looked up once per member and language: a board or an export asks for the same few labels
        # thousands of times, and each fresh lookup builds the label table and asks the catalog again.
        language = _language()
        if not language:
            return str(self._labels().get(self, self.value))
        key = (self, language)
        if key not in _LABELS:
            _LABELS[key] = str(self._labels().get(self, self.value))
        return _LABELS[key]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


# The condition of a live_index.
LIVE = "deleted_at IS NULL"


def live_index(name: str, *columns, also: str | None = None) -> sa.Index:
    """An index of the live rows only (WHERE deleted_at IS NULL), for the lists, which read live rows in the
    order of an index and stop at the page's end.

    Not deleted_at as the index's first column: SQLite would read the rows after it in order, but PostgreSQL
    takes IS NULL for no equality and would sort every live row instead. A partial index serves both.
    """
    condition = f"{LIVE} AND {also}" if also else LIVE  # `also`: a narrower part, e.g. the open follow-ups
    return sa.Index(name, *columns, postgresql_where=sa.text(condition), sqlite_where=sa.text(condition))


def enum_column(enum_class: type[enum.StrEnum], **kwargs) -> Mapped:
    """A column that stores an enumeration as its string value (no native database enum)."""
    return mapped_column(
        sa.Enum(
            enum_class,
            native_enum=False,
            create_constraint=False,
            length=32,
            values_callable=lambda members: [member.value for member in members],
            validate_strings=True,
        ),
        **kwargs,
    )


def money_column(**kwargs) -> Mapped:
    """An amount in the reporting currency: exact decimals, never floats."""
    return mapped_column(sa.Numeric(16, 2), **kwargs)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SoftDeleteMixin:
    """Business records are hidden, not destroyed, so a manager can restore them."""

    # active_history: the old value is loaded before a change, so delete and restore are told apart.
    # Indexed for the deleted rows alone (below): an index of every row's deleted_at, nearly all NULL, would
    # only tempt SQLite away from the lists' ordered indexes of live rows (live_index).
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, active_history=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class VersionMixin:
    """Optimistic locking: SQLAlchemy refuses an UPDATE whose version no longer matches."""

    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


def links_changed(state: sa.orm.InstanceState) -> bool:
    """Whether a record's many-to-many links (sectors, contacts met, projects…) were added or removed.

    A relationship marked `info={"versioned": False}` is the far side of links another record owns
    (a project's origin visits are the visits' linked projects): it does not count as a change here.
    """
    return any(
        state.attrs[rel.key].history.has_changes()
        for rel in state.mapper.relationships
        if rel.secondary is not None and not rel.viewonly and rel.info.get("versioned", True)
    )


@event.listens_for(Session, "before_flush")
def _links_move_the_version(session: Session, flush_context, instances) -> None:
    """A change to a record's links is a change of the record: its row is updated, so its version moves.

    Links live in association tables; left alone, SQLAlchemy would write them without touching the record's
    row, and a stale form saved afterwards would silently put the old links back.
    """
    for obj in session.dirty:
        if isinstance(obj, VersionMixin) and links_changed(sa.inspect(obj)):
            obj.updated_at = utcnow()  # any UPDATE of the row checks and moves the version


class RecordMixin(TimestampMixin, SoftDeleteMixin, VersionMixin):
    """Everything a business record carries: timestamps, soft delete and a version."""


@event.listens_for(SoftDeleteMixin, "instrument_class", propagate=True)
def _index_deleted_rows(mapper, model) -> None:
    """Each soft-deleted table gets ix_<table>_deleted: the few deleted rows, for a manager's "show deleted"."""
    table = model.__table__
    name = f"ix_{table.name}_deleted"
    if name not in {index.name for index in table.indexes}:
        deleted = sa.text("deleted_at IS NOT NULL")
        sa.Index(name, table.c.deleted_at, postgresql_where=deleted, sqlite_where=deleted)
