"""Account administration: admins create, edit, deactivate and reactivate users and reset passwords."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.accounts import services
from crm.accounts.forms import ConfirmForm, NewUserForm, PasswordResetForm, UserForm
from crm.accounts.models import User
from crm.core.roles import Role, role_required
from crm.extensions import db

bp = Blueprint("users", __name__, url_prefix="/admin/users")


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    users = db.session.scalars(sa.select(User).order_by(User.active.desc(), User.name)).all()
    return render_template("accounts/users.html", users=users, confirm_form=ConfirmForm())


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create():
    form = NewUserForm(role=Role.OFFICER.value, locale="zh")
    if form.validate_on_submit():
        try:
            user = services.create_user(
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                role=form.role.data,
                locale=form.locale.data,
            )
        except services.AccountError as error:
            form[error.field or "email"].errors.append(str(error))
        else:
            user.local_name, user.title = form.local_name.data, form.title.data
            db.session.commit()
            flash(_("The account for %(name)s is created.", name=user.name), "success")
            return redirect(url_for("users.index"))
    return render_template("accounts/user_form.html", form=form, user=None), 400 if form.errors else 200


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        try:
            services.update_user(
                user,
                by=current_user,
                email=form.email.data,
                name=form.name.data,
                local_name=form.local_name.data,
                title=form.title.data,
                locale=form.locale.data,
                role=form.role.data,
            )
        except services.AccountError as error:
            db.session.rollback()
            form[error.field or "email"].errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The account for %(name)s is saved.", name=user.name), "success")
            return redirect(url_for("users.index"))
    return render_template("accounts/user_form.html", form=form, user=user), 400 if form.errors else 200


@bp.route("/<int:user_id>/password", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        flash(_("The password of %(name)s is reset; their sessions have ended.", name=user.name), "success")
        return redirect(url_for("users.index"))
    return render_template("accounts/reset_password.html", form=form, user=user), 400 if form.errors else 200


@bp.post("/<int:user_id>/deactivate")
@role_required(Role.ADMIN)
def deactivate(user_id: int):
    return _set_active(user_id, False)


@bp.post("/<int:user_id>/reactivate")
@role_required(Role.ADMIN)
def reactivate(user_id: int):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form expired; please try again."), "danger")
        return redirect(url_for("users.index"))
    try:
        services.set_active(user, active, by=current_user)
    except services.AccountError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        if active:
            flash(_("%(name)s can sign in again.", name=user.name), "success")
        else:
            flash(_("%(name)s is deactivated and signed out.", name=user.name), "success")
    return redirect(url_for("users.index"))
