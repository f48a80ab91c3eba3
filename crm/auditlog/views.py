from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from crm.auditlog import queries
from crm.auditlog.forms import AuditFilterForm
from crm.auditlog.presentation import readable
from crm.core.listing import page_number, page_size

bp = Blueprint("auditlog", __name__, url_prefix="/audit")


@bp.get("/")
@login_required
def index():
    form = AuditFilterForm.for_args(request.args)
    filters = form.filters(submitted=bool(request.args))
    valid = filters is not None
    filters = filters or queries.AuditFilter()
    events = queries.visible_events(current_user, filters, page_number(request.args), page_size(request.args))
    rows = readable(events.items)
    return render_template("auditlog/index.html", form=form, events=events, rows=rows), (200 if valid else 400)
