from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.accounts.models import User
from crm.core import words
from crm.core.models import RecordMixin, live_index
from crm.core.searchkeys import Searchable
from crm.core.time import UTCDateTime
from crm.enterprises.models import Enterprise
from crm.extensions import db
from crm.pipeline.models import InvestmentProject
from crm.trips.models import Trip
from crm.visits.models import Visit


@words.indexed
class FollowUp(Searchable, RecordMixin, db.Model):
    """An action item; it links to the trip, visit, project or enterprise it came from."""

    __tablename__ = "follow_ups"
    __words__ = ("title",)  # what the list search finds it by (crm.core.words)
    __table_args__ = (
        # "My follow-ups": the open ones of one owner by due date, and the ones done lately; and everyone's list.
        live_index("ix_follow_ups_owner_open", "owner_id", "due_on", "id", also="done_at IS NULL"),
        live_index("ix_follow_ups_owner_done", "owner_id", "done_at"),
        live_index("ix_follow_ups_live_by_due", "due_on", "id"),
        # The dashboards: overdue follow-ups of everyone, and each project's first completed follow-up.
        live_index("ix_follow_ups_open_by_due", "done_at", "due_on"),
        live_index("ix_follow_ups_project_done", "project_id", "done_at"),
        # Stale projects: the projects of follow-ups added lately (done lately reads ix_follow_ups_open_by_due),
        # from the index alone. Not led by deleted_at, which would tempt SQLite to read it for every "live
        # follow-ups" query; not partial, since the stale count asks for live ones with +deleted_at.
        sa.Index("ix_follow_ups_added", "created_at", "project_id", "deleted_at"),
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

    # What such a reader may not read of it, here or in its history.
    MASKED_FIELDS = frozenset({"title", "notes"})

    def is_masked_for(self, user: User) -> bool:
        """Whether `user` reads it by its project's code name only (see title_for): its title and notes are withheld."""
        return self.project is not None and user.id != self.owner_id and not self.project.can_see(user)

    def title_for(self, user: User) -> str:
        """The title as `user` may read it: on a confidential project they may not see, only its code name
        (unless the follow-up is theirs to do).

        The title is written by the owner and would often name the enterprise ("Send Hidden Motors the offer").
        """
        if self.is_masked_for(user):
            return str(_l("Follow-up on %(code_name)s", code_name=self.project.code_name))
        return self.title
