"""Enterprises and contacts: create, duplicates, edit with versions, bad input, delete and restore."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.core.roles import Role
from crm.core.time import utcnow
from crm.enterprises.models import Contact, Enterprise
from crm.extensions import db
from tests import factories
from tests.conftest import login, text_of

GOOD = {
    "name": "Weifu High-Technology Group Co., Ltd.",
    "local_name": "威孚高科技集团股份有限公司",
    "kind": "company",
    "ownership": "state_owned",
    "city": "Wuxi",
    "website": "www.weifu.com.cn",
    "size": "large",
}


def enterprises() -> list[Enterprise]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Enterprise).order_by(Enterprise.id)))


def test_create_an_enterprise_with_sectors(client, login_as):
    officer = login_as(Role.OFFICER)
    response = client.post("/enterprises/new", data={**GOOD, "sector_ids": ["1", "2"]})
    assert response.status_code == 302
    (enterprise,) = enterprises()
    assert enterprise.owner_id == officer.id and enterprise.website == "https://www.weifu.com.cn"
    assert [sector.id for sector in enterprise.sectors] == [1, 2]
    assert enterprise.name_key == "weifuhightechnologygroup"
    page = text_of(client.get(f"/enterprises/{enterprise.id}"))
    assert "威孚高科技集团股份有限公司" in page and "State-owned" in page and "Artificial intelligence" in page


@pytest.mark.parametrize(
    "typed",
    [
        {"name": "BOSCH automotive diesel systems"},
        {"name": "Robert Bosch Wuxi", "local_name": "博世汽车柴油系统"},
        {"name": "博世汽车柴油系统有限公司"},
    ],
)
def test_a_likely_duplicate_is_shown_before_creating(client, login_as, typed):
    officer = login_as(Role.OFFICER)
    factories.enterprise(
        officer, name="Bosch Automotive Diesel Systems Co., Ltd.", local_name="博世汽车柴油系统有限公司"
    )
    db.session.commit()
    data = {"kind": "company", **typed}
    response = client.post("/enterprises/new", data=data)
    assert response.status_code == 409
    page = text_of(response)
    assert "This may already be on file" in page and "博世汽车柴油系统有限公司" in page
    assert len(enterprises()) == 1
    assert client.post("/enterprises/new", data={**data, "confirm_duplicate": "y"}).status_code == 302
    assert len(enterprises()) == 2


@pytest.mark.parametrize(
    "change, message",
    [
        ({"name": "", "local_name": ""}, "Enter the English name, the Chinese name, or both."),
        ({"name": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"kind": "spaceship"}, "Not a valid choice."),
        ({"website": "javascript:alert(1)"}, "Enter a web address starting with http:// or https://."),
        ({"sector_ids": ["99999"]}, "is not a valid choice"),
    ],
)
def test_bad_enterprise_input_is_refused_beside_the_field(client, login_as, change, message):
    login_as(Role.OFFICER)
    response = client.post("/enterprises/new", data={**GOOD, **change})
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'value="Wuxi"' in response.get_data(as_text=True)
    assert enterprises() == []


def test_an_officer_edits_their_own_enterprise_but_not_a_colleagues(app, client, login_as, make_user):
    officer = login_as(Role.OFFICER)
    mine, theirs = factories.enterprise(officer), factories.enterprise(make_user())
    db.session.commit()
    response = client.post(f"/enterprises/{mine.id}/edit", data={**GOOD, "version": mine.version})
    assert response.status_code == 302 and enterprises()[0].name == GOOD["name"]
    assert client.post(f"/enterprises/{theirs.id}/edit", data={**GOOD, "version": 1}).status_code == 403
    assert client.get(f"/enterprises/{mine.id}/edit").get_data(as_text=True).count('name="owner_id"') == 0


def test_a_manager_reassigns_the_account_owner(client, login_as, make_user):
    login_as(Role.MANAGER)
    officer, other = make_user(), make_user()
    enterprise = factories.enterprise(officer)
    db.session.commit()
    data = {**GOOD, "owner_id": other.id, "version": enterprise.version}
    assert client.post(f"/enterprises/{enterprise.id}/edit", data=data).status_code == 302
    assert enterprises()[0].owner_id == other.id


def test_an_edit_over_a_newer_version_shows_both_and_overwrites_nothing(client, login_as):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(officer, city="Wuxi")
    db.session.commit()
    loaded = enterprise.version
    enterprise.city = "Changzhou"
    db.session.commit()
    response = client.post(f"/enterprises/{enterprise.id}/edit", data={**GOOD, "city": "Suzhou", "version": loaded})
    assert response.status_code == 409
    page = text_of(response)
    assert "City Changzhou Suzhou" in page
    assert enterprises()[0].city == "Changzhou"
    # The form now carries the newer version: saving again is a deliberate overwrite.
    again = client.post(f"/enterprises/{enterprise.id}/edit", data={**GOOD, "city": "Suzhou", "version": loaded + 1})
    assert again.status_code == 302 and enterprises()[0].city == "Suzhou"


def test_search_matches_names_in_both_scripts(client, login_as):
    officer = login_as(Role.OFFICER)
    factories.enterprise(
        officer, name="Hangzhou City Brain Operation Command Center", local_name="杭州城市大脑运营指挥中心"
    )
    factories.enterprise(officer, name="Other", local_name="其他")
    db.session.commit()
    for text in ("城市大脑", "city brain", "HANGZHOU"):
        page = text_of(client.get("/enterprises/", query_string={"q": text}))
        assert "杭州城市大脑运营指挥中心" in page and "其他" not in page


def test_delete_hides_and_a_manager_restores(app, client, login_as, make_user):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(officer, name="Gone Co")
    db.session.commit()
    assert client.post(f"/enterprises/{enterprise.id}/delete").status_code == 302
    assert client.get(f"/enterprises/{enterprise.id}").status_code == 404
    assert client.post(f"/enterprises/{enterprise.id}/restore").status_code == 404  # officers do not see it
    manager_client = app.test_client()
    login(manager_client, make_user(Role.MANAGER).email)
    assert "This record was deleted" in text_of(manager_client.get(f"/enterprises/{enterprise.id}"))
    manager_client.post(f"/enterprises/{enterprise.id}/restore")
    assert client.get(f"/enterprises/{enterprise.id}").status_code == 200


def test_contacts_are_added_from_the_enterprise_and_validated(client, login_as):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(officer, local_name="苏州德威国际高级中学")
    db.session.commit()
    form = client.get(f"/contacts/new?enterprise_id={enterprise.id}").get_data(as_text=True)
    assert f"#{enterprise.id}" in form
    bad = client.post(
        "/contacts/new", data={"enterprise": "苏州德威国际高级中学", "name": "Ms Zhou", "email": "not-email"}
    )
    assert bad.status_code == 400 and "Invalid email address." in text_of(bad)
    good = client.post(
        "/contacts/new",
        data={
            "enterprise": "苏州德威国际高级中学",
            "name": "Ms Zhou",
            "local_name": "周女士",
            "title": "Head of admissions",
        },
    )
    assert good.status_code == 302
    contact = db.session.scalar(sa.select(Contact))
    assert contact.enterprise_id == enterprise.id and contact.owner_id == officer.id
    assert "周女士" in text_of(client.get("/contacts/?q=周"))


def test_contacts_are_found_by_their_enterprises_names_but_not_once_it_is_deleted(client, login_as):
    officer = login_as(Role.OFFICER)
    kept = factories.enterprise(officer, name="Bosch Rexroth (Changzhou)", local_name="博世力士乐（常州）有限公司")
    gone = factories.enterprise(officer, name="Rexroth Trading Co., Ltd.", local_name="力士乐贸易有限公司")
    factories.contact(kept, officer, name="Ms Li")
    factories.contact(gone, officer, name="Mr Chen")
    gone.deleted_at = utcnow()
    db.session.commit()
    for term in ("Rexroth", "力士乐"):
        found = text_of(client.get("/contacts/", query_string={"q": term}))
        assert "Ms Li" in found and "Mr Chen" not in found
    assert "Ms Li" not in text_of(client.get("/contacts/", query_string={"q": "no such name"}))
