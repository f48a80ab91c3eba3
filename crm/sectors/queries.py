"""Reads for the sector taxonomy."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from crm.extensions import db
from crm.sectors.models import Sector


def active_sectors() -> list[Sector]:
    """Top-level active sectors with their industry-chain nodes loaded.

    The taxonomy is a few dozen rows: read whole in one query, each sector's `children` filled from it
    (as the relationship orders them), rather than a second query for the nodes on every form and filter.
    """
    everything = list(db.session.scalars(sa.select(Sector).order_by(Sector.position, Sector.id)))
    children = defaultdict(list)
    for sector in everything:
        if sector.parent_id is not None:
            children[sector.parent_id].append(sector)
    tops = [sector for sector in everything if sector.parent_id is None and sector.active]
    for sector in tops:
        set_committed_value(sector, "children", children[sector.id])
    return tops


def sectors_by_ids(sector_ids: list[int]) -> list[Sector]:
    if not sector_ids:
        return []
    return list(db.session.scalars(sa.select(Sector).where(Sector.id.in_(sector_ids)).order_by(Sector.id)))
