"""Trips: outbound missions with their delegation, itinerary, projects, follow-ups and photos."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.attachments.queries import attachments_of
from crm.auditlog.queries import history_of
from crm.core.forms import sector_filter_choices, user_choices
from crm.core.records import (
    delete_and_redirect,
    edit_response,
    get_record_or_404,
    require_edit,
    require_manager,
    restore_and_redirect,
)
from crm.extensions import db
from crm.followups.queries import follow_ups_around, trip_links
from crm.trips import queries, services
from crm.trips.forms import MemberForm, TripFilterForm, TripForm
from crm.trips.models import DelegationMember, Trip, TripStatus
from crm.visits.queries import visits_of_trip

bp = Blueprint("trips", __name__, url_prefix="/trips")


@bp.get("/")
@login_required
def index():
    params = queries.trip_list_params(request.args, current_user)
    form = TripFilterForm(request.args)
    form.sector.choices = sector_filter_choices()
    form.organiser.choices = user_choices(blank=_("Anyone"))
    filters = form.filters()
    return render_template("trips/index.html", page=queries.list_trips(params, filters), params=params, form=form)


@bp.get("/<int:trip_id>")
@login_required
def detail(trip_id: int):
    trip = get_record_or_404(Trip, trip_id, current_user)
    # First: for a manager it reads the delegation too, in the same query.
    removed_members = services.removed_members(trip) if current_user.is_manager else []
    visits = visits_of_trip(trip.id)
    return render_template(
        "trips/detail.html",
        trip=trip,
        visits=visits,
        itinerary=queries.itinerary(trip, visits),
        deadline=queries.report_deadline(trip),
        projects=queries.projects_of_trip(trip.id),
        follow_ups=follow_ups_around(trip_links(trip.id)),  # hidden projects' titles are masked
        attachments=attachments_of(trip_id=trip.id),
        removed_members=removed_members,
        **_member_panel(trip),
        history=history_of("trips", trip.id),
    )


def _accounts_on(trip: Trip, besides: DelegationMember | None = None) -> frozenset[int]:
    """The accounts of the delegation's members (but `besides`): nobody is on a delegation twice."""
    return frozenset(member.user_id for member in trip.members if member.user_id and member is not besides)


def _member_panel(trip: Trip, form: MemberForm | None = None) -> dict:
    """The "add a member" panel: the organiser offered first, open again after an add (?adding=1) so that
    a whole delegation is entered in one go, and the accounts' details for static/js to fill in."""
    choices = user_choices(blank=_("No account"))
    if form is None:
        organiser = trip.organiser
        offer = organiser if organiser is not None and not trip.has_member(organiser) else None
        form = MemberForm(formdata=None, user_id=offer.id if offer else None)
    form.user_id.choices = choices
    return {
        "member_form": form,
        "member_panel_open": form.errors or request.args.get("adding") or not trip.members,
        "member_accounts": queries.account_details(),
    }


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = TripForm(status=TripStatus.PLANNED.value)
    del form.organiser_id
    if form.validate_on_submit():
        trip = services.create_trip(form.values(), by=current_user)
        db.session.commit()
        flash(_("Trip saved."), "success")
        return redirect(url_for("trips.detail", trip_id=trip.id))
    return render_template("trips/form.html", form=form, trip=None), 400 if form.errors else 200


@bp.route("/<int:trip_id>/edit", methods=["GET", "POST"])
@login_required
def edit(trip_id: int):
    trip = get_record_or_404(Trip, trip_id, current_user)
    require_edit(trip, current_user)
    form = TripForm(obj=trip, sector_ids=[sector.id for sector in trip.sectors])
    form.load_version(trip)
    if not current_user.is_manager:
        del form.organiser_id
    return edit_response(
        form,
        trip,
        lambda: services.update_trip(trip, form.values()),
        saved=_("Trip saved."),
        next_url=url_for("trips.detail", trip_id=trip.id),
        template="trips/form.html",
        trip=trip,
    )


