from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from crm.accounts.views import safe_next
from crm.core.database import database_answers
from crm.core.roles import Role
from crm.extensions import db
from crm.followups.queries import open_follow_ups_of
from crm.trips.queries import trips_of

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home():
    user = current_user._get_current_object()
    if user.role is Role.MANAGER and "dashboards.pipeline" in current_app.view_functions:
        # A manager's home is the pipeline meeting's dashboard (administrators keep their own work first).
        from crm.dashboards.views import render_pipeline_dashboard

        return render_pipeline_dashboard()
    return render_template("main/home.html", trips=trips_of(user), follow_ups=open_follow_ups_of(user))


@bp.post("/language")
def set_language():
    """Switch the interface language; remembered on the account when signed in."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["locale"] = language
        if current_user.is_authenticated:
            current_user.locale = language
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


@bp.get("/healthz")
def healthz():
    """For load balancers and monitoring: 200 while the database answers, 503 when it does not."""
    ok = database_answers()
    return jsonify(status="ok" if ok else "error", database=ok), 200 if ok else 503
