"""The pipeline board: a column per stage, masked cards, moves without JavaScript, filters."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm.core.roles import Role
from crm.core.time import utcnow
from crm.extensions import db
from crm.pipeline import queries, services
from crm.pipeline.models import ProjectStatus, Stage, StageChange
from crm.sectors.models import Sector
from tests import factories
from tests.conftest import text_of


def _column(html: str, stage: Stage) -> str:
    """The HTML of one stage's column."""
    start = html.index(f'data-stage="{stage.value}"')
    following = [html.index(f'data-stage="{s.value}"') for s in Stage if s.order == stage.order + 1]
    return html[start : following[0] if following else len(html)]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.ADMIN])
def test_every_role_sees_a_column_per_stage(client, login_as, make_user, role):
    owner = make_user(Role.OFFICER, name="Li Wei")
    enterprise = factories.enterprise(owner, name="Huawei Suzhou", local_name="华为苏州")
    project = factories.project(owner, enterprise, planned_investment=Decimal("300000000"))
    services.advance_stage(project, Stage.NEGOTIATION, by=owner)
    project.stage_entered_at = utcnow() - timedelta(days=9)
    db.session.commit()
    login_as(role)
    page = client.get("/projects/board")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for stage in Stage:
        assert f'data-stage="{stage.value}"' in html and stage.label in text_of(page)
    column = _column(html, Stage.NEGOTIATION)
    for expected in ("华为苏州", "Huawei Suzhou", "CNY 300 m", "Li Wei", "9 days in stage"):
        assert expected in column, expected
    assert "Huawei" not in _column(html, Stage.LEAD)
    assert "js/board.js" in html and "css/board.css" in html
    assert " style=" not in html and "<script>" not in html and "onclick" not in html and "ondrag" not in html
    # Only those who may move the card get its Move; the stage menu is rendered once per page, not per card.
    assert ("js-board-move" in column) == (role is not Role.OFFICER)
    assert html.count('name="to_stage"') == 1


def test_the_board_shows_active_live_projects_only(client, login_as):
    officer = login_as(Role.OFFICER)
    factories.project(officer, name="Running")
    services.change_status(factories.project(officer, name="Paused"), ProjectStatus.ON_HOLD, "Budget")
    services.change_status(factories.project(officer, name="Gone"), ProjectStatus.LOST, "Chose Wuxi")
    factories.project(officer, name="Deleted", deleted_at=utcnow())
    db.session.commit()
    text = text_of(client.get("/projects/board"))
    assert "Running" in text and not any(name in text for name in ("Paused", "Gone", "Deleted"))


def test_a_confidential_card_shows_an_officer_only_its_code_name(client, login_as, make_user):
    owner = make_user(Role.OFFICER, name="Owner Officer")
    enterprise = factories.enterprise(owner, name="Hidden Motors Co., Ltd.", local_name="隐秘汽车有限公司")
    factories.project(
        owner,
        enterprise,
        name="Secret Gigafactory",
        code_name="Project Falcon",
        is_confidential=True,
        planned_investment=Decimal("987654321"),
    )
    factories.project(owner, name="Open project", planned_investment=Decimal("1000"))
    db.session.commit()
    login_as(Role.OFFICER)
    page = client.get("/projects/board")
    html = page.get_data(as_text=True)
    assert "Project Falcon" in text_of(page) and "Owner Officer" in text_of(page)
    for secret in ("Secret Gigafactory", "Hidden Motors", "隐秘汽车", "987,654,321", "987.65", "987654321"):
        assert secret not in html, secret
    # The column total adds up only what the viewer may see; the count includes every card.
    lead = _column(html, Stage.LEAD)
    assert "CNY 1,000" in lead and re.search(r"badge[^>]*>2<", lead)


