"""No page grows with the data: a busy enterprise's page shows a fixed number of rows in each section, with the
totals and the way to the rest, whatever the volume."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from crm.core.listing import SECTION_LIMIT
from crm.core.roles import Role
from crm.extensions import db
from crm.pipeline.models import InvestmentProject
from tests import factories
from tests.conftest import POSTGRES_URL, text_of


def _busy_enterprise(owner, visits: int):
    enterprise = factories.enterprise(owner, name="Busy Components Co., Ltd.")
    for number in range(visits):
        factories.visit(owner, enterprise, purpose=f"Visit number {number:03d}")
        factories.project(owner, enterprise, name=f"Project number {number:03d}")
        factories.contact(enterprise, owner, name=f"Contact number {number:03d}")
    db.session.commit()
    return enterprise


def _rows(html: str, word: str) -> int:
    return len(re.findall(rf"{word} number \d{{3}}", html))


def test_a_busy_enterprise_page_shows_a_fixed_number_of_rows_in_each_section(client, login_as):
    me = login_as(Role.MANAGER)
    quiet = _busy_enterprise(me, 3)
    busy = _busy_enterprise(me, 45)

    few = client.get(f"/enterprises/{quiet.id}").get_data(as_text=True)
    many = client.get(f"/enterprises/{busy.id}").get_data(as_text=True)
    assert (_rows(few, "Visit"), _rows(few, "Project"), _rows(few, "Contact")) == (3, 3, 3)
    assert _rows(many, "Visit") == SECTION_LIMIT and _rows(many, "Project") == SECTION_LIMIT
    assert _rows(many, "Contact") == 20
    text = text_of(client.get(f"/enterprises/{busy.id}"))
    assert "The latest 10 of 45." in text and "The first 20 of 45." in text
    # Every visit can still be reached: the link opens the visits list filtered to this enterprise.
    assert "45 records" in text_of(client.get(f"/visits/?enterprise={busy.id}"))


def test_a_record_page_counts_a_section_only_when_its_first_rows_fill_it(client, login_as):
    """A quiet enterprise's sections hold all there is: their totals are the rows shown, with no count query; a
    busy one's are counted."""
    from tests.querycount import count_queries

    me = login_as(Role.MANAGER)
    quiet, busy = _busy_enterprise(me, 3), _busy_enterprise(me, 45)
    with count_queries() as statements:
        client.get(f"/enterprises/{quiet.id}")
    quiet_counts = sum(_is_a_count(statement) for statement in statements)
    with count_queries() as statements:
        text = text_of(client.get(f"/enterprises/{busy.id}"))
    assert "The latest 10 of 45." in text
    # Visits, projects and contacts: three sections whose first rows fill them, counted.
    assert sum(_is_a_count(statement) for statement in statements) == quiet_counts + 3


def _numbered_visits(officer, count: int) -> None:
    """Visits whose purposes say "Visit number 000", "001", …"""
    enterprise = factories.enterprise(officer)
    for number in range(count):
        factories.visit(officer, enterprise, purpose=f"Visit number {number:03d}")
    db.session.commit()


def test_a_long_list_counts_up_to_a_cap_and_says_more_than(client, login_as, monkeypatch):
    from crm.core import listing

    monkeypatch.setattr(listing, "COUNT_CAP", 30)
    _numbered_visits(login_as(Role.OFFICER), 35)
    text = text_of(client.get("/visits/"))
    assert "More than 30 records" in text and "35 records" not in text
    second = client.get("/visits/?page=2").get_data(as_text=True)  # 25 a page: the last 10, past the cap of 30
    assert second.count('href="/visits/') - second.count('href="/visits/new') >= 10
    # A narrower list is counted exactly.
    assert "10 records" in text_of(client.get("/visits/?q=Visit+number+01"))  # 010 to 019


