"""Project pages for every role: list, search, filters, detail, create, edit, delete; confidential masking."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm.core.roles import Role
from crm.core.time import utcnow
from crm.extensions import db
from crm.pipeline import services
from crm.pipeline.models import InvestmentProject, ProjectSource, ProjectStatus, Stage, StageChange
from crm.sectors.models import Sector
from crm.visits.models import VisitDirection
from tests import factories
from tests.conftest import text_of

# What an officer who does not own the confidential project must never find in a page.
SECRETS = (
    "Secret Gigafactory",
    "Hidden Motors",
    "隐秘汽车",
    "987,654,321",
    "987.65",
    "987654321",
    "Talks with the governor",
)


@pytest.fixture
def secret(make_user):
    """A confidential project owned by one officer, at an enterprise named only there."""
    owner = make_user(Role.OFFICER, name="Owner Officer")
    enterprise = factories.enterprise(owner, name="Hidden Motors Co., Ltd.", local_name="隐秘汽车有限公司")
    project = factories.project(
        owner,
        enterprise,
        name="Secret Gigafactory",
        code_name="Project Falcon",
        is_confidential=True,
        planned_investment=Decimal("987654321"),
        description="Talks with the governor",
        expected_decision_on=date(2027, 3, 31),
    )
    services.advance_stage(project, Stage.ASSESSMENT, by=owner, note="Talks with the governor")
    db.session.commit()
    return project


def _assert_no_secret(response, searched: str = "") -> None:
    html = response.get_data(as_text=True)
    if searched:  # the search box shows back what was typed; that is no leak
        html = html.replace(f'value="{searched}"', "")
    for secret in SECRETS:
        assert secret not in html, secret


def _search(client, text: str) -> str:
    return text_of(client.get("/projects/", query_string={"q": text}))


# The list ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.ADMIN])
def test_every_role_sees_the_list_with_its_columns(client, login_as, make_user, role):
    owner = make_user(Role.OFFICER, name="Li Wei")
    factories.project(owner, name="Joint innovation centre", planned_investment=Decimal("20000000"))
    db.session.commit()
    login_as(role)
    page = client.get("/projects/")
    assert page.status_code == 200
    text = text_of(page)
    assert "Joint innovation centre" in text and "Li Wei" in text and "Lead" in text and "Active" in text
    assert "CNY 20 m" in text and "1 record" in text


def test_an_officer_sees_only_the_code_name_of_a_confidential_project(client, login_as, secret):
    login_as(Role.OFFICER)
    page = client.get("/projects/")
    assert page.status_code == 200 and "Project Falcon" in text_of(page) and "Confidential" in text_of(page)
    _assert_no_secret(page)


@pytest.mark.parametrize("who", ["owner", Role.MANAGER, Role.ADMIN])
def test_the_owner_and_managers_see_a_confidential_project_in_full(client, login_as, secret, who):
    if who == "owner":
        client.post("/login", data={"email": secret.owner.email, "password": "correct horse battery staple"})
    else:
        login_as(who)
    text = text_of(client.get("/projects/"))
    assert "Secret Gigafactory" in text and "Hidden Motors" in text and "CNY 987.65 m" in text


@pytest.mark.parametrize("words", ["Secret Giga", "Hidden Motors", "隐秘汽车", "gigafactory"])
def test_a_confidential_project_cannot_be_found_by_what_is_hidden(client, login_as, secret, words):
    login_as(Role.OFFICER)
    response = client.get("/projects/", query_string={"q": words})
    assert "Project Falcon" not in text_of(response) and "0 records" in text_of(response)
    _assert_no_secret(response, searched=words)


def test_a_confidential_project_can_be_found_by_its_code_name(client, login_as, secret):
    login_as(Role.OFFICER)
    response = client.get("/projects/", query_string={"q": "falcon"})
    assert "Project Falcon" in text_of(response) and "1 record" in text_of(response)
    _assert_no_secret(response)


@pytest.mark.parametrize("words", ["Secret Giga", "Hidden Motors", "隐秘汽车"])
def test_managers_find_a_confidential_project_by_name_and_enterprise(client, login_as, secret, words):
    login_as(Role.MANAGER)
    assert "Secret Gigafactory" in _search(client, words)


def test_search_finds_projects_by_name_code_name_and_enterprise_in_either_script(client, login_as):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(officer, name="Huawei Suzhou", local_name="华为苏州")
    factories.project(officer, enterprise, name="Smart campus", code_name="Project Lotus")
    factories.project(officer, name="Unrelated works", code_name="Project Oak")
    db.session.commit()
    for words in ("smart", "lotus", "huawei", "华为"):
        text = _search(client, words)
        assert "Smart campus" in text and "Unrelated works" not in text, words
    assert "0 records" in _search(client, "100%_")  # LIKE wildcards are taken literally


def test_filters_by_stage_status_owner_and_decision_date(client, login_as, make_user):
    officer = login_as(Role.OFFICER)
    other = make_user(Role.OFFICER)
    early = factories.project(officer, name="Early one", expected_decision_on=date(2027, 1, 15))
    late = factories.project(other, name="Late one", expected_decision_on=date(2027, 9, 1))
    services.advance_stage(late, Stage.NEGOTIATION, by=other)
    services.change_status(early, ProjectStatus.ON_HOLD, "Budget freeze")
    db.session.commit()

    def listed(**args) -> set[str]:
        text = text_of(client.get("/projects/", query_string=args))
        return {name for name in ("Early one", "Late one") if name in text}

    assert listed() == {"Early one", "Late one"}
    assert listed(stage="negotiation") == {"Late one"}
    assert listed(status="on_hold") == {"Early one"}
    assert listed(owner=other.id) == {"Late one"}
    assert listed(decision_from="2027-02-01") == {"Late one"}
    assert listed(decision_to="2027-02-01") == {"Early one"}
    assert listed(decision_from="2027-01-01", decision_to="2027-12-31") == {"Early one", "Late one"}
    assert listed(stage="nonsense", status="nonsense", owner="x") == {"Early one", "Late one"}


def test_a_bad_date_filter_is_explained_and_ignored(client, login_as):
    officer = login_as(Role.OFFICER)
    factories.project(officer, name="Dated one", expected_decision_on=date(2027, 1, 15))
    db.session.commit()
    page = client.get("/projects/", query_string={"decision_from": "someday", "decision_to": "2020-01-01x"})
    assert page.status_code == 200 and "Dated one" in text_of(page) and "Not a valid date value" in text_of(page)
    page = client.get("/projects/", query_string={"decision_from": "2027-02-01", "decision_to": "2027-01-01"})
    assert "The end date is before the start date." in text_of(page)


def test_the_sector_filter_includes_the_industry_chain_nodes(client, login_as):
    officer = login_as(Role.OFFICER)
    node = db.session.scalars(sa.select(Sector).where(Sector.parent_id.is_not(None))).first()
    elsewhere = db.session.scalars(sa.select(Sector).where(Sector.id != node.parent_id, Sector.parent_id.is_(None)))
    factories.project(officer, name="Tagged with the node", sectors=[node])
    factories.project(officer, name="Tagged elsewhere", sectors=[elsewhere.first()])
    db.session.commit()
    text = text_of(client.get("/projects/", query_string={"sector": node.parent_id}))
    assert "Tagged with the node" in text and "Tagged elsewhere" not in text


def test_filters_on_hidden_fields_do_not_reveal_a_confidential_project(client, login_as, secret):
    login_as(Role.OFFICER)
    for args in ({"decision_from": "2027-03-01", "decision_to": "2027-04-01"},):
        response = client.get("/projects/", query_string=args)
        assert "Project Falcon" not in text_of(response)
    # What is shown of it (stage, status, owner) still finds it.
    assert "Project Falcon" in text_of(client.get("/projects/", query_string={"stage": "assessment"}))


@pytest.mark.parametrize("sort", ["name", "stage", "planned_investment", "expected_decision", "updated", "bogus"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_every_sort_works(client, login_as, secret, sort, direction):
    login_as(Role.OFFICER)
    response = client.get("/projects/", query_string={"sort": sort, "dir": direction})
    assert response.status_code == 200 and "Project Falcon" in text_of(response)
    _assert_no_secret(response)


def test_stage_sorts_in_lifecycle_order(client, login_as):
    officer = login_as(Role.OFFICER)
    for name, stage in (("P-signed", Stage.SIGNED), ("P-lead", Stage.LEAD), ("P-assessment", Stage.ASSESSMENT)):
        project = factories.project(officer, name=name)
        if stage is not Stage.LEAD:
            services.advance_stage(project, stage, by=officer)
    db.session.commit()
    text = text_of(client.get("/projects/", query_string={"sort": "stage", "dir": "asc"}))
    assert text.index("P-lead") < text.index("P-assessment") < text.index("P-signed")


def test_managers_may_list_deleted_projects_and_officers_may_not(client, login_as, make_user):
    owner = make_user(Role.OFFICER)
    gone = factories.project(owner, name="Deleted one")
    factories.project(owner, name="Live one")
    gone.deleted_at = utcnow()
    db.session.commit()
    login_as(Role.OFFICER)
    text = text_of(client.get("/projects/?deleted=1"))
    assert "Live one" in text and "Deleted one" not in text
    client.post("/logout")
    login_as(Role.MANAGER)
    text = text_of(client.get("/projects/?deleted=1"))
    assert "Deleted one" in text and "Live one" not in text


def test_sample_projects_carry_the_sample_badge(client, login_as):
    officer = login_as(Role.OFFICER)
    factories.project(officer, name="Demo project", is_sample=True)
    db.session.commit()
    assert "Sample data, not a real record" in client.get("/projects/").get_data(as_text=True)


# The detail page --------------------------------------------------------------------------------------


def test_the_owner_sees_every_field_the_history_and_the_forms(client, login_as):
    officer = login_as(Role.OFFICER, name="Zhang Min")
    visit = factories.visit(officer, purpose="Introduce the zone to the board")
    project = factories.project(
        officer,
        visit.enterprise,
        name="Battery plant",
        planned_investment=Decimal("50000000"),
        actual_investment=Decimal("1250000.50"),
        planned_fixed_assets=Decimal("30000000"),
        planned_paid_in_capital=Decimal("10000000"),
        actual_paid_in_capital=Decimal("2000000"),
        planned_jobs=1200,
        actual_jobs=35,
        referrer="Suzhou chamber of commerce",
        source=ProjectSource.REFERRAL,
        expected_decision_on=date(2027, 6, 30),
    )
    project.origin_visits.append(visit)
    project.stage_entered_at = utcnow() - timedelta(days=12)
    services.advance_stage(project, Stage.ASSESSMENT, by=officer, note="Site visit done")
    project.stage_entered_at = utcnow() - timedelta(days=4)
    factories.follow_up(officer, project=project, title="Send the land offer", due_on=date(2020, 1, 1))
    db.session.commit()

    page = client.get(f"/projects/{project.id}")
    assert page.status_code == 200
    text = text_of(page)
    for expected in (
        "Battery plant",
        visit.enterprise.name,
        "CNY 50 m",
        "CNY 1.25 m",
        "CNY 30 m",
        "CNY 2 m",
        "1,200",
        "35",
        "Assessment",
        "4 days in this stage",
        "25%",
        "Suzhou chamber of commerce",
        "Referral",
        "Site visit done",
        "Lead → Assessment",
        "Zhang Min",
        "12 days",  # the time spent as a lead
        "Introduce the zone to the board",
        "Send the land offer",
        "overdue",
        "History",
        "Change stage",
        "Change status",
    ):
        assert expected in text, expected
    html = page.get_data(as_text=True)
    assert f'action="/projects/{project.id}/stage"' in html and f'action="/projects/{project.id}/status"' in html
    assert " style=" not in html and "<script>" not in html


def test_an_officer_who_does_not_own_a_project_sees_it_without_the_forms(client, login_as, make_user):
    project = factories.project(make_user(Role.OFFICER), name="Open project")
    db.session.commit()
    login_as(Role.OFFICER)
    page = client.get(f"/projects/{project.id}")
    text = text_of(page)
    assert page.status_code == 200 and "Open project" in text
    assert "Change stage" not in text and "Edit" not in text and "Delete" not in text


def test_a_confidential_project_shows_an_officer_only_its_code_name_stage_and_status(client, login_as, secret):
    factories.follow_up(secret.owner, project=secret, title="Hidden Motors follow-up")
    db.session.commit()
    login_as(Role.OFFICER)
    page = client.get(f"/projects/{secret.id}")
    assert page.status_code == 200
    text = text_of(page)
    assert "Project Falcon" in text and "Assessment" in text and "Active" in text
    assert "<title>Project Falcon" in page.get_data(as_text=True)
    _assert_no_secret(page)
    html = page.get_data(as_text=True)
    assert f"/enterprises/{secret.enterprise_id}" not in html and "History" not in text and "Change stage" not in text


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_managers_see_a_confidential_project_in_full(client, login_as, secret, role):
    login_as(role)
    text = text_of(client.get(f"/projects/{secret.id}"))
    assert "Secret Gigafactory" in text and "Hidden Motors" in text and "Change stage" in text


def test_a_deleted_project_is_gone_for_officers_and_restorable_by_managers(client, login_as, make_user):
    owner = make_user(Role.OFFICER)
    project = factories.project(owner, name="Soon gone")
    db.session.commit()
    client.post("/login", data={"email": owner.email, "password": "correct horse battery staple"})
    response = client.post(f"/projects/{project.id}/delete")
    assert response.status_code == 302 and response.headers["Location"] == "/projects/"
    assert client.get(f"/projects/{project.id}").status_code == 404
    client.post("/logout")
    login_as(Role.MANAGER)
    page = client.get(f"/projects/{project.id}")
    assert page.status_code == 200 and "Restore" in text_of(page) and "Change stage" not in text_of(page)
    assert client.post(f"/projects/{project.id}/restore").status_code == 302
    db.session.expire_all()
    assert db.session.get(InvestmentProject, project.id).deleted_at is None


def test_unknown_projects_are_not_found(client, login_as):
    login_as(Role.MANAGER)
    for path in ("/projects/999", "/projects/999/edit"):
        assert client.get(path).status_code == 404
    for path in ("/projects/999/stage", "/projects/999/status", "/projects/999/delete"):
        assert client.post(path).status_code == 404


# Create and edit --------------------------------------------------------------------------------------


def _project_form(enterprise, **fields) -> dict:
    data = {
        "name": "Smart city operations centre",
        "code_name": "Project Harbour",
        "enterprise": f"{enterprise.name} #{enterprise.id}",
        "planned_investment": "80000000",
        "planned_jobs": "60",
        "probability": "",
        "source": "referral",
    }
    data.update(fields)
    return data


def test_creating_a_project_makes_a_lead_owned_by_its_creator(client, login_as):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(officer)
    db.session.commit()
    response = client.post("/projects/new", data=_project_form(enterprise))
    assert response.status_code == 302
    project = db.session.scalars(sa.select(InvestmentProject)).one()
    assert response.headers["Location"] == f"/projects/{project.id}"
    assert project.owner_id == officer.id and project.stage is Stage.LEAD and project.probability == 10
    assert project.enterprise_id == enterprise.id and project.planned_investment == Decimal("80000000.00")
    assert project.planned_jobs == 60 and project.source is ProjectSource.REFERRAL
    [change] = db.session.scalars(sa.select(StageChange)).all()
    assert change.to_stage is Stage.LEAD and change.changed_by_id == officer.id


def test_a_code_name_is_needed_only_for_a_confidential_project(client, login_as):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(officer)
    db.session.commit()
    response = client.post("/projects/new", data=_project_form(enterprise, code_name="", is_confidential="y"))
    assert response.status_code == 400
    assert "A confidential project needs a code name" in text_of(response)
    assert db.session.scalars(sa.select(InvestmentProject)).all() == []
    response = client.post("/projects/new", data=_project_form(enterprise, code_name=""))
    assert response.status_code == 302
    project = db.session.scalars(sa.select(InvestmentProject)).one()
    assert project.code_name == "" and not project.is_confidential


def test_the_new_form_is_prefilled_from_an_enterprise(client, login_as):
    officer = login_as(Role.OFFICER)
    enterprise = factories.enterprise(officer, name="Bosch Automotive Diesel")
    db.session.commit()
    html = client.get(f"/projects/new?enterprise_id={enterprise.id}").get_data(as_text=True)
    assert f'value="Bosch Automotive Diesel · {enterprise.local_name} #{enterprise.id}"' in html
    assert 'name="owner_id"' not in html and 'name="code_name"' in html


@pytest.mark.parametrize(
    "direction, source",
    [(VisitDirection.OUTBOUND, ProjectSource.OUTBOUND_VISIT), (VisitDirection.INBOUND, ProjectSource.INBOUND_VISIT)],
)
def test_a_project_opened_from_a_visit_starts_with_its_enterprise_sectors_and_source(
    client, login_as, direction, source
):
    officer = login_as(Role.OFFICER)
    node = db.session.scalars(sa.select(Sector).where(Sector.parent_id.is_not(None))).first()
    visit = factories.visit(officer, direction=direction, sectors=[node])
    db.session.commit()
    page = client.get(f"/projects/new?visit_id={visit.id}")
    html = page.get_data(as_text=True)
    assert f"#{visit.enterprise.id}" in html and "From the visit to" in text_of(page)
    assert re.search(
        rf'<input checked class="form-check-input" id="sector_ids-\d+" name="sector_ids" type="checkbox" '
        rf'value="{node.id}">',
        html,
    )
    assert f'<option selected value="{source.value}">' in html
    form = _project_form(visit.enterprise, source=source.value, sector_ids=[str(node.id)])
    response = client.post(f"/projects/new?visit_id={visit.id}", data=form)
    assert response.status_code == 302
    project = db.session.scalars(sa.select(InvestmentProject)).one()
    assert [v.id for v in project.origin_visits] == [visit.id] and project.sectors == [node]
    assert project.source is source


def test_an_officer_edits_their_project_without_an_owner_field(client, login_as):
    officer = login_as(Role.OFFICER)
    project = factories.project(officer, name="Old name")
    db.session.commit()
    page = client.get(f"/projects/{project.id}/edit")
    assert page.status_code == 200 and 'name="owner_id"' not in page.get_data(as_text=True)
    assert f"#{project.enterprise_id}" in page.get_data(as_text=True)
    data = _project_form(project.enterprise, name="New name", version=str(project.version), probability="35")
    response = client.post(f"/projects/{project.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert project.name == "New name" and project.probability == 35 and project.owner_id == officer.id


def test_a_manager_reassigns_a_project(client, login_as, make_user):
    owner, successor = make_user(Role.OFFICER), make_user(Role.OFFICER)
    project = factories.project(owner)
    db.session.commit()
    login_as(Role.MANAGER)
    assert 'name="owner_id"' in client.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    data = _project_form(project.enterprise, owner_id=str(successor.id), version=str(project.version))
    assert client.post(f"/projects/{project.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert project.owner_id == successor.id


def test_an_officer_may_not_edit_delete_or_move_anothers_project(client, login_as, make_user):
    project = factories.project(make_user(Role.OFFICER))
    db.session.commit()
    login_as(Role.OFFICER)
    assert client.get(f"/projects/{project.id}/edit").status_code == 403
    assert client.post(f"/projects/{project.id}/edit", data={"name": "x"}).status_code == 403
    assert client.post(f"/projects/{project.id}/stage", data={"to_stage": "signed"}).status_code == 403
    assert (
        client.post(f"/projects/{project.id}/status", data={"status": "lost", "status_reason": "x"}).status_code == 403
    )
    assert client.post(f"/projects/{project.id}/delete").status_code == 403
    assert client.post(f"/projects/{project.id}/restore").status_code == 403
    db.session.expire_all()
    assert project.stage is Stage.LEAD and project.status is ProjectStatus.ACTIVE and project.deleted_at is None


def test_the_pages_render_in_chinese(client, login_as):
    officer = login_as(Role.OFFICER)
    project = factories.project(officer, planned_investment=Decimal("45260"))
    project.stage_entered_at = utcnow() - timedelta(hours=3)
    services.advance_stage(project, Stage.ASSESSMENT, by=officer)
    db.session.commit()
    client.post("/language", data={"language": "zh"})
    for path in ("/projects/", "/projects/board", f"/projects/{project.id}", f"/projects/{project.id}/edit"):
        page = client.get(path)
        assert page.status_code == 200 and 'lang="zh-CN"' in page.get_data(as_text=True), path
    assert "4.53万元" in text_of(client.get(f"/projects/{project.id}"))
    assert "3小时" in text_of(client.get(f"/projects/{project.id}"))  # time in the stage left, in Chinese