def test_a_card_moves_through_the_boards_move_form_and_the_board_keeps_its_filters(client, login_as):
    officer = login_as(Role.OFFICER)
    project = factories.project(officer, name="Battery plant")
    project.stage_entered_at = utcnow() - timedelta(days=5)
    db.session.commit()
    html = client.get(f"/projects/board?owner={officer.id}").get_data(as_text=True)
    # Without JavaScript, Move leads to the project's own stage form; with it, to the board's one dialog.
    move = re.search(r'<a class="[^"]*js-board-move"[^>]*>', html).group(0)
    assert f'href="/projects/{project.id}#stage-heading"' in move
    assert f'data-version="{project.version}"' in move
    # The dialog posts to the board's stage address for project 0, with the card's project id in its place.
    assert 'data-stage-url="/projects/0/stage"' in html and f'data-project-id="{project.id}"' in html
    form = re.search(r'<dialog id="move-dialog".*?</dialog>', html, re.S).group(0)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert fields["next"] == "board" and fields["owner"] == str(officer.id) and 'name="note"' in form
    fields["version"] = str(project.version)
    response = client.post(f"/projects/{project.id}/stage", data={**fields, "to_stage": "assessment"})
    assert response.status_code == 302 and response.headers["Location"] == f"/projects/board?owner={officer.id}"
    db.session.expire_all()
    assert project.stage is Stage.ASSESSMENT and project.probability == Stage.ASSESSMENT.default_probability
    last = db.session.scalars(sa.select(StageChange).order_by(StageChange.id.desc())).first()
    assert last.to_stage is Stage.ASSESSMENT and last.seconds_in_from_stage >= 5 * 86400
    board = client.get(response.headers["Location"])
    assert "Stage changed to Assessment." in text_of(board)
    assert "Battery plant" in _column(board.get_data(as_text=True), Stage.ASSESSMENT)


def test_a_move_to_the_same_stage_from_the_board_explains_itself(client, login_as):
    officer = login_as(Role.OFFICER)
    project = factories.project(officer)
    db.session.commit()
    data = {"to_stage": "lead", "next": "board", "version": str(project.version)}
    response = client.post(f"/projects/{project.id}/stage", data=data)
    assert response.status_code == 400 and "already at this stage" in text_of(response)


def test_next_only_ever_leads_back_to_the_board(client, login_as):
    officer = login_as(Role.OFFICER)
    project = factories.project(officer)
    db.session.commit()
    data = {"to_stage": "assessment", "next": "https://evil.example/", "version": str(project.version)}
    response = client.post(f"/projects/{project.id}/stage", data=data)
    assert response.headers["Location"] == f"/projects/{project.id}"


def test_the_board_filters_by_owner_and_sector(client, login_as, make_user):
    officer = login_as(Role.OFFICER)
    other = make_user(Role.OFFICER)
    node = db.session.scalars(sa.select(Sector).where(Sector.parent_id.is_not(None))).first()
    factories.project(officer, name="Mine in the node", sectors=[node])
    factories.project(other, name="Theirs untagged")
    db.session.commit()
    text = text_of(client.get(f"/projects/board?owner={officer.id}"))
    assert "Mine in the node" in text and "Theirs untagged" not in text
    text = text_of(client.get(f"/projects/board?sector={node.parent_id}"))
    assert "Mine in the node" in text and "Theirs untagged" not in text
    assert "Theirs untagged" in text_of(client.get("/projects/board?owner=nobody&sector="))


def test_a_full_column_links_to_the_rest(client, login_as, monkeypatch):
    monkeypatch.setattr(queries, "BOARD_COLUMN_LIMIT", 2)
    officer = login_as(Role.OFFICER)
    for number in range(3):
        project = factories.project(officer, name=f"Card {number}")
        project.stage_entered_at = utcnow() - timedelta(days=10 - number)
    db.session.commit()
    page = client.get("/projects/board")
    text = text_of(page)
    assert "Card 0" in text and "Card 1" in text and "Card 2" not in text  # longest in the stage first
    assert "1 more in the list" in text and "/projects/?stage=lead&amp;status=active" in page.get_data(as_text=True)