@bp.post("/<int:trip_id>/delete", endpoint="delete")
@login_required
def delete_trip(trip_id: int):
    trip = get_record_or_404(Trip, trip_id, current_user)
    return delete_and_redirect(trip, _("Trip deleted. A manager can restore it."), url_for("trips.index"))


@bp.post("/<int:trip_id>/restore", endpoint="restore")
@login_required
def restore_trip(trip_id: int):
    trip = get_record_or_404(Trip, trip_id, current_user)
    return restore_and_redirect(trip, _("Trip restored."), url_for("trips.detail", trip_id=trip.id))


def _member_of(trip: Trip, member_id: int, *, removed: bool = False) -> DelegationMember:
    """A member of this trip: on the delegation, or (removed=True) taken off it."""
    member = db.session.get(DelegationMember, member_id)
    if member is None or member.trip_id != trip.id or (member.deleted_at is not None) != removed:
        abort(404)
    return member


@bp.post("/<int:trip_id>/members", endpoint="add_member")
@login_required
def add_member(trip_id: int):
    trip = get_record_or_404(Trip, trip_id, current_user)
    require_edit(trip, current_user)
    form = MemberForm()
    form.user_id.choices = user_choices(blank=_("No account"))
    form.taken_accounts = _accounts_on(trip)
    if form.validate_on_submit():
        member = services.save_member(trip, form.values())
        db.session.commit()
        flash(_("%(name)s added to the delegation.", name=member.display_name), "success")
        # Back to the panel's account select, the panel open again, ready for the next member.
        return redirect(url_for("trips.detail", trip_id=trip.id, adding=1) + "#user_id")
    return render_template(
        "trips/member_form.html", form=form, trip=trip, member=None, member_accounts=queries.account_details()
    ), 400


@bp.route("/<int:trip_id>/members/<int:member_id>/edit", methods=["GET", "POST"], endpoint="edit_member")
@login_required
def edit_member(trip_id: int, member_id: int):
    trip = get_record_or_404(Trip, trip_id, current_user)
    require_edit(trip, current_user)
    member = _member_of(trip, member_id)
    form = MemberForm(obj=member)
    form.load_version(member)
    form.user_id.choices = user_choices(blank=_("No account"))
    form.taken_accounts = _accounts_on(trip, besides=member)
    return edit_response(
        form,
        member,
        lambda: services.save_member(trip, form.values(), member),
        saved=_("Delegation member saved."),
        next_url=url_for("trips.detail", trip_id=trip.id) + "#delegation",
        template="trips/member_form.html",
        trip=trip,
        member=member,
        member_accounts=queries.account_details(),
    )


@bp.post("/<int:trip_id>/members/<int:member_id>/delete", endpoint="remove_member")
@login_required
def remove_member(trip_id: int, member_id: int):
    trip = get_record_or_404(Trip, trip_id, current_user)
    require_edit(trip, current_user)
    member = _member_of(trip, member_id)
    services.remove_member(member)
    db.session.commit()
    flash(_("Removed from the delegation. A manager can restore them."), "info")
    return redirect(url_for("trips.detail", trip_id=trip.id) + "#delegation")


@bp.post("/<int:trip_id>/members/<int:member_id>/restore", endpoint="restore_member")
@login_required
def restore_member(trip_id: int, member_id: int):
    trip = get_record_or_404(Trip, trip_id, current_user)
    require_manager(current_user)
    member = _member_of(trip, member_id, removed=True)
    services.restore_member(member)
    db.session.commit()
    flash(_("%(name)s is back on the delegation.", name=member.display_name), "success")
    return redirect(url_for("trips.detail", trip_id=trip.id) + "#delegation")


@bp.get("/<int:trip_id>/members.json", endpoint="members_json")
@login_required
def members_json(trip_id: int):
    """The delegation, for the visit form to offer once the trip is chosen."""
    trip = get_record_or_404(Trip, trip_id, current_user)
    return jsonify([{"id": member.id, "name": member.display_name} for member in trip.members])
