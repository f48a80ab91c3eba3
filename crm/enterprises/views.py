"""Enterprises: any organisation met, with its contacts, visits, projects and follow-ups."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.auditlog.queries import history_of
from crm.core.audit import AuditAction, AuditEvent
from crm.core.forms import sector_filter_choices, user_choices
from crm.core.listing import first_of
from crm.core.records import (
    delete_and_redirect,
    edit_response,
    get_record_or_404,
    require_edit,
    restore_and_redirect,
)
from crm.core.roles import Role, role_required
from crm.enterprises import queries, services
from crm.enterprises.duplicates import find_duplicates, likely_pairs
from crm.enterprises.forms import AliasForm, EnterpriseFilterForm, EnterpriseForm, merge_form
from crm.enterprises.merge import MERGE_FIELDS, MergeRefused, merge_enterprises, merge_value, undo_merge
from crm.enterprises.models import Enterprise, EnterpriseAlias
from crm.extensions import db
from crm.followups.queries import enterprise_links, follow_ups_around
from crm.pipeline.queries import projects_of_enterprise
from crm.visits.queries import visits_of_enterprise

bp = Blueprint("enterprises", __name__, url_prefix="/enterprises")


@bp.get("/")
@login_required
def index():
    params = queries.enterprise_list_params(request.args, current_user)
    form = EnterpriseFilterForm(request.args)
    form.sector.choices = sector_filter_choices()
    form.owner.choices = user_choices(blank=_("Anyone"))
    filters = form.filters()
    filters.drill, drill_args = queries.drill_conditions(request.args)
    page = queries.list_enterprises(params, filters)
    return render_template("enterprises/index.html", page=page, params=params, form=form, drill_args=drill_args)


@bp.get("/lookup")
@login_required
def lookup():
    """Enterprises matching ?q= in either script, as JSON, for the pickers on visit and contact forms."""
    matches = queries.find_by_name(request.args.get("q", "")[:100]) if request.args.get("q", "").strip() else []
    return jsonify([{"id": e.id, "name": e.name, "local_name": e.local_name, "city": e.city} for e in matches])


@bp.get("/<int:enterprise_id>")
@login_required
def detail(enterprise_id: int):
    enterprise = get_record_or_404(Enterprise, enterprise_id, current_user)
    return render_template(
        "enterprises/detail.html",
        enterprise=enterprise,
        contacts=first_of(queries.live_contacts(enterprise.id), limit=20),
        visits=visits_of_enterprise(enterprise.id),
        projects=projects_of_enterprise(enterprise.id, current_user),
        follow_ups=follow_ups_around(enterprise_links(enterprise.id), viewer=current_user._get_current_object()),
        history=history_of("enterprises", enterprise.id),
        group=queries.group_activity(enterprise.id, current_user),
        alias_form=AliasForm(formdata=None),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = EnterpriseForm(name=request.args.get("name", ""))
    del form.owner_id  # a new record belongs to its creator; managers reassign afterwards
    duplicates = []
    if form.validate_on_submit():
        duplicates = find_duplicates(form.name.data, form.local_name.data)
        if not duplicates or form.confirm_duplicate.data:
            enterprise = services.create_enterprise(form.values(), by=current_user)
            db.session.commit()
            flash(_("Enterprise saved."), "success")
            return redirect(url_for("enterprises.detail", enterprise_id=enterprise.id))
    status = 409 if duplicates else (400 if form.errors else 200)
    return render_template("enterprises/form.html", form=form, enterprise=None, duplicates=duplicates), status


@bp.route("/<int:enterprise_id>/edit", methods=["GET", "POST"])
@login_required
def edit(enterprise_id: int):
    enterprise = get_record_or_404(Enterprise, enterprise_id, current_user)
    require_edit(enterprise, current_user)
    form = EnterpriseForm(obj=enterprise, sector_ids=[sector.id for sector in enterprise.sectors])
    form.record_id = enterprise.id
    form.load_version(enterprise)
    if not current_user.is_manager:
        del form.owner_id
    return edit_response(
        form,
        enterprise,
        lambda: services.update_enterprise(enterprise, form.values()),
        saved=_("Enterprise saved."),
        next_url=url_for("enterprises.detail", enterprise_id=enterprise.id),
        template="enterprises/form.html",
        enterprise=enterprise,
    )


@bp.post("/<int:enterprise_id>/delete", endpoint="delete")
@login_required
def delete_enterprise(enterprise_id: int):
    enterprise = get_record_or_404(Enterprise, enterprise_id, current_user)
    return delete_and_redirect(
        enterprise, _("Enterprise deleted. A manager can restore it."), url_for("enterprises.index")
    )


@bp.post("/<int:enterprise_id>/restore", endpoint="restore")
@login_required
def restore_enterprise(enterprise_id: int):
    enterprise = get_record_or_404(Enterprise, enterprise_id, current_user)
    return restore_and_redirect(
        enterprise, _("Enterprise restored."), url_for("enterprises.detail", enterprise_id=enterprise.id)
    )


@bp.get("/<int:enterprise_id>/contacts.json", endpoint="contacts_json")
@login_required
def contacts_json(enterprise_id: int):
    """The enterprise's contacts, for the visit form to offer once the enterprise is picked."""
    enterprise = get_record_or_404(Enterprise, enterprise_id, current_user)
    return jsonify([{"id": c.id, "name": c.display_name} for c in queries.live_contacts_of(enterprise.id)])


