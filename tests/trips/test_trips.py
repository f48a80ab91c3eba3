"""Trips: create and edit with validation, the delegation, itinerary, report deadline, photos."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa

from crm.attachments.models import Attachment
from crm.core.roles import Role
from crm.extensions import db
from crm.trips.models import DelegationMember, Trip
from crm.visits.models import DaySlot
from tests import factories
from tests.conftest import login, text_of
from tests.querycount import assert_no_more_queries_with_more_rows, count_queries

GOOD = {
    "title": "Mission to Shenzhen",
    "start_on": "2026-12-07",
    "end_on": "2026-12-09",
    "destination_cities": "Shenzhen, Guangzhou",
    "status": "planned",
    "planned_budget": "30000.00",
}


def trips() -> list[Trip]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Trip)))


def test_an_officer_plans_a_trip_and_organises_it(client, login_as):
    officer = login_as(Role.OFFICER)
    response = client.post("/trips/new", data=GOOD)
    assert response.status_code == 302
    (trip,) = trips()
    assert trip.organiser_id == officer.id and trip.cities == ["Shenzhen", "Guangzhou"]
    page = text_of(client.get(f"/trips/{trip.id}"))
    assert "Mission to Shenzhen" in page and "CNY 30,000" in page
    assert "Due 30 Dec 2026" in page  # 15 working days after Wednesday 9 December


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"end_on": "2026-12-01"}, "The last day is before the first day."),
        ({"start_on": "not a date"}, "Not a valid date value."),
        ({"planned_budget": "-5"}, "Enter an amount of 0 or more."),
        ({"actual_cost": "lots"}, "Enter an amount in digits"),
        ({"actual_cost": "1e20"}, "Enter an amount in digits"),
        ({"actual_cost": "1" + "0" * 15}, "This amount is too large."),
        ({"status": "lost"}, "Not a valid choice."),
        ({"report_submitted_on": "2026-11-01"}, "The report cannot be submitted before the trip starts."),
    ],
)
def test_bad_trip_input_is_refused_beside_the_field_and_kept(client, login_as, change, message):
    login_as(Role.OFFICER)
    response = client.post("/trips/new", data={**GOOD, **change})
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'value="Shenzhen, Guangzhou"' in response.get_data(as_text=True)
    assert trips() == []


def test_saving_over_someone_elses_newer_version_is_refused(client, login_as):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer, title="Original")
    db.session.commit()
    loaded_version = trip.version
    trip.title = "Changed by a colleague"
    db.session.commit()
    response = client.post(f"/trips/{trip.id}/edit", data={**GOOD, "title": "Mine", "version": loaded_version})
    assert response.status_code == 409
    page = text_of(response)
    assert "Someone else saved this record" in page and "Changed by a colleague" in page
    assert 'value="Mine"' in response.get_data(as_text=True)
    assert trips()[0].title == "Changed by a colleague"


def test_only_organisers_members_and_managers_edit_a_trip(app, client, make_user):
    organiser, member_user, stranger = make_user(), make_user(), make_user()
    trip = factories.trip(organiser)
    factories.member(trip, user=member_user)
    db.session.commit()
    for user, status in ((organiser, 200), (member_user, 200), (stranger, 403)):
        user_client = app.test_client()
        login(user_client, user.email)
        assert user_client.get(f"/trips/{trip.id}/edit").status_code == status


def test_delegation_members_with_one_leader(client, login_as):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer)
    db.session.commit()
    client.post(f"/trips/{trip.id}/members", data={"name": "Li Hongyan", "title": "Director", "is_leader": "y"})
    client.post(f"/trips/{trip.id}/members", data={"name": "Zhang Wei", "local_name": "张伟"})
    bad = client.post(f"/trips/{trip.id}/members", data={"name": ""})
    assert bad.status_code == 400 and "Type the name, or pick the person's account." in text_of(bad)
    members = db.session.scalars(sa.select(DelegationMember).order_by(DelegationMember.id)).all()
    assert [(m.name, m.is_leader) for m in members] == [("Li Hongyan", True), ("Zhang Wei", False)]
    saved = client.post(
        f"/trips/{trip.id}/members/{members[1].id}/edit",
        data={"name": "Zhang Wei", "is_leader": "y", "version": members[1].version},
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert [m.is_leader for m in db.session.scalars(sa.select(DelegationMember).order_by(DelegationMember.id))] == [
        False,
        True,
    ]
    client.post(f"/trips/{trip.id}/members/{members[0].id}/delete")
    page = text_of(client.get(f"/trips/{trip.id}"))
    assert "张伟 Zhang Wei Leader" in page and "Li Hongyan" not in page.split("History")[0]


def test_a_member_of_another_trip_is_not_found(client, login_as):
    officer = login_as(Role.OFFICER)
    trip, other = factories.trip(officer), factories.trip(officer)
    member = factories.member(other)
    db.session.commit()
    assert client.get(f"/trips/{trip.id}/members/{member.id}/edit").status_code == 404


def test_the_itinerary_lists_every_day_and_visits_by_half_day(client, login_as):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer, start_on=date(2026, 3, 23), end_on=date(2026, 3, 25))
    factories.visit(
        officer,
        factories.enterprise(officer, name="Afternoon Co"),
        trip,
        visited_on=date(2026, 3, 24),
        slot=DaySlot.AFTERNOON,
    )
    factories.visit(
        officer,
        factories.enterprise(officer, name="Morning Co"),
        trip,
        visited_on=date(2026, 3, 24),
        slot=DaySlot.MORNING,
    )
    db.session.commit()
    page = text_of(client.get(f"/trips/{trip.id}"))
    itinerary = page.split("Itinerary")[1]
    assert "Monday, 23 March 2026 No visits logged." in itinerary
    assert itinerary.index("Morning Co") < itinerary.index("Afternoon Co")
    assert "Wednesday, 25 March 2026 No visits logged." in itinerary


def test_log_a_visit_opens_the_visit_form_for_the_trip(client, login_as):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer, start_on=date(2026, 3, 23), end_on=date(2026, 3, 26))
    db.session.commit()
    page = client.get(f"/trips/{trip.id}").get_data(as_text=True)
    assert f'href="/visits/new?trip_id={trip.id}"' in page
    form = client.get(f"/visits/new?trip_id={trip.id}").get_data(as_text=True)
    assert f'<option selected value="{trip.id}">' in form
    assert 'value="2026-03-23"' in form


def test_photos_are_shown_on_the_trip_and_served_only_to_signed_in_users(app, client, login_as):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer)
    db.session.commit()
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    response = client.post(
        f"/attachments/trips/{trip.id}",
        data={"file": (io.BytesIO(png), "会议合影.png"), "caption": "With the hosts"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attachment = db.session.scalar(sa.select(Attachment))
    assert (attachment.filename, attachment.content_type) == ("会议合影.png", "image/png")
    assert f'src="/attachments/{attachment.id}"' in client.get(f"/trips/{trip.id}").get_data(as_text=True)
    image = client.get(f"/attachments/{attachment.id}")
    assert image.status_code == 200 and image.data == png and image.headers["Content-Type"] == "image/png"
    image.close()
    anonymous = app.test_client().get(f"/attachments/{attachment.id}")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"MZ\x90\x00 this is a program", "photo.jpg", "Only photos (JPEG, PNG, GIF, WebP), PDF and Office documents"),
        (b"<html><script>alert(1)</script>", "report.pdf", "Only photos"),
        (b"", "empty.png", "The file is empty."),
    ],
)
def test_uploads_are_checked_by_their_content(client, login_as, content, name, message):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer)
    db.session.commit()
    response = client.post(
        f"/attachments/trips/{trip.id}",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert message in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


def test_an_upload_over_the_limit_is_refused(app, client, login_as):
    app.config["MAX_UPLOAD_BYTES"] = 1000
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer)
    db.session.commit()
    big = b"%PDF-1.7\n" + b"0" * 2000
    response = client.post(
        f"/attachments/trips/{trip.id}",
        data={"file": (io.BytesIO(big), "big.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "The file is larger than <1 MB." in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


def test_a_deleted_trip_is_hidden_from_officers_and_restored_by_a_manager(app, client, login_as, make_user):
    officer = login_as(Role.OFFICER)
    trip = factories.trip(officer, title="To be deleted")
    db.session.commit()
    assert client.post(f"/trips/{trip.id}/delete").status_code == 302
    assert client.get(f"/trips/{trip.id}").status_code == 404
    assert "To be deleted" not in text_of(client.get("/trips/"))
    manager = make_user(Role.MANAGER)
    manager_client = app.test_client()
    login(manager_client, manager.email)
    assert "To be deleted" in text_of(manager_client.get("/trips/?deleted=1"))
    manager_client.post(f"/trips/{trip.id}/restore")
    assert client.get(f"/trips/{trip.id}").status_code == 200


def test_trip_list_search_filter_and_query_count(client, login_as):
    officer = login_as(Role.MANAGER)
    factories.trip(officer, title="Mission to Wuxi", destination_cities="Wuxi")
    for number in range(9):
        factories.trip(officer, title=f"Other {number}", destination_cities="Xiamen")
    db.session.commit()
    assert "Mission to Wuxi" in text_of(client.get("/trips/?q=wuxi"))
    assert "Mission to Wuxi" not in text_of(client.get("/trips/?city=Xiamen"))
    with count_queries() as few:
        client.get("/trips/?per_page=200")
    for number in range(190):
        factories.member(factories.trip(officer, title=f"Bulk {number}"))
    db.session.commit()
    with count_queries() as many:
        page = client.get("/trips/?per_page=200")
    assert text_of(page).count("Bulk") == 190
    assert_no_more_queries_with_more_rows(few, many)


def test_the_trip_page_shows_a_confidential_project_by_its_code_name_as_the_board_does(client, login_as, make_user):
    owner = make_user(Role.OFFICER)
    trip = factories.trip(owner)
    visit = factories.visit(owner, trip_=trip)
    secret = factories.project(
        owner, visit.enterprise, name="Secret fab", code_name="Project Tide", is_confidential=True
    )
    visit.projects.append(secret)
    db.session.commit()
    login_as(Role.OFFICER)
    projects = text_of(client.get(f"/trips/{trip.id}")).split("Projects from this trip")[1]
    assert "Project Tide" in projects and "Secret fab" not in projects


def test_picking_an_account_fills_the_member_and_the_panel_stays_open_for_the_next(client, login_as, make_user):
    officer = login_as(Role.OFFICER, name="Chen Jie")
    colleague = make_user(Role.OFFICER, name="Wang Fang")
    colleague.local_name, colleague.title = "王芳", "Section chief"
    earlier = factories.trip(officer)
    factories.member(earlier, name="Wang Fang", user_id=colleague.id, unit="Investment Promotion Bureau")
    trip = factories.trip(officer)
    db.session.commit()
    # The organiser is offered first, and the panel is open on an empty delegation.
    page = client.get(f"/trips/{trip.id}").text
    assert (
        f'<option selected value="{officer.id}">' in page
        and '<details id="add-member" class="card card-body" open>' in page
    )
    response = client.post(f"/trips/{trip.id}/members", data={"user_id": colleague.id, "name": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith("?adding=1#user_id")
    member = db.session.scalars(sa.select(DelegationMember).where(DelegationMember.trip_id == trip.id)).one()
    assert (member.name, member.local_name, member.title, member.unit) == (
        "Wang Fang",
        "王芳",
        "Section chief",
        "Investment Promotion Bureau",
    )
    again = client.get(f"/trips/{trip.id}?adding=1").text
    assert '<details id="add-member" class="card card-body" open>' in again and "Section chief" in again


def test_an_account_is_on_a_delegation_once(client, login_as, make_user):
    officer = login_as(Role.OFFICER)
    colleague = make_user(Role.OFFICER, name="Ma Li")
    trip = factories.trip(officer)
    db.session.commit()
    assert client.post(f"/trips/{trip.id}/members", data={"user_id": str(colleague.id)}).status_code == 302
    again = client.post(f"/trips/{trip.id}/members", data={"user_id": str(colleague.id)})
    assert again.status_code == 400 and "This person is already on the delegation." in text_of(again)
    db.session.expire_all()
    assert [member.user_id for member in trip.members] == [colleague.id]
    # Editing that member keeps their own account.
    member = trip.members[0]
    page = client.get(f"/trips/{trip.id}/members/{member.id}/edit").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', page)
    data = {
        "user_id": str(colleague.id),
        "name": "Ma Li",
        "version": next(group for group in version.groups() if group),
    }
    assert client.post(f"/trips/{trip.id}/members/{member.id}/edit", data=data).status_code == 302
