"""The audit log and record histories read like a log for people, from one registry, one query per kind."""

from __future__ import annotations

from decimal import Decimal

from crm.core.i18n import datetime as moment
from crm.core.i18n import money
from crm.core.roles import Role
from crm.extensions import db
from crm.pipeline import services as pipeline
from crm.pipeline.models import Stage
from tests import factories
from tests.conftest import text_of
from tests.querycount import count_queries


def test_the_log_names_fields_values_and_records_as_people_read_them(client, login_as):
    manager = login_as(Role.MANAGER)
    enterprise = factories.enterprise(manager, name="Huawei Suzhou", local_name="华为苏州")
    project = factories.project(manager, enterprise, name="Smart campus")
    db.session.commit()
    pipeline.advance_stage(project, Stage.NEGOTIATION, by=manager, note="Board met")
    project.planned_investment = Decimal("500000000")
    db.session.commit()
    html = client.get("/audit/").get_data(as_text=True)
    text = text_of(client.get("/audit/"))
    for raw in ("stage_entered_at", "planned_investment", "negotiation", "500000000.00", "#" + str(project.id)):
        assert raw not in text, raw
    assert "In stage since" in text and "Negotiation" in text and money(Decimal("500000000")) in text
    assert f'<a href="/projects/{project.id}">Smart campus</a>' in html
    history = text_of(client.get(f"/projects/{project.id}"))
    assert "Planned investment" in history and money(Decimal("500000000")) in history


def test_the_action_filter_offers_only_actions_that_have_happened(client, login_as):
    login_as(Role.MANAGER)
    html = client.get("/audit/").get_data(as_text=True)
    assert 'value="login"' in html and 'value="export"' not in html and 'value="import"' not in html


def test_a_page_of_events_names_its_records_without_a_query_per_row(client, login_as):
    manager = login_as(Role.MANAGER)

    def page_queries() -> int:
        with count_queries() as statements:
            assert client.get("/audit/").status_code == 200
        return len(statements)

    # Enough events to fill the page either way: a full page counts the rest (one query), a short one need not.
    for _ in range(15):
        factories.follow_up(manager, visit=factories.visit(manager))
    db.session.commit()
    few = page_queries()
    for _ in range(10):
        factories.follow_up(manager, visit=factories.visit(manager))
    db.session.commit()
    assert page_queries() == few


def test_the_visit_forms_attendee_section_is_not_headed_operator_in_chinese(client, login_as):
    login_as(Role.OFFICER)
    client.post("/language", data={"language": "zh"})
    text = text_of(client.get("/visits/new"))
    assert "操作人" not in text
    assert '<legend class="h6">参加人员</legend>' in client.get("/visits/new").get_data(as_text=True)


def test_work_done_from_the_command_line_is_the_system_s_in_the_reader_s_language(app, client, login_as):
    loaded = app.test_cli_runner().invoke(args=["demo", "load", "--officers", "--password", "pw-2026-sample"])
    assert loaded.exit_code == 0
    login_as(Role.MANAGER)
    assert "system (flask demo load)" in text_of(client.get("/audit/"))
    client.post("/language", data={"language": "zh"})
    page = text_of(client.get("/audit/"))
    assert "系统 (flask demo load)" in page and "system (" not in page


def test_a_moment_in_a_history_reads_as_a_date_and_time(client, login_as):
    """Timestamps (done on, in stage since) are written as the pages write moments, not as stored."""
    officer = login_as(Role.OFFICER)
    item = factories.follow_up(officer, title="Send the brochure")
    db.session.commit()
    client.post(f"/follow-ups/{item.id}/done", data={"state": "done"})
    db.session.refresh(item)
    history = text_of(client.get(f"/follow-ups/{item.id}"))
    history = history[history.index("History") :]
    assert "+00:00" not in history and f"Done on {moment(item.done_at)}" in history
