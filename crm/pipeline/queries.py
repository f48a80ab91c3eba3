"""Reads for investment projects."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from crm.accounts.models import User
from crm.extensions import db
from crm.pipeline.models import InvestmentProject


def visible_to(user: User) -> sa.ColumnElement[bool]:
    """Projects whose name and enterprise the user may see: not confidential, or theirs, or all for managers.

    A confidential project that the user may not see must not be listed where it would betray its
    enterprise (an enterprise's page, a search by enterprise name).
    """
    if user.is_manager:
        return sa.true()
    return sa.or_(InvestmentProject.is_confidential.is_(False), InvestmentProject.owner_id == user.id)


def projects_of_enterprise(enterprise_id: int, viewer: User) -> list[InvestmentProject]:
    query = (
        sa.select(InvestmentProject)
        .where(InvestmentProject.enterprise_id == enterprise_id, InvestmentProject.deleted_at.is_(None))
        .where(visible_to(viewer))
        .options(joinedload(InvestmentProject.owner))
        .order_by(InvestmentProject.id.desc())
    )
    return list(db.session.scalars(query))
