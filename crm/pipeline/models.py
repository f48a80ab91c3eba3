from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.accounts.models import User
from crm.core import words
from crm.core.i18n import in_reader_language
from crm.core.models import LabelledEnum, RecordMixin, enum_column, live_index, money_column
from crm.core.searchkeys import Searchable
from crm.core.time import UTCDateTime, utcnow
from crm.enterprises.models import Enterprise
from crm.extensions import db
from crm.sectors.models import Sector, sector_link_table
from crm.visits.models import Visit, visit_projects


class Stage(LabelledEnum):
    """The Chinese investment-attraction lifecycle, in order."""

    LEAD = "lead"
    ASSESSMENT = "assessment"
    NEGOTIATION = "negotiation"
    SIGNED = "signed"
    CONSTRUCTION = "construction"
    CAPITAL_IN_PLACE = "capital_in_place"
    IN_PRODUCTION = "in_production"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.LEAD: _l("Lead"),
            cls.ASSESSMENT: _l("Assessment"),
            cls.NEGOTIATION: _l("Negotiation"),
            cls.SIGNED: _l("Signed"),
            cls.CONSTRUCTION: _l("Construction"),
            cls.CAPITAL_IN_PLACE: _l("Capital in place"),
            cls.IN_PRODUCTION: _l("In production"),
        }

    @property
    def order(self) -> int:
        return list(Stage).index(self)

    @property
    def is_landed(self) -> bool:
        """A project counts as landed from "signed" on."""
        return self.order >= Stage.SIGNED.order

    @property
    def default_probability(self) -> int:
        return DEFAULT_PROBABILITY[self]


DEFAULT_PROBABILITY = {
    Stage.LEAD: 10,
    Stage.ASSESSMENT: 25,
    Stage.NEGOTIATION: 50,
    Stage.SIGNED: 90,
    Stage.CONSTRUCTION: 95,
    Stage.CAPITAL_IN_PLACE: 100,
    Stage.IN_PRODUCTION: 100,
}


class ProjectStatus(LabelledEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    LOST = "lost"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.ACTIVE: _l("Active"), cls.ON_HOLD: _l("On hold"), cls.LOST: _l("Lost")}


class ProjectSource(LabelledEnum):
    OUTBOUND_VISIT = "outbound_visit"
    INBOUND_VISIT = "inbound_visit"
    REFERRAL = "referral"
    PROMOTION_EVENT = "promotion_event"
    ONLINE = "online"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.OUTBOUND_VISIT: _l("Outbound visit"),
            cls.INBOUND_VISIT: _l("Inbound visit"),
            cls.REFERRAL: _l("Referral"),
            cls.PROMOTION_EVENT: _l("Promotion event"),
            cls.ONLINE: _l("Online enquiry"),
            cls.OTHER: _l("Other"),
        }


project_sectors = sector_link_table("project_sectors", "investment_projects", "project_id")