def test_a_text_search_is_counted_exactly_by_the_sort_that_finds_its_page(client, login_as, monkeypatch):
    """On SQLite a search sorts all its matches to show the first page; the same statement counts them,
    exactly: no count of its own, and no "more than" however many it finds. (PostgreSQL may walk the list's
    index instead and stop at the page: there a search counts up to SEARCH_COUNT_CAP, tested below.)"""
    from crm.core import listing
    from tests.querycount import count_queries

    monkeypatch.setattr(listing, "COUNT_CAP", 5)
    _numbered_visits(login_as(Role.OFFICER), 32)
    with count_queries() as statements:
        text = text_of(client.get("/visits/?q=Visit+number"))
    assert "32 records" in text and "More than" not in text
    if db.engine.dialect.name == "sqlite":
        assert not any(_is_a_count(statement) for statement in statements)
    assert "32 records" in text_of(client.get("/visits/?q=Visit+number&page=2"))
    assert "10 records" in text_of(client.get("/visits/?q=Visit+number+01"))  # 010 to 019


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL only")
def test_a_text_search_on_postgresql_counts_up_to_a_lower_cap(client, login_as, monkeypatch):
    from crm.core import listing

    monkeypatch.setattr(listing, "SEARCH_COUNT_CAP", 30)
    _numbered_visits(login_as(Role.OFFICER), 32)
    text = text_of(client.get("/visits/?q=Visit+number"))
    assert "More than 30 records" in text and "32 records" not in text
    assert "10 records" in text_of(client.get("/visits/?q=Visit+number+01"))


def _is_a_count(statement: str) -> bool:
    return statement.lstrip().upper().startswith("SELECT COUNT(*)")


def test_a_search_ignores_the_case_of_latin_letters_on_either_engine(client, login_as):
    me = login_as(Role.OFFICER)
    factories.enterprise(me, name="SUZHOU Precision Optics", local_name="苏州精密光学")
    db.session.commit()
    for text in ("suzhou precision", "Suzhou PRECISION", "精密光学"):
        assert "SUZHOU Precision Optics" in text_of(client.get("/enterprises/", query_string={"q": text})), text


def test_a_page_that_holds_the_last_rows_is_counted_without_a_count_query(client, login_as):
    """A search matching a few rows reads the table once: the page's rows are the total."""
    from tests.querycount import count_queries

    _numbered_visits(login_as(Role.OFFICER), 30)
    with count_queries() as statements:
        text = text_of(client.get("/visits/?q=Visit+number+01"))  # 010 to 019
    assert "10 records" in text and not any(_is_a_count(statement) for statement in statements)
    with count_queries() as statements:
        text = text_of(client.get("/visits/?page=2"))  # 25 on the first page, the last 5 here
    assert "30 records" in text and not any(_is_a_count(statement) for statement in statements)
    # A page past the end shows no rows, so the total is counted.
    with count_queries() as statements:
        text = text_of(client.get("/visits/?page=9"))
    assert "30 records" in text and any(_is_a_count(statement) for statement in statements)


def test_a_bureau_of_many_officers_is_shown_a_page_of_people_at_a_time(client, login_as, make_user, monkeypatch):
    """A province's few hundred officers: the dashboard's breakdown by owner shows the largest and adds up the
    rest; the team's month and the targets show a page of people with the way to the others."""
    from decimal import Decimal

    from crm.core.time import local_today
    from crm.dashboards import services, views

    monkeypatch.setattr(views, "BREAKDOWN_LIMIT", 4)
    monkeypatch.setattr(views, "PEOPLE_PER_PAGE", 3)
    login_as(Role.MANAGER, name="Aaron Manager")
    officers = [make_user(Role.OFFICER, name=f"Officer number {number:03d}") for number in range(6)]
    for number, officer in enumerate(officers):
        factories.project(officer, planned_investment=Decimal(10_000_000 * (10 - number)))
        services.set_target(local_today().year, officer.id, {"projects_signed": 2})
    db.session.commit()

    dashboard = client.get("/dashboards/").get_data(as_text=True)
    owners = re.search(r'aria-label="Open pipeline by owner">(.*?)</section>', dashboard, re.S).group(1)
    assert _rows(owners, "Officer") == 3 and "Officer number 002" in owners  # the three largest (and the chart)
    assert "Officer number 003" not in owners and "3 others" in owners
    # The chart has the three largest, not the others' sum, which would dwarf them.
    charts = json.loads(re.search(r'id="dashboard-charts">(.*?)</script>', dashboard, re.S).group(1))["charts"]
    assert charts["owner"]["labels"] == [f"Officer number {number:03d}" for number in range(3)]

    team = [client.get(f"/dashboards/team?page={page}").get_data(as_text=True) for page in (1, 2, 3)]
    assert [_rows(html, "Officer") for html in team] == [2, 3, 1]  # Aaron Manager first, by name
    assert "?page=2" in team[0] and "7 records" in text_of(client.get("/dashboards/team"))

    targets = [client.get(f"/dashboards/targets?page={page}").get_data(as_text=True) for page in (1, 2)]
    per_officer = [
        re.search(r'aria-labelledby="officer-targets"(.*?)</section>', html, re.S).group(1) for html in targets
    ]
    assert [_rows(html, "Officer") for html in per_officer] == [3, 3]
    assert "?page=2" in per_officer[0] and "Officer number 005" in per_officer[1]


