"""The sample trip tells one consistent story: report in on time, projects moved on over the following weeks,
people with names, titles in both languages, owners for everything, and sample colleagues on request."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from crm.accounts.models import User
from crm.core.roles import Role
from crm.core.time import local_today
from crm.demo import sample_year
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.models import Contact, InvestmentProject, StageChange, Trip
from tests.conftest import login, text_of


def _load(app, *args):
    result = app.test_cli_runner().invoke(args=["demo", "load", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_sample_year_is_the_latest_spring_whose_story_is_over():
    assert sample_year(date(2026, 11, 28)) == 2026
    assert sample_year(date(2027, 2, 1)) == 2026
    assert sample_year(date(2027, 7, 1)) == 2027


def test_the_report_is_in_on_time_and_the_stages_moved_over_the_weeks_after(app, make_user, client):
    admin = make_user(Role.ADMIN)
    _load(app)
    trip = db.session.scalar(sa.select(Trip))
    assert trip.report_submitted_on is not None and trip.report_submitted_on <= trip.report_due_on
    report = db.session.scalar(sa.select(FollowUp).where(FollowUp.trip_id == trip.id))
    assert report.done_at is not None
    login(client, admin.email)
    page = text_of(client.get(f"/trips/{trip.id}"))
    assert "Overdue" not in page and "on time" in page

    today = local_today()
    for project in db.session.scalars(sa.select(InvestmentProject)):
        changes = db.session.scalars(
            sa.select(StageChange).where(StageChange.project_id == project.id).order_by(StageChange.changed_at)
        ).all()
        assert all(trip.end_on < change.changed_at.date() < today for change in changes)
        assert project.days_in_stage >= 7, project.name  # days in stage are real, not "0 days"
        assert all(change.note and change.note != "Sample stage change." for change in changes)
    spread = {change.changed_at.date() for change in db.session.scalars(sa.select(StageChange))}
    assert max(spread) - min(spread) >= timedelta(days=30)


def test_people_have_names_and_titles_in_both_languages_are_shown(app, make_user, client):
    admin = make_user(Role.ADMIN)
    _load(app)
    contacts = db.session.scalars(sa.select(Contact)).all()
    assert contacts
    assert all(contact.name != "Sample contact" and contact.local_name and contact.title for contact in contacts)
    trip = db.session.scalar(sa.select(Trip))
    projects = db.session.scalars(sa.select(InvestmentProject)).all()
    assert trip.local_title and all(project.local_title for project in projects)
    login(client, admin.email)
    client.post("/language", data={"language": "zh"})
    assert "赴无锡、苏州、杭州招商考察" in text_of(client.get(f"/trips/{trip.id}"))
    assert "数字城市联合创新中心" in text_of(client.get("/projects/"))
    client.post("/language", data={"language": "en"})
    assert "Digital-city joint innovation centre" in text_of(client.get("/projects/"))


def test_every_project_and_follow_up_has_an_owner(app, make_user):
    make_user(Role.ADMIN)
    _load(app)
    assert all(project.owner_id for project in db.session.scalars(sa.select(InvestmentProject)))
    assert all(item.owner_id for item in db.session.scalars(sa.select(FollowUp)))


def test_officers_gives_a_new_manager_a_home_with_work_on_it(app, client):
    """On an empty database too: the sample manager then loads the sample."""
    output = _load(app, "--officers", "--password", "sample-password-2026")
    assert "zhou.hui@sample.invalid" in output and "sample-password-2026" in output
    colleagues = db.session.scalars(sa.select(User).where(User.email.like("%@sample.invalid"))).all()
    assert {user.role for user in colleagues} == {Role.MANAGER, Role.OFFICER} and len(colleagues) == 4
    assert all("sample" in user.title for user in colleagues)
    officers = {user.id for user in colleagues if user.role is Role.OFFICER}
    owners = {project.owner_id for project in db.session.scalars(sa.select(InvestmentProject))}
    assert len(owners) >= 2 and owners <= officers

    login(client, "zhou.hui@sample.invalid", "sample-password-2026")
    home = text_of(client.get("/"))
    assert "Investment promotion mission to Wuxi, Suzhou and Hangzhou" in home
    # A manager's home is the pipeline dashboard: with the sample, it counts the sample's open projects.
    active = re.search(r"Active projects (\d+)", home)
    assert active and int(active.group(1)) >= 1, home[:600]
    again = _load(app, "--officers", "--password", "sample-password-2026")
    assert "already loaded" in again and "Created sample" not in again


def test_the_sample_trip_s_report_was_approved_and_reads_as_signed(app, client):
    """The trip is "reported": its report is there, submitted and approved by the sample manager, and frozen."""
    from crm.reports.models import ReportStatus, TripReport

    _load(app, "--officers", "--password", "sample-password-2026")
    trip = db.session.scalar(sa.select(Trip))
    report = db.session.scalar(sa.select(TripReport).where(TripReport.trip_id == trip.id))
    assert report.status is ReportStatus.APPROVED and report.decided_by.email == "zhou.hui@sample.invalid"
    assert report.submitted_at.date() <= report.decided_at.date() < local_today()
    assert set(report.approved_content) == {"en", "zh"}
    assert report.approved_content["zh"]["cover"]["trip_title"] == "赴无锡、苏州、杭州招商考察"
    login(client, "zhou.hui@sample.invalid", "sample-password-2026")
    page = text_of(client.get(f"/trips/{trip.id}/report"))
    assert "Approved by 周慧" in page and "Submit for approval" not in page and "Not written yet" not in page
    client.post("/language", data={"language": "zh"})
    page = text_of(client.get(f"/trips/{trip.id}/report"))
    assert "赴无锡、苏州、杭州招商考察" in page and "Investment promotion mission" not in page


def test_without_a_manager_the_sample_report_waits_for_approval(app, make_user):
    make_user(Role.OFFICER, email="officer@example.invalid")
    _load(app, "--owner", "officer@example.invalid")
    from crm.reports.models import ReportStatus, TripReport
    from crm.trips.models import TripStatus

    trip = db.session.scalar(sa.select(Trip))
    assert db.session.scalar(sa.select(TripReport.status)) is ReportStatus.SUBMITTED
    assert trip.status is TripStatus.COMPLETED
