"""The trip report: what only a person writes, the choice of meetings and photos, and its sign-off."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.accounts.models import User
from crm.core.models import LabelledEnum, RecordMixin, enum_column
from crm.core.time import UTCDateTime
from crm.extensions import db
from crm.trips.models import Trip


class ReportStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.DRAFT: _l("Draft"),
            cls.SUBMITTED: _l("Submitted"),
            cls.APPROVED: _l("Approved"),
            cls.RETURNED: _l("Returned"),
        }

    @property
    def is_editable(self) -> bool:
        """The delegation writes while drafting and after a return; submitted and approved reports are fixed."""
        return self in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class TripReport(RecordMixin, db.Model):
    """One report per trip. The facts come from the trip's records; the texts and choices are kept here."""

    __tablename__ = "trip_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    trip_id: Mapped[int] = mapped_column(sa.ForeignKey("trips.id"), unique=True)
    status: Mapped[ReportStatus] = enum_column(ReportStatus, default=ReportStatus.DRAFT, index=True)
    summary: Mapped[str | None] = mapped_column(sa.Text)
    assessment: Mapped[str | None] = mapped_column(sa.Text)
    recommendations: Mapped[str | None] = mapped_column(sa.Text)
    # [[visit_id, included], ...] in report order; visits logged later are appended, included.
    meeting_choice: Mapped[list | None] = mapped_column(sa.JSON)
    # [[attachment_id, included], ...] in report order; photos added later are appended, included.
    photo_choice: Mapped[list | None] = mapped_column(sa.JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    return_comment: Mapped[str | None] = mapped_column(sa.Text)
    # What leadership signed, in both languages, as rendered on approval: {"en": {...}, "zh": {...}}.
    approved_content: Mapped[dict | None] = mapped_column(sa.JSON)

    trip: Mapped[Trip] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def can_edit(self, user: User) -> bool:
        """Write and submit: the trip's organiser and members, and managers."""
        return self.trip.can_edit(user)

    def can_decide(self, user: User) -> bool:
        """Approve or return: managers."""
        return user.is_manager