@pytest.mark.parametrize("path", ["/dashboards/team", "/dashboards/targets"])
@pytest.mark.parametrize("page", ["abc", "-3", "0", "99999999999999", "2"])
def test_people_pages_take_any_page_number_for_each_role(client, login_as, make_user, monkeypatch, path, page):
    """A page number out of range or not a number is the first page or an empty one, never an error; an officer
    sees only their own row, and no pager."""
    from crm.core.time import local_today
    from crm.dashboards import services, views

    monkeypatch.setattr(views, "PEOPLE_PER_PAGE", 1)
    others = [make_user(Role.OFFICER, name=f"Officer number {number:03d}") for number in range(2)]
    for officer in others:
        services.set_target(local_today().year, officer.id, {"jobs": 5})
    me = login_as(Role.OFFICER, name="Officer number 100")
    services.set_target(local_today().year, me.id, {"jobs": 5})
    db.session.commit()
    mine = client.get(f"{path}?page=1").get_data(as_text=True)
    assert "Officer number 100" in mine and "Officer number 000" not in mine and "?page=2" not in mine
    assert client.get(f"{path}?page={page}").status_code == 200

    client.post("/logout")
    login_as(Role.MANAGER)
    response = client.get(f"{path}?page={page}")
    assert response.status_code == 200
    assert _rows(_people_section(response.get_data(as_text=True), path), "Officer") <= 1


def _people_section(html: str, path: str) -> str:
    """The table of people (the targets page also has a form that lists every officer)."""
    if path.endswith("targets"):
        return re.search(r'aria-labelledby="officer-targets"(.*?)</section>', html, re.S).group(1)
    return html


def _link_choices(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="project_id"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1)) if select else []


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER])
def test_a_visit_to_a_busy_enterprise_offers_a_fixed_number_of_projects_to_link(client, login_as, monkeypatch, role):
    """The "link a project" menu holds the enterprise's most recently updated projects, not all of them; the words
    typed beside it find the others, which can then be linked."""
    from crm.visits import queries

    monkeypatch.setattr(queries, "LINK_CHOICES_LIMIT", 5)
    me = login_as(role)
    enterprise = factories.enterprise(me, name="Busy Components Co., Ltd.")
    visit = factories.visit(me, enterprise)
    for number in range(12):
        factories.project(me, enterprise, name=f"Project number {number:03d}")
    db.session.commit()

    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert len(_link_choices(page)) == 5
    assert "The list holds the 5 most recently updated" in text_of(client.get(f"/visits/{visit.id}"))
    assert "Project number 000" not in _link_choices(page)  # the oldest is not offered

    found = client.get(f"/visits/{visit.id}", query_string={"link_q": "number 00"})
    assert len(_link_choices(found.get_data(as_text=True))) == 5
    assert "10 projects of this enterprise match “number 00”." in text_of(found)
    found = client.get(f"/visits/{visit.id}", query_string={"link_q": "NUMBER 000"})
    assert _link_choices(found.get_data(as_text=True)) == ["Project number 000"]
    oldest = db.session.scalar(sa.select(InvestmentProject.id).where(InvestmentProject.name == "Project number 000"))
    assert client.post(f"/visits/{visit.id}/projects", data={"project_id": oldest}).status_code == 302
    assert "Project number 000" in text_of(client.get(f"/visits/{visit.id}"))
    # LIKE's wildcards and markup are taken as text, and words that match nothing say so.
    nothing = client.get(f"/visits/{visit.id}", query_string={"link_q": "<b>" + "%_" * 80})
    html = nothing.get_data(as_text=True)
    assert nothing.status_code == 200 and _link_choices(html) == [] and "<b>%_" not in html
    assert "0 projects of this enterprise match “<b>%_%_" in text_of(nothing)
