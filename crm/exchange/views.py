"""Exports of every list, and imports with a preview: upload → check every row → confirm → all or nothing."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from crm.core import i18n
from crm.core.roles import Role, role_required
from crm.exchange import exports, imports, pending
from crm.exchange.reading import Unreadable, read_rows
from crm.exchange.tables import TABLES, RefusedFilters
from crm.extensions import db

bp = Blueprint("exchange", __name__, url_prefix="/exchange")

IMPORTERS = (Role.MANAGER, Role.ADMIN)
# Rows a preview lists besides those that need attention (errors, duplicates): the rest are counted.
PREVIEW_CLEAN_ROWS = 50


class UploadForm(FlaskForm):
    file = FileField(validators=[FileRequired()])


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the rows come from the stored upload, the choices from the request."""


def attachment(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/export/<table>.<any(csv, xlsx):file_format>")
@login_required
def export(table: str, file_format: str):
    """The list's rows with its current filters and sort, as the user may see them."""
    spec = TABLES.get(table) or abort(404)
    viewer = current_user._get_current_object()
    if not exports.may_export(spec, viewer):
        abort(403)
    try:
        started = exports.start_export(
            spec, request.args, viewer, file_format, max_rows=current_app.config["EXPORT_MAX_ROWS"]
        )
    except RefusedFilters:
        flash(_("Correct the filters before exporting."), "danger")
        return redirect(url_for(spec.list_endpoint, **request.args))
    except exports.ExportTooLarge as too_large:
        message = _(
            "This list has %(rows)s rows; an export from this page writes at most %(limit)s. Narrow the list with "
            "its filters (a period, a sector, an owner) and export again, or ask an administrator for the whole "
            "list from the server.",
            rows=i18n.number(too_large.row_count),
            limit=i18n.number(too_large.limit),
        )
        flash(message, "warning")
        return redirect(url_for(spec.list_endpoint, **request.args))
    db.session.commit()  # the audit entry stands even if the download is interrupted
    # The rows are read after this view returns, in a session of their own: the signed-in user (whose
    # language and role the rows depend on) must stay readable once this request's session is gone.
    db.session.refresh(viewer)
    response = Response(stream_with_context(started.body), content_type=started.mimetype)
    return attachment(response, started.filename)


def _kind_or_404(kind: str) -> imports.Kind:
    return imports.kinds().get(kind) or abort(404)


@bp.get("/import/<kind>/template.xlsx")
@role_required(*IMPORTERS)
def template(kind: str):
    spec = _kind_or_404(kind)
    response = Response(imports.template_workbook(spec), mimetype=exports.FORMATS["xlsx"])
    return attachment(response, f"{spec.name}-template.xlsx")


@bp.route("/import/<kind>", methods=["GET", "POST"])
@role_required(*IMPORTERS)
def upload(kind: str):
    """Step 1: choose a file. It is read and stored on the server, then the preview shows every row."""
    spec = _kind_or_404(kind)
    form = UploadForm()
    problem = None
    if form.validate_on_submit():
        data = form.file.data.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
        try:
            rows, ignored = imports.cells_of(read_rows(data, max_bytes=current_app.config["IMPORT_MAX_BYTES"]), spec)
        except (Unreadable, imports.ImportRefused) as error:
            problem = str(error)
        else:
            filename = (form.file.data.filename or "upload")[-200:]
            token = pending.save(current_user.id, spec.name, filename, rows, ignored)
            return redirect(url_for("exchange.preview", kind=spec.name, token=token))
    status = 400 if (problem or form.errors) else 200
    return render_template("exchange/upload.html", kind=spec, form=form, problem=problem), status


@bp.route("/import/<kind>/<token>", methods=["GET", "POST"])
@role_required(*IMPORTERS)
def preview(kind: str, token: str):
    """Step 2: every row as it will be stored, errors beside bad rows, a choice per duplicate; then confirm."""
    spec = _kind_or_404(kind)
    upload_ = pending.load(token, user_id=current_user.id, kind=spec.name)
    if upload_ is None:
        flash(_("This upload has expired or is not yours. Upload the file again."), "warning")
        return redirect(url_for("exchange.upload", kind=spec.name))
    viewer = current_user._get_current_object()
    analysis = imports.analyse(spec, upload_.rows, viewer)
    form = ConfirmForm()
    if form.validate_on_submit() and not analysis.bad_rows:
        choices = {row.line: request.form.get(f"choice-{row.line}", imports.SKIP) for row in analysis.duplicates}
        counts = imports.apply(analysis, choices, by=viewer, filename=upload_.filename)
        db.session.commit()
        pending.discard(token)
        flash(
            _(
                "Imported: %(created)s created, %(updated)s updated, %(skipped)s skipped.",
                created=counts["created"],
                updated=counts["updated"],
                skipped=counts["skipped"],
            ),
            "success",
        )
        return redirect(url_for(spec.table.list_endpoint))
    db.session.rollback()  # nothing the checks loaded is kept
    attention = [row for row in analysis.rows if row.errors or row.is_duplicate]
    clean = [row for row in analysis.rows if not (row.errors or row.is_duplicate)]
    status = 400 if request.method == "POST" else 200
    return render_template(
        "exchange/preview.html",
        kind=spec,
        upload=upload_,
        analysis=analysis,
        attention=attention,
        clean_shown=clean[:PREVIEW_CLEAN_ROWS],
        clean_count=len(clean),
        # The columns the file has (every row holds the same ones), not the many it may have left out.
        shown_fields=[field for field in spec.fields if upload_.rows and field.key in upload_.rows[0][1]],
        form=form,
        describe=_describe,
    ), status


# Where a record that an imported row duplicates is shown, and by which name.
_DETAIL = {
    "enterprises": ("enterprises.detail", "enterprise_id"),
    "contacts": ("contacts.detail", "contact_id"),
    "projects": ("pipeline.detail", "project_id"),
}


def _describe(record) -> tuple[str, str]:
    endpoint, id_name = _DETAIL[record.__tablename__ if record.__tablename__ != "investment_projects" else "projects"]
    name = getattr(record, "display_name", None) or record.name
    return url_for(endpoint, **{id_name: record.id}), name
