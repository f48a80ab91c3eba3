"""Other names of an enterprise, and a group's page gathering its members' visits and projects."""

from __future__ import annotations

import sqlalchemy as sa

from crm.core.roles import Role
from crm.enterprises.models import EnterpriseAlias
from crm.extensions import db
from crm.search.queries import search_everything
from tests import factories
from tests.conftest import text_of


def test_an_alias_is_added_found_and_removed(client, login_as):
    officer = login_as(Role.OFFICER)
    bosch = factories.enterprise(officer, name="Robert Bosch GmbH", local_name=None)
    db.session.commit()
    response = client.post(f"/enterprises/{bosch.id}/aliases", data={"name": "博世", "kind": "short"})
    assert response.status_code == 302
    assert search_everything("boshi", officer).enterprises == [bosch]
    duplicate = client.post("/enterprises/new", data={"local_name": "博世", "kind": "company"})
    assert duplicate.status_code == 409 and "same as one of its other names" in text_of(duplicate)
    page = text_of(client.get(f"/enterprises/{bosch.id}"))
    assert "博世" in page and "Short name" in page
    alias = db.session.scalar(sa.select(EnterpriseAlias))
    assert client.post(f"/enterprises/{bosch.id}/aliases/{alias.id}/delete").status_code == 302
    assert search_everything("boshi", officer).enterprises == []
    assert client.post(f"/enterprises/{bosch.id}/aliases", data={"name": " "}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EnterpriseAlias)) == 0


def test_an_officer_may_not_change_the_aliases_of_a_colleagues_enterprise(client, login_as, make_user):
    login_as(Role.OFFICER)
    enterprise = factories.enterprise(make_user(Role.OFFICER))
    db.session.commit()
    assert client.post(f"/enterprises/{enterprise.id}/aliases", data={"name": "X"}).status_code == 403


def test_the_group_page_gathers_its_members_visits_and_projects_within_bounds(client, login_as, make_user):
    officer = login_as(Role.OFFICER)
    group = factories.enterprise(officer, name="Huawei Technologies Co., Ltd.", local_name="华为技术有限公司")
    park = factories.enterprise(
        officer, name="Huawei Suzhou Industrial Park", local_name="华为苏州工业园区", parent=group
    )
    for _ in range(12):
        factories.visit(officer, park)
    factories.project(officer, park, name="Digital-city joint innovation centre")
    secret = factories.project(make_user(Role.OFFICER), park, name="Hidden plant", code_name="Project Mole")
    secret.is_confidential = True
    db.session.commit()
    page = text_of(client.get(f"/enterprises/{group.id}"))
    assert "The group" in page and "华为苏州工业园区" in page
    assert "Digital-city joint innovation centre" in page and "Hidden plant" not in page
    assert "The latest 10 of 12." in page
    assert "The group" not in text_of(client.get(f"/enterprises/{park.id}"))


def test_the_picker_finds_by_pinyin_initials_alias_and_group(client, login_as):
    officer = login_as(Role.OFFICER)
    group = factories.enterprise(officer, name=None, local_name="腾讯控股有限公司")
    member = factories.enterprise(officer, name="Tencent Cloud Suzhou", local_name=None, parent=group)
    db.session.commit()
    for typed in ("tengxun", "tx", "腾讯", "Tencent Cloud"):
        ids = [match["id"] for match in client.get("/enterprises/lookup", query_string={"q": typed}).json]
        assert member.id in ids, typed
    assert client.get("/enterprises/lookup?q=tx").json[0]["id"] == group.id  # its own name before a group's
