from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.auditlog.queries import history_of
from crm.core.forms import record_id
from crm.core.records import (
    delete_and_redirect,
    edit_response,
    get_record_or_404,
    require_edit,
    restore_and_redirect,
)
from crm.enterprises import queries, services
from crm.enterprises.forms import ContactCreateForm, ContactForm, enterprise_label
from crm.enterprises.models import Contact
from crm.enterprises.queries import live_enterprise
from crm.extensions import db

bp = Blueprint("contacts", __name__, url_prefix="/contacts")


@bp.get("/")
@login_required
def index():
    params = queries.contact_list_params(request.args, current_user)
    page = queries.list_contacts(params)
    return render_template("contacts/index.html", page=page, params=params)


@bp.get("/<int:contact_id>")
@login_required
def detail(contact_id: int):
    contact = get_record_or_404(Contact, contact_id, current_user)
    return render_template("contacts/detail.html", contact=contact, history=history_of("contacts", contact.id))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = ContactCreateForm()
    del form.owner_id
    if not form.is_submitted():
        preset = live_enterprise(request.args.get("enterprise_id", 0, type=record_id))
        if preset is not None:
            form.enterprise.data = enterprise_label(preset)
    if form.validate_on_submit():
        contact = services.create_contact(form.enterprise.enterprise, form.values(), by=current_user)
        db.session.commit()
        flash(_("Contact saved."), "success")
        return redirect(url_for("enterprises.detail", enterprise_id=contact.enterprise_id))
    return render_template("contacts/form.html", form=form, contact=None), 400 if form.errors else 200


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def edit(contact_id: int):
    contact = get_record_or_404(Contact, contact_id, current_user)
    require_edit(contact, current_user)
    form = ContactForm(obj=contact)
    form.load_version(contact)
    if not current_user.is_manager:
        del form.owner_id
    return edit_response(
        form,
        contact,
        lambda: services.update_contact(contact, form.values()),
        saved=_("Contact saved."),
        next_url=url_for("contacts.detail", contact_id=contact.id),
        template="contacts/form.html",
        contact=contact,
    )


@bp.post("/<int:contact_id>/delete", endpoint="delete")
@login_required
def delete_contact(contact_id: int):
    contact = get_record_or_404(Contact, contact_id, current_user)
    return delete_and_redirect(
        contact,
        _("Contact deleted. A manager can restore it."),
        url_for("enterprises.detail", enterprise_id=contact.enterprise_id),
    )


@bp.post("/<int:contact_id>/restore", endpoint="restore")
@login_required
def restore_contact(contact_id: int):
    contact = get_record_or_404(Contact, contact_id, current_user)
    return restore_and_redirect(contact, _("Contact restored."), url_for("contacts.detail", contact_id=contact.id))
