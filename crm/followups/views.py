"""Follow-ups: action items with an owner and a due date, linked to the record they came from."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.accounts.models import User
from crm.accounts.views import safe_next
from crm.auditlog.queries import history_of
from crm.core.forms import record_id, user_choices
from crm.core.records import (
    delete_and_redirect,
    edit_response,
    get_record_or_404,
    require_edit,
    require_manager,
    restore_and_redirect,
)
from crm.core.time import local_today
from crm.enterprises.models import Enterprise
from crm.extensions import db
from crm.followups import queries, services
from crm.followups.forms import FollowUpCreateForm, FollowUpFilterForm, FollowUpForm, ReassignForm
from crm.followups.models import FollowUp
from crm.trips.models import Trip

bp = Blueprint("followups", __name__, url_prefix="/follow-ups")

# Where a follow-up created from a record's page goes back to: (query argument, endpoint of that page).
ORIGINS = (
    ("visit_id", "visits.detail"),
    ("project_id", "pipeline.detail"),
    ("trip_id", "trips.detail"),
    ("enterprise_id", "enterprises.detail"),
)


@bp.get("/")
@login_required
def index():
    """My follow-ups grouped by due date; ?scope=all lists everyone's, searchable and sortable."""
    if request.args.get("scope") == "all":
        return _all_follow_ups()
    user = current_user._get_current_object()
    return render_template(
        "followups/index.html",
        scope="mine",
        groups=queries.my_follow_ups(user, today=local_today()),
        owner_choices=_reassign_choices(),
    )


def _all_follow_ups():
    params = queries.follow_up_list_params(request.args, current_user)
    form = FollowUpFilterForm(request.args)
    form.owner.choices = user_choices(blank=_("Anyone"))
    filters = form.filters(request.args)
    _drill, drill_args = queries.drill_conditions(request.args, zone=current_app.config["BABEL_DEFAULT_TIMEZONE"])
    page = queries.list_follow_ups(params, filters, today=local_today(), viewer=current_user._get_current_object())
    around = _around_record(filters)
    return render_template(
        "followups/index.html",
        scope="all",
        around=around,
        page=page,
        params=params,
        form=form,
        drill_args=drill_args,
        owner_choices=_reassign_choices(),
    )


def _around_record(filters: queries.FollowUpFilters) -> dict | None:
    """The trip or enterprise the list is narrowed to (from its page's "All N follow-ups"), to say so."""
    for model, wanted, argument in (
        (Trip, filters.trip_id, "trip"),
        (Enterprise, filters.enterprise_id, "enterprise"),
    ):
        record = db.session.get(model, wanted) if wanted else None
        if record is not None:
            return {
                "name": getattr(record, "title", None) or record.display_name,
                "argument": argument,
                "id": wanted,
            }
    return None


def _reassign_choices() -> list:
    """The users a manager may hand a follow-up to (one query for the whole page)."""
    return user_choices() if current_user.is_manager else []


@bp.get("/<int:follow_up_id>")
@login_required
def detail(follow_up_id: int):
    follow_up = get_record_or_404(FollowUp, follow_up_id, current_user)
    return _detail_page(follow_up, ReassignForm(owner_id=follow_up.owner_id))