@words.indexed
class InvestmentProject(Searchable, RecordMixin, db.Model):
    __tablename__ = "investment_projects"
    __words__ = ("name", "local_title", "code_name")  # what the list search finds it by (crm.core.words)
    __table_args__ = (
        sa.CheckConstraint("probability BETWEEN 0 AND 100", name="probability_is_percentage"),
        # The projects list's default order (recently updated first) and the board's top cards.
        live_index("ix_investment_projects_live_updated", "updated_at"),
        # Projects opened in a period (the dashboards' funnel, response time and team month).
        live_index("ix_investment_projects_live_created", "created_at"),
        # The board: each stage's active projects, longest in the stage first. The columns after those are what
        # the board's totals and the dashboard's open pipeline add up, so that they read the index alone
        # (deleted_at too: SQLite then takes the partial index as covering).
        live_index(
            "ix_investment_projects_board",
            "status",
            "stage",
            "stage_entered_at",
            "owner_id",
            "is_confidential",
            "planned_investment",
            "probability",
            "source",
            "deleted_at",
        ),
        # The few confidential projects (about one in twenty), which officers' follow-up lists leave out. Each
        # engine spells `is_confidential = true` its own way; a query must say `=`, not `IS`, for SQLite to use it.
        sa.Index(
            "ix_investment_projects_confidential",
            "owner_id",
            "id",
            postgresql_where=sa.text("is_confidential"),
            sqlite_where=sa.text("is_confidential = 1"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    # The name in Chinese, shown to readers of the Chinese interface (display_title).
    local_title: Mapped[str | None] = mapped_column(sa.String(200))
    # What people who may not see a confidential project see instead of its name and enterprise.
    code_name: Mapped[str] = mapped_column(sa.String(100))
    is_confidential: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    stage: Mapped[Stage] = enum_column(Stage, default=Stage.LEAD, index=True)
    stage_entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Kept from the stage changes by `reach` so that the dashboards sum columns instead of looking up each
    # project's history: the furthest stage it ever reached, and when it first landed (its signing).
    furthest_stage: Mapped[Stage] = enum_column(Stage, default=Stage.LEAD, index=True)
    landed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    status: Mapped[ProjectStatus] = enum_column(ProjectStatus, default=ProjectStatus.ACTIVE, index=True)
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    planned_investment: Mapped[Decimal | None] = money_column()
    actual_investment: Mapped[Decimal | None] = money_column()
    planned_fixed_assets: Mapped[Decimal | None] = money_column()
    actual_fixed_assets: Mapped[Decimal | None] = money_column()
    planned_paid_in_capital: Mapped[Decimal | None] = money_column()
    actual_paid_in_capital: Mapped[Decimal | None] = money_column()
    planned_jobs: Mapped[int | None] = mapped_column(sa.Integer)
    actual_jobs: Mapped[int | None] = mapped_column(sa.Integer)
    expected_decision_on: Mapped[date | None] = mapped_column(sa.Date)
    probability: Mapped[int] = mapped_column(sa.Integer, default=10)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    referrer: Mapped[str | None] = mapped_column(sa.String(200))
    source: Mapped[ProjectSource | None] = enum_column(ProjectSource)
    is_sample: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    enterprise: Mapped[Enterprise] = relationship()
    owner: Mapped[User | None] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=project_sectors, order_by=Sector.position)
    # The visits own these links (a visit's linked projects): linking moves the visit's version, not this one's.
    origin_visits: Mapped[list[Visit]] = relationship(
        secondary=visit_projects, back_populates="projects", info={"versioned": False}
    )
    stage_changes: Mapped[list[StageChange]] = relationship(
        back_populates="project", order_by="StageChange.changed_at", cascade="all, delete-orphan"
    )

    @property
    def display_title(self) -> str:
        """The project's name in the reader's language (only for those who may see it: see can_see)."""
        return in_reader_language(self.name, self.local_title)

    def search_texts(self) -> list[tuple[str, str | None]]:
        return [("name", self.name), ("local_title", self.local_title), ("code_name", self.code_name)]

    @hybrid_property
    def is_landed(self) -> bool:
        """Landed: signed or later today, and not lost (a project moved back before signed no longer counts).
        One rule for a project in hand (the trip page's results) and in SQL (pipeline.queries.is_landed)."""
        return self.stage.is_landed and self.status != ProjectStatus.LOST

    @is_landed.inplace.expression
    @classmethod
    def _is_landed_expression(cls) -> sa.ColumnElement[bool]:
        landed_stages = [stage for stage in Stage if stage.is_landed]
        return sa.and_(cls.stage.in_(landed_stages), cls.status != ProjectStatus.LOST)

    def can_see(self, user: User) -> bool:
        """Whether `user` may see the real name and enterprise, not only the code name."""
        return not self.is_confidential or user.is_manager or self.owner_id == user.id

    def can_edit(self, user: User) -> bool:
        return user.is_manager or self.owner_id == user.id

    def reach(self, stage: Stage, at: datetime) -> None:
        """Note that the project entered `stage` at `at` (called with each stage change)."""
        if self.furthest_stage is None or stage.order > self.furthest_stage.order:
            self.furthest_stage = stage
        if stage.is_landed and (self.landed_at is None or at < self.landed_at):
            self.landed_at = at

    @property
    def days_in_stage(self) -> int:
        """Whole days since the project entered its current stage."""
        return max((utcnow() - self.stage_entered_at).days, 0)


class StageChange(db.Model):
    """One move of a project between stages; the time spent in the stage it left is kept here."""

    __tablename__ = "stage_changes"
    # When a project first reached a stage (landed, conversion): one index lookup per project.
    __table_args__ = (sa.Index("ix_stage_changes_project_stage", "project_id", "to_stage", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("investment_projects.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[Stage | None] = enum_column(Stage)
    to_stage: Mapped[Stage] = enum_column(Stage, index=True)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    seconds_in_from_stage: Mapped[int | None] = mapped_column(sa.BigInteger)
    note: Mapped[str | None] = mapped_column(sa.Text)

    project: Mapped[InvestmentProject] = relationship(back_populates="stage_changes")
    changed_by: Mapped[User | None] = relationship()

    @property
    def time_in_from_stage(self) -> timedelta | None:
        """How long the project stayed in the stage it left; None for the first stage."""
        return None if self.seconds_in_from_stage is None else timedelta(seconds=self.seconds_in_from_stage)
