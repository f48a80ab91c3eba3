from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.accounts.models import User
from crm.core.models import RecordMixin
from crm.core.searchkeys import Searchable
from crm.core.time import UTCDateTime
from crm.enterprises.models import Enterprise
from crm.extensions import db
from crm.pipeline.models import InvestmentProject
from crm.trips.models import Trip
from crm.visits.models import Visit


class FollowUp(Searchable, RecordMixin, db.Model):
    """An action item; it links to the trip, visit, project or enterprise it came from."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        sa.CheckConstraint(
            "trip_id IS NOT NULL OR visit_id IS NOT NULL OR project_id IS NOT NULL OR enterprise_id IS NOT NULL",
            name="links_to_a_record",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    due_on: Mapped[date] = mapped_column(sa.Date, index=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    trip_id: Mapped[int | None] = mapped_column(sa.ForeignKey("trips.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("visits.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("investment_projects.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    is_sample: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    owner: Mapped[User] = relationship()
    trip: Mapped[Trip | None] = relationship()
    visit: Mapped[Visit | None] = relationship()
    project: Mapped[InvestmentProject | None] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()

    def search_texts(self) -> list[tuple[str, str | None]]:
        return [("title", self.title)]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: date) -> bool:
        return not self.is_done and self.due_on < today

    def can_edit(self, user: User) -> bool:
        return user.is_manager or self.owner_id == user.id
