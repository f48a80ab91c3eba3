"""Names: keys kept by the model for every writer, either name may be the only one, the visit form's new
enterprise."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.core.roles import Role
from crm.enterprises.models import Contact, Enterprise
from crm.extensions import db
from crm.trips.models import DelegationMember
from crm.visits.models import Visit
from tests import factories
from tests.conftest import text_of


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# 1. The keys are the model's business, whoever writes the enterprise.


def test_the_model_keeps_name_keys_for_any_writer(app):
    enterprise = Enterprise(name="Bosch Automotive Diesel Systems Co., Ltd.", local_name="博世汽车柴油系统有限公司")
    assert (enterprise.name_key, enterprise.local_name_key) == ("boschautomotivedieselsystems", "博世汽车柴油系统")
    enterprise.local_name = "  "
    assert enterprise.local_name is None and enterprise.local_name_key is None


@pytest.mark.parametrize("typed", ["Bosch Automotive Diesel Systems Co., Ltd.", "苏州德威国际高级中学"])
def test_after_demo_load_entering_a_sample_enterprise_again_warns(app, client, make_user, typed):
    make_user(Role.ADMIN)
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    officer = make_user(Role.OFFICER)
    client.post("/login", data={"email": officer.email, "password": "correct horse battery staple"})
    before = count(Enterprise)
    field = "local_name" if typed.startswith("苏州") else "name"
    response = client.post("/enterprises/new", data={field: typed, "kind": "company"})
    assert response.status_code == 409
    assert "This may already be on file" in text_of(response)
    assert count(Enterprise) == before


def test_the_migration_fills_keys_of_rows_stored_without_them(app):
    from importlib import import_module

    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    enterprise = factories.enterprise(name="Huawei Technologies Co., Ltd.", local_name="华为技术有限公司")
    db.session.commit()
    db.session.execute(sa.update(Enterprise).values(name_key=None, local_name_key=None))  # as demo load left them
    migration = import_module("migrations.versions.0004_names")
    context = MigrationContext.configure(db.session.connection())
    with Operations.context(context):
        migration._fill_name_keys()
    db.session.expire_all()
    assert (enterprise.name_key, enterprise.local_name_key) == ("huaweitechnologies", "华为技术")


# 2. Either name may be the only one.


def test_an_enterprise_known_only_by_its_chinese_name(client, login_as):
    login_as(Role.OFFICER)
    page = text_of(client.get("/enterprises/new", headers={"Accept-Language": "zh"}))
    assert "英文名称" in page and "中文名称" in page
    response = client.post("/enterprises/new", data={"local_name": "腾讯科技（深圳）有限公司", "kind": "company"})
    assert response.status_code == 302
    enterprise = db.session.scalar(sa.select(Enterprise))
    assert enterprise.name is None and enterprise.display_name == "腾讯科技（深圳）有限公司"
    for url in ("/enterprises/", f"/enterprises/{enterprise.id}", "/enterprises/?q=腾讯", "/enterprises/?sort=name"):
        assert "腾讯科技（深圳）有限公司" in text_of(client.get(url)), url
    assert client.get("/enterprises/lookup?q=腾讯").json[0]["id"] == enterprise.id
    again = client.post("/enterprises/new", data={"local_name": "腾讯科技(深圳)有限公司", "kind": "company"})
    assert again.status_code == 409


def test_an_enterprise_needs_one_name_at_least(client, login_as):
    login_as(Role.OFFICER)
    response = client.post("/enterprises/new", data={"name": " ", "local_name": "", "kind": "company"})
    assert response.status_code == 400
    assert "Enter the English name, the Chinese name, or both." in text_of(response)
    assert count(Enterprise) == 0


def test_the_database_refuses_a_nameless_enterprise(app):
    db.session.add(Enterprise(name="", local_name=None))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_contact_and_a_delegation_member_known_only_by_their_chinese_names(client, login_as):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(officer, name=None, local_name="苏州德威国际高级中学")
    trip = factories.trip(officer)
    db.session.commit()
    response = client.post(
        "/contacts/new", data={"enterprise": f"苏州德威国际高级中学 #{enterprise.id}", "local_name": "周敏"}
    )
    assert response.status_code == 302, text_of(response)
    contact = db.session.scalar(sa.select(Contact))
    assert contact.name is None and contact.display_name == "周敏"
    assert "周敏" in text_of(client.get(f"/enterprises/{enterprise.id}"))
    assert "周敏" in text_of(client.get("/contacts/?sort=name"))
    nameless = client.post("/contacts/new", data={"enterprise": f"x #{enterprise.id}", "title": "Head"})
    assert nameless.status_code == 400 and "Enter the English name, the Chinese name, or both." in text_of(nameless)

    member = client.post(f"/trips/{trip.id}/members", data={"local_name": "李红燕"})
    assert member.status_code == 302, text_of(member)
    assert db.session.scalar(sa.select(DelegationMember)).display_name == "李红燕"
    assert "李红燕" in text_of(client.get(f"/trips/{trip.id}"))


# 3. The visit form's new enterprise.


def visit_form(**fields) -> dict:
    return {"visited_on": "2026-03-24", "slot": "morning", "direction": "outbound", "new_enterprise_kind": "company",
            **fields}  # fmt: skip


def test_a_name_that_matches_nothing_and_the_new_enterprise_fields_make_a_new_enterprise(client, login_as):
    login_as(Role.OFFICER)
    factories.enterprise(name="Huawei Suzhou Industrial Park", local_name="华为苏州工业园区")
    db.session.commit()
    assert client.get("/enterprises/lookup?q=腾讯").json == []
    response = client.post(
        "/visits/new",
        data=visit_form(enterprise="腾讯", new_enterprise_local_name="腾讯科技（深圳）有限公司", discussed="Cloud"),
    )
    assert response.status_code == 302, text_of(response)
    visit = db.session.scalar(sa.select(Visit))
    assert visit.enterprise.local_name == "腾讯科技（深圳）有限公司" and visit.enterprise.name is None


def test_a_name_that_matches_nothing_is_offered_as_the_new_enterprise(client, login_as):
    login_as(Role.OFFICER)
    response = client.post("/visits/new", data=visit_form(enterprise="腾讯", discussed="Cloud"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "No enterprise by this name." in page
    assert "Either pick an enterprise or add a new one, not both." not in page
    assert 'name="new_enterprise_local_name" type="text" value="腾讯"' in html
    assert count(Visit) == 0


def test_picking_an_enterprise_and_adding_one_is_still_refused(client, login_as):
    login_as(Role.OFFICER)
    enterprise = factories.enterprise(name="Huawei Suzhou Industrial Park", local_name="华为苏州工业园区")
    db.session.commit()
    response = client.post(
        "/visits/new",
        data=visit_form(enterprise=f"华为苏州工业园区 #{enterprise.id}", new_enterprise_local_name="腾讯"),
    )
    assert response.status_code == 400
    assert "Either pick an enterprise or add a new one, not both." in text_of(response)


# Issue 12: the group is an enterprise.


def test_the_parent_group_is_picked_like_any_enterprise_and_cannot_loop(client, login_as):
    manager = login_as(Role.MANAGER)
    group = factories.enterprise(name="Huawei Technologies Co., Ltd.", local_name="华为技术有限公司")
    member = factories.enterprise(name="Huawei Suzhou Industrial Park", local_name="华为苏州工业园区")
    db.session.commit()
    data = {"local_name": member.local_name, "kind": "company", "version": member.version, "owner_id": manager.id}
    response = client.post(f"/enterprises/{member.id}/edit", data={**data, "parent": f"华为技术有限公司 #{group.id}"})
    assert response.status_code == 302, text_of(response)
    db.session.expire_all()
    assert member.parent == group
    assert "华为技术有限公司" in text_of(client.get(f"/enterprises/{member.id}"))
    loop = client.post(
        f"/enterprises/{group.id}/edit",
        data={
            "name": group.name,
            "kind": "company",
            "version": group.version,
            "owner_id": manager.id,
            "parent": f"x #{member.id}",
        },
    )
    assert loop.status_code == 400 and "cannot be in its own group" in text_of(loop)
