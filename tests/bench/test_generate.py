"""The benchmark's synthetic data reads like a zone's history up to the day it is generated for."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bench.generate import Generator
from crm.extensions import db
from crm.models import FollowUp, InvestmentProject, StageChange, Visit

TODAY = date(2026, 6, 30)


def test_nothing_is_dated_after_the_day_the_data_ends_and_no_follow_up_before_its_record(app):
    counts = Generator(0.02, 7, today=TODAY).run()
    assert counts["visits"] == 600 and counts["follow_ups"] == 800
    end_of_day = datetime.combine(TODAY, time(23, 59, 59), tzinfo=ZoneInfo("Asia/Shanghai"))  # the zone's (conftest)

    def latest(column):
        return db.session.scalar(sa.select(sa.func.max(column)))

    assert latest(Visit.visited_on) <= TODAY
    assert latest(StageChange.changed_at) <= end_of_day
    assert latest(InvestmentProject.landed_at) <= end_of_day
    assert latest(InvestmentProject.stage_entered_at) <= end_of_day
    # "This year" holds work: the dashboards measure a year's figures whatever the day.
    this_year = datetime(TODAY.year, 1, 1, tzinfo=UTC)
    assert db.session.scalar(sa.select(sa.func.count()).where(InvestmentProject.created_at >= this_year)) > 0
    on_visits = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(FollowUp)
        .join(Visit, Visit.id == FollowUp.visit_id)
        .where(sa.func.date(FollowUp.created_at) < Visit.visited_on)
    )
    on_projects = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(FollowUp)
        .join(InvestmentProject, InvestmentProject.id == FollowUp.project_id)
        .where(sa.func.date(FollowUp.created_at) < sa.func.date(InvestmentProject.created_at))
    )
    assert (on_visits, on_projects) == (0, 0)
    assert latest(FollowUp.created_at) <= end_of_day and latest(Visit.created_at) <= end_of_day
    # Each follow-up is due after it was agreed, and done only once due.
    assert not db.session.scalar(
        sa.select(sa.func.count()).where(
            sa.or_(
                sa.func.date(FollowUp.created_at) > FollowUp.due_on,
                FollowUp.done_at.is_not(None) & (FollowUp.due_on >= TODAY),
            )
        )
    )


def test_data_generated_for_today_holds_no_moment_still_to_come(app):
    from crm.core.time import local_today, utcnow

    Generator(0.01, 3).run()  # today, whatever the hour: the zone's day may be ahead of UTC's
    now = utcnow()
    for column in (Visit.created_at, StageChange.changed_at, FollowUp.created_at, FollowUp.done_at):
        assert db.session.scalar(sa.select(sa.func.max(column))) <= now
    assert db.session.scalar(sa.select(sa.func.max(Visit.visited_on))) <= local_today()