# Aliases: other names the enterprise is known by (博世 for Bosch), used by search and the duplicate check.


@bp.post("/<int:enterprise_id>/aliases", endpoint="add_alias")
@login_required
def add_alias(enterprise_id: int):
    enterprise = get_record_or_404(Enterprise, enterprise_id, current_user)
    require_edit(enterprise, current_user)
    form = AliasForm()
    if form.validate_on_submit():
        services.add_alias(enterprise, form.name.data, form.kind.data)
        db.session.commit()
        flash(_("Other name added."), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(str(error) for error in errors), "danger")
    return redirect(url_for("enterprises.detail", enterprise_id=enterprise.id) + "#aliases")


@bp.post("/<int:enterprise_id>/aliases/<int:alias_id>/delete", endpoint="delete_alias")
@login_required
def delete_alias(enterprise_id: int, alias_id: int):
    enterprise = get_record_or_404(Enterprise, enterprise_id, current_user)
    require_edit(enterprise, current_user)
    alias = db.session.get(EnterpriseAlias, alias_id)
    if alias is None or alias.enterprise_id != enterprise.id:
        abort(404)
    services.remove_alias(alias)
    db.session.commit()
    flash(_("Other name removed."), "info")
    return redirect(url_for("enterprises.detail", enterprise_id=enterprise.id) + "#aliases")


# Duplicates and merging: managers and admins.


@bp.get("/duplicates", endpoint="duplicates")
@role_required(Role.MANAGER, Role.ADMIN)
def duplicates_page():
    pairs, total = likely_pairs()
    return render_template("enterprises/duplicates.html", pairs=pairs, total=total)


@bp.route("/<int:survivor_id>/merge/<int:other_id>", methods=["GET", "POST"], endpoint="merge")
@role_required(Role.MANAGER, Role.ADMIN)
def merge_view(survivor_id: int, other_id: int):
    survivor = get_record_or_404(Enterprise, survivor_id, current_user)
    other = get_record_or_404(Enterprise, other_id, current_user)
    if survivor.id == other.id or survivor.deleted_at or other.deleted_at:
        abort(404)
    form = merge_form(MERGE_FIELDS)()
    versions = f"{survivor.version}:{other.version}"
    changed_since = form.is_submitted() and form.versions.data != versions
    if changed_since:
        # Someone saved one of them after this page was opened: show what they hold now before merging.
        flash(
            _("One of the two enterprises was changed since this page was opened. Check the values and merge again."),
            "warning",
        )
        form.versions.data = versions
    elif form.validate_on_submit():
        taken = {field for field in MERGE_FIELDS if form[field].data == "other"}
        try:
            merge_enterprises(survivor, other, taken, by=current_user._get_current_object())
        except MergeRefused:
            db.session.rollback()
            flash(_("The merged enterprise needs an English or a Chinese name."), "danger")
        else:
            db.session.commit()
            flash(_("Enterprises merged. The audit log can undo it while nothing else has changed."), "success")
            return redirect(url_for("enterprises.detail", enterprise_id=survivor.id))
    if not form.is_submitted():  # offer the other's value where the survivor has none
        form.versions.data = versions
        for field in MERGE_FIELDS:
            if not merge_value(survivor, field) and merge_value(other, field):
                form[field].data = "other"
    rows = [(field, form[field], merge_value(survivor, field), merge_value(other, field)) for field in MERGE_FIELDS]
    status = 409 if changed_since else 400 if form.is_submitted() else 200
    blank = EnterpriseForm(formdata=None, meta={"csrf": False})
    labels = {name: form_field.label.text for name, form_field in blank._fields.items()}
    labels |= {"parent_id": labels["parent"], "owner_id": labels["owner_id"]}
    return render_template(
        "enterprises/merge.html", survivor=survivor, other=other, form=form, rows=rows, field_labels=labels
    ), status


@bp.post("/merges/<int:event_id>/undo", endpoint="undo_merge")
@role_required(Role.MANAGER, Role.ADMIN)
def undo_merge_view(event_id: int):
    event = db.get_or_404(AuditEvent, event_id)
    if event.action != AuditAction.MERGE:
        abort(404)
    try:
        undo_merge(event, by=current_user._get_current_object())
    except MergeRefused:
        db.session.rollback()
        flash(_("Something has changed since this merge: it can no longer be undone."), "danger")
        return redirect(url_for("auditlog.index"))
    db.session.commit()
    flash(_("Merge undone: both enterprises are back as they were."), "success")
    return redirect(url_for("enterprises.detail", enterprise_id=event.entity_id))
