from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.accounts.models import User
from crm.core.models import TimestampMixin, money_column
from crm.extensions import db


class Target(TimestampMixin, db.Model):
    """A year's targets for the bureau (no officer) or for one officer; a blank target is not set."""

    __tablename__ = "targets"
    __table_args__ = (
        sa.UniqueConstraint("year", "officer_id"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="plausible_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(sa.Integer, index=True)
    officer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    projects_signed: Mapped[int | None] = mapped_column(sa.Integer)
    investment_signed: Mapped[Decimal | None] = money_column()
    capital_in_place: Mapped[Decimal | None] = money_column()
    jobs: Mapped[int | None] = mapped_column(sa.Integer)

    officer: Mapped[User | None] = relationship()
