"""Reads for the trip report: the report's content, built from the trip's records in the current language.

The content is plain JSON (strings, lists, dicts) so that the approved version can be stored as it was
signed, and every output (page, HTML, PDF, Word) renders the same thing.
"""

from __future__ import annotations

import copy
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from crm.attachments.models import Attachment, AttachmentKind
from crm.core.database import any_of
from crm.core.i18n import money, number
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.pipeline.models import InvestmentProject, ProjectStatus
from crm.reports.models import TripReport
from crm.trips.models import Trip
from crm.trips.queries import itinerary, projects_of_trip, report_deadline
from crm.visits.models import DaySlot, Visit


def report_of(trip_id: int) -> TripReport | None:
    return db.session.scalar(sa.select(TripReport).where(TripReport.trip_id == trip_id))


def trip_visits(trip_id: int) -> list[Visit]:
    """The trip's live visits in date order, with everything a meeting section shows."""
    query = (
        sa.select(Visit)
        .where(Visit.trip_id == trip_id, Visit.deleted_at.is_(None))
        .options(
            joinedload(Visit.enterprise),
            selectinload(Visit.contacts),
            selectinload(Visit.members_present),
            selectinload(Visit.projects),
        )
    )
    slots = list(DaySlot)  # morning, afternoon, evening: the day's order, not the alphabet's
    return sorted(db.session.scalars(query), key=lambda visit: (visit.visited_on, slots.index(visit.slot), visit.id))


def _of_trip_or_its_visits(model, trip_id: int) -> sa.ColumnElement[bool]:
    """Rows (photos, follow-ups) linked to the trip or to one of its live visits: two index look-ups (with OR,
    PostgreSQL read every follow-up of the province to find a trip's few dozen)."""
    of_visits = sa.select(Visit.id).where(Visit.trip_id == trip_id, Visit.deleted_at.is_(None))
    return any_of(model.id, model.trip_id == trip_id, model.visit_id.in_(of_visits))


def trip_photos(trip_id: int) -> list[Attachment]:
    """Photos of the trip and of its live visits, oldest first."""
    query = (
        sa.select(Attachment)
        .where(Attachment.deleted_at.is_(None), Attachment.kind == AttachmentKind.PHOTO)
        .where(_of_trip_or_its_visits(Attachment, trip_id))
        .options(joinedload(Attachment.visit).joinedload(Visit.enterprise))
        .order_by(Attachment.id)
    )
    return list(db.session.scalars(query))


