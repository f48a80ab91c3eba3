"""The search box: a results page that works without JavaScript, and the same as JSON while one types."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.search import queries

bp = Blueprint("search", __name__, url_prefix="/search")

KINDS = ("enterprises", "contacts", "trips", "visits", "projects", "follow_ups")


def kind_labels() -> dict[str, str]:
    return {
        "enterprises": _("Enterprises"),
        "contacts": _("Contacts"),
        "trips": _("Trips"),
        "visits": _("Visits"),
        "projects": _("Investment projects"),
        "follow_ups": _("Follow-ups"),
    }


def _text() -> str:
    return request.args.get("q", "").strip()[:100]


@bp.get("/")
@login_required
def index():
    """All kinds, a few of each; or, with ?kind=, more of one kind."""
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else None
    per_kind = queries.MAX_PER_KIND if kind else queries.PER_KIND
    results = queries.search_everything(_text(), current_user, per_kind=per_kind, only=kind)
    groups = [(name, label, _hits(results, name)) for name, label in kind_labels().items()]
    return render_template("search/results.html", text=_text(), kind=kind, groups=groups, per_kind=per_kind)


@bp.get("/results.json", endpoint="json")
@login_required
def results_json():
    """The top bar's suggestions while one types (static/js/search.js asks after a pause)."""
    results = queries.search_everything(_text(), current_user)
    return jsonify(
        {
            "groups": [
                {
                    "kind": name,
                    "label": label,
                    "items": hits,
                    "more": url_for("search.index", q=_text(), kind=name),
                }
                for name, label in kind_labels().items()
                if (hits := _hits(results, name))
            ],
            "all": url_for("search.index", q=_text()),
        }
    )


def _hits(results: queries.Results, kind: str) -> list[dict]:
    """Each record found, as a line of text, a detail and a link: the same for the page and the JSON."""
    return [describe(record) for record in getattr(results, kind)]


def describe(record) -> dict:
    kind = record.__tablename__
    if kind == "enterprises":
        group = record.parent.display_name if record.parent else ""
        detail = " · ".join(part for part in (record.name if record.local_name else "", record.city, group) if part)
        return _hit(record.display_name, detail, url_for("enterprises.detail", enterprise_id=record.id))
    if kind == "contacts":
        detail = " · ".join(part for part in (record.title, record.enterprise.display_name) if part)
        return _hit(record.display_name, detail, url_for("contacts.detail", contact_id=record.id))
    if kind == "trips":
        dates = f"{format_date(record.start_on, 'medium')} – {format_date(record.end_on, 'medium')}"
        return _hit(record.title, dates, url_for("trips.detail", trip_id=record.id))
    if kind == "visits":
        detail = " · ".join(
            part
            for part in (format_date(record.visited_on, "medium"), record.owner.display_name if record.owner else "")
            if part
        )
        return _hit(record.enterprise.display_name, detail, url_for("visits.detail", visit_id=record.id))
    if kind == "investment_projects":
        if record.can_see(current_user):
            return _hit(record.name, f"{record.stage.label} · {record.enterprise.display_name}", _project_url(record))
        return _hit(record.code_name, f"{record.stage.label} · {_('Confidential')}", _project_url(record))
    return _hit(record.title, format_date(record.due_on, "medium"), url_for("followups.detail", follow_up_id=record.id))


def _project_url(project) -> str:
    return url_for("pipeline.detail", project_id=project.id)


def _hit(label: str, detail: str, url: str) -> dict:
    return {"label": label, "detail": detail, "url": url}
