"""Writes for follow-ups. Services flush; the view commits."""

from __future__ import annotations

from crm.accounts.models import User
from crm.core.time import utcnow
from crm.enterprises.models import Enterprise
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.pipeline.models import InvestmentProject
from crm.trips.models import Trip
from crm.visits.models import Visit

FIELDS = ("title", "notes", "due_on")


def create_follow_up(
    values: dict,
    *,
    owner: User,
    trip: Trip | None = None,
    visit: Visit | None = None,
    project: InvestmentProject | None = None,
    enterprise: Enterprise | None = None,
) -> FollowUp:
    """A new follow-up; one for a visit also belongs to the visit's trip and enterprise."""
    links = complete_links(trip=trip, visit=visit, project=project, enterprise=enterprise)
    follow_up = FollowUp(owner=owner, **links)
    _apply(follow_up, values)
    db.session.add(follow_up)
    db.session.flush()
    return follow_up


def complete_links(
    *,
    trip: Trip | None = None,
    visit: Visit | None = None,
    project: InvestmentProject | None = None,
    enterprise: Enterprise | None = None,
) -> dict:
    """The records a new follow-up will link to: a visit brings its trip and its enterprise along."""
    if visit is not None:
        trip = trip or _live(visit.trip)
        enterprise = enterprise or _live(visit.enterprise)
    return {"trip": trip, "visit": visit, "project": project, "enterprise": enterprise}


def _live(record):
    return record if record is not None and record.deleted_at is None else None


def update_follow_up(follow_up: FollowUp, values: dict) -> FollowUp:
    _apply(follow_up, values)
    if values.get("owner_id"):
        follow_up.owner_id = values["owner_id"]
    db.session.flush()
    return follow_up


def _apply(follow_up: FollowUp, values: dict) -> None:
    for field in FIELDS:
        if field in values:
            setattr(follow_up, field, values[field])


def set_done(follow_up: FollowUp, done: bool) -> FollowUp:
    """Mark done now, or reopen. Marking a done follow-up done again keeps the time it was first done."""
    if done and follow_up.done_at is None:
        follow_up.done_at = utcnow()
    elif not done:
        follow_up.done_at = None
    db.session.flush()
    return follow_up


def reassign(follow_up: FollowUp, owner: User) -> FollowUp:
    """Give the follow-up to another user (the audit listener records who and when)."""
    follow_up.owner = owner
    db.session.flush()
    return follow_up
