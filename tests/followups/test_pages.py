"""The follow-up pages: my follow-ups grouped by due date, everyone's as a list, detail, and every role."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from crm.core.roles import Role
from crm.core.time import local_today, utcnow
from crm.extensions import db
from crm.followups.queries import (
    end_of_week,
    enterprise_links,
    follow_ups_around,
    follow_ups_linked_to,
    my_follow_ups,
    trip_links,
)
from tests import factories
from tests.conftest import login, text_of


def _section(text: str, heading: str, next_heading: str) -> str:
    """The visible text between two headings of the grouped page."""
    start = text.index(heading)
    return text[start : text.index(next_heading, start)]


def test_my_follow_ups_are_grouped_into_overdue_this_week_and_later(client, login_as, make_user):
    me = login_as(Role.OFFICER)
    today = local_today()
    sunday = end_of_week(today)
    factories.follow_up(me, title="Send the brochure", due_on=today - timedelta(days=3))
    factories.follow_up(me, title="Call Bosch today", due_on=today)
    factories.follow_up(me, title="Draft the agreement", due_on=sunday)
    factories.follow_up(me, title="Plan the return visit", due_on=sunday + timedelta(days=1))
    factories.follow_up(me, title="Thank-you letter", due_on=today - timedelta(days=5), done_at=utcnow())
    factories.follow_up(make_user(Role.OFFICER), title="Another officer task", due_on=today)
    db.session.commit()

    page = client.get("/follow-ups/")
    text = text_of(page)
    assert page.status_code == 200
    assert "Send the brochure" in _section(text, "Overdue", "Due this week")
    this_week = _section(text, "Due this week", "Later")
    assert "Call Bosch today" in this_week and "Draft the agreement" in this_week
    assert "Plan the return visit" in _section(text, "Later", "Recently done")
    assert "Thank-you letter" in text[text.index("Recently done") :]
    assert "Another officer task" not in text
    html = page.get_data(as_text=True)
    # Overdue items stand out in red; a done one is never overdue.
    assert html.count("list-group-item-danger") == 1
    assert "overdue" in _section(text, "Overdue", "Due this week")


@pytest.mark.parametrize(
    "today, sunday",
    [
        (date(2026, 11, 23), date(2026, 11, 29)),  # Monday
        (date(2026, 11, 26), date(2026, 11, 29)),  # Thursday
        (date(2026, 11, 29), date(2026, 11, 29)),  # Sunday: the week ends today
    ],
)
def test_this_week_runs_to_the_end_of_sunday(make_user, today, sunday):
    assert end_of_week(today) == sunday
    me = make_user(Role.OFFICER)
    for offset in (-1, 0, (sunday - today).days, 8):
        factories.follow_up(me, title=f"Due {offset}", due_on=today + timedelta(days=offset))
    db.session.commit()
    groups = my_follow_ups(me, today=today)
    assert [item.due_on for item in groups.overdue.items] == [today - timedelta(days=1)]
    assert sorted({item.due_on for item in groups.this_week.items}) == sorted({today, sunday})
    assert [item.due_on for item in groups.later.items] == [today + timedelta(days=8)]


def test_a_busy_officer_sees_the_first_twenty_of_each_group_and_a_link_to_the_rest(client, login_as):
    me = login_as(Role.OFFICER)
    today = local_today()
    for number in range(45):
        factories.follow_up(me, title=f"Old promise {number:02d}", due_on=today - timedelta(days=1 + number))
    db.session.commit()

    page = client.get("/follow-ups/")
    text = text_of(page)
    overdue = _section(text, "Overdue", "Due this week")
    assert "45" in overdue  # the badge counts them all
    assert overdue.count("Old promise") == 20  # the page shows the oldest twenty
    assert "Old promise 44" in overdue and "Old promise 00" not in overdue
    assert "25 more: see them all" in overdue
    html = page.get_data(as_text=True)
    link = re.search(r'href="([^"]*scope=all[^"]*)">25 more', html).group(1).replace("&amp;", "&")
    listed = client.get(link)
    assert "of 45" in text_of(listed) or "45" in text_of(listed)


def _everyone_s(manager, officer):
    today = local_today()
    enterprise = factories.enterprise(officer, name="Huawei Suzhou")
    factories.follow_up(officer, title="Alpha overdue", due_on=today - timedelta(days=2), enterprise=enterprise)
    factories.follow_up(officer, title="Bravo done", due_on=today - timedelta(days=9), done_at=utcnow())
    factories.follow_up(manager, title="Charlie next month", due_on=today + timedelta(days=30))
    factories.follow_up(officer, title="Delta deleted", due_on=today, deleted_at=utcnow())
    db.session.commit()


def test_all_follow_ups_lists_everyone_s_with_total_and_overdue_in_red(client, login_as, make_user):
    officer = login_as(Role.OFFICER)
    _everyone_s(make_user(Role.MANAGER), officer)
    page = client.get("/follow-ups/?scope=all")
    text = text_of(page)
    assert page.status_code == 200
    assert "3 records" in text
    assert all(title in text for title in ("Alpha overdue", "Bravo done", "Charlie next month"))
    assert "Delta deleted" not in text
    assert "Huawei Suzhou" in text
    assert page.get_data(as_text=True).count('class="table-danger"') == 1
    assert "Deleted only" not in text  # officers do not see deleted records


@pytest.mark.parametrize(
    "query, shown",
    [
        ("q=bravo", ["Bravo done"]),
        ("state=open", ["Alpha overdue", "Charlie next month"]),
        ("state=done", ["Bravo done"]),
        ("overdue=y", ["Alpha overdue"]),
        ("owner={manager}", ["Charlie next month"]),
        ("due_from={in_a_week}", ["Charlie next month"]),
        ("due_to={yesterday}", ["Alpha overdue", "Bravo done"]),
        ("deleted=1", ["Delta deleted"]),
        ("due_from=not-a-date", ["Alpha overdue", "Bravo done", "Charlie next month"]),
    ],
)
def test_all_follow_ups_filters(client, login_as, make_user, query, shown):
    manager = login_as(Role.MANAGER)
    _everyone_s(manager, make_user(Role.OFFICER))
    today = local_today()
    query = query.format(manager=manager.id, in_a_week=today + timedelta(days=7), yesterday=today - timedelta(days=1))
    page = client.get(f"/follow-ups/?scope=all&{query}")
    text = text_of(page)
    assert page.status_code == 200
    titles = ["Alpha overdue", "Bravo done", "Charlie next month", "Delta deleted"]
    assert [title for title in titles if title in text] == shown
    if "not-a-date" in query:
        assert "Not a valid date value." in text


def test_all_follow_ups_sort_by_title_owner_and_paginate(client, login_as, make_user):
    manager = login_as(Role.MANAGER)
    _everyone_s(manager, make_user(Role.OFFICER))
    text = text_of(client.get("/follow-ups/?scope=all&sort=title&dir=desc"))
    assert text.index("Charlie next month") < text.index("Bravo done") < text.index("Alpha overdue")
    by_owner = text_of(client.get("/follow-ups/?scope=all&sort=owner"))
    assert by_owner.index("Charlie next month") < by_owner.index("Alpha overdue")  # "Manager 1" < "Officer 2"
    for number in range(30):
        factories.follow_up(manager, title=f"Bulk {number:02d}")
    db.session.commit()
    first = text_of(client.get("/follow-ups/?scope=all&sort=title"))
    assert "33 records" in first and "Bulk 00" in first and "Next" in first
    second = text_of(client.get("/follow-ups/?scope=all&sort=title&page=2"))
    assert "Bulk 00" not in second and "Charlie next month" in second


def test_unknown_sort_and_scope_fall_back(client, login_as):
    login_as(Role.OFFICER)
    assert client.get("/follow-ups/?scope=all&sort=password_hash&dir=sideways&page=-3").status_code == 200
    assert "My follow-ups" in text_of(client.get("/follow-ups/?scope=everything"))


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.ADMIN])
def test_every_page_renders_for_every_role(client, login_as, make_user, role):
    user = login_as(role)
    today = local_today()
    enterprise = factories.enterprise(user, name="Bosch Automotive Diesel Systems")
    trip = factories.trip(user, title="Wuxi, Suzhou and Hangzhou mission")
    visit = factories.visit(user, enterprise, trip)
    project = factories.project(user, enterprise, name="Smart city platform")
    item = factories.follow_up(
        user,
        title="Send the zone AI policy",
        notes="Promised at the meeting",
        due_on=today - timedelta(days=1),
        trip=trip,
        visit=visit,
        project=project,
        enterprise=enterprise,
    )
    db.session.commit()
    pages = {
        "/follow-ups/": ["My follow-ups", "Send the zone AI policy", "Overdue", "Mark done"],
        "/follow-ups/?scope=all": ["All follow-ups", "Send the zone AI policy", "1 record"],
        f"/follow-ups/{item.id}": [
            "Send the zone AI policy",
            "Promised at the meeting",
            "Smart city platform",
            "Bosch Automotive Diesel Systems",
            "Wuxi, Suzhou and Hangzhou mission",
            "History",
        ],
        "/follow-ups/new": ["New follow-up", "Enterprise", "Title", "Due date"],
        f"/follow-ups/{item.id}/edit": ["Edit follow-up", "Promised at the meeting", "Smart city platform"],
    }
    for path, phrases in pages.items():
        page = client.get(path)
        assert page.status_code == 200, path
        text = text_of(page)
        assert all(phrase in text for phrase in phrases), (path, text)
        offers_reassign = user.is_manager and not path.endswith(("/new", "/edit"))
        assert ("Reassign" in text) == offers_reassign, path


def test_the_owner_field_is_offered_to_managers_only(client, login_as):
    login_as(Role.OFFICER)
    assert 'name="owner_id"' not in client.get("/follow-ups/new").get_data(as_text=True)
    client.post("/logout")
    login_as(Role.MANAGER)
    assert 'name="owner_id"' in client.get("/follow-ups/new").get_data(as_text=True)


def test_sample_follow_ups_carry_the_sample_badge(client, login_as):
    me = login_as(Role.OFFICER)
    item = factories.follow_up(me, title="Sample task", is_sample=True)
    db.session.commit()
    for path in ("/follow-ups/", "/follow-ups/?scope=all", f"/follow-ups/{item.id}"):
        assert "Sample data, not a real record" in client.get(path).get_data(as_text=True), path


def test_a_deleted_follow_up_is_gone_for_officers_and_restorable_by_managers(client, login_as, make_user):
    officer = make_user(Role.OFFICER)
    item = factories.follow_up(officer, title="Withdrawn task", deleted_at=utcnow())
    db.session.commit()
    login_as(Role.OFFICER)
    assert client.get(f"/follow-ups/{item.id}").status_code == 404
    client.post("/logout")
    login_as(Role.MANAGER)
    page = client.get(f"/follow-ups/{item.id}")
    assert page.status_code == 200 and "Restore" in text_of(page)


class TestConfidentialProjects:
    """An officer who does not own a confidential project sees its code name, never its name or enterprise."""

    @pytest.fixture
    def secret(self, make_user):
        project_owner = make_user(Role.OFFICER)
        enterprise = factories.enterprise(project_owner, name="Hangzhou City Brain Co.", local_name="杭州城市大脑")
        project = factories.project(
            project_owner, enterprise, name="City brain joint venture", code_name="Project Falcon", is_confidential=True
        )
        return SimpleNamespace(project=project, enterprise=enterprise)

    def _follow_up(self, owner, secret):
        # Linked to the project and its enterprise: the enterprise would betray the project.
        item = factories.follow_up(
            owner, title="Prepare the term sheet", project=secret.project, enterprise=secret.enterprise
        )
        db.session.commit()
        return item

    def test_an_officer_sees_only_the_code_name(self, client, login_as, secret):
        officer = login_as(Role.OFFICER)
        item = self._follow_up(officer, secret)
        for path in ("/follow-ups/", "/follow-ups/?scope=all", f"/follow-ups/{item.id}", f"/follow-ups/{item.id}/edit"):
            text = text_of(client.get(path))
            assert "Project Falcon" in text, path
            for secret_text in ("City brain joint venture", "Hangzhou City Brain", "杭州城市大脑"):
                assert secret_text not in text, (path, secret_text)
        prefilled = text_of(client.get(f"/follow-ups/new?project_id={secret.project.id}"))
        assert "Project Falcon" in prefilled and "City brain joint venture" not in prefilled

    def test_a_manager_sees_the_project(self, client, login_as, make_user, secret):
        login_as(Role.MANAGER)
        item = self._follow_up(make_user(Role.OFFICER), secret)
        text = text_of(client.get(f"/follow-ups/{item.id}"))
        assert "City brain joint venture" in text and "Hangzhou City Brain" in text

    def test_record_pages_leave_out_follow_ups_of_a_project_the_viewer_may_not_see(self, make_user, secret):
        officer = make_user(Role.OFFICER)
        item = self._follow_up(officer, secret)
        trip = factories.trip(officer)
        item.trip = trip
        db.session.commit()
        assert follow_ups_linked_to(enterprise_id=secret.enterprise.id) == [item]
        assert follow_ups_linked_to(enterprise_id=secret.enterprise.id, viewer=officer) == []
        assert follow_ups_linked_to(enterprise_id=secret.enterprise.id, viewer=make_user(Role.MANAGER)) == [item]
        assert follow_ups_around(trip_links(trip.id), viewer=officer).items == []
        assert follow_ups_around(trip_links(trip.id)).items == [item]
        assert follow_ups_around(enterprise_links(secret.enterprise.id), viewer=officer).total == 0

    def test_others_read_the_title_as_a_follow_up_on_the_code_name(self, client, login_as, make_user, secret):
        owner = make_user(Role.OFFICER)
        item = self._follow_up(owner, secret)
        trip = factories.trip(owner)
        factories.visit(owner, secret.enterprise, trip, projects=[secret.project])
        db.session.commit()
        login_as(Role.OFFICER)
        for path in (f"/trips/{trip.id}", "/follow-ups/?scope=all", f"/follow-ups/{item.id}"):
            text = text_of(client.get(path))
            assert "Follow-up on Project Falcon" in text, path
            assert "Prepare the term sheet" not in text and "City brain joint venture" not in text, path
        assert "Prepare the term sheet" not in text_of(client.get("/follow-ups/?scope=all&q=term+sheet"))


def test_the_pages_render_in_chinese(client, login_as):
    me = login_as(Role.MANAGER)
    trip = factories.trip(me)
    item = factories.follow_up(me, title="联系华为苏州", due_on=local_today() - timedelta(days=1), trip=trip)
    db.session.commit()
    client.post("/language", data={"language": "zh"})
    for path in (
        "/follow-ups/",
        "/follow-ups/?scope=all",
        f"/follow-ups/{item.id}",
        f"/follow-ups/{item.id}/edit",
        f"/follow-ups/new?trip_id={trip.id}",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert 'lang="zh-CN"' in page.get_data(as_text=True)
    assert "联系华为苏州" in text_of(client.get("/follow-ups/"))


def test_the_trip_page_lists_the_follow_ups_of_its_visits_and_projects(client, login_as):
    me = login_as(Role.OFFICER)
    trip = factories.trip(me)
    visit = factories.visit(me, trip_=trip)
    project = factories.project(me, visit.enterprise)
    visit.projects.append(project)
    factories.follow_up(me, title="Book the hotel", trip=trip)
    factories.follow_up(me, title="Send the minutes", visit=visit)
    factories.follow_up(me, title="Draft the term sheet", project=project)
    factories.follow_up(me, title="Unrelated task")
    db.session.commit()
    text = text_of(client.get(f"/trips/{trip.id}"))
    assert "Book the hotel" in text and "Send the minutes" in text and "Draft the term sheet" in text
    assert "Unrelated task" not in text


def test_the_enterprise_page_lists_a_few_follow_ups_of_its_visits_and_projects_and_links_to_all(client, login_as):
    me = login_as(Role.OFFICER)
    enterprise = factories.enterprise(me)
    visit = factories.visit(me, enterprise)
    project = factories.project(me, enterprise)
    factories.follow_up(me, title="Send the minutes", visit=visit, due_on=date.today())
    factories.follow_up(me, title="Draft the term sheet", project=project, due_on=date.today())
    for number in range(10):
        factories.follow_up(me, title=f"Call back {number}", enterprise=enterprise, due_on=date(2030, 1, 1))
    factories.follow_up(me, title="Unrelated task")
    db.session.commit()
    text = text_of(client.get(f"/enterprises/{enterprise.id}"))
    assert "Send the minutes" in text and "Draft the term sheet" in text and "Unrelated task" not in text
    assert text.count("Call back") == 6 and "All 12 follow-ups" in text
    listed = text_of(client.get(f"/follow-ups/?scope=all&enterprise={enterprise.id}&per_page=50"))
    assert listed.count("Call back") == 10 and "Send the minutes" in listed and "Unrelated task" not in listed
    assert f"Follow-ups of {enterprise.display_name}, its visits and its projects." in listed


def test_a_follow_up_on_a_confidential_project_keeps_its_title_out_of_its_history_too(client, login_as, make_user):
    """The page reads "Follow-up on <code name>" to a colleague; its history must not show the title it hides."""
    owner = make_user(Role.OFFICER)
    project = factories.project(owner, name="CATL sodium-ion plant", code_name="Project Falcon", is_confidential=True)
    item = factories.follow_up(owner, project=project, title="Send CATL the land offer", notes="CATL wants 300 mu")
    db.session.commit()
    item.title, item.notes = "Send CATL the land offer, v2", "CATL wants 400 mu"
    db.session.commit()
    login_as(Role.OFFICER)
    page = text_of(client.get(f"/follow-ups/{item.id}"))
    assert "Follow-up on Project Falcon" in page and "CATL" not in page
    client.post("/logout")
    login(client, owner.email)
    assert "Title Send CATL the land offer, v2 Notes CATL wants 400 mu" in text_of(client.get(f"/follow-ups/{item.id}"))
