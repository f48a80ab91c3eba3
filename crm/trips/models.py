from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.accounts.models import User
from crm.core import words
from crm.core.i18n import in_reader_language
from crm.core.models import (
    LabelledEnum,
    RecordMixin,
    SoftDeleteMixin,
    VersionMixin,
    enum_column,
    live_index,
    money_column,
)
from crm.core.searchkeys import Searchable
from crm.core.time import add_working_days, bureau_days_off
from crm.extensions import db
from crm.sectors.models import Sector, sector_link_table

REPORT_DUE_WORKING_DAYS = 15


class TripStatus(LabelledEnum):
    PLANNED = "planned"
    UNDERWAY = "underway"
    COMPLETED = "completed"
    REPORTED = "reported"
    CANCELLED = "cancelled"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.PLANNED: _l("Planned"),
            cls.UNDERWAY: _l("Underway"),
            cls.COMPLETED: _l("Completed"),
            cls.REPORTED: _l("Reported"),
            cls.CANCELLED: _l("Cancelled"),
        }


trip_sectors = sector_link_table("trip_sectors", "trips", "trip_id")


@words.indexed
class Trip(Searchable, RecordMixin, db.Model):
    """An outbound investment-attraction mission."""

    __tablename__ = "trips"
    # What the list search finds it by (crm.core.words).
    __words__ = ("title", "local_title", "objectives", "destination_cities")
    __table_args__ = (
        sa.CheckConstraint("end_on >= start_on", name="dates_in_order"),
        # The list's default order (latest first) and its count, from the live trips alone.
        live_index("ix_trips_live_by_start", "start_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), index=True)
    # The title in Chinese, shown to readers of the Chinese interface (display_title).
    local_title: Mapped[str | None] = mapped_column(sa.String(200))
    objectives: Mapped[str | None] = mapped_column(sa.Text)
    start_on: Mapped[date] = mapped_column(sa.Date, index=True)
    end_on: Mapped[date] = mapped_column(sa.Date)
    # Cities in visiting order, as the user typed them ("Wuxi, Suzhou, Hangzhou").
    destination_cities: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[TripStatus] = enum_column(TripStatus, default=TripStatus.PLANNED, index=True)
    planned_budget: Mapped[Decimal | None] = money_column()
    actual_cost: Mapped[Decimal | None] = money_column()
    organiser_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    report_submitted_on: Mapped[date | None] = mapped_column(sa.Date)
    is_sample: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    organiser: Mapped[User | None] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=trip_sectors, order_by=Sector.position)
    # The delegation as it stands; removed members stay in the table (soft delete) for a manager to restore.
    members: Mapped[list[DelegationMember]] = relationship(
        primaryjoin="and_(Trip.id == DelegationMember.trip_id, DelegationMember.deleted_at.is_(None))",
        order_by=lambda: [DelegationMember.is_leader.desc(), DelegationMember.position],
        cascade="all, delete-orphan",
        overlaps="trip",
    )

    def search_texts(self) -> list[tuple[str, str | None]]:
        return [("title", self.title), ("local_title", self.local_title)]

    @property
    def report_due_on(self) -> date:
        """The trip report is due 15 working days (China's calendar, less the bureau's days off) after the last day."""
        return add_working_days(self.end_on, REPORT_DUE_WORKING_DAYS, bureau_days_off())

    @property
    def display_title(self) -> str:
        return in_reader_language(self.title, self.local_title)

    @property
    def cities(self) -> list[str]:
        return [city.strip() for city in self.destination_cities.replace("，", ",").split(",") if city.strip()]

    @property
    def leader(self) -> DelegationMember | None:
        return next((member for member in self.members if member.is_leader), None)

    def has_member(self, user: User) -> bool:
        return any(member.user_id == user.id for member in self.members)

    def can_edit(self, user: User) -> bool:
        return user.is_manager or self.organiser_id == user.id or self.has_member(user)

    def __repr__(self) -> str:
        return f"<Trip {self.title}>"


class DelegationMember(SoftDeleteMixin, VersionMixin, db.Model):
    """A person on a trip, optionally linked to a user account. Removing one hides it (a manager can restore)."""

    __tablename__ = "delegation_members"
    # An account's memberships newest first: the unit it was last entered with is the first of its range, where
    # an index on the account alone made each lookup read and sort every trip the person ever joined.
    __table_args__ = (sa.Index("ix_delegation_members_user_latest", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trip_id: Mapped[int] = mapped_column(sa.ForeignKey("trips.id", ondelete="CASCADE"), index=True)
    # Either name may be the only one; the form asks for at least one.
    name: Mapped[str | None] = mapped_column(sa.String(100))
    local_name: Mapped[str | None] = mapped_column(sa.String(100))
    title: Mapped[str | None] = mapped_column(sa.String(150))
    unit: Mapped[str | None] = mapped_column(sa.String(200))
    is_leader: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    trip: Mapped[Trip] = relationship(overlaps="members")
    user: Mapped[User | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.local_name or self.name or ""
