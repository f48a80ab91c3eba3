"""Reads for attachments."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from crm.attachments.models import Attachment
from crm.extensions import db


def attachments_of(*, trip_id: int | None = None, visit_id: int | None = None) -> list[Attachment]:
    """Live attachments of a trip (not those of its visits) or of a visit, oldest first."""
    query = sa.select(Attachment).where(Attachment.deleted_at.is_(None)).options(joinedload(Attachment.uploaded_by))
    if trip_id is not None:
        query = query.where(Attachment.trip_id == trip_id, Attachment.visit_id.is_(None))
    if visit_id is not None:
        query = query.where(Attachment.visit_id == visit_id)
    return list(db.session.scalars(query.order_by(Attachment.id)))
