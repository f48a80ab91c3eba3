"""Bad input on the project form: a message beside each field, what was typed kept, nothing written."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm.core.roles import Role
from crm.extensions import db
from crm.pipeline.models import InvestmentProject
from crm.sectors.models import Sector
from tests import factories
from tests.conftest import count_rows, text_of

AMOUNTS = (
    "planned_investment",
    "actual_investment",
    "planned_fixed_assets",
    "actual_fixed_assets",
    "planned_paid_in_capital",
    "actual_paid_in_capital",
)


@pytest.fixture
def officer(login_as):
    return login_as(Role.OFFICER)


@pytest.fixture
def enterprise(officer):
    record = factories.enterprise(officer, name="Bosch Automotive Diesel Systems", local_name="博世汽车柴油系统")
    db.session.commit()
    return record


def _form(company, **fields) -> dict:
    data = {"name": "Hydrogen engine line", "code_name": "Project Blue", "enterprise": f"Bosch #{company.id}"}
    data.update(fields)
    return data


def _refused(client, data, *messages, path="/projects/new", status=400):
    before = count_rows()
    response = client.post(path, data=data)
    assert response.status_code == status, text_of(response)[:2000]
    text = text_of(response)
    for message in messages:
        assert message in text, message
    assert count_rows() == before
    return response


def test_required_fields(client, enterprise):
    response = _refused(client, {"name": "  ", "code_name": "", "enterprise": " "}, "Please correct the fields marked")
    assert (
        text_of(response).count("This field is required.") == 2
    )  # the code name is needed only for a confidential project


@pytest.mark.parametrize(
    "field, length",
    [("name", 201), ("code_name", 101), ("referrer", 201), ("description", 5001)],
)
def test_too_long(client, enterprise, field, length):
    response = _refused(client, _form(enterprise, **{field: "x" * length}), "longer than")
    assert "x" * length in response.get_data(as_text=True)  # what was typed is kept


@pytest.mark.parametrize("field", AMOUNTS)
def test_negative_amounts(client, enterprise, field):
    response = _refused(client, _form(enterprise, **{field: "-1"}), "Enter an amount of 0 or more.")
    assert 'value="-1"' in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["100000000000000", "1" + "0" * 50, "2000000亿"])
def test_amounts_too_large(client, enterprise, value):
    _refused(client, _form(enterprise, planned_investment=value), "This amount is too large.")


@pytest.mark.parametrize("value", ["lots", "NaN", "1,2,3", "Infinity", "1e50", "5万万", "3 apples"])
def test_amounts_that_are_not_numbers(client, enterprise, value):
    _refused(client, _form(enterprise, planned_investment=value), "Enter an")


@pytest.mark.parametrize("field", ["planned_jobs", "actual_jobs"])
@pytest.mark.parametrize("value", ["-5", "20000000"])
def test_jobs_out_of_range(client, enterprise, field, value):
    _refused(client, _form(enterprise, **{field: value}), "Enter a whole number of 0 or more.")


def test_jobs_must_be_whole_numbers(client, enterprise):
    _refused(client, _form(enterprise, planned_jobs="2.5"), "Not a valid integer value.")


@pytest.mark.parametrize("value", ["150", "-1", "101"])
def test_probability_is_a_percentage(client, enterprise, value):
    _refused(client, _form(enterprise, probability=value), "Enter a percentage from 0 to 100.")


def test_unknown_enterprise(client, enterprise):
    response = _refused(client, _form(enterprise, enterprise="No Such Company"), "No enterprise by this name.")
    assert 'value="No Such Company"' in response.get_data(as_text=True)


def test_deleted_enterprise(client, enterprise):
    from crm.core.time import utcnow

    enterprise.deleted_at = utcnow()
    db.session.commit()
    _refused(client, _form(enterprise), "No enterprise by this name.")


def test_unknown_sector_source_and_bad_date(client, enterprise):
    data = _form(enterprise, sector_ids=["99999"], source="carrier pigeon", expected_decision_on="31/02/2027")
    _refused(client, data, "Not a valid date value.", "is not a valid choice", "Not a valid choice.")


def test_amounts_are_kept_to_the_cent(client, enterprise):
    response = client.post("/projects/new", data=_form(enterprise, planned_investment="1234.565", actual_jobs="0"))
    assert response.status_code == 302
    project = db.session.scalars(sa.select(InvestmentProject)).one()
    assert project.planned_investment == Decimal("1234.57") and project.actual_jobs == 0


def test_a_stale_edit_is_refused_with_both_values_and_nothing_written(client, officer, enterprise):
    project = factories.project(officer, enterprise, name="Original name", planned_investment=Decimal("5000000"))
    db.session.commit()
    loaded_at = str(project.version)
    project.name = "Saved by a colleague"
    db.session.commit()
    before = count_rows()
    response = client.post(
        f"/projects/{project.id}/edit",
        data=_form(enterprise, name="My new name", version=loaded_at, planned_investment="6000000"),
    )
    assert response.status_code == 409
    text = text_of(response)
    assert "Someone else saved this record" in text
    assert "Saved by a colleague" in text and "My new name" in text  # theirs beside yours
    assert "CNY 5 m" in text and "CNY 6 m" in text  # amounts written the bureau's way there too
    assert count_rows() == before
    db.session.expire_all()
    assert project.name == "Saved by a colleague" and project.planned_investment == Decimal("5000000")
    # The form now carries their version: saving again is a deliberate overwrite.
    version = db.session.get(InvestmentProject, project.id).version
    assert f'value="{version}"' in response.get_data(as_text=True)


def test_an_edit_with_bad_input_keeps_the_record(client, officer, enterprise):
    project = factories.project(officer, enterprise, name="Original name")
    db.session.commit()
    data = _form(enterprise, name="", planned_jobs="-3", probability="150", version=str(project.version))
    _refused(
        client,
        data,
        "This field is required.",
        "Enter a whole number",
        "Enter a percentage",
        path=f"/projects/{project.id}/edit",
    )
    db.session.expire_all()
    assert project.name == "Original name"


def test_a_manager_may_not_assign_an_unknown_owner(client, login_as, make_user):
    owner = make_user(Role.OFFICER)
    project = factories.project(owner)
    db.session.commit()
    login_as(Role.MANAGER)
    data = {
        "name": "P",
        "code_name": "C",
        "enterprise": f"x #{project.enterprise_id}",
        "owner_id": "424242",
        "version": str(project.version),
    }
    _refused(client, data, "Not a valid choice", path=f"/projects/{project.id}/edit")


def test_a_stale_edit_shows_the_enterprise_and_sectors_they_saved(client, officer, enterprise):
    elsewhere = factories.enterprise(officer, name="Dulwich International High School", local_name="苏州德威")
    node = db.session.scalars(sa.select(Sector).where(Sector.parent_id.is_not(None))).first()
    project = factories.project(officer, enterprise)
    db.session.commit()
    loaded_at = str(project.version)
    project.enterprise = elsewhere
    project.sectors = [node]
    db.session.commit()
    response = client.post(f"/projects/{project.id}/edit", data=_form(enterprise, version=loaded_at))
    assert response.status_code == 409
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", response.get_data(as_text=True))
    assert ("Enterprise", "苏州德威", "博世汽车柴油系统") in rows  # theirs beside yours, by name, not by id
    assert ("Sectors", f"{node.parent.name_en} › {node.name_en}", "—") in rows
