"""Writes for the dashboards: the year's targets. Services flush; the caller commits."""

from __future__ import annotations

from crm.dashboards import queries
from crm.dashboards.models import Target
from crm.extensions import db


def set_target(year: int, officer_id: int | None, values: dict) -> Target:
    """Set the year's targets of the bureau (officer_id None) or one officer; a blank value clears one."""
    target = queries.target_of(year, officer_id)
    if target is None:
        target = Target(year=year, officer_id=officer_id)
        db.session.add(target)
    for measure, value in values.items():
        setattr(target, measure, value)
    db.session.flush()
    return target