def _detail_page(follow_up: FollowUp, reassign_form: ReassignForm | None) -> str:
    return render_template(
        "followups/detail.html",
        follow_up=follow_up,
        reassign_form=reassign_form if current_user.is_manager else None,
        # Masked to this reader (a confidential project they may not see): so are its title's and notes' changes.
        history=history_of(
            "follow_ups",
            follow_up.id,
            withheld=follow_up.MASKED_FIELDS if follow_up.is_masked_for(current_user) else frozenset(),
        ),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = FollowUpCreateForm()
    if current_user.is_manager:
        form.owner_choices()
        if not form.is_submitted():
            form.owner_id.data = current_user.id
    else:
        del form.owner_id  # officers create follow-ups for themselves
    status = 200
    if not form.is_submitted():
        form.preset(request.args)
        if any(field.errors for field in form.link_fields()):
            status = 400
    elif form.validate_on_submit():
        owner = db.session.get(User, form.owner_id.data) if "owner_id" in form else current_user._get_current_object()
        follow_up = services.create_follow_up(form.values(), owner=owner, **form.links())
        db.session.commit()
        flash(_("Follow-up saved."), "success")
        return redirect(
            safe_next(request.args.get("next"))
            or _origin_url(follow_up)
            or url_for("followups.detail", follow_up_id=follow_up.id)
        )
    else:
        status = 400
    links = services.complete_links(**form.links())
    cancel_url = safe_next(request.args.get("next")) or _origin_url() or url_for("followups.index")
    return render_template(
        "followups/form.html", form=form, follow_up=None, links=links, conflict=None, cancel_url=cancel_url
    ), status


def _origin_url(follow_up: FollowUp | None = None) -> str | None:
    """The page of the record the form was opened from (?visit_id=…), if that page exists."""
    for argument, endpoint in ORIGINS:
        origin_id = (
            getattr(follow_up, argument) if follow_up is not None else request.args.get(argument, type=record_id)
        )
        if request.args.get(argument) and origin_id and endpoint in current_app.view_functions:
            return url_for(endpoint, **{argument: origin_id})
    return None


@bp.route("/<int:follow_up_id>/edit", methods=["GET", "POST"])
@login_required
def edit(follow_up_id: int):
    follow_up = get_record_or_404(FollowUp, follow_up_id, current_user)
    require_edit(follow_up, current_user)
    form = FollowUpForm(obj=follow_up)
    form.load_version(follow_up)
    if current_user.is_manager:
        form.owner_choices(follow_up)
    else:
        del form.owner_id
    detail_url = url_for("followups.detail", follow_up_id=follow_up.id)
    return edit_response(
        form,
        follow_up,
        lambda: services.update_follow_up(follow_up, form.values()),
        saved=_("Follow-up saved."),
        next_url=detail_url,
        template="followups/form.html",
        follow_up=follow_up,
        cancel_url=detail_url,
    )


@bp.post("/<int:follow_up_id>/done", endpoint="done")
@login_required
def toggle_done(follow_up_id: int):
    """Mark done, or reopen. The button says which (state=done|open), so a second click changes nothing."""
    follow_up = get_record_or_404(FollowUp, follow_up_id, current_user)
    require_edit(follow_up, current_user)
    wanted = request.form.get("state")
    done = wanted == "done" if wanted in ("done", "open") else not follow_up.is_done
    services.set_done(follow_up, done)
    db.session.commit()
    flash(_("Follow-up done.") if done else _("Follow-up reopened."), "success")
    return redirect(_back_to(follow_up))


@bp.post("/<int:follow_up_id>/reassign", endpoint="reassign")
@login_required
def reassign_follow_up(follow_up_id: int):
    require_manager(current_user)
    follow_up = get_record_or_404(FollowUp, follow_up_id, current_user)
    form = ReassignForm()
    if not form.validate_on_submit():
        return _detail_page(follow_up, form), 400
    owner = db.session.get(User, form.owner_id.data)
    services.reassign(follow_up, owner)
    db.session.commit()
    flash(_("Follow-up reassigned to %(name)s.", name=owner.display_name), "success")
    return redirect(_back_to(follow_up))


@bp.post("/<int:follow_up_id>/delete", endpoint="delete")
@login_required
def delete_follow_up(follow_up_id: int):
    follow_up = get_record_or_404(FollowUp, follow_up_id, current_user)
    return delete_and_redirect(
        follow_up,
        _("Follow-up deleted. A manager can restore it."),
        safe_next(request.form.get("next")) or url_for("followups.index"),
    )


@bp.post("/<int:follow_up_id>/restore", endpoint="restore")
@login_required
def restore_follow_up(follow_up_id: int):
    follow_up = get_record_or_404(FollowUp, follow_up_id, current_user)
    return restore_and_redirect(
        follow_up, _("Follow-up restored."), url_for("followups.detail", follow_up_id=follow_up.id)
    )


def _back_to(follow_up: FollowUp) -> str:
    """The page the button was pressed on: ?next= or the form's next, else the same-site referrer."""
    target = safe_next(request.form.get("next") or request.args.get("next"))
    if target is None and request.referrer:
        parts = urlsplit(request.referrer)
        if parts.netloc == request.host:
            target = safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))
    return target or url_for("followups.detail", follow_up_id=follow_up.id)
