"""Dates: "28 Nov 2026" in English, the zone's time zone everywhere, China's working days, and a sane range
that no form lets out and no stored value can break."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest
import sqlalchemy as sa
from flask_babel import refresh

from crm.core import i18n
from crm.core.roles import Role
from crm.core.time import add_working_days, calendar_known, is_working_day
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.pipeline.models import InvestmentProject
from crm.trips.models import Trip, TripStatus
from crm.visits.models import Visit
from tests import factories
from tests.conftest import count_rows, text_of

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_english_dates_read_day_month_year_and_times_are_the_zones(app):
    moment = datetime(2026, 11, 27, 21, 6, tzinfo=UTC)  # 05:06 on the 28th in Shanghai
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        assert i18n.date(date(2026, 11, 28)) == "28 Nov 2026"
        assert i18n.date(moment) == "28 Nov 2026"
        assert i18n.datetime(moment) == "28 Nov 2026, 05:06"
        assert i18n.date(None) == "—"
    with app.test_request_context(headers={"Accept-Language": "zh"}):
        refresh()
        assert i18n.date(date(2026, 11, 28)) == "2026年11月28日"
        assert i18n.datetime(moment) == "2026年11月28日 05:06"
    with app.test_request_context(headers={"Accept-Language": "en"}):  # dates are memoized per language
        refresh()
        assert i18n.date(date(2026, 11, 28)) == "28 Nov 2026"
        assert i18n.date(date(2026, 11, 28), "long") == "28 November 2026"


def test_every_template_writes_dates_one_way():
    """|date and |datetime (crm.core.i18n), never Flask-Babel's dateformat/datetimeformat with ad hoc forms."""
    offenders = [
        path.relative_to(TEMPLATES)
        for path in TEMPLATES.rglob("*.html")
        if "dateformat(" in path.read_text(encoding="utf-8") or "datetimeformat(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_audit_log_shows_the_zones_time(client, login_as, app):
    login_as(Role.ADMIN)
    page = text_of(client.get("/audit/"))
    # The sign-in just now, in Shanghai time (UTC+8) and the medium form.
    expected = i18n_now_in_shanghai()
    assert expected in page


def i18n_now_in_shanghai() -> str:
    from zoneinfo import ZoneInfo

    local = datetime.now(ZoneInfo("Asia/Shanghai"))
    return f"{local.day} {local:%b %Y}, {local:%H}:"


def test_the_report_deadline_skips_national_day_week(app):
    # A trip ending Monday 28 September 2026: 1 to 7 October are the National Day holiday and Saturday
    # 10 October is worked in exchange (调休): the 15th working day is Friday 23 October (weekends only: 19 Oct).
    assert add_working_days(date(2026, 9, 28), 15) == date(2026, 10, 23)
    trip = Trip(title="t", start_on=date(2026, 9, 25), end_on=date(2026, 9, 28), destination_cities="Shenzhen")
    assert trip.report_due_on == date(2026, 10, 23)


def test_the_bureaus_own_days_off_are_skipped(app):
    trip = Trip(title="t", start_on=date(2026, 12, 7), end_on=date(2026, 12, 9), destination_cities="Shenzhen")
    assert trip.report_due_on == date(2026, 12, 30)
    app.config["BUREAU_DAYS_OFF"] = ["2026-12-30"]
    assert trip.report_due_on == date(2026, 12, 31)


def test_a_year_the_calendar_does_not_know_counts_weekends_only_and_the_trip_page_says_so(client, login_as):
    assert not calendar_known(date(2099, 1, 1))
    assert add_working_days(date(2099, 1, 2), 1) == date(2099, 1, 5)  # Friday → Monday
    officer = login_as(Role.OFFICER)
    later = factories.trip(officer, start_on=date(2099, 3, 2), end_on=date(2099, 3, 5))
    known = factories.trip(officer, start_on=date(2026, 3, 23), end_on=date(2026, 3, 26))
    db.session.commit()
    note = "public holidays for 2099 are not known to this version yet: only weekends were skipped"
    assert note in text_of(client.get(f"/trips/{later.id}"))
    assert "are not known to this version" not in text_of(client.get(f"/trips/{known.id}"))


TRIP = {"title": "Mission", "destination_cities": "Shenzhen", "status": "planned"}


@pytest.mark.parametrize(
    ("start_on", "end_on", "message"),
    [
        ("2026-12-07", "9999-12-31", "Enter a date between 2000 and 2100."),
        ("0001-01-01", "2026-12-07", "Enter a date between 2000 and 2100."),
        ("1999-12-31", "2000-01-02", "Enter a date between 2000 and 2100."),
        ("2026-01-01", "2026-06-01", "A trip lasts at most 120 days."),
    ],
)
def test_a_trip_outside_the_range_is_refused_beside_the_field(client, login_as, start_on, end_on, message):
    login_as(Role.OFFICER)
    before = count_rows()
    response = client.post("/trips/new", data={**TRIP, "start_on": start_on, "end_on": end_on})
    assert response.status_code == 400
    assert message in text_of(response)
    assert f'value="{end_on}"' in response.get_data(as_text=True)  # the input is kept
    assert count_rows() == before


def test_the_range_and_the_longest_trip_are_settings(client, login_as, app):
    app.config.update(DATE_MIN_YEAR=1990, TRIP_MAX_DAYS=200)
    login_as(Role.OFFICER)
    response = client.post("/trips/new", data={**TRIP, "start_on": "1995-01-01", "end_on": "1995-06-01"})
    assert response.status_code == 302
    assert db.session.scalars(sa.select(Trip)).one().start_on == date(1995, 1, 1)


def test_every_form_with_a_date_refuses_one_outside_the_range(client, login_as):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(officer)
    db.session.commit()
    link = f"{enterprise.display_name} #{enterprise.id}"
    posts = {
        "/visits/new": {"enterprise": link, "visited_on": "9999-12-31", "slot": "morning", "direction": "outbound"},
        "/follow-ups/new": {"title": "Call back", "enterprise": link, "due_on": "0001-01-01"},
        "/projects/new": {
            "name": "Plant",
            "code_name": "Blue",
            "enterprise": link,
            "expected_decision_on": "2101-01-01",
        },
    }
    for path, data in posts.items():
        before = count_rows()
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        assert "Enter a date between 2000 and 2100." in text_of(response), path
        assert count_rows() == before, path
    for path in ("/audit/?since=0001-01-01", "/audit/?until=9999-12-31", "/trips/?since=0001-01-01"):
        response = client.get(path)
        assert response.status_code in (200, 400), path
    assert "Enter a date between 2000 and 2100." in text_of(client.get("/audit/?until=9999-12-31"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InvestmentProject)) == 0


@pytest.mark.parametrize(("start_on", "end_on"), [(date(2026, 3, 23), date.max), (date.min, date(2026, 3, 26))])
def test_no_stored_date_breaks_a_page_or_slows_it(client, login_as, start_on, end_on):
    """Dates written into the database directly (before the range rule, or by another tool)."""
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer, start_on=start_on, end_on=end_on, status=TripStatus.COMPLETED)
    project = factories.project(officer, expected_decision_on=end_on)
    factories.follow_up(officer, trip=trip, due_on=end_on)
    factories.visit(officer, trip_=trip, visited_on=end_on)
    project.stage_entered_at = datetime(end_on.year, end_on.month, end_on.day, tzinfo=UTC)
    db.session.commit()
    for path in (f"/trips/{trip.id}", "/trips/", "/", f"/projects/{project.id}", "/projects/", "/follow-ups/"):
        assert client.get(path).status_code == 200, path
        # Timed the second time: the first also compiles the page's templates, which a busy machine can slow
        # past the bound, while a page that walked every day of 2,025 years would be slow every time.
        started = time.perf_counter()
        response = client.get(path)
        assert response.status_code == 200, path
        assert time.perf_counter() - started < 2, path
    html = client.get(f"/trips/{trip.id}/edit").get_data(as_text=True)
    assert f'value="{start_on.isoformat()}"' in html and f'value="{end_on.isoformat()}"' in html


def test_the_bureaus_days_off_setting_is_read_or_explained(tmp_path):
    from crm.config import ConfigError
    from tests.conftest import build_app

    assert build_app(tmp_path, BUREAU_DAYS_OFF="2026-12-31").config["BUREAU_DAYS_OFF"] == ("2026-12-31",)
    with pytest.raises(ConfigError, match="BUREAU_DAYS_OFF must be a list of dates"):
        build_app(tmp_path, BUREAU_DAYS_OFF=["31/12/2026"])


def test_working_days_agree_with_the_calendar_library_on_every_day_it_knows():
    first, last = min(chinese_calendar.holidays), max(chinese_calendar.holidays)
    day = date(first.year, 1, 1)
    while day.year <= last.year:
        assert is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
