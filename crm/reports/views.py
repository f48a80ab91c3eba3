"""The trip report's pages: read it, write it, submit it, sign it off, export it."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from crm.auditlog import presentation
from crm.auditlog.queries import history_of
from crm.core import audit
from crm.core.records import edit_response, get_record_or_404, require_edit, require_manager
from crm.extensions import db
from crm.reports import export, fonts, photos, queries, services
from crm.reports.forms import ExportForm, ReportForm, ReturnForm, choice_rows
from crm.reports.models import TripReport
from crm.trips.models import Trip

bp = Blueprint("reports", __name__, url_prefix="/trips/<int:trip_id>/report")


def _report_kind() -> tuple[str, presentation.RecordKind]:
    """How the audit log and the report's history name a report and its fields. Named by its trip; its page is
    addressed by the trip's id, not its own, so the log does not link it."""
    return "trip_reports", presentation.RecordKind(
        _l("Trip report"),
        TripReport,
        None,
        "report_id",
        lambda report, viewer: report.trip.display_title,
        (ReportForm,),
        {
            "status": _l("Status"),
            "submitted_at": _l("Submitted on"),
            "submitted_by_id": _l("Submitted by"),
            "decided_at": _l("Approved or returned on"),
            "decided_by_id": _l("Approved or returned by"),
            "return_comment": _l("What to change"),
        },
        named_by="trip",
    )


presentation.add_kind(_report_kind)


def _trip(trip_id: int, *, writing: bool = False) -> Trip:
    """The trip; a deleted one can be read by managers but its report not changed until it is restored."""
    trip = get_record_or_404(Trip, trip_id, current_user)
    if writing and trip.deleted_at is not None:
        abort(404)
    return trip


def _to_report(trip: Trip):
    return redirect(url_for("reports.detail", trip_id=trip.id))


@bp.get("")
@login_required
def detail(trip_id: int):
    trip = _trip(trip_id)
    report = queries.report_of(trip.id)
    return render_template(
        "reports/detail.html",
        trip=trip,
        report=report,
        content=services.content_for_export(trip, _page_language()),
        export_form=ExportForm(language=_page_language()),
        return_form=ReturnForm(),
        font_status=fonts.font_status(),
        history=history_of("trip_reports", report.id) if report else [],
    )


def _page_language() -> str:
    locale = get_locale()
    return "zh" if locale and locale.language == "zh" else "en"


@bp.route("/edit", methods=["GET", "POST"])
@login_required
def edit(trip_id: int):
    trip = _trip(trip_id, writing=True)
    require_edit(trip, current_user)
    report = services.report_for(trip)
    if not report.status.is_editable:
        flash(_("This report has been submitted and can no longer be changed."), "warning")
        return _to_report(trip)
    meetings = queries.ordered_choice(queries.trip_visits(trip.id), report.meeting_choice)
    photo_list = queries.ordered_choice(queries.trip_photos(trip.id), report.photo_choice)
    form = ReportForm(obj=report, meetings=choice_rows(meetings), photos=choice_rows(photo_list))
    form.load_version(report)
    return edit_response(
        form,
        report,
        lambda: services.update_report(report, form.values()),
        saved=_("Trip report saved."),
        next_url=url_for("reports.detail", trip_id=trip.id),
        template="reports/form.html",
        trip=trip,
        report=report,
        meeting_records={visit.id: visit for visit, _included in meetings},
        photo_records={photo.id: photo for photo, _included in photo_list},
    )


@bp.post("/submit")
@login_required
def submit(trip_id: int):
    trip = _trip(trip_id, writing=True)
    require_edit(trip, current_user)
    report = services.report_for(trip)
    return _step(trip, lambda: services.submit(report, by=current_user), _("Trip report submitted."))


@bp.post("/approve")
@login_required
def approve(trip_id: int):
    trip = _trip(trip_id, writing=True)
    require_manager(current_user)
    report = _existing_report(trip)
    return _step(trip, lambda: services.approve(report, by=current_user), _("Trip report approved."))


@bp.post("/return", endpoint="return_report")
@login_required
def return_report(trip_id: int):
    trip = _trip(trip_id, writing=True)
    require_manager(current_user)
    report = _existing_report(trip)
    form = ReturnForm()
    if not form.validate_on_submit():
        flash(_("Say what should be changed before returning the report."), "danger")
        return _to_report(trip)
    return _step(
        trip,
        lambda: services.return_report(report, by=current_user, comment=form.comment.data),
        _("Trip report returned to the delegation."),
    )


def _existing_report(trip: Trip) -> TripReport:
    report = queries.report_of(trip.id)
    if report is None:
        abort(404)
    return report


def _step(trip: Trip, action, done: str):
    """One workflow step: done and committed, or refused because the report is not in the right state."""
    try:
        action()
    except services.WorkflowError:
        db.session.rollback()
        flash(_("The report is not in a state that allows this; the page shows where it stands."), "warning")
        return _to_report(trip)
    db.session.commit()
    flash(done, "success")
    return _to_report(trip)


@bp.get("/export")
@login_required
def export_report(trip_id: int):
    trip = _trip(trip_id)
    form = ExportForm(request.args)
    if not form.validate():
        abort(400)
    file_format, language = form.format.data, form.language.data
    output = export.render(services.content_for_export(trip, language), file_format, language)
    audit.record(
        audit.AuditAction.EXPORT, trip, details={"export": "trip report", "format": file_format, "language": language}
    )
    db.session.commit()
    response = Response(output, content_type=export.FORMATS[file_format])
    name = export.file_name(trip.id, file_format, language)
    disposition = "inline" if file_format in ("html", "pdf") else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    if file_format == "html":  # a standalone page: its own style block, photos inline, nothing else
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; style-src {export.css_hash(export.report_css())}; img-src data:; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
    return response


@bp.get("/photos/<int:attachment_id>/thumbnail")
@login_required
def thumbnail(trip_id: int, attachment_id: int):
    trip = _trip(trip_id)
    photo = next((photo for photo in queries.trip_photos(trip.id) if photo.id == attachment_id), None)
    path = photos.thumbnail(photo.stored_name) if photo else None
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/jpeg", max_age=3600)
