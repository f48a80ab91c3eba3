"""Logging visits: the enterprise picked or created on the spot, trip dates, links to projects."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from crm.core.roles import Role
from crm.enterprises.forms import enterprise_label
from crm.enterprises.models import Enterprise
from crm.extensions import db
from crm.visits.models import Visit
from tests import factories
from tests.conftest import text_of
from tests.querycount import assert_no_more_queries_with_more_rows, count_queries


def visits() -> list[Visit]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Visit)))


def form(**fields) -> dict:
    return {
        "visited_on": "2026-03-24",
        "slot": "morning",
        "direction": "outbound",
        "new_enterprise_kind": "company",
        "interest_level": "",
        **fields,
    }


def test_log_a_visit_to_an_enterprise_picked_by_its_chinese_name(client, login_as):
    officer = login_as(Role.OFFICER)
    bosch = factories.enterprise(
        officer, name="Bosch Automotive Diesel Systems Co., Ltd.", local_name="博世汽车柴油系统有限公司", city="Wuxi"
    )
    db.session.commit()
    response = client.post(
        "/visits/new",
        data=form(
            enterprise="博世汽车柴油系统有限公司",
            purpose="Introduce the zone",
            discussed="Intelligent manufacturing line",
            interest_level="high",
        ),
    )
    assert response.status_code == 302
    (visit,) = visits()
    assert visit.enterprise_id == bosch.id and visit.city == "Wuxi" and visit.owner_id == officer.id
    page = text_of(client.get(f"/visits/{visit.id}"))
    assert "Intelligent manufacturing line" in page and "High" in page


def test_the_lookup_suggests_enterprises_in_either_script(client, login_as):
    officer = login_as(Role.OFFICER)
    factories.enterprise(officer, name="Huawei Suzhou Industrial Park", local_name="华为苏州工业园区")
    db.session.commit()
    for text in ("华为", "huawei", "SUZHOU ind"):
        (match,) = client.get("/enterprises/lookup", query_string={"q": text}).json
        assert match["local_name"] == "华为苏州工业园区"
    assert client.get("/enterprises/lookup?q=%25").json == []  # LIKE wildcards are taken literally


def test_a_new_enterprise_is_created_with_the_visit_without_retyping(client, login_as):
    login_as(Role.OFFICER)
    response = client.post(
        "/visits/new",
        data=form(
            new_enterprise_name="Suzhou Nano Materials",
            new_enterprise_local_name="苏州纳米材料",
            new_enterprise_city="Suzhou",
            discussed="A pilot line",
        ),
    )
    assert response.status_code == 302
    (visit,) = visits()
    assert (visit.enterprise.name, visit.enterprise.local_name, visit.city) == (
        "Suzhou Nano Materials",
        "苏州纳米材料",
        "Suzhou",
    )


def test_a_new_enterprise_that_looks_like_one_on_file_needs_confirmation(client, login_as):
    officer = login_as(Role.OFFICER)
    factories.enterprise(officer, name="Dulwich International High School Suzhou", local_name="苏州德威国际高级中学")
    db.session.commit()
    data = form(new_enterprise_name="dulwich international high school, suzhou", discussed="Campus plans")
    response = client.post("/visits/new", data=data)
    assert response.status_code == 400
    page = text_of(response)
    assert "Already on file with a similar name" in page and "苏州德威国际高级中学" in page
    assert "Campus plans" in page  # nothing typed is lost
    assert visits() == []
    assert client.post("/visits/new", data={**data, "confirm_new_enterprise": "y"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 2


@pytest.mark.parametrize(
    "fields, message",
    [
        ({}, "Pick the enterprise, or add it below as a new one."),
        ({"enterprise": "No Such Company"}, "No enterprise by this name."),
        ({"enterprise": "Nothing #99999"}, "No enterprise by this name."),
        ({"new_enterprise_name": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"new_enterprise_name": "A", "visited_on": ""}, "This field is required."),
        ({"new_enterprise_name": "A", "slot": "midnight"}, "Not a valid choice."),
        ({"new_enterprise_name": "A", "discussed": "x" * 10001}, "Field cannot be longer than 10000 characters."),
    ],
)
def test_bad_visit_input_is_refused_beside_the_field(client, login_as, fields, message):
    login_as(Role.OFFICER)
    response = client.post("/visits/new", data=form(purpose="Keep me", **fields))
    assert response.status_code == 400
    assert message in text_of(response) and "Keep me" in text_of(response)
    assert visits() == []


def test_a_date_outside_the_trip_needs_confirmation(client, login_as):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer, start_on=date(2026, 3, 23), end_on=date(2026, 3, 26))
    enterprise = factories.enterprise(officer)
    db.session.commit()
    data = form(trip_id=trip.id, enterprise=enterprise_label(enterprise), visited_on="2026-03-30", city="Wuxi")
    response = client.post("/visits/new", data=data)
    assert response.status_code == 400
    assert "This date is outside the trip (23 Mar 2026 – 26 Mar 2026)" in text_of(response)
    assert client.post("/visits/new", data={**data, "confirm_date": "y"}).status_code == 302
    assert visits()[0].visited_on == date(2026, 3, 30)


def test_contacts_and_members_present_are_recorded(client, login_as):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer)
    leader = factories.member(trip, name="Li Hongyan", is_leader=True)
    enterprise = factories.enterprise(officer)
    contact = factories.contact(enterprise, officer, name="Wang Min")
    stranger = factories.contact(factories.enterprise(officer), officer, name="Elsewhere")
    visit = factories.visit(officer, enterprise, trip)
    db.session.commit()
    edit = client.get(f"/visits/{visit.id}/edit").get_data(as_text=True)
    assert "Wang Min" in edit and "Li Hongyan" in edit and "Elsewhere" not in edit
    data = form(
        trip_id=trip.id,
        enterprise=enterprise_label(enterprise),
        visited_on=trip.start_on.isoformat(),
        city="Suzhou",
        contact_ids=[contact.id, stranger.id],
        member_ids=[leader.id],
        version=visit.version,
    )
    response = client.post(f"/visits/{visit.id}/edit", data=data)
    assert response.status_code == 400 and "is not a valid choice" in text_of(response)  # another enterprise's contact
    data["contact_ids"] = [contact.id]
    assert client.post(f"/visits/{visit.id}/edit", data=data).status_code == 302
    page = text_of(client.get(f"/visits/{visit.id}"))
    assert "Wang Min" in page and "Li Hongyan" in page


def test_a_stale_visit_edit_is_refused(client, login_as):
    officer = login_as(Role.OFFICER)
    visit = factories.visit(officer, discussed="First notes")
    db.session.commit()
    old_version = visit.version
    visit.discussed = "A colleague's notes"
    db.session.commit()
    data = form(enterprise=enterprise_label(visit.enterprise), discussed="My notes", version=old_version)
    response = client.post(f"/visits/{visit.id}/edit", data=data)
    assert response.status_code == 409
    assert "A colleague's notes" in text_of(response) and "My notes" in text_of(response)
    assert visits()[0].discussed == "A colleague's notes"


def test_link_and_unlink_a_project_and_keep_confidential_ones_masked(app, client, login_as, make_user):
    officer = login_as(Role.OFFICER)
    visit = factories.visit(officer)
    mine = factories.project(officer, visit.enterprise, name="Robot plant")
    secret = factories.project(
        make_user(), visit.enterprise, name="Secret fab", code_name="Project Tide", is_confidential=True
    )
    db.session.commit()
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert "Robot plant" in page and "Secret fab" not in page and "Project Tide" not in page
    assert client.post(f"/visits/{visit.id}/projects", data={"project_id": mine.id}).status_code == 302
    assert client.post(f"/visits/{visit.id}/projects", data={"project_id": secret.id}).status_code == 404
    assert [project.name for project in visits()[0].projects] == ["Robot plant"]
    client.post(f"/visits/{visit.id}/projects/{mine.id}/unlink")
    assert visits()[0].projects == []
    # Linked by its owner, the confidential project shows here by its code name only, as on the board.
    visits()[0].projects.append(secret)
    db.session.commit()
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert "Secret fab" not in page and "Project Tide" in page


def test_visit_list_searches_enterprise_names_and_queries_do_not_grow(client, login_as):
    manager = login_as(Role.MANAGER)
    factories.visit(manager, factories.enterprise(manager, local_name="杭州城市大脑运营指挥中心"))
    for _ in range(9):
        factories.visit(manager)
    db.session.commit()
    found = text_of(client.get("/visits/?q=城市大脑"))
    assert "杭州城市大脑运营指挥中心" in found and "测试企业" not in found
    with count_queries() as few:
        client.get("/visits/?per_page=200")
    trip = factories.trip(manager)
    for _ in range(190):
        factories.visit(manager, trip_=trip)
    db.session.commit()
    with count_queries() as many:
        assert client.get("/visits/?per_page=200").status_code == 200
    assert_no_more_queries_with_more_rows(few, many)


def test_the_visit_form_can_offer_contacts_and_members_as_soon_as_they_are_chosen(client, login_as):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer)
    factories.member(trip, name="Li Hongyan", local_name="李红燕")
    enterprise = factories.enterprise(officer)
    factories.contact(enterprise, officer, name="Wang Min")
    gone = factories.contact(enterprise, officer, name="Left the company")
    gone.deleted_at = gone.created_at
    db.session.commit()
    assert client.get(f"/enterprises/{enterprise.id}/contacts.json").json == [
        {"id": enterprise.contacts[0].id, "name": "Wang Min"}
    ]
    assert [member["name"] for member in client.get(f"/trips/{trip.id}/members.json").json] == ["李红燕"]
    assert client.get("/trips/99999/members.json").status_code == 404
    page = client.get("/visits/new").get_data(as_text=True)
    assert 'data-url="/enterprises/0/contacts.json"' in page and 'data-url="/trips/0/members.json"' in page


def test_a_visits_city_defaults_to_the_trips_single_destination_not_the_enterprises(client, login_as):
    officer = login_as(Role.OFFICER)
    huawei = factories.enterprise(officer, name="Huawei", local_name="华为", city="Suzhou")
    shenzhen = factories.trip(officer, destination_cities="Shenzhen", start_on=date(2026, 3, 23))
    db.session.commit()
    assert 'value="Shenzhen"' in client.get(f"/visits/new?trip_id={shenzhen.id}").text
    response = client.post("/visits/new", data=form(trip_id=shenzhen.id, enterprise="华为", city=""))
    assert response.status_code == 302
    (visit,) = visits()
    assert visit.enterprise_id == huawei.id and visit.city == "Shenzhen"
    itinerary = text_of(client.get(f"/trips/{shenzhen.id}"))
    assert "Shenzhen" in itinerary and "Suzhou" not in itinerary


def test_a_trip_to_several_cities_asks_where_the_visit_was(client, login_as):
    officer = login_as(Role.OFFICER)
    factories.enterprise(officer, name="Huawei", local_name="华为", city="Suzhou")
    mission = factories.trip(officer, destination_cities="Wuxi, Suzhou, Hangzhou")
    db.session.commit()
    response = client.post("/visits/new", data=form(trip_id=mission.id, enterprise="华为", city=""))
    assert response.status_code == 400 and visits() == []
    assert "which city was this visit in?" in text_of(response)
    response = client.post("/visits/new", data=form(trip_id=mission.id, enterprise="华为", city="Hangzhou"))
    assert response.status_code == 302 and visits()[0].city == "Hangzhou"


def test_without_a_trip_the_city_is_the_enterprises(client, login_as):
    officer = login_as(Role.OFFICER)
    factories.enterprise(officer, name="Huawei", local_name="华为", city="Suzhou")
    db.session.commit()
    assert client.post("/visits/new", data=form(enterprise="华为", trip_id="")).status_code == 302
    assert visits()[0].city == "Suzhou"
