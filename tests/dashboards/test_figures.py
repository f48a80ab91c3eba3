"""Every figure and chart of the dashboards, on the known dataset of conftest.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm.core.time import utcnow
from crm.dashboards import queries
from crm.extensions import db
from crm.pipeline.models import Stage
from tests.dashboards.conftest import M

ZONE = "Asia/Shanghai"


def year_2025(**narrowing) -> queries.Filters:
    return queries.Filters(date(2025, 1, 1), date(2025, 12, 31), ZONE, **narrowing)


def stale_since():
    return utcnow() - timedelta(days=30)


def test_headline_figures(dataset):
    figures = queries.headline(year_2025(), dataset.manager, stale_since=stale_since())
    # Open: P1, P2 (back from signed) and P6 (confidential); not the lost P4, the on-hold P5, the signed P3.
    assert figures.open_count == 3
    assert figures.open_value == 110 * M
    assert figures.weighted_value == 51 * M  # 10 at 10 %, 20 at 50 %, 80 at 50 %
    # Landed in 2025: P3 only (P2 was signed, then went back).
    assert (figures.landed_count, figures.landed_investment) == (1, 100 * M)
    assert (figures.landed_jobs, figures.landed_capital) == (200, 30 * M)
    # Opened: P1 to P6 (P7 is deleted); reached signing: P2 and P3.
    assert (figures.opened_count, figures.opened_signed) == (6, 2)
    assert figures.conversion == pytest.approx(2 / 6)
    # Stale: every active project (P1, P2, P3, P6) has had nothing since 2025.
    assert figures.stale_count == 4


def test_overdue_follow_ups_and_response_time(dataset):
    assert queries.overdue_follow_ups(year_2025(), date(2026, 1, 1)) == 1
    assert queries.overdue_follow_ups(year_2025(owner_id=dataset.other.id), date(2026, 1, 1)) == 0
    assert queries.overdue_follow_ups(year_2025(trip_id=dataset.trips["t1"].id), date(2026, 1, 1)) == 1
    # P1 opened on 1 Feb, its first follow-up was done on 4 Feb.
    assert queries.period_medians(year_2025(), dataset.manager)[1] == pytest.approx(3.0)


def test_a_follow_up_done_before_the_lead_was_opened_is_no_answer_to_it(dataset):
    """A follow-up done in January and linked to P1 (opened 1 Feb) afterwards does not make the answer -30 days."""
    from tests import factories
    from tests.dashboards.conftest import at

    factories.follow_up(dataset.me, project=dataset.projects[1], due_on=date(2025, 1, 2), done_at=at(1, 2))
    db.session.commit()
    assert queries.period_medians(year_2025(), dataset.manager)[1] == pytest.approx(3.0)


def test_median_days_in_each_stage(dataset):
    medians, _response = queries.period_medians(year_2025(), dataset.manager)
    # Lead: P2 10, P3 39, P4 4, P5 20, P6 10 days → 10. Assessment: P2 30, P4 20 → 25.
    # Negotiation: P2 52 days. Signed: P2 10 days (it went back).
    assert medians[Stage.LEAD] == pytest.approx(10)
    assert medians[Stage.ASSESSMENT] == pytest.approx(25)
    assert medians[Stage.NEGOTIATION] == pytest.approx(52)
    assert medians[Stage.SIGNED] == pytest.approx(10)
    assert Stage.CONSTRUCTION not in medians
    # Narrowed to my projects (joined to them, not only the deleted left out): P2 30 and P4 20 days, not P7.
    mine, _response = queries.period_medians(year_2025(owner_id=dataset.me.id), dataset.manager)
    assert mine[Stage.ASSESSMENT] == pytest.approx(25)
    assert Stage.SIGNED in mine and mine[Stage.LEAD] == pytest.approx(10)  # P2 10, P4 4, P5 20


def test_funnel_counts_the_furthest_stage_reached(dataset):
    steps = queries.funnel(year_2025(), dataset.manager)
    assert [step.count for step in steps] == [6, 5, 4, 2, 0, 0, 0]
    assert [step.value for step in steps[:4]] == [300 * M, 290 * M, 250 * M, 120 * M]
    assert [step.conversion for step in steps] == [None, 5 / 6, 4 / 5, 2 / 4, 0, None, None]


def test_breakdowns_by_sector_owner_and_source(dataset):
    by_sector = queries.open_value_by_sector(year_2025(), dataset.manager)
    assert [(item.label, item.count, item.value) for item in by_sector] == [
        ("Biomedicine", 1, 80 * M),
        ("Artificial intelligence", 1, 10 * M),
    ]
    figures = queries.headline(year_2025(), dataset.manager, stale_since=stale_since())
    assert [(item.key, item.count, item.value) for item in figures.by_owner] == [
        (dataset.other.id, 1, 80 * M),
        (dataset.me.id, 2, 30 * M),
    ]
    assert {item.label: (item.count, item.value) for item in figures.by_source} == {
        "—": (1, 80 * M),
        "Referral": (1, 20 * M),
        "Outbound visit": (1, 10 * M),
    }


def test_an_officer_sees_a_confidential_project_counted_but_not_by_sector(dataset):
    officer = dataset.me
    assert queries.headline(year_2025(), officer, stale_since=stale_since()).open_count == 3
    by_sector = queries.open_value_by_sector(year_2025(), officer)
    assert [(item.label, item.count) for item in by_sector] == [("Artificial intelligence", 1)]
    figures = queries.headline(year_2025(), officer, stale_since=stale_since())
    assert (figures.hidden_count, figures.hidden_value) == (1, 80 * M)
    figures = queries.headline(year_2025(), dataset.manager, stale_since=stale_since())
    assert (figures.hidden_count, figures.hidden_value) == (0, Decimal(0))
    # Nobody's confidential project is hidden from every officer, and counted on the confidential line.
    dataset.projects[6].owner = None
    db.session.commit()
    figures = queries.headline(year_2025(), officer, stale_since=stale_since())
    assert (figures.hidden_count, figures.hidden_value) == (1, 80 * M)


def test_landed_per_month(dataset):
    months = queries.landed_per_month(year_2025(), dataset.manager)
    assert months[0].first_day == date(2025, 1, 1)
    assert [(month.first_day.month, month.count, month.value) for month in months if month.count] == [(5, 1, 100 * M)]


def test_filters_narrow_every_figure(dataset):
    mine = queries.headline(year_2025(owner_id=dataset.me.id), dataset.manager, stale_since=stale_since())
    assert (mine.open_count, mine.landed_count, mine.opened_count) == (2, 0, 4)
    trip = queries.headline(year_2025(trip_id=dataset.trips["t1"].id), dataset.manager, stale_since=stale_since())
    assert (trip.open_count, trip.landed_count) == (2, 1)


def test_no_data_at_all(app, make_user):
    from crm.core.roles import Role

    manager = make_user(Role.MANAGER)
    figures = queries.headline(year_2025(), manager, stale_since=stale_since())
    assert (figures.open_count, figures.open_value, figures.landed_count, figures.conversion) == (0, 0, 0, None)
    assert [step.count for step in queries.funnel(year_2025(), manager)] == [0] * 7
    assert queries.period_medians(year_2025(), manager) == ({}, None)
    assert queries.open_value_by_sector(year_2025(), manager) == []
    assert sum(month.count for month in queries.landed_per_month(year_2025(), manager)) == 0
    bureau, rows = queries.target_table(2025, date(2025, 7, 1), ZONE)
    assert [line.target for line in bureau.lines] == [None] * 4 and rows == []


def test_targets_done_share_and_expected(dataset):
    bureau, rows = queries.target_table(2025, date(2026, 3, 1), ZONE)
    lines = {line.measure: line for line in bureau.lines}
    assert (lines["projects_signed"].target, lines["projects_signed"].done) == (4, 1)
    assert lines["projects_signed"].share_done == pytest.approx(0.25)
    assert lines["projects_signed"].expected_by_today == 4  # the year is over
    assert lines["investment_signed"].target == 0 and lines["investment_signed"].share_done is None
    assert lines["jobs"].share_done == pytest.approx(2.0)
    assert lines["capital_in_place"].target is None and lines["capital_in_place"].done == 30 * M
    by_officer = {row.officer.id: {line.measure: line for line in row.lines} for row in rows}
    assert by_officer[dataset.other.id]["projects_signed"].target == 0
    assert by_officer[dataset.other.id]["projects_signed"].done == 1
    # Halfway through the year, half of each target is expected.
    bureau, _rows = queries.target_table(2025, date(2025, 7, 2), ZONE)
    assert bureau.lines[0].expected_by_today == pytest.approx(Decimal(4) * Decimal(183) / Decimal(365))


def test_an_officers_targets_are_the_bureaus_and_their_own_row_as_a_manager_sees_them(dataset):
    bureau, rows = queries.target_table(2025, date(2026, 3, 1), ZONE)
    mine, my_rows = queries.target_table(2025, date(2026, 3, 1), ZONE, only=dataset.other.id)
    # The bureau's figures (the sum of every owner's landed projects) do not depend on who looks.
    assert [(line.target, line.done) for line in mine.lines] == [(line.target, line.done) for line in bureau.lines]
    assert [row.officer.id for row in my_rows] == [dataset.other.id]
    (theirs,) = [row for row in rows if row.officer.id == dataset.other.id]
    assert [(line.target, line.done) for line in my_rows[0].lines] == [
        (line.target, line.done) for line in theirs.lines
    ]
    # Someone with no target and nothing landed has no row, and the bureau's figures stay.
    nobody, none = queries.target_table(2025, date(2026, 3, 1), ZONE, only=-1)
    assert none == [] and [line.done for line in nobody.lines] == [line.done for line in bureau.lines]


def test_trip_results(dataset):
    one, two = queries.trip_results([dataset.trips["t1"], dataset.trips["t2"]])
    assert (one.visits, one.enterprises, one.projects) == (2, 1 + 1, 3)
    assert (one.planned_investment, one.planned_jobs) == (190 * M, 200)
    assert (one.landed, one.landed_investment) == (1, 100 * M)
    # The trip's own, its visit's, and project 1's (its visit opened it), as the trip page lists them.
    assert (one.follow_ups_done, one.follow_ups_open) == (2, 1)
    assert one.value_per_cost == pytest.approx(190)
    assert one.cost_per_project == Decimal("333333.33")
    assert (two.visits, two.enterprises, two.projects) == (1, 1, 0)
    assert two.value_per_cost is None and two.cost_per_project is None  # a trip with no cost


def test_a_trip_page_counts_its_results_as_the_trip_comparison_does(dataset):
    """The trip's page adds up the visits and projects it has read; the comparison groups them in SQL."""
    from crm.followups.queries import follow_ups_around, trip_links
    from crm.trips.queries import projects_of_trip
    from crm.visits.queries import visits_of_trip

    for trip in (dataset.trips["t1"], dataset.trips["t2"]):
        grouped = queries.trip_results([trip])[0]
        section = follow_ups_around(trip_links(trip.id))  # the trip page's follow-ups, counted beside the first few
        single = queries.trip_result(trip, visits_of_trip(trip.id), projects_of_trip(trip.id), section)
        assert single == grouped
    results = queries.trip_results(list(dataset.trips.values()))
    assert any(result.follow_ups_done for result in results) and any(result.follow_ups_open for result in results)


