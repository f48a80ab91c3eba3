"""Investment projects: the list, each project's page, its stage and status changes, and the board."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.auditlog.queries import history_of
from crm.core.forms import record_id, sector_choices, sector_filter_choices, user_choices
from crm.core.records import (
    delete_and_redirect,
    edit_response,
    get_record_or_404,
    require_edit,
    restore_and_redirect,
    save_unless_stale,
)
from crm.enterprises.forms import enterprise_label
from crm.enterprises.queries import live_enterprise
from crm.extensions import db
from crm.followups.queries import follow_ups_linked_to
from crm.pipeline import queries, services
from crm.pipeline.forms import (
    BoardFilterForm,
    ProjectFilterForm,
    ProjectForm,
    StageForm,
    StatusForm,
)
from crm.pipeline.models import InvestmentProject, Stage

bp = Blueprint("pipeline", __name__, url_prefix="/projects")


@bp.get("/")
@login_required
def index():
    params = queries.project_list_params(request.args, current_user)
    form = ProjectFilterForm(request.args)
    form.sector.choices = sector_filter_choices()
    form.owner.choices = user_choices(blank=_("Anyone"))
    filters = form.filters()
    filters.drill, drill_args = queries.drill_from(request.args)
    page = queries.list_projects(params, filters, current_user)
    return render_template("pipeline/index.html", page=page, params=params, form=form, drill_args=drill_args)


@bp.get("/board")
@login_required
def board():
    form = BoardFilterForm(request.args)
    form.owner.choices = user_choices(blank=_("Anyone"))
    form.sector.choices = sector_filter_choices()
    filters = queries.BoardFilters(owner_id=form.owner.data, sector_id=form.sector.data)
    return render_template(
        "pipeline/board.html",
        columns=queries.board(current_user, filters),
        form=form,
        filters=filters,
        stages=list(Stage),
        limit=queries.BOARD_COLUMN_LIMIT,
    )


def _render_detail(project: InvestmentProject, *, stage_form=None, status_form=None, conflict=None, status=200):
    """The project's page; a confidential project the viewer may not see shows its code name, stage and status only."""
    if not project.can_see(current_user):
        return render_template("pipeline/detail.html", project=project, masked=True), status
    if project.can_edit(current_user):
        # The form that was not sent starts afresh, at the version on file.
        if stage_form is None:
            stage_form = StageForm(formdata=None, to_stage=_next_stage(project.stage))
            stage_form.version.data = str(project.version)
        if status_form is None:
            status_form = StatusForm(formdata=None, obj=project)
            status_form.version.data = str(project.version)
    return (
        render_template(
            "pipeline/detail.html",
            project=project,
            masked=False,
            stage_form=stage_form,
            status_form=status_form,
            conflict=conflict,
            stage_changes=queries.stage_history(project.id),
            origin_visits=queries.origin_visits_of(project.id),
            follow_ups=follow_ups_linked_to(project_id=project.id),  # titles masked for others
            history=history_of("investment_projects", project.id),
        ),
        status,
    )


def _next_stage(stage: Stage) -> Stage:
    stages = list(Stage)
    return stages[min(stage.order + 1, len(stages) - 1)]


@bp.get("/<int:project_id>")
@login_required
def detail(project_id: int):
    project = get_record_or_404(InvestmentProject, project_id, current_user)
    return _render_detail(project)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = ProjectForm()
    del form.owner_id  # a new project belongs to its creator; managers reassign afterwards
    visit = queries.live_visit(request.args.get("visit_id", 0, type=record_id))
    if not form.is_submitted():
        _prefill(form, visit)
    if form.validate_on_submit():
        project = services.create_project(form.values(), by=current_user, origin_visit=visit)
        db.session.commit()
        flash(_("Project saved."), "success")
        return redirect(url_for("pipeline.detail", project_id=project.id))
    return render_template("pipeline/form.html", form=form, project=None, visit=visit), 400 if form.errors else 200


def _prefill(form: ProjectForm, visit) -> None:
    """A project opened from a visit starts with its enterprise, sectors and source; else from ?enterprise_id=."""
    enterprise = visit.enterprise if visit is not None else None
    if enterprise is None or enterprise.deleted_at is not None:
        enterprise = live_enterprise(request.args.get("enterprise_id", 0, type=record_id))
    if enterprise is not None:
        form.enterprise.data = enterprise_label(enterprise)
    if visit is not None:
        offered = {choice.value for choice in sector_choices()}
        form.sector_ids.data = [sector.id for sector in visit.sectors if sector.id in offered]
        form.source.data = services.source_of_visit(visit)


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int):
    project = get_record_or_404(InvestmentProject, project_id, current_user)
    require_edit(project, current_user)
    form = ProjectForm(obj=project, sector_ids=[sector.id for sector in project.sectors])
    form.load_version(project)
    if not current_user.is_manager:
        del form.owner_id
    return edit_response(
        form,
        project,
        lambda: services.update_project(project, form.values()),
        saved=_("Project saved."),
        next_url=url_for("pipeline.detail", project_id=project.id),
        template="pipeline/form.html",
        project=project,
        visit=None,
    )


@bp.post("/<int:project_id>/delete", endpoint="delete")
@login_required
def delete_project(project_id: int):
    project = get_record_or_404(InvestmentProject, project_id, current_user)
    return delete_and_redirect(project, _("Project deleted. A manager can restore it."), url_for("pipeline.index"))


@bp.post("/<int:project_id>/restore", endpoint="restore")
@login_required
def restore_project(project_id: int):
    project = get_record_or_404(InvestmentProject, project_id, current_user)
    return restore_and_redirect(project, _("Project restored."), url_for("pipeline.detail", project_id=project.id))


@bp.post("/<int:project_id>/stage", endpoint="stage")
@login_required
def change_stage(project_id: int):
    """A stage change is its own action, with a note; from the project's page or a card on the board."""
    project = get_record_or_404(InvestmentProject, project_id, current_user)
    require_edit(project, current_user)
    form = StageForm()
    form.load_version(project)  # a move must say which version of the project it was made on
    form.current_stage = project.stage
    if not form.validate_on_submit():
        return _render_detail(project, stage_form=form, status=400)
    conflict = save_unless_stale(
        form,
        project,
        lambda: services.advance_stage(
            project, form.to_stage.data, by=current_user, note=form.note.data or "", probability=form.probability.data
        ),
    )
    if conflict is not None:
        return _render_detail(project, stage_form=form, conflict=conflict, status=409)
    flash(_("Stage changed to %(stage)s.", stage=project.stage.label), "success")
    if request.form.get("next") == "board":
        return redirect(_board_url())
    return redirect(url_for("pipeline.detail", project_id=project.id))


def _board_url() -> str:
    """Back to the board, with the filters it was showing."""
    kept = {name: request.form.get(name, type=record_id) for name in ("owner", "sector")}
    return url_for("pipeline.board", **{name: value for name, value in kept.items() if value})


@bp.post("/<int:project_id>/status", endpoint="status")
@login_required
def change_status(project_id: int):
    project = get_record_or_404(InvestmentProject, project_id, current_user)
    require_edit(project, current_user)
    form = StatusForm()
    form.load_version(project)
    if not form.validate_on_submit():
        return _render_detail(project, status_form=form, status=400)
    conflict = save_unless_stale(
        form, project, lambda: services.change_status(project, form.status.data, form.status_reason.data)
    )
    if conflict is not None:
        return _render_detail(project, status_form=form, conflict=conflict, status=409)
    flash(_("Status changed to %(status)s.", status=project.status.label), "success")
    return redirect(url_for("pipeline.detail", project_id=project.id))
