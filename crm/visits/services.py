"""Writes for visits. Services flush; the view commits."""

from __future__ import annotations

import sqlalchemy as sa

from crm.accounts.models import User
from crm.enterprises import services as enterprises
from crm.enterprises.models import Contact, Enterprise
from crm.extensions import db
from crm.pipeline.models import InvestmentProject
from crm.sectors.queries import sectors_by_ids
from crm.trips.models import DelegationMember, Trip
from crm.visits.models import Visit

VISIT_FIELDS = (
    "trip_id",
    "direction",
    "visited_on",
    "slot",
    "city",
    "purpose",
    "presented",
    "discussed",
    "commitments",
    "other_attendees",
    "interest_level",
)


def new_enterprise_for_visit(values: dict, *, by: User) -> Enterprise:
    """The enterprise typed into the visit form, created with the visit."""
    return enterprises.create_enterprise(
        {
            "name": values.get("new_enterprise_name"),
            "local_name": values.get("new_enterprise_local_name"),
            "kind": values.get("new_enterprise_kind"),
            "city": values.get("new_enterprise_city"),
        },
        by=by,
    )


def _apply(visit: Visit, values: dict) -> None:
    for field in VISIT_FIELDS:
        if field in values:
            setattr(visit, field, values[field])
    if "sector_ids" in values:
        visit.sectors = sectors_by_ids(values["sector_ids"])
    if "contact_ids" in values:
        visit.contacts = _rows(Contact, values["contact_ids"], Contact.enterprise_id == visit.enterprise.id)
    if "member_ids" in values:
        visit.members_present = (
            _rows(DelegationMember, values["member_ids"], DelegationMember.trip_id == visit.trip_id)
            if visit.trip_id
            else []
        )
    if values.get("owner_id"):
        visit.owner_id = values["owner_id"]
    if not visit.city:
        visit.city = default_city(db.session.get(Trip, visit.trip_id) if visit.trip_id else None, visit.enterprise)


def default_city(trip: Trip | None, enterprise: Enterprise | None) -> str | None:
    """Where a visit took place when nobody said: the trip's city if it went to one, else the enterprise's.

    A trip to several cities has no default (the form asks); a visit at home falls back to the enterprise.
    """
    if trip is not None:
        cities = trip.cities
        return cities[0] if len(cities) == 1 else None
    return enterprise.city if enterprise is not None else None


def _rows(model, wanted: list[int], belongs: sa.ColumnElement[bool]) -> list:
    """The rows with these ids that belong where they should (another enterprise's contact is ignored)."""
    if not wanted:
        return []
    return list(db.session.scalars(sa.select(model).where(model.id.in_(wanted), belongs)))


def create_visit(values: dict, enterprise: Enterprise, *, by: User) -> Visit:
    visit = Visit(enterprise=enterprise, owner_id=by.id)
    _apply(visit, values)
    db.session.add(visit)
    db.session.flush()
    return visit


def update_visit(visit: Visit, values: dict, enterprise: Enterprise | None = None) -> Visit:
    if enterprise is not None and enterprise.id != visit.enterprise_id:
        visit.enterprise = enterprise
        db.session.flush()
    _apply(visit, values)
    db.session.flush()
    return visit


def link_project(visit: Visit, project: InvestmentProject) -> None:
    if project not in visit.projects:
        visit.projects.append(project)
        db.session.flush()


def unlink_project(visit: Visit, project: InvestmentProject) -> None:
    if project in visit.projects:
        visit.projects.remove(project)
        db.session.flush()
