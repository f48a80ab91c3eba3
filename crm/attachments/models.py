from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.accounts.models import User
from crm.core.models import LabelledEnum, SoftDeleteMixin, TimestampMixin, enum_column
from crm.extensions import db
from crm.trips.models import Trip
from crm.visits.models import Visit


class AttachmentKind(LabelledEnum):
    PHOTO = "photo"
    DOCUMENT = "document"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.PHOTO: _l("Photo"), cls.DOCUMENT: _l("Document")}


class Attachment(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "attachments"
    __table_args__ = (
        sa.CheckConstraint("trip_id IS NOT NULL OR visit_id IS NOT NULL", name="belongs_to_trip_or_visit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trip_id: Mapped[int | None] = mapped_column(sa.ForeignKey("trips.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("visits.id"), index=True)
    kind: Mapped[AttachmentKind] = enum_column(AttachmentKind)
    filename: Mapped[str] = mapped_column(sa.String(255))
    # The file's name under instance/uploads: random, so user input never becomes a path.
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size_bytes: Mapped[int] = mapped_column(sa.Integer)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    caption: Mapped[str | None] = mapped_column(sa.String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    trip: Mapped[Trip | None] = relationship()
    visit: Mapped[Visit | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship()
