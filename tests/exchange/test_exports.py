"""Exports: the list's rows as the user sees them, in files that open cleanly and never run a formula."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from openpyxl.utils.escape import unescape

from crm.core.audit import AuditAction, AuditEvent
from crm.core.roles import Role
from crm.core.time import utcnow
from crm.extensions import db
from tests import factories
from tests.exchange.helpers import column, csv_rows, xlsx_rows, xlsx_sheet

INJECTIONS = ['=HYPERLINK("http://evil.test","x")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1", '"=1+1"', "=1+1"]


def test_csv_has_a_bom_headers_in_the_users_language_and_the_lists_filters(client, login_as):
    user = login_as(Role.OFFICER)
    factories.enterprise(user, name="Bosch Automotive", local_name="博世汽车", city="Wuxi")
    factories.enterprise(user, name="Huawei", local_name="华为", city="Suzhou")
    response = client.get("/exchange/export/enterprises.csv?city=Wuxi")
    assert response.status_code == 200
    # The date is the zone's (Asia/Shanghai), which may be a day ahead of the server's.
    zone_today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert response.headers["Content-Disposition"] == f"attachment; filename=enterprises-{zone_today:%Y-%m-%d}.csv"
    rows = csv_rows(response)
    assert rows[0][:2] == ["Enterprise name", "Name in Chinese"]
    assert column(rows, "Name in Chinese") == ["博世汽车"]

    client.post("/language", data={"language": "zh"})
    rows = csv_rows(client.get("/exchange/export/enterprises.csv?sort=name&dir=desc"))
    assert rows[0][0] == "企业名称"
    # Sorted by the name shown (the Chinese one where known), as the list page sorts: 博 (U+535A) after 华.
    assert [row[1] for row in rows[1:]] == ["博世汽车", "华为"]


def test_xlsx_has_dates_as_dates_amounts_as_numbers_a_frozen_header_and_filters(client, login_as):
    user = login_as(Role.MANAGER)
    factories.project(
        user, name="Smart factory", planned_investment=Decimal("150000000.50"), expected_decision_on=date(2026, 12, 1)
    )
    response = client.get("/exchange/export/projects.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = xlsx_sheet(response)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref is not None
    rows = xlsx_rows(response)
    assert "Planned investment (yuan)" in rows[0]
    amount = column(rows, "Planned investment (yuan)")[0]
    assert isinstance(amount, float) and amount == 150000000.5
    decided = column(rows, "Expected decision date")[0]
    assert isinstance(decided, datetime) and decided.date() == date(2026, 12, 1)
    assert sheet.column_dimensions["A"].width > 10


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_like_text_is_never_a_formula(client, login_as, text):
    user = login_as(Role.OFFICER)
    # In the notes, which keep what was typed (names are trimmed, so a leading tab would not survive there).
    factories.enterprise(user, name="Acme", description=text)

    rows = csv_rows(client.get("/exchange/export/enterprises.csv"))
    csv_cell = column(rows, "Notes")[0]
    if text[0] in "=+-@\t\r":
        assert csv_cell == "'" + text
    else:
        assert csv_cell == text

    sheet = xlsx_sheet(client.get("/exchange/export/enterprises.xlsx"))
    notes = [cell.value for cell in sheet[1]].index("Notes")
    cell = sheet.cell(row=2, column=notes + 1)
    assert cell.data_type == "s"  # a string, not a formula ("f")
    assert unescape(cell.value) == text  # a carriage return is stored as _x000D_, as Excel expects


def test_every_export_is_audited_with_its_filters_and_row_count(client, login_as):
    user = login_as(Role.OFFICER)
    factories.trip(user, title="Wuxi mission", destination_cities="Wuxi")
    factories.trip(user, title="Shenzhen mission", destination_cities="Shenzhen")
    client.get("/exchange/export/trips.xlsx?q=Wuxi&page=3")
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORT)).one()
    assert event.user_id == user.id
    assert event.changes == {"list": "trips", "format": "xlsx", "filters": {"q": "Wuxi"}, "rows": 1}


def test_soft_deleted_rows_are_left_out(client, login_as):
    login_as(Role.MANAGER)
    factories.contact(name="Kept")
    factories.contact(name="Gone", deleted_at=utcnow())
    names = column(csv_rows(client.get("/exchange/export/contacts.csv")), "Name")
    assert names == ["Kept"]


def _officer_sees(client, table: str) -> str:
    return client.get(f"/exchange/export/{table}.csv").get_data(as_text=True)


def test_an_officers_export_masks_confidential_projects_as_the_list_does(client, login_as, make_user):
    owner = make_user(Role.OFFICER)
    secret = factories.enterprise(owner, name="Secret Motors", local_name="秘密汽车")
    project = factories.project(owner, secret, name="Gigafactory", code_name="Falcon", is_confidential=True)
    factories.follow_up(owner, title="Call back", project=project)
    login_as(Role.OFFICER)
    for table in ("projects", "follow-ups"):
        text = _officer_sees(client, table)
        assert "Falcon" in text
        assert "Gigafactory" not in text and "Secret Motors" not in text and "秘密汽车" not in text
        assert "10000000" not in text
    rows = csv_rows(client.get("/exchange/export/projects.csv"))
    assert column(rows, "Project name") == ["Falcon"]


def test_the_owner_and_managers_see_the_confidential_project_in_full(client, login_as):
    owner = login_as(Role.OFFICER)
    factories.project(owner, name="Gigafactory", code_name="Falcon", is_confidential=True)
    rows = csv_rows(client.get("/exchange/export/projects.csv"))
    assert column(rows, "Project name") == ["Gigafactory"]


@pytest.mark.parametrize("table", ["trips", "visits", "enterprises", "contacts", "projects", "follow-ups"])
def test_each_list_exports_what_its_page_lists(client, login_as, make_user, table):
    """The export of every list holds the rows its page shows the same officer, and no deleted ones."""
    officer = login_as(Role.OFFICER)
    other = make_user(Role.OFFICER)
    enterprise = factories.enterprise(other, name="Visible Co")
    trip = factories.trip(other, title="Visible mission")
    factories.visit(other, enterprise, trip)
    factories.contact(enterprise, other, name="Visible Person")
    factories.project(other, enterprise, name="Open project", code_name="Open")
    hidden = factories.project(other, enterprise, name="Hidden project", code_name="Hidden", is_confidential=True)
    factories.follow_up(other, title="Visible follow-up", enterprise=enterprise)
    factories.follow_up(other, title="Deleted follow-up", enterprise=enterprise, deleted_at=utcnow())
    factories.follow_up(other, title="Of the hidden project", project=hidden)
    factories.trip(other, title="Deleted mission", deleted_at=utcnow())
    page = {
        "trips": "/trips/",
        "visits": "/visits/",
        "enterprises": "/enterprises/",
        "contacts": "/contacts/",
        "projects": "/projects/",
        "follow-ups": "/follow-ups/?scope=all",
    }[table]
    expected = {
        "trips": ["Visible mission"],
        "visits": [trip.start_on.isoformat()],
        "enterprises": ["Visible Co"],
        "contacts": ["Visible Person"],
        "projects": ["Hidden", "Open project"],  # the confidential one by its code name only
        "follow-ups": ["Visible follow-up", "Follow-up on Hidden"],  # as the page words it for others
    }[table]
    page_text = client.get(page).get_data(as_text=True)
    rows = csv_rows(client.get(f"/exchange/export/{table}.csv"))
    first_cells = [row[0] for row in rows[1:]]
    assert sorted(first_cells) == sorted(expected)
    for cell in first_cells:
        if table != "visits":
            assert cell in page_text
    exported = "\n".join(",".join(row) for row in rows)
    assert "Deleted" not in exported
    assert "Hidden project" not in exported
    assert officer.email  # the officer is signed in throughout


def test_the_audit_log_exports_for_managers_only(client, login_as):
    login_as(Role.OFFICER)
    assert client.get("/exchange/export/audit.csv").status_code == 403
    client.post("/logout")
    login_as(Role.MANAGER)
    rows = csv_rows(client.get("/exchange/export/audit.csv?action=login"))
    assert rows[0][:3] == ["When", "Who", "Action"]
    assert {row[2] for row in rows[1:]} == {"Logged in"}


def test_unknown_list_and_format_are_404(client, login_as):
    login_as(Role.OFFICER)
    assert client.get("/exchange/export/users.csv").status_code == 404
    assert client.get("/exchange/export/trips.pdf").status_code == 404


def test_fifty_thousand_rows_stream_in_seconds(client, login_as):
    import time

    user = login_as(Role.MANAGER)
    rows = [
        {"name": f"Enterprise {n}", "kind": "company", "owner_id": user.id, "is_sample": False, "version": 1}
        for n in range(50_000)
    ]
    from crm.enterprises.models import Enterprise

    db.session.execute(sa.insert(Enterprise), rows)
    db.session.commit()
    for file_format in ("csv", "xlsx"):
        started = time.monotonic()
        response = client.get(f"/exchange/export/enterprises.{file_format}")
        assert response.status_code == 200
        assert len(response.get_data()) > 500_000
        assert time.monotonic() - started < 60  # a shared CI machine; alone it takes a few seconds
    rows = xlsx_rows(response)
    assert len(rows) == 50_001


def test_csv_is_sent_in_pieces_as_rows_are_read():
    from crm.exchange.sheets import Heading, csv_stream

    fetched = []

    def rows():
        for number in range(2000):
            fetched.append(number)
            yield [f"Enterprise {number}"]

    stream = csv_stream([Heading("Name")], rows())
    first = next(stream)
    assert first.startswith(b"\xef\xbb\xbf")
    assert len(fetched) < 2000  # the first piece left before the last row was read
    assert len(list(stream)) >= 3


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_list_longer_than_the_export_limit_is_refused_with_the_way_to_narrow_it(
    app, client, login_as, file_format, role
):
    """A page's export stops at EXPORT_MAX_ROWS: a longer one would outlast the server's timeout and break off
    mid-file. The user is sent back to the list, filters kept, told how many rows and what to do; nothing is
    audited as exported."""

    app.config["EXPORT_MAX_ROWS"] = 2
    user = login_as(role)
    for city in ("Wuxi", "Wuxi", "Wuxi", "Suzhou"):
        factories.enterprise(user, city=city)
    db.session.commit()

    response = client.get(f"/exchange/export/enterprises.{file_format}?city=Wuxi")
    assert response.status_code == 302 and response.headers["Location"].endswith("/enterprises/?city=Wuxi")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This list has 3 rows; an export from this page writes at most 2." in page
    assert not db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORT)).all()

    client.post("/language", data={"language": "zh"})
    client.get(f"/exchange/export/enterprises.{file_format}?city=Wuxi")
    assert "该列表有 3 行" in client.get("/enterprises/?city=Wuxi").get_data(as_text=True)

    narrowed = client.get(f"/exchange/export/enterprises.{file_format}?city=Suzhou")
    assert narrowed.status_code == 200 and narrowed.headers["Content-Disposition"].startswith("attachment")


def test_a_csv_and_a_report_page_say_their_charset_once(client, login_as):
    """A doubled "charset=utf-8; charset=utf-8" is a malformed header some proxies and clients refuse."""
    manager = login_as(Role.MANAGER)
    trip = factories.trip(manager)
    assert client.get("/exchange/export/trips.csv").headers["Content-Type"] == "text/csv; charset=utf-8"
    report = client.get(f"/trips/{trip.id}/report/export?format=html&language=en")
    assert report.headers["Content-Type"] == "text/html; charset=utf-8"
