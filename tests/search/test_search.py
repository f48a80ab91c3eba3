"""The search box: any script, pinyin and initials, grouped by kind, confidential projects masked, and a
fixed number of queries."""

from __future__ import annotations

import pytest

from crm.core.roles import Role
from crm.enterprises.models import EnterpriseAlias
from crm.extensions import db
from crm.search.queries import search_everything
from tests import factories
from tests.conftest import text_of
from tests.querycount import count_queries


@pytest.fixture
def huawei(app):
    return factories.enterprise(name="Huawei Suzhou Industrial Park", local_name="华为苏州工业园区")


@pytest.mark.parametrize(
    "typed", ["华为", "huawei", "hua wei", "HuaWei", "hw", "suzhou", "苏州工业", "Industrial Park"]
)
def test_an_enterprise_is_found_by_either_name_its_pinyin_or_initials(app, make_user, huawei, typed):
    viewer = make_user(Role.OFFICER)
    db.session.commit()
    assert search_everything(typed, viewer).enterprises == [huawei]


def test_tengxun_and_tx_find_tencent_and_an_alias_finds_bosch(app, make_user):
    viewer = make_user(Role.OFFICER)
    tencent = factories.enterprise(name=None, local_name="深圳市腾讯计算机系统有限公司")
    bosch = factories.enterprise(name="Robert Bosch GmbH", local_name=None)
    bosch.aliases.append(EnterpriseAlias(name="博世"))
    db.session.commit()
    assert search_everything("腾讯", viewer).enterprises == [tencent]
    assert search_everything("tengxun", viewer).enterprises == [tencent]
    assert search_everything("博世", viewer).enterprises == [bosch]
    assert search_everything("boshi", viewer).enterprises == [bosch]


def test_a_member_is_found_by_its_groups_name_after_the_group_itself(app, make_user):
    viewer = make_user(Role.OFFICER)
    group = factories.enterprise(name="Huawei Technologies Co., Ltd.", local_name="华为技术有限公司")
    member = factories.enterprise(name="Zeta Lab", local_name=None, parent=group)
    db.session.commit()
    assert search_everything("华为", viewer).enterprises == [group, member]
    group.local_name = "华为投资控股有限公司"  # the member's keys follow its group's new name
    db.session.commit()
    assert member in search_everything("华为投资", viewer).enterprises


def test_exact_names_come_before_names_that_only_begin_so(app, make_user):
    viewer = make_user(Role.OFFICER)
    longer = factories.enterprise(name="Haier Biomedical", local_name="海尔生物医疗")
    exact = factories.enterprise(name="Haier", local_name="海尔")
    db.session.commit()
    assert search_everything("haier", viewer).enterprises == [exact, longer]


def test_every_kind_is_found_and_grouped(client, login_as):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(
        officer, name="Dulwich International High School Suzhou", local_name="苏州德威国际高级中学"
    )
    factories.contact(enterprise, officer, name="Zhou Min", local_name="周敏")
    trip = factories.trip(officer, title="Dulwich campus study tour")
    factories.visit(officer, enterprise, trip)
    factories.project(officer, enterprise, name="Dulwich campus in the zone", code_name="Project Quad")
    factories.follow_up(officer, title="Send Dulwich the site plan", enterprise=enterprise)
    db.session.commit()
    data = client.get("/search/results.json?q=dulwich").json
    assert [group["kind"] for group in data["groups"]] == ["enterprises", "trips", "visits", "projects", "follow_ups"]
    assert data["groups"][0]["items"][0]["label"] == "苏州德威国际高级中学"
    assert client.get("/search/results.json?q=zhoumin").json["groups"][0]["items"][0]["label"] == "周敏"
    page = text_of(client.get("/search/?q=德威"))  # the page works without JavaScript
    assert "苏州德威国际高级中学" in page and "Enterprises" in page and "Visits" in page
    assert "Nothing found" in text_of(client.get("/search/?q=zzzz"))


def test_a_confidential_project_is_found_by_its_code_name_only_by_others(app, client, login_as, make_user):
    owner = make_user(Role.OFFICER)
    enterprise = factories.enterprise(owner, name="Secret Motors", local_name="秘密汽车")
    factories.project(owner, enterprise, name="Gigafactory north", code_name="Project Falcon", is_confidential=True)
    db.session.commit()
    officer = login_as(Role.OFFICER)
    assert search_everything("gigafactory", officer).projects == []
    (found,) = search_everything("falcon", officer).projects
    page = text_of(client.get("/search/?q=falcon"))
    assert "Project Falcon" in page and "Gigafactory" not in page and "Secret Motors" not in page
    manager = make_user(Role.MANAGER)
    assert search_everything("gigafactory", manager).projects == [found]


def test_follow_ups_on_projects_one_may_not_see_are_not_found_by_title(app, make_user):
    owner = make_user(Role.OFFICER)
    project = factories.project(owner, name="Gigafactory north", code_name="Project Falcon", is_confidential=True)
    factories.follow_up(owner, title="Gigafactory land offer", project=project)
    db.session.commit()
    assert search_everything("land offer", make_user(Role.OFFICER)).follow_ups == []
    assert len(search_everything("land offer", owner).follow_ups) == 1


def test_a_confidential_project_without_an_owner_is_hidden_from_every_officer(app, make_user):
    """Nobody's confidential project: its follow-ups are found by the managers alone (as on the lists)."""
    owner = make_user(Role.OFFICER)
    project = factories.project(owner, name="Gigafactory south", code_name="Project Heron", is_confidential=True)
    factories.follow_up(owner, title="Gigafactory south land offer", project=project)
    project.owner = None
    db.session.commit()
    assert search_everything("gigafactory south", owner).follow_ups == []
    assert len(search_everything("gigafactory south", make_user(Role.MANAGER)).follow_ups) == 1


def test_deleted_records_are_not_found(app, make_user):
    from crm.core.time import utcnow

    viewer = make_user(Role.OFFICER)
    factories.enterprise(name="Gone Ltd", local_name=None, deleted_at=utcnow())
    db.session.commit()
    assert search_everything("gone", viewer).empty


def test_the_query_count_does_not_grow_with_the_results(client, login_as):
    officer = login_as(Role.OFFICER)

    def add(count: int) -> None:
        for number in range(count):
            enterprise = factories.enterprise(officer, name=f"Haier Unit {number}", local_name=f"海尔单位{number}")
            factories.contact(enterprise, officer, name=f"Haier contact {number}")
            factories.visit(officer, enterprise)
            factories.project(officer, enterprise, name=f"Haier project {number}")
            factories.follow_up(officer, title=f"Call Haier {number}", enterprise=enterprise)
        db.session.commit()

    add(1)
    with count_queries() as few:
        assert client.get("/search/results.json?q=haier").status_code == 200
    add(6)
    with count_queries() as many:
        assert client.get("/search/results.json?q=haier").status_code == 200
    assert len(many) == len(few)
