"""Dashboards: the pipeline (the managers' home), targets, trip results, industry chains, the team's month."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from crm.auditlog import presentation
from crm.core.forms import enum_or_none, optional_int, sector_filter_choices, select_choices, user_choices
from crm.core.i18n import language, money, number
from crm.core.listing import page_number, paginate_capped, paginate_rows
from crm.core.roles import Role, role_required
from crm.core.time import local_today, utcnow
from crm.core.web import list_url
from crm.dashboards import queries, services
from crm.dashboards.forms import DashboardFilterForm, TargetForm
from crm.dashboards.models import Target
from crm.extensions import db
from crm.pipeline.models import ProjectStatus, Stage
from crm.trips.models import Trip

bp = Blueprint("dashboards", __name__, url_prefix="/dashboards")

# Trips offered in the trip filter: the most recent ones (older ones stay reachable by URL).
TRIP_CHOICES_LIMIT = 100
# A breakdown shows its largest slices and one for the rest: a province's few hundred officers would otherwise
# make the dashboard a page per officer. The team's month and the targets show this many people a page.
BREAKDOWN_LIMIT = 12
PEOPLE_PER_PAGE = 50


def _target_kind() -> tuple[str, presentation.RecordKind]:
    """How the audit log names a year's targets and their fields (its page is the year's, not the record's)."""

    def name(target: Target, viewer) -> str:
        whose = target.officer.display_name if target.officer else _("the bureau")
        return _("%(year)s targets for %(whose)s", year=target.year, whose=whose)

    return "targets", presentation.RecordKind(
        _l("Targets"), Target, None, "target_id", name, (TargetForm,), {"officer_id": _l("For")}, named_by="officer"
    )


presentation.add_kind(_target_kind)


def _filter_form() -> tuple[DashboardFilterForm, queries.Filters]:
    """The filter form from ?from=&to=&sector=&trip=&owner=&status=; the period defaults to this year so far."""
    args = MultiDict(request.args)
    for url_name, field_name in (("from", "start"), ("to", "end")):
        if url_name in args:
            args[field_name] = args[url_name]
    form = DashboardFilterForm(args)
    form.sector.choices = sector_filter_choices()
    form.owner.choices = user_choices(blank=_("Anyone"))
    form.trip.choices = _trip_choices()
    form.validate()  # a bad date is shown beside its field and the default used instead
    today = local_today()
    start = form.start.data if form.start.data and not form.start.errors else date(today.year, 1, 1)
    end = form.end.data if form.end.data and not form.end.errors else today
    if end < start:
        start, end = date(today.year, 1, 1), today
    form.start.data, form.end.data = start, end
    filters = queries.Filters(
        start=start,
        end=end,
        zone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
        sector_id=form.sector.data,
        trip_id=form.trip.data,
        owner_id=form.owner.data,
        status=enum_or_none(ProjectStatus, form.status.data),
    )
    return form, filters


def _trip_choices() -> list:
    trips = db.session.execute(
        sa.select(Trip.id, Trip.title)
        .where(Trip.deleted_at.is_(None))
        .order_by(Trip.start_on.desc(), Trip.id.desc())
        .limit(TRIP_CHOICES_LIMIT)
    )
    return select_choices([("", _("Any")), *((trip_id, title) for trip_id, title in trips)])


def chart_unit() -> tuple[int, str]:
    """Chart axes carry plain numbers: amounts in 万元 for Chinese readers, in millions for English ones."""
    locale = get_locale()
    if locale is not None and locale.language == "zh":
        return 10_000, _("10,000 yuan (万元)")
    return 1_000_000, _("million %(currency)s", currency=current_app.config["REPORTING_CURRENCY"])


def _scaled(values) -> list[float]:
    """Amounts in the chart's unit (asked once per chart, not per bar: it looks up the reader's language)."""
    size = chart_unit()[0]
    return [round(float(value) / size, 2) for value in values]


