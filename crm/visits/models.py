from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.accounts.models import User
from crm.core import words
from crm.core.models import LabelledEnum, RecordMixin, enum_column, live_index
from crm.enterprises.models import Contact, Enterprise
from crm.extensions import db
from crm.sectors.models import Sector, sector_link_table
from crm.trips.models import DelegationMember, Trip

if TYPE_CHECKING:
    from crm.pipeline.models import InvestmentProject


class VisitDirection(LabelledEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.OUTBOUND: _l("Outbound (we visit them)"), cls.INBOUND: _l("Inbound (they visit us)")}


class DaySlot(LabelledEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.MORNING: _l("Morning"), cls.AFTERNOON: _l("Afternoon"), cls.EVENING: _l("Evening")}


class InterestLevel(LabelledEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.LOW: _l("Low"), cls.MEDIUM: _l("Medium"), cls.HIGH: _l("High")}


visit_sectors = sector_link_table("visit_sectors", "visits", "visit_id")

visit_contacts = sa.Table(
    "visit_contacts",
    db.metadata,
    sa.Column("visit_id", sa.ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("contact_id", sa.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True, index=True),
)

visit_members = sa.Table(
    "visit_members",
    db.metadata,
    sa.Column("visit_id", sa.ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", sa.ForeignKey("delegation_members.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# The projects a visit originated or advanced (and so a project's origin visits).
visit_projects = sa.Table(
    "visit_projects",
    db.metadata,
    sa.Column("visit_id", sa.ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("investment_projects.id", ondelete="CASCADE"), primary_key=True, index=True),
)


@words.indexed
class Visit(RecordMixin, db.Model):
    __tablename__ = "visits"
    __words__ = ("purpose", "discussed", "commitments", "city")  # what the list search finds it by (crm.core.words)
    # The lists read live visits newest first, and an enterprise's page its own live visits, from these
    # indexes of the live rows alone (see live_index); the page count too.
    __table_args__ = (
        live_index("ix_visits_live_by_date", "visited_on", "id"),
        live_index("ix_visits_enterprise_live", "enterprise_id", "visited_on"),
        live_index("ix_visits_trip_live", "trip_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trip_id: Mapped[int | None] = mapped_column(sa.ForeignKey("trips.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    direction: Mapped[VisitDirection] = enum_column(VisitDirection, default=VisitDirection.OUTBOUND)
    visited_on: Mapped[date] = mapped_column(sa.Date, index=True)
    slot: Mapped[DaySlot] = enum_column(DaySlot, default=DaySlot.MORNING)
    city: Mapped[str | None] = mapped_column(sa.String(100))
    purpose: Mapped[str | None] = mapped_column(sa.Text)
    presented: Mapped[str | None] = mapped_column(sa.Text)
    discussed: Mapped[str | None] = mapped_column(sa.Text)
    commitments: Mapped[str | None] = mapped_column(sa.Text)
    # Attendees on their side who are not contacts on file, and on ours who are not delegation members.
    other_attendees: Mapped[str | None] = mapped_column(sa.Text)
    interest_level: Mapped[InterestLevel | None] = enum_column(InterestLevel)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    is_sample: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    trip: Mapped[Trip | None] = relationship()
    enterprise: Mapped[Enterprise] = relationship()
    owner: Mapped[User | None] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=visit_sectors, order_by=Sector.position)
    contacts: Mapped[list[Contact]] = relationship(secondary=visit_contacts)
    members_present: Mapped[list[DelegationMember]] = relationship(secondary=visit_members)
    projects: Mapped[list[InvestmentProject]] = relationship(secondary=visit_projects, back_populates="origin_visits")

    def can_edit(self, user: User) -> bool:
        if user.is_manager or self.owner_id == user.id:
            return True
        return self.trip is not None and self.trip.can_edit(user)
