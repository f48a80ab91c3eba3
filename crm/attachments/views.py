"""Photos and documents of trips and visits: upload, view (signed-in users who may see the record), delete."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.attachments import services
from crm.attachments.forms import UploadForm
from crm.attachments.models import Attachment
from crm.core.records import get_record_or_404, require_edit, soft_delete
from crm.extensions import db
from crm.trips.models import Trip
from crm.visits.models import Visit

bp = Blueprint("attachments", __name__, url_prefix="/attachments")

UPLOAD_ERRORS = {
    "empty": lambda: _("The file is empty."),
    "too_large": lambda: _(
        "The file is larger than %(size)s MB.", size=current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024) or "<1"
    ),
    "type": lambda: _("Only photos (JPEG, PNG, GIF, WebP), PDF and Office documents can be attached."),
}


def _owner_record(attachment: Attachment):
    """The trip or visit the attachment belongs to, checked as the record itself would be."""
    if attachment.visit_id is not None:
        return get_record_or_404(Visit, attachment.visit_id, current_user)
    return get_record_or_404(Trip, attachment.trip_id, current_user)


def _back_to(record) -> str:
    if isinstance(record, Visit):
        return url_for("visits.detail", visit_id=record.id) + "#attachments"
    return url_for("trips.detail", trip_id=record.id) + "#attachments"


def _upload(record, **link):
    require_edit(record, current_user)
    form = UploadForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
        return redirect(_back_to(record))
    try:
        services.store(form.file.data, by=current_user, caption=form.caption.data, **link)
    except services.UploadError as error:
        flash(UPLOAD_ERRORS[str(error)](), "danger")
        return redirect(_back_to(record))
    db.session.commit()
    flash(_("Attached."), "success")
    return redirect(_back_to(record))


@bp.post("/trips/<int:trip_id>", endpoint="upload_to_trip")
@login_required
def upload_to_trip(trip_id: int):
    trip = get_record_or_404(Trip, trip_id, current_user)
    return _upload(trip, trip_id=trip.id)


@bp.post("/visits/<int:visit_id>", endpoint="upload_to_visit")
@login_required
def upload_to_visit(visit_id: int):
    visit = get_record_or_404(Visit, visit_id, current_user)
    return _upload(visit, visit_id=visit.id, trip_id=visit.trip_id)


@bp.get("/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.deleted_at is not None:
        abort(404)
    _owner_record(attachment)
    path = services.path_of(attachment)
    if not path.is_file():
        abort(404)
    inline = attachment.content_type.startswith("image/") or attachment.content_type == "application/pdf"
    response = send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=not inline,
        download_name=services.download_name(attachment),
        max_age=0,
        conditional=True,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:attachment_id>/delete", endpoint="delete")
@login_required
def delete_attachment(attachment_id: int):
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.deleted_at is not None:
        abort(404)
    record = _owner_record(attachment)
    require_edit(record, current_user)
    soft_delete(attachment)
    db.session.commit()
    flash(_("Attachment removed."), "info")
    return redirect(_back_to(record))
