"""The board in a real browser: drag and drop moves a card, and a phone never scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from crm.accounts import services as accounts
from crm.core.roles import Role
from crm.extensions import db
from crm.pipeline.models import InvestmentProject, Stage, StageChange
from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.server import browser_app, serve


@pytest.fixture
def board_app(tmp_path, chromium_path) -> Iterator:
    """A served app with one officer's project at the lead stage; yields (base URL, app, project id)."""
    app = browser_app(tmp_path)
    with app.app_context():
        officer = accounts.create_user(email="li.wei@zone.test", name="Li Wei", password=PASSWORD, role=Role.OFFICER)
        project = factories.project(officer, name="Battery plant")
        for number in range(3):
            factories.project(officer, name=f"Filler {number}")
        db.session.commit()
        project_id = project.id
    with serve(app) as url:
        yield url, app, project_id


@pytest.fixture
def browser_page(board_app, browser, request) -> Iterator:
    viewport = getattr(request, "param", {"width": 1280, "height": 800})
    context = browser.new_context(locale="en-GB", viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    url = board_app[0]
    page.goto(url + "/login")
    page.get_by_label("Email").fill("li.wei@zone.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(url + "/projects/board")
    yield page, errors
    context.close()


def test_dropping_a_card_on_another_column_moves_the_project(board_app, browser_page):
    _, app, project_id = board_app
    page, errors = browser_page
    card = page.locator(f'.board-card[data-project-id="{project_id}"]')
    expect(card).to_have_attribute("draggable", "true")
    # Drop near the column's heading, which is in view: a drop point that needs scrolling mid-drag is flaky.
    card.drag_to(page.locator('.board-column[data-stage="negotiation"]'), target_position={"x": 40, "y": 40})
    # The drop asks for the note the stage change carries.
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("New stage")).to_have_value("negotiation")
    expect(dialog.get_by_label("Note")).to_be_focused()
    page.keyboard.type("Met the board in Suzhou")
    dialog.get_by_role("button", name="Move").click()
    expect(page.locator(".alert-success")).to_contain_text("Stage changed to Negotiation.")
    expect(page.locator('.board-column[data-stage="negotiation"]')).to_contain_text("Battery plant")
    with app.app_context():
        project = db.session.get(InvestmentProject, project_id)
        assert project.stage is Stage.NEGOTIATION
        changes = db.session.scalars(sa.select(StageChange).where(StageChange.project_id == project_id)).all()
        assert [change.to_stage for change in changes] == [Stage.LEAD, Stage.NEGOTIATION]
        assert changes[-1].note == "Met the board in Suzhou"
    assert errors == []


def test_cancelling_a_drop_puts_the_card_back(board_app, browser_page):
    _, app, project_id = board_app
    page, errors = browser_page
    card = page.locator(f'.board-card[data-project-id="{project_id}"]')
    card.drag_to(page.locator('.board-column[data-stage="signed"]'), target_position={"x": 40, "y": 40})
    page.locator("#move-dialog").get_by_role("button", name="Cancel").click()
    expect(page.locator('.board-column[data-stage="lead"]')).to_contain_text("Battery plant")
    with app.app_context():
        assert db.session.get(InvestmentProject, project_id).stage is Stage.LEAD
    assert errors == []


def test_the_move_form_works_from_the_keyboard(board_app, browser_page):
    _, app, project_id = board_app
    page, errors = browser_page
    page.locator(f'.board-card[data-project-id="{project_id}"] .js-board-move').focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#move-dialog")
    expect(dialog.get_by_label("New stage")).to_be_focused()
    expect(dialog.get_by_label("New stage")).to_have_value("lead")  # the card's own stage, to begin with
    expect(dialog.locator(".js-move-name")).to_have_text("Battery plant")
    dialog.get_by_label("New stage").select_option("assessment")
    page.keyboard.press("Tab")
    page.keyboard.type("Site visit booked")
    page.keyboard.press("Tab")  # to the Move button
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Stage changed to Assessment.")
    with app.app_context():
        assert db.session.get(InvestmentProject, project_id).stage is Stage.ASSESSMENT
    assert errors == []


@pytest.mark.parametrize("browser_page", [{"width": 390, "height": 844}], indirect=True)
def test_on_a_phone_the_columns_scroll_inside_the_board_not_the_page(browser_page):
    page, errors = browser_page
    widths = page.evaluate(
        """() => {
            const board = document.querySelector('[data-board]');
            return {page: document.documentElement.scrollWidth, viewport: window.innerWidth,
                    board: board.scrollWidth, boardVisible: board.clientWidth};
        }"""
    )
    assert widths["page"] <= widths["viewport"], widths
    assert widths["board"] > widths["boardVisible"], widths  # seven columns do not fit: they scroll
    assert errors == []


@pytest.mark.parametrize("browser_page", [{"width": 1366, "height": 768}], indirect=True)
def test_at_1366_pixels_all_seven_stages_are_in_view(browser_page):
    page, errors = browser_page
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.board-column')].map((column) => {
            const box = column.getBoundingClientRect();
            return {left: box.left, right: box.right};
        })"""
    )
    assert len(boxes) == 7
    assert all(box["left"] >= 0 and box["right"] <= 1366 for box in boxes), boxes
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert errors == []
