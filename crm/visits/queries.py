"""Reads for visits."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from crm.extensions import db
from crm.visits.models import Visit


def visits_of_enterprise(enterprise_id: int) -> list[Visit]:
    query = (
        sa.select(Visit)
        .where(Visit.enterprise_id == enterprise_id, Visit.deleted_at.is_(None))
        .options(joinedload(Visit.trip), joinedload(Visit.owner))
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
    )
    return list(db.session.scalars(query))