def test_industry_chains(dataset):
    chains = {row.sector.code: row for row in queries.industry_chains(dataset.manager)}
    bio = chains["biomedicine"]
    assert (bio.open_projects, bio.landed_projects, bio.landed_value) == (1, 1, 100 * M)
    ai = chains["artificial-intelligence"]
    assert (ai.open_projects, ai.landed_projects) == (1, 0)
    chips = next(node for node in ai.nodes if node.sector.code == "ai-chips")
    assert (chips.open_projects, chips.is_gap) == (1, True)
    # An officer does not see the confidential P6 by sector.
    officer_view = {row.sector.code: row for row in queries.industry_chains(dataset.me)}
    assert officer_view["biomedicine"].open_projects == 0


def _everyone() -> list:
    return list(db.session.scalars(queries.team_members()))


def test_team_month(dataset):
    rows = {
        row.user.id: row
        for row in queries.team_month(date(2025, 3, 1), date(2025, 3, 31), ZONE, date(2026, 1, 1), _everyone())
    }
    me, other = rows[dataset.me.id], rows[dataset.other.id]
    assert (me.visits, me.enterprises_met, me.projects_opened, me.stage_advances) == (1, 1, 1, 1)
    assert (me.follow_ups_done, me.follow_ups_overdue) == (1, 1)
    assert (other.visits, other.enterprises_met, other.projects_opened) == (1, 1, 0)
    only_mine = queries.team_month(date(2025, 3, 1), date(2025, 3, 31), ZONE, date(2026, 1, 1), [dataset.me])
    assert [row.user.id for row in only_mine] == [dataset.me.id]


def test_team_month_does_not_count_a_deleted_enterprise_as_newly_met(dataset):
    """Officer B met enterprise E2 in March (visit V2); once E2 is deleted, the visit still counts, the meeting
    with a new enterprise no longer does."""
    from crm.visits.models import Visit

    visit = db.session.scalar(sa.select(Visit).where(Visit.owner_id == dataset.other.id))
    visit.enterprise.deleted_at = utcnow()
    db.session.commit()
    (row,) = queries.team_month(date(2025, 3, 1), date(2025, 3, 31), ZONE, date(2026, 1, 1), [dataset.other])
    assert (row.visits, row.enterprises_met) == (1, 0)


def test_a_visit_since_keeps_a_project_off_the_stale_count(dataset):
    """Stale: active, and no stage change, visit or follow-up since the day. P1 has been a lead since 1 February
    (the other active projects moved later); Trip One's visit of 24 March discussed it."""
    march_20, april_15 = datetime(2025, 3, 20, tzinfo=UTC), datetime(2025, 4, 15, tzinfo=UTC)
    assert queries.headline(year_2025(), dataset.manager, stale_since=march_20).stale_count == 0
    assert queries.headline(year_2025(), dataset.manager, stale_since=april_15).stale_count == 1
