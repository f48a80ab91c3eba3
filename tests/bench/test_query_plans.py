"""No list, search or dashboard query reads a large table whole: each is served by an index.

Every SELECT that the list pages (first page, a later page, filters), the record pages, the dashboards and the
search box send is run again under EXPLAIN. On SQLite, whose planner goes by the query's shape alone (there are
no statistics unless someone runs ANALYZE), a plain `SCAN <table>` is a read of every row. On PostgreSQL, which
would happily scan the few rows of a test table, sequential scans are switched off first: a `Seq Scan` that
remains is one that no index can replace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from crm.core.roles import Role
from crm.extensions import db
from crm.pipeline import services as pipeline
from crm.pipeline.models import Stage
from tests import factories

# The tables that grow with the zone's work (the taxonomy, accounts and targets stay small).
LARGE_TABLES = {
    "enterprises",
    "contacts",
    "trips",
    "delegation_members",
    "visits",
    "visit_contacts",
    "visit_projects",
    "investment_projects",
    "stage_changes",
    "follow_ups",
    "attachments",
    "search_keys",
    "audit_events",
    "enterprise_aliases",
}


@contextmanager
def captured_selects() -> Iterator[list[tuple[str, object]]]:
    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def full_scans(statement: str, parameters) -> list[str]:
    """The large tables the statement's plan reads whole."""
    connection = db.session.connection()
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        if connection.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            plan = [row[3] for row in cursor.fetchall()]
            # "SCAN visits" reads every row, unless a LIMIT stops it early in the table's own (id) order, with
            # nothing left to sort; "SCAN visits USING INDEX …" reads an index in order, and "SEARCH …" a range.
            stops_early = re.search(r"\bLIMIT\b", statement) and not any("TEMP B-TREE" in line for line in plan)
            found = [] if stops_early else (re.fullmatch(r"SCAN (\w+)(?: AS \w+)?", line) for line in plan)
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + statement, parameters)
            found = (re.search(r"Seq Scan on (\w+)", row[0]) for row in cursor.fetchall())
        return sorted({match.group(1) for match in found if match} & LARGE_TABLES)
    finally:
        cursor.close()


def _build_zone(officer) -> dict:
    enterprise = factories.enterprise(officer, name="Suzhou Robotics Co., Ltd.")
    factories.contact(enterprise, officer, name="Wang Lei")
    trip = factories.trip(officer, title="Suzhou mission")
    visit = factories.visit(officer, enterprise, trip, purpose="Suzhou plant expansion")
    project = factories.project(officer, enterprise, name="Suzhou plant")
    visit.projects.append(project)
    pipeline.advance_stage(project, Stage.SIGNED, by=officer)
    factories.follow_up(officer, project=project, title="Send the land price sheet")
    db.session.commit()
    return {"enterprise": enterprise.id, "trip": trip.id, "visit": visit.id, "project": project.id}


@pytest.fixture
def zone(app, login_as, make_user, role):
    """A little of everything, one officer's, seen by a manager (every record and dashboard) or by that officer
    (whose pages leave out others' confidential projects)."""
    if role is Role.MANAGER:
        officer = make_user(Role.OFFICER)
        login_as(Role.MANAGER)
    else:
        officer = login_as(Role.OFFICER)
    return _build_zone(officer)


# The lists' text searches ("?q=") start from the records their words find (crm.core.words), in English,
# Chinese and both; the search box (/search/) from its indexed name keys. Only a text without any word ("%")
# reads the rows, and the README says so.
PAGES = [
    "/trips/?q=Suzhou+mission",
    "/visits/?q=Suzhou",
    "/visits/?q=%E8%8B%8F%E5%B7%9E",
    "/visits/?q=Suzhou&page=2",
    "/enterprises/?q=robotics+co",
    "/enterprises/?q=%E8%8B%8F%E5%B7%9E",
    "/contacts/?q=Wang",
    "/projects/?q=Suzhou",
    "/follow-ups/?scope=all&q=land+price",
    "/",
    "/trips/",
    "/trips/?page=2",
    "/visits/",
    "/visits/?page=2",
    "/enterprises/",
    "/enterprises/?page=2",
    "/contacts/",
    "/contacts/?page=2",
    "/projects/",
    "/projects/?page=2",
    "/projects/board",
    "/follow-ups/",
    "/follow-ups/?scope=all",
    "/follow-ups/?scope=all&page=2",
    "/audit/",
    "/dashboards/",
    "/dashboards/targets",
    "/dashboards/trips",
    "/dashboards/chains",
    "/dashboards/team",
    "/search/?q=suzhou",
    "/search/?q=%E8%8B%8F%E5%B7%9E",
    "/search/?q=sz",
    "/search/results.json?q=su",
    "/enterprises/{enterprise}",
    "/trips/{trip}",
    "/visits/{visit}",
    "/projects/{project}",
    # The trip report reads the trip's and its visits' follow-ups and photos (the Word file: the PDF's queries).
    "/trips/{trip}/report",
    "/trips/{trip}/report/edit",
    "/trips/{trip}/report/export?format=docx&language=zh",
]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.OFFICER])
@pytest.mark.parametrize("path", PAGES)
def test_no_page_reads_a_large_table_whole(client, role, zone, path):
    with captured_selects() as statements:
        assert client.get(path.format(**zone)).status_code == 200
    assert statements
    scans = {statement: found for statement, parameters in statements if (found := full_scans(statement, parameters))}
    assert scans == {}, "\n\n".join(f"{tables}: {statement}" for statement, tables in scans.items())


def test_the_check_sees_a_query_that_reads_a_table_whole(app):
    no_parameters = None if db.engine.dialect.name == "postgresql" else ()
    # Visits by a word of their purpose, and no other condition: no index can serve it.
    assert full_scans("SELECT id FROM visits WHERE purpose LIKE 'x_'", no_parameters) == ["visits"]
    # With the live-rows condition every list adds, an index range instead.
    live = "SELECT id FROM visits WHERE deleted_at IS NULL AND visited_on > '2026-01-01'"
    assert full_scans(live, no_parameters) == []
