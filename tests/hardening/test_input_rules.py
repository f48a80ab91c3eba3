"""Input that used to break pages (issue 8, point 4): each is now refused beside its field, never a 500."""

from __future__ import annotations

from datetime import date

import pytest

from crm.core.roles import Role
from crm.extensions import db
from tests import factories
from tests.conftest import count_rows, text_of

HUGE = "1" + "0" * 309


@pytest.fixture
def officer(login_as):
    return login_as(Role.OFFICER)


def test_a_contact_whose_enterprise_is_only_spaces_is_refused_beside_the_field(client, officer):
    before = count_rows()
    response = client.post("/contacts/new", data={"name": "Wang Lei", "enterprise": "   "})
    assert response.status_code == 400
    assert "This field is required." in text_of(response)
    assert count_rows() == before


@pytest.mark.parametrize("field", ["planned_jobs", "actual_jobs", "probability"])
def test_an_integer_of_310_digits_is_refused_beside_the_field(client, officer, field):
    company = factories.enterprise(officer)
    db.session.commit()
    before = count_rows()
    response = client.post(
        "/projects/new",
        data={"name": "Line", "code_name": "Blue", "enterprise": f"x #{company.id}", field: HUGE},
    )
    assert response.status_code == 400
    assert "This number is too large." in text_of(response)
    assert count_rows() == before


def test_a_huge_record_number_in_the_audit_filter_is_a_form_error(client, login_as):
    login_as(Role.MANAGER)
    response = client.get(f"/audit/?entity_id={HUGE}")
    assert response.status_code == 400
    assert "This number is too large." in text_of(response)


@pytest.mark.parametrize("query", ["since=0001-01-01", "until=9999-12-31", "since=0001-01-01&until=9999-12-31"])
def test_dates_at_the_ends_of_the_calendar_in_the_audit_filter_are_a_form_error(client, login_as, query):
    login_as(Role.MANAGER)
    response = client.get(f"/audit/?{query}")
    assert response.status_code == 400
    assert "Enter a date between 1970-01-01 and 9998-12-31." in text_of(response)


def test_a_year_one_date_is_written_into_the_edit_form_as_a_browser_reads_it(client, officer):
    trip = factories.trip(officer, start_on=date(1, 1, 1), end_on=date(1, 1, 3))
    db.session.commit()
    html = client.get(f"/trips/{trip.id}/edit").get_data(as_text=True)
    assert 'value="0001-01-01"' in html
    assert 'value="1-01-01"' not in html


# ----- what the second hostile probe found (session 11)


@pytest.mark.parametrize(
    "path",
    [
        "/projects/?landed_from=2026-01-01&landed_to=9999-12-31",
        "/projects/?opened_from=0001-01-01&opened_to=0001-01-02",
        "/follow-ups/?scope=all&done_from=2026-01-01&done_to=9999-12-31",
        "/follow-ups/?scope=all&done_from=0001-01-01&done_to=0001-01-01",
        "/exchange/export/projects.csv?landed_from=2026-01-01&landed_to=9999-12-31",
        "/exchange/export/follow-ups.xlsx?scope=all&done_from=0001-01-01&done_to=2026-01-01",
    ],
)
def test_a_drill_down_date_at_the_ends_of_the_calendar_is_ignored_not_a_500(client, login_as, path):
    manager = login_as(Role.MANAGER)
    factories.project(manager)
    db.session.commit()
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("query", ["from=0001-01-01&to=9999-12-31", "from=1999-12-31", "from=9999-12-31"])
def test_a_dashboard_period_outside_the_bureau_s_years_is_refused_beside_the_field(client, login_as, query):
    login_as(Role.MANAGER)
    for page in ("/dashboards/", "/dashboards/trips"):
        page_text = text_of(client.get(f"{page}?{query}"))
        assert "Enter a date between 2000 and 2100." in page_text, page
        assert "31 Dec 9999" not in page_text and "1 Jan 1 " not in page_text


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200c", "\ufeff", "\u2060 \u200b"])
def test_a_name_of_nothing_but_invisible_characters_is_an_empty_name(client, officer, name):
    before = count_rows()
    response = client.post("/enterprises/new", data={"name": name, "local_name": name, "kind": "company"})
    assert response.status_code == 400 and "Enter the English name, the Chinese name, or both." in text_of(response)
    response = client.post("/trips/new", data={"title": name, "start_on": "2026-03-23", "end_on": "2026-03-26"})
    assert response.status_code == 400
    assert count_rows() == before


def test_control_characters_pasted_from_word_are_taken_out_and_a_vertical_tab_is_a_line_break(client, officer):
    company = factories.enterprise(officer, name="Bosch")
    db.session.commit()
    response = client.post(
        "/contacts/new",
        data={"name": "Wang\x01 Lei\x1f", "enterprise": f"Bosch #{company.id}", "notes": "line one\x0bline two"},
    )
    assert response.status_code == 302, text_of(response)
    from crm.enterprises.models import Contact

    contact = db.session.scalar(db.select(Contact))
    assert contact.name == "Wang Lei" and contact.notes == "line one\nline two"


@pytest.mark.parametrize(
    ("field", "typed"),
    [("planned_investment", "abc"), ("planned_investment", "1e309"), ("planned_jobs", "1.5"), ("probability", "3万")],
)
def test_a_number_that_cannot_be_read_gets_one_message_not_three(client, officer, field, typed):
    company = factories.enterprise(officer)
    db.session.commit()
    response = client.post("/projects/new", data={"name": "Line", "enterprise": f"x #{company.id}", field: typed})
    assert response.status_code == 400
    page = text_of(response)
    for contradiction in ("0 or more", "too large", "from 0 to 100"):
        assert contradiction not in page, contradiction
    assert f'value="{typed}"' in response.get_data(as_text=True)  # what was typed is kept
