"""Visits: one meeting with one enterprise, logged in a few minutes, often on a phone between meetings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from crm.attachments.queries import attachments_of
from crm.auditlog.queries import history_of
from crm.core import i18n
from crm.core.forms import record_id, sector_filter_choices, select_choices, user_choices
from crm.core.records import (
    delete_and_redirect,
    get_record_or_404,
    require_edit,
    restore_and_redirect,
    save_unless_stale,
)
from crm.core.time import local_today
from crm.enterprises.duplicates import find_duplicates
from crm.enterprises.forms import enterprise_label, resolve_enterprise
from crm.enterprises.queries import live_contacts_of, live_enterprise
from crm.extensions import db
from crm.followups.queries import follow_ups_linked_to
from crm.pipeline.models import InvestmentProject
from crm.trips.models import Trip
from crm.trips.queries import recent_trips
from crm.visits import queries, services
from crm.visits.forms import LinkProjectForm, VisitFilterForm, VisitForm
from crm.visits.models import Visit

bp = Blueprint("visits", __name__, url_prefix="/visits")

# The words typed to find a project to link (a name fragment; longer text is cut, not refused).
LINK_TEXT_LIMIT = 100
# What a visit's page shows of the records around it, read with the visit rather than one query each.
DETAIL_LOADS = (joinedload(Visit.trip), joinedload(Visit.enterprise), joinedload(Visit.owner))


@bp.get("/")
@login_required
def index():
    params = queries.visit_list_params(request.args, current_user)
    form = VisitFilterForm(request.args)
    form.sector.choices = sector_filter_choices()
    form.owner.choices = user_choices(blank=_("Anyone"))
    filters = form.filters(
        trip_id=request.args.get("trip", type=record_id), enterprise_id=request.args.get("enterprise", type=record_id)
    )
    drill_args = {
        key: value for key, value in (("trip", filters.trip_id), ("enterprise", filters.enterprise_id)) if value
    }
    return render_template(
        "visits/index.html",
        page=queries.list_visits(params, filters),
        params=params,
        form=form,
        drill_args=drill_args,
    )


@bp.get("/<int:visit_id>")
@login_required
def detail(visit_id: int):
    visit = get_record_or_404(Visit, visit_id, current_user, options=DETAIL_LOADS)
    link_form = LinkProjectForm()
    link_text = request.args.get("link_q", "").strip()[:LINK_TEXT_LIMIT]
    linkable = queries.linkable_projects(visit.enterprise_id, [p.id for p in visit.projects], current_user, link_text)
    link_form.project_id.choices = select_choices(
        (project.id, project.display_title) for project in sorted(linkable.items, key=lambda p: p.display_title)
    )
    return render_template(
        "visits/detail.html",
        visit=visit,
        link_form=link_form,
        linkable=linkable,
        link_text=link_text,
        follow_ups=follow_ups_linked_to(visit_id=visit.id),  # hidden projects' titles are masked
        attachments=attachments_of(visit_id=visit.id),
        history=history_of("visits", visit.id),
    )


def _prepare(form: VisitForm, *, trip_id: int | None, enterprise_id: int | None, visit: Visit | None = None) -> None:
    """Fill the choices that depend on the trip and the enterprise chosen (or being chosen)."""
    trips = recent_trips()
    if visit is not None and visit.trip is not None and visit.trip not in trips:
        trips.append(visit.trip)
    form.trip_id.choices = select_choices(
        [("", _("No trip (a delegation received at home, or a one-off visit)"))]
        + [(trip.id, f"{trip.display_title} ({i18n.date(trip.start_on)})") for trip in trips]
    )
    form.member_ids.choices = select_choices(
        (member.id, member.display_name)
        for member in queries.members_of_trip(trip_id, keep=[m.id for m in visit.members_present] if visit else [])
    )
    form.contact_ids.choices = select_choices(
        (contact.id, contact.display_name) for contact in (live_contacts_of(enterprise_id) if enterprise_id else [])
    )
    if not current_user.is_manager:
        del form.owner_id


def _check_date(form: VisitForm) -> bool:
    """A visit outside its trip's dates needs the user's confirmation (it may be a typo)."""
    trip = db.session.get(Trip, form.trip_id.data) if form.trip_id.data else None
    if trip is None or form.visited_on.data is None or trip.start_on <= form.visited_on.data <= trip.end_on:
        return True
    if form.confirm_date.data:
        return True
    form.visited_on.errors.append(
        _(
            "This date is outside the trip (%(start)s – %(end)s). Correct it, or tick the box to confirm.",
            start=i18n.date(trip.start_on),
            end=i18n.date(trip.end_on),
        )
    )
    return False


def _check_city(form: VisitForm) -> bool:
    """A trip to several cities cannot say where the visit was: the user is asked."""
    trip = db.session.get(Trip, form.trip_id.data) if form.trip_id.data else None
    if form.city.data or trip is None or len(trip.cities) < 2:
        return True
    form.city.errors.append(
        _("This trip goes to %(cities)s: which city was this visit in?", cities=" · ".join(trip.cities))
    )
    return False


def _check_new_enterprise(form: VisitForm) -> list:
    """Similar names already on file, unless the user confirmed that the new enterprise is different."""
    if not form.adds_new_enterprise() or form.confirm_new_enterprise.data:
        return []
    matches = find_duplicates(form.new_enterprise_name.data, form.new_enterprise_local_name.data)
    if matches:
        form.new_enterprise_name.errors.append(_("This may already be on file; pick it above, or confirm below."))
    return matches


def _trip_id_from(form: VisitForm) -> int | None:
    trip_id = form.trip_id.data
    return trip_id if trip_id and db.session.get(Trip, trip_id) is not None else None


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = VisitForm()
    if not form.is_submitted():
        _prefill(form)
    picked = resolve_enterprise(form.enterprise.data)
    _prepare(form, trip_id=_trip_id_from(form), enterprise_id=picked.id if picked else None)
    duplicates = []
    if form.validate_on_submit() and _check_date(form) & _check_city(form):
        duplicates = _check_new_enterprise(form)
        if not duplicates:
            values = form.values()
            enterprise = form.enterprise.enterprise or services.new_enterprise_for_visit(values, by=current_user)
            visit = services.create_visit(values, enterprise, by=current_user)
            db.session.commit()
            flash(_("Visit logged."), "success")
            return redirect(url_for("visits.detail", visit_id=visit.id))
    if form.is_submitted():
        form.offer_typed_name_as_new()
    return render_template("visits/form.html", form=form, visit=None, duplicates=duplicates), 400 if (
        form.is_submitted()
    ) else 200


def _prefill(form: VisitForm) -> None:
    """From "Log a visit" on a trip: the trip and a date within it; from an enterprise: the enterprise."""
    trip = db.session.get(Trip, request.args.get("trip_id", 0, type=record_id))
    if trip is not None and trip.deleted_at is None:
        today = local_today()
        form.trip_id.data = trip.id
        form.visited_on.data = today if trip.start_on <= today <= trip.end_on else trip.start_on
        form.city.data = services.default_city(trip, None)
    else:
        form.visited_on.data = local_today()
    enterprise = live_enterprise(request.args.get("enterprise_id", 0, type=record_id))
    if enterprise is not None:
        form.enterprise.data = enterprise_label(enterprise)


@bp.route("/<int:visit_id>/edit", methods=["GET", "POST"])
@login_required
def edit(visit_id: int):
    visit = get_record_or_404(Visit, visit_id, current_user)
    require_edit(visit, current_user)
    form = VisitForm(
        obj=visit,
        contact_ids=[contact.id for contact in visit.contacts],
        member_ids=[member.id for member in visit.members_present],
        sector_ids=[sector.id for sector in visit.sectors],
    )
    form.load_version(visit)
    picked = resolve_enterprise(form.enterprise.data) or visit.enterprise
    _prepare(form, trip_id=_trip_id_from(form), enterprise_id=picked.id, visit=visit)
    conflict = None
    duplicates = []
    if form.validate_on_submit() and _check_date(form) & _check_city(form):
        duplicates = _check_new_enterprise(form)
        if not duplicates:
            values = form.values()

            def apply() -> None:
                enterprise = form.enterprise.enterprise or services.new_enterprise_for_visit(values, by=current_user)
                services.update_visit(visit, values, enterprise)

            conflict = save_unless_stale(form, visit, apply)
            if conflict is None:
                flash(_("Visit saved."), "success")
                return redirect(url_for("visits.detail", visit_id=visit.id))
    if form.is_submitted():
        form.offer_typed_name_as_new()
    status = 409 if conflict is not None else (400 if form.is_submitted() else 200)
    return render_template("visits/form.html", form=form, visit=visit, conflict=conflict, duplicates=duplicates), status


@bp.post("/<int:visit_id>/delete", endpoint="delete")
@login_required
def delete_visit(visit_id: int):
    visit = get_record_or_404(Visit, visit_id, current_user)
    return delete_and_redirect(
        visit,
        _("Visit deleted. A manager can restore it."),
        url_for("trips.detail", trip_id=visit.trip_id) if visit.trip_id else url_for("visits.index"),
    )


@bp.post("/<int:visit_id>/restore", endpoint="restore")
@login_required
def restore_visit(visit_id: int):
    visit = get_record_or_404(Visit, visit_id, current_user)
    return restore_and_redirect(visit, _("Visit restored."), url_for("visits.detail", visit_id=visit.id))


def _visible_project(project_id: int | None) -> InvestmentProject:
    project = db.session.get(InvestmentProject, project_id) if project_id else None
    if project is None or project.deleted_at is not None or not project.can_see(current_user):
        abort(404)
    return project


@bp.post("/<int:visit_id>/projects", endpoint="link_project")
@login_required
def link_project(visit_id: int):
    visit = get_record_or_404(Visit, visit_id, current_user)
    require_edit(visit, current_user)
    form = LinkProjectForm()
    form.project_id.choices = None  # checked below: any project the user may see
    project = _visible_project(form.project_id.data)
    services.link_project(visit, project)
    db.session.commit()
    flash(_("Project linked to this visit."), "success")
    return redirect(url_for("visits.detail", visit_id=visit.id) + "#projects")


@bp.post("/<int:visit_id>/projects/<int:project_id>/unlink", endpoint="unlink_project")
@login_required
def unlink_project(visit_id: int, project_id: int):
    visit = get_record_or_404(Visit, visit_id, current_user)
    require_edit(visit, current_user)
    services.unlink_project(visit, _visible_project(project_id))
    db.session.commit()
    flash(_("Project unlinked from this visit."), "info")
    return redirect(url_for("visits.detail", visit_id=visit.id) + "#projects")
