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
