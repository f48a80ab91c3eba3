from __future__ import annotations

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.extensions import db


class Sector(db.Model):
    """A target sector, or (with a parent) a node of its industry chain."""

    __tablename__ = "sectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sectors.id"), index=True)
    name_en: Mapped[str] = mapped_column(sa.String(120))
    name_zh: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)

    parent: Mapped[Sector | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Sector]] = relationship(back_populates="parent", order_by="Sector.position")

    @property
    def name(self) -> str:
        """The name in the reader's language."""
        locale = get_locale()
        return self.name_in(locale.language if locale is not None else "en")

    def name_in(self, language: str) -> str:
        """The name in `language` ("en" or "zh"), for lists of sectors that ask the reader's language once."""
        return self.name_zh if language == "zh" else self.name_en

    def __repr__(self) -> str:
        return f"<Sector {self.code}>"


def sector_link_table(name: str, owner_table: str, owner_column: str) -> sa.Table:
    """An association table between a record and the sectors it is tagged with."""
    return sa.Table(
        name,
        db.metadata,
        sa.Column(owner_column, sa.ForeignKey(f"{owner_table}.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("sector_id", sa.ForeignKey("sectors.id", ondelete="CASCADE"), primary_key=True, index=True),
    )
