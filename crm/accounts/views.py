"""Sign-in, sign-out, the first-run page, and each user's own account."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from crm.accounts import services, throttle
from crm.accounts.forms import LoginForm, PasswordChangeForm, ProfileForm, SetupForm
from crm.accounts.models import User
from crm.accounts.passwords import verify_password
from crm.core import audit
from crm.core.audit import AuditAction
from crm.core.roles import Role
from crm.extensions import db, login_manager

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.login"
login_manager.login_message = None  # the login page says enough


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.session_token == session_token, User.active))


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site; None for anything that could leave it."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if not services.any_user_exists():
        return redirect(url_for("accounts.setup"))
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 400 if form.errors else 200
    device_cookie = request.cookies.get(throttle.DEVICE_COOKIE)
    buckets = throttle.login_buckets(form.email.data, request.remote_addr, device_cookie)
    wait = throttle.retry_after(buckets)
    if wait is not None:
        services.record_refused_login(form.email.data)
        db.session.commit()
        return _too_many_attempts(form, wait)
    user = services.authenticate(form.email.data, form.password.data)
    if user is None:
        throttle.record_failure(buckets)
        db.session.commit()  # keep the failed-login audit event and the counter
        form.password.errors.append(_("The email or the password is wrong."))
        return render_template("accounts/login.html", form=form), 200
    throttle.clear(buckets[0][0])
    services.record_login(user)
    db.session.commit()
    session.clear()  # a fresh session: nothing from before sign-in carries over
    login_user(user, remember=form.remember.data)
    response = redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    throttle.remember_device(response, device_cookie, user.email)
    return response


def _too_many_attempts(form: LoginForm, wait):
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    message = ngettext(
        "Too many failed sign-ins. Try again in %(num)d minute.",
        "Too many failed sign-ins. Try again in %(num)d minutes.",
        minutes,
    )
    form.password.errors.append(message)
    response = make_response(render_template("accounts/login.html", form=form), 429)
    response.headers["Retry-After"] = str(math.ceil(wait.total_seconds()))
    return response


@bp.post("/logout")
@login_required
def logout():
    user = current_user._get_current_object()
    services.end_all_sessions(user)
    audit.record(AuditAction.LOGOUT, user, user=user)
    db.session.commit()
    language = session.get("locale") or user.locale
    logout_user()
    session.clear()
    if language:
        session["locale"] = language  # the sign-in page stays in the language the user chose
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """Create the first administrator; the page exists only while there is no account."""
    if services.any_user_exists():
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                email=form.email.data, name=form.name.data, password=form.password.data, role=Role.ADMIN
            )
        except services.AccountError as error:
            form.email.errors.append(str(error))
        else:
            services.record_login(user)
            db.session.commit()
            session.clear()
            login_user(user)
            flash(_("Welcome. Your administrator account is ready."), "success")
            return redirect(url_for("main.home"))
    return render_template("accounts/setup.html", form=form), 400 if form.errors else 200


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    """A user's own name, title and language."""
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        services.update_user(
            user,
            by=user,
            name=form.name.data,
            local_name=form.local_name.data,
            title=form.title.data,
            locale=form.locale.data,
        )
        session["locale"] = form.locale.data
        db.session.commit()
        flash(_("Your details are saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form), 400 if form.errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """A new password ends every other session; this one carries on."""
    user = current_user._get_current_object()
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            services.set_password(user, form.password.data)
            db.session.commit()
            login_user(user)  # the session now carries the new token
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form), 400 if form.errors else 200