def trip_follow_ups(trip_id: int) -> list[FollowUp]:
    """The follow-up plan: the trip's and its visits' follow-ups, except those of confidential projects."""
    query = (
        sa.select(FollowUp)
        .outerjoin(FollowUp.project)
        .where(FollowUp.deleted_at.is_(None))
        .where(_of_trip_or_its_visits(FollowUp, trip_id))
        .where(sa.or_(FollowUp.project_id.is_(None), InvestmentProject.is_confidential.is_(False)))
        .options(joinedload(FollowUp.owner))
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    return list(db.session.scalars(query))


def ordered_choice(records: list, choice: list | None) -> list[tuple[object, bool]]:
    """(record, included) in the order the writer chose; records added since come last, included."""
    by_id = {record.id: record for record in records}
    ordered = []
    for record_id, included in choice or []:
        record = by_id.pop(record_id, None)
        if record is not None:
            ordered.append((record, bool(included)))
    return ordered + [(record, True) for record in by_id.values()]


def _included(records: list, choice: list | None) -> list:
    return [record for record, included in ordered_choice(records, choice) if included]


def _day(value: date | None) -> str:
    return format_date(value, "medium") if value else ""


def _project_name(project: InvestmentProject) -> str:
    """Reports circulate beyond the project's owner: a confidential project appears by its code name only."""
    return project.code_name if project.is_confidential else project.name


def _chinese() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "zh"


def joined(items, *, strong: bool = False) -> str:
    """A list as the report's language writes one: 无锡、苏州 or "Wuxi, Suzhou"; `strong` separates clauses."""
    items = [item for item in items if item]
    if _chinese():
        return ("；" if strong else "、").join(items)
    return ("; " if strong else ", ").join(items)


def _with_note(text: str, note: str | None) -> str:
    if not note:
        return text
    return f"{text}（{note}）" if _chinese() else f"{text} ({note})"


def _people(records) -> str:
    return joined(_person(record) for record in records)


def _person(record) -> str:
    return _with_note(record.display_name, getattr(record, "title", None))


def _cover(trip: Trip) -> dict:
    leader = trip.leader
    return {
        "title": _("Report on the trip: %(title)s", title=trip.display_title),
        "trip_title": trip.display_title,
        "bureau": current_app.config["BUREAU_NAME"] or _("Investment Promotion Bureau"),
        "dates": f"{_day(trip.start_on)} – {_day(trip.end_on)}",
        "destinations": joined(trip.cities),
        "leader": _person(leader) if leader else "",
        "sectors": joined(sector.name for sector in trip.sectors),
        "objectives": trip.objectives or "",
    }


def _members(trip: Trip) -> list[dict]:
    return [
        {
            "name": member.display_name,
            "unit": member.unit or "",
            "title": member.title or "",
            "role": _("Leader") if member.is_leader else _("Member"),
        }
        for member in trip.members
    ]


def _itinerary(trip: Trip, visits: list[Visit]) -> list[dict]:
    days = []
    for day, slots in itinerary(trip, visits):
        rows = []
        for slot in DaySlot:
            entries = [_with_note(visit.enterprise.display_name, visit.city) for visit in slots.get(slot, [])]
            if entries or slot is not DaySlot.EVENING:
                rows.append({"slot": slot.label, "entries": entries})
        days.append({"date": _day(day), "slots": rows})
    return days


def _meeting(visit: Visit) -> dict:
    return {
        "enterprise": visit.enterprise.display_name,
        "when": f"{_day(visit.visited_on)} {visit.slot.label}",
        "city": visit.city or "",
        "counterparts": joined([_people(visit.contacts), visit.other_attendees], strong=True),
        "our_side": _people(visit.members_present),
        "purpose": visit.purpose or "",
        "presented": visit.presented or "",
        "discussed": visit.discussed or "",
        "commitments": visit.commitments or "",
        "interest": visit.interest_level.label if visit.interest_level else "",
        "projects": joined(_project_name(project) for project in visit.projects if project.deleted_at is None),
        "project_ids": [project.id for project in visit.projects if project.deleted_at is None],
    }


def _outcome(project: InvestmentProject) -> dict:
    return {
        "project_id": project.id,
        "name": _project_name(project),
        "enterprise": "" if project.is_confidential else project.enterprise.display_name,
        "stage": project.stage.label,
        "status": "" if project.status is ProjectStatus.ACTIVE else project.status.label,
        "planned_investment": money(project.planned_investment),
        "planned_jobs": number(project.planned_jobs),
    }


def _follow_up(follow_up: FollowUp) -> dict:
    return {
        "action": follow_up.title,
        "project_id": follow_up.project_id,
        "owner": follow_up.owner.display_name if follow_up.owner else "",
        "due": _day(follow_up.due_on),
        "done": follow_up.done_at is not None,
    }


def _budget(trip: Trip) -> dict:
    difference = None
    if trip.planned_budget is not None and trip.actual_cost is not None:
        difference = trip.actual_cost - trip.planned_budget
    return {
        "planned": money(trip.planned_budget),
        "actual": money(trip.actual_cost),
        "difference": money(difference),
        "over": difference is not None and difference > 0,
    }


def _photo(attachment: Attachment) -> dict:
    visit = attachment.visit
    caption = attachment.caption or (visit.enterprise.display_name if visit else "")
    return {"id": attachment.id, "stored_name": attachment.stored_name, "caption": caption}


def _deadline(trip: Trip) -> dict:
    deadline = report_deadline(trip)
    return {
        "due": _day(deadline.due_on),
        "submitted": _day(deadline.submitted_on),
        "met": deadline.met,
    }


def concealed(content: dict, trip: Trip) -> dict:
    """A signed-off report as it may circulate now: a project made confidential since shows its code name only,
    without its enterprise, and the follow-ups tied to it are left out, as in a report written today.

    The projects are found by the ids the content keeps; a report signed off before it kept them is searched by
    the names of the trip's projects."""
    ids = {outcome.get("project_id") for outcome in content["outcomes"]}
    ids |= {item.get("project_id") for item in content["follow_ups"]}
    ids |= {project_id for meeting in content["meetings"] for project_id in meeting.get("project_ids", [])}
    ids.discard(None)
    query = sa.select(InvestmentProject).where(InvestmentProject.is_confidential.is_(True))
    if ids:
        hidden = list(db.session.scalars(query.where(InvestmentProject.id.in_(ids))))
    else:
        hidden = [project for project in projects_of_trip(trip.id) if project.is_confidential]
    if not hidden:
        return content
    code_names = {project.id: project.code_name for project in hidden}
    renamed = {name: project.code_name for project in hidden for name in (project.name, project.local_title) if name}
    content = copy.deepcopy(content)
    for outcome in content["outcomes"]:
        if outcome.get("project_id") in code_names or outcome["name"] in renamed:
            outcome["name"] = code_names.get(outcome.get("project_id")) or renamed[outcome["name"]]
            outcome["enterprise"] = ""
    for meeting in content["meetings"]:
        for name, code_name in renamed.items():
            meeting["projects"] = meeting["projects"].replace(name, code_name)
    content["follow_ups"] = [item for item in content["follow_ups"] if item.get("project_id") not in code_names]
    return content


def report_content(trip: Trip, report: TripReport | None) -> dict:
    """Everything the report shows, in the current language, as JSON-ready values."""
    choice = report or TripReport()
    all_visits = trip_visits(trip.id)
    visits = _included(all_visits, choice.meeting_choice)
    return {
        "cover": _cover(trip),
        "status": choice.status.label if choice.status else _("Not started"),
        "summary": choice.summary or "",
        "assessment": choice.assessment or "",
        "recommendations": choice.recommendations or "",
        "members": _members(trip),
        "itinerary": _itinerary(trip, visits),
        "meetings": [_meeting(visit) for visit in visits],
        "outcomes": [_outcome(project) for project in projects_of_trip(trip.id)],
        "follow_ups": [_follow_up(follow_up) for follow_up in trip_follow_ups(trip.id)],
        "budget": _budget(trip),
        "photos": [_photo(photo) for photo in _included(trip_photos(trip.id), choice.photo_choice)],
        "deadline": _deadline(trip),
        "sign_off": {"leader": trip.leader.display_name if trip.leader else ""},
    }
