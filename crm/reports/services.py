"""Writing and signing off the trip report. Services flush, never commit; the audit listener logs each step."""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError

from crm.accounts.models import User
from crm.core.i18n import in_language
from crm.core.time import local_today, utcnow
from crm.extensions import db
from crm.reports import queries
from crm.reports.models import ReportStatus, TripReport
from crm.trips.models import Trip, TripStatus

LANGUAGES = ("zh", "en")


class WorkflowError(ValueError):
    """A step that the report's current status does not allow."""


def report_for(trip: Trip) -> TripReport:
    """The trip's report, started as a draft the first time someone writes it."""
    report = queries.report_of(trip.id)
    if report is not None:
        return report
    try:
        with db.session.begin_nested():  # two people starting it at once: the second gets the first's draft
            report = TripReport(trip=trip, status=ReportStatus.DRAFT)
            db.session.add(report)
    except IntegrityError:
        return queries.report_of(trip.id)
    return report


def update_report(report: TripReport, values: dict) -> None:
    if not report.status.is_editable:
        raise WorkflowError("not editable")
    for key, value in values.items():
        setattr(report, key, value)
    db.session.flush()


def submit(report: TripReport, *, by: User) -> None:
    """The delegation hands the report in; today's date decides whether the deadline was met."""
    if not report.status.is_editable:
        raise WorkflowError("already submitted")
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = utcnow()
    report.submitted_by_id = by.id
    report.return_comment = None
    report.trip.report_submitted_on = local_today()
    db.session.flush()


def approve(report: TripReport, *, by: User) -> None:
    """A manager signs the report off: its content is frozen in both languages and the trip is reported."""
    if report.status is not ReportStatus.SUBMITTED:
        raise WorkflowError("not submitted")
    report.status = ReportStatus.APPROVED
    report.decided_at = utcnow()
    report.decided_by_id = by.id
    freeze(report, approver=by, on=local_today())
    report.trip.status = TripStatus.REPORTED
    db.session.flush()


def freeze(report: TripReport, *, approver: User, on: date) -> None:
    """Keep the report as it is signed off, in both languages, so that later edits to its records leave it."""
    # Without autoflush, the sign-off (status, who, when) and its frozen copy are written as one change, one
    # audit event, rather than the first half flushed by the content's queries.
    with db.session.no_autoflush:
        report.approved_content = {language: _content_in(language, report, approver, on) for language in LANGUAGES}


def return_report(report: TripReport, *, by: User, comment: str) -> None:
    """A manager sends the report back with what to change; the delegation edits and submits again."""
    if report.status is not ReportStatus.SUBMITTED:
        raise WorkflowError("not submitted")
    report.status = ReportStatus.RETURNED
    report.decided_at = utcnow()
    report.decided_by_id = by.id
    report.return_comment = comment
    db.session.flush()


def _content_in(language: str, report: TripReport, approver: User, on: date) -> dict:
    from flask_babel import format_date

    with in_language(language):
        content = queries.report_content(report.trip, report)
        content["approval"] = {"by": approver.display_name, "on": format_date(on, "medium")}
    return content


def content_for_export(trip: Trip, language: str) -> dict:
    """What an export shows: the approved version as signed, else the report as it stands now."""
    report = queries.report_of(trip.id)
    if report is not None and report.status is ReportStatus.APPROVED and report.approved_content:
        return queries.concealed(report.approved_content[language], trip)
    with in_language(language):
        return queries.report_content(trip, report)
