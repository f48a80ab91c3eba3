"""Reads for the sector taxonomy."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crm.extensions import db
from crm.sectors.models import Sector


def active_sectors() -> list[Sector]:
    """Top-level active sectors with their industry-chain nodes loaded."""
    query = (
        sa.select(Sector)
        .where(Sector.parent_id.is_(None), Sector.active)
        .options(selectinload(Sector.children))
        .order_by(Sector.position)
    )
    return list(db.session.scalars(query))


def sectors_by_ids(sector_ids: list[int]) -> list[Sector]:
    if not sector_ids:
        return []
    return list(db.session.scalars(sa.select(Sector).where(Sector.id.in_(sector_ids)).order_by(Sector.id)))