def render_pipeline_dashboard(template: str = "dashboards/pipeline.html"):
    """The pipeline dashboard; also the managers' home page."""
    form, filters = _filter_form()
    viewer = current_user._get_current_object()
    stale_days = current_app.config["STALE_PROJECT_DAYS"]
    today = local_today()
    stale_since = utcnow() - timedelta(days=stale_days)
    headline = queries.headline(filters, viewer, stale_since=stale_since)
    funnel = queries.funnel(filters, viewer)
    medians, response_days = queries.period_medians(filters, viewer)
    by_sector = _with_others(queries.open_value_by_sector(filters, viewer))
    by_owner, by_source = _with_others(headline.by_owner), _with_others(headline.by_source)
    months = queries.landed_per_month(filters, viewer)
    bureau, _rows = queries.target_table(filters.end.year, today, filters.zone, with_officers=False)
    period = {"from": filters.start.isoformat(), "to": filters.end.isoformat()}
    project_args = filters.project_list_args()

    def projects_url(**extra) -> str:
        return list_url("pipeline.index", **{**project_args, **extra})

    charts = {
        "funnel": _chart(
            [step.stage.label for step in funnel],
            [step.count for step in funnel],
            _scaled(step.value for step in funnel),
            [
                projects_url(opened_from=period["from"], opened_to=period["to"], reached=step.stage.value)
                for step in funnel
            ],
        ),
        "sector": _slices_chart(by_sector, projects_url),
        "owner": _slices_chart(by_owner, projects_url),
        "source": _slices_chart(by_source, projects_url),
        "months": _chart(
            [month.first_day.strftime("%Y-%m") for month in months],
            [month.count for month in months],
            _scaled(month.value for month in months),
            [
                projects_url(landed_from=month.first_day.isoformat(), landed_to=month.last_day.isoformat())
                for month in months
            ],
        ),
    }
    return render_template(
        template,
        form=form,
        filters=filters,
        headline=headline,
        overdue=queries.overdue_follow_ups(filters, today),
        medians=medians,
        response_days=response_days,
        funnel=funnel,
        by_sector=by_sector,
        hidden=(headline.hidden_count, headline.hidden_value),
        by_owner=by_owner,
        by_source=by_source,
        months=months,
        bureau=bureau,
        charts=charts,
        unit=chart_unit()[1],
        stale_days=stale_days,
        stages=list(Stage),
        period=period,
        projects_url=projects_url,
        follow_ups_url=lambda **extra: list_url("followups.index", **{**filters.follow_up_list_args(), **extra}),
    )


def _chart(labels: list, counts: list, values: list, links: list) -> dict:
    return {"labels": [str(label) for label in labels], "counts": counts, "values": values, "links": links}


def _with_others(slices: list[queries.Slice]) -> list[queries.Slice]:
    """The largest slices (they come largest first), and the rest added up in one slice without a list."""
    if len(slices) <= BREAKDOWN_LIMIT:
        return slices
    shown, rest = slices[: BREAKDOWN_LIMIT - 1], slices[BREAKDOWN_LIMIT - 1 :]
    label = ngettext("%(num)d other", "%(num)d others", len(rest))
    count, value = sum(item.count for item in rest), sum((item.value for item in rest), queries.ZERO)
    others = queries.Slice(None, label, count, value, others=True)
    return [*shown, others]


def _slices_chart(slices: list[queries.Slice], projects_url) -> dict:
    # The slice of the others is left out of the chart (its table has it): the sum of a few hundred owners
    # would dwarf the bars it stands beside.
    slices = [item for item in slices if not item.others]
    return _chart(
        [item.label for item in slices],
        [item.count for item in slices],
        _scaled(item.value for item in slices),
        [projects_url(**item.list_args) if item.list_args else None for item in slices],
    )


@bp.get("/")
@login_required
def pipeline():
    return render_pipeline_dashboard()


@bp.get("/targets")
@login_required
def targets():
    year = request.args.get("year", local_today().year, type=int)
    if not 2000 <= year <= 2100:
        year = local_today().year
    form = None
    if current_user.is_manager:
        # ?officer=ID (the "Set targets" beside a row) opens the form with that person's targets, the bureau's without.
        officer_id = request.args.get("officer", type=optional_int)
        target = queries.target_of(year, officer_id)
        form = TargetForm(formdata=None, obj=target, year=year, officer=officer_id)
        form.opened.data = target_stamp(year, officer_id, target)
        form.officer.choices = _officer_choices()
    return _targets_page(year, form)


def target_stamp(year: int, officer_id: int | None, target: Target | None) -> str:
    """ "year:officer:last saved" of the targets a form shows (nothing saved yet: an empty last part)."""
    saved = target.updated_at.isoformat() if target is not None else ""
    return f"{year}:{officer_id or ''}:{saved}"


def _saved_since(form: TargetForm) -> Target | None:
    """The targets the form would replace, if someone saved them after it was opened (None otherwise)."""
    target = queries.target_of(form.year.data, form.officer.data)
    now = target_stamp(form.year.data, form.officer.data, target)
    opened = form.opened.data or ""
    # Opened for other targets (the year or the person changed in the form) or by a client without the field:
    # the save replaces them, as the page says.
    same_targets = opened.split(":", 2)[:2] == now.split(":", 2)[:2]  # the moment holds colons of its own
    return target if opened and same_targets and opened != now else None


def _officer_choices() -> list:
    return user_choices(blank=_("The whole bureau"))


def _targets_page(year: int, form: TargetForm | None, status: int = 200):
    # An officer sees the bureau's row and their own.
    only = None if current_user.is_manager else current_user.id
    bureau, rows = queries.target_table(year, local_today(), current_app.config["BABEL_DEFAULT_TIMEZONE"], only=only)
    page = paginate_rows(rows, page=page_number(request.args), per_page=PEOPLE_PER_PAGE)
    return (
        render_template(
            "dashboards/targets.html",
            year=year,
            bureau=bureau,
            rows=page.items,
            page=page,
            form=form,
            fraction=queries.year_fraction(year, local_today()),
        ),
        status,
    )


@bp.post("/targets")
@role_required(Role.MANAGER, Role.ADMIN)
def set_targets():
    form = TargetForm()
    form.officer.choices = _officer_choices()
    if not form.validate_on_submit():
        year = (
            form.year.data if isinstance(form.year.data, int) and 2000 <= form.year.data <= 2100 else local_today().year
        )
        return _targets_page(year, form, status=400)
    newer = _saved_since(form)
    if newer is not None:
        # What the other manager set is shown; what this one typed stays in the boxes, to save again over it.
        flash(
            _(
                "Someone saved these targets after you opened the form. Now set: %(targets)s. "
                "Save again to replace them with yours.",
                targets=_targets_text(newer),
            ),
            "warning",
        )
        form.opened.data = target_stamp(newer.year, newer.officer_id, newer)
        return _targets_page(form.year.data, form, status=409)
    target = services.set_target(
        form.year.data,
        form.officer.data,
        {measure: getattr(form, measure).data for measure in queries.TARGET_MEASURES},
    )
    db.session.commit()
    flash(_("Targets saved."), "success")
    return redirect(url_for("dashboards.targets", year=target.year))


def _targets_text(target: Target) -> str:
    """The targets in words: "Projects signed: 5; Investment signed: 5.00亿元; …"."""
    parts = []
    for measure in queries.TARGET_MEASURES:
        value = getattr(target, measure)
        shown = "—" if value is None else money(value) if measure in queries.AMOUNT_MEASURES else number(value)
        parts.append(_("%(label)s: %(value)s", label=queries.TARGET_LABELS[measure], value=shown))
    return ("；" if language() == "zh" else "; ").join(parts)


@bp.get("/trips")
@login_required
def trips():
    form, filters = _filter_form()
    trips_, total = queries.trips_between(filters.start, filters.end)
    return render_template(
        "dashboards/trips.html",
        form=form,
        filters=filters,
        results=queries.trip_results(trips_),
        total=total,
        limit=queries.TRIP_COMPARISON_LIMIT,
    )


@bp.app_context_processor
def _measure_labels() -> dict:
    """The targets' names for the pages that show them (the targets page, the pipeline dashboard's home)."""
    return {"measure_labels": queries.TARGET_LABELS}


@bp.app_template_global()
def trip_result(trip: Trip, visits: list, projects: list, follow_ups) -> queries.TripResult:
    """The results of one trip, for the section on the trip's page (from its live visits and projects, and its
    follow-ups section)."""
    return queries.trip_result(trip, visits, projects, follow_ups)


@bp.get("/chains")
@login_required
def chains():
    return render_template("dashboards/chains.html", chains=queries.industry_chains(current_user._get_current_object()))


@bp.get("/team")
@login_required
def team():
    today = local_today()
    first_day = _month_arg(request.args.get("month", ""), today)
    following = date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)
    last_day = following - timedelta(days=1)
    people = queries.team_members(only=None if current_user.is_manager else current_user.id)
    page = paginate_capped(people, page=page_number(request.args), per_page=PEOPLE_PER_PAGE)
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    rows = queries.team_month(first_day, last_day, zone, today, list(page.items))
    previous = (first_day - timedelta(days=1)).replace(day=1)
    return render_template(
        "dashboards/team.html",
        rows=rows,
        page=page,
        first_day=first_day,
        last_day=last_day,
        previous=previous,
        following=following if following <= today else None,
    )


def _month_arg(text: str, today: date) -> date:
    """?month=YYYY-MM as the month's first day; this month when missing or malformed."""
    try:
        year, month = (int(part) for part in text.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    if text:
        abort(404)
    return today.replace(day=1)
