"""The project list and the board make the same number of queries with 10 projects as with 200."""

from __future__ import annotations

import itertools
import re

import pytest

from crm.core.roles import Role
from crm.extensions import db
from crm.pipeline import services
from crm.pipeline.models import Stage
from crm.pipeline.queries import BOARD_COLUMN_LIMIT
from crm.sectors.models import Sector
from tests import factories
from tests.querycount import assert_no_more_queries_with_more_rows, count_queries

STAGES = itertools.cycle(list(Stage))


def _fill(count: int, owner, other) -> None:
    """Projects spread over the stages, some confidential and someone else's, with sectors and follow-ups."""
    sectors = db.session.scalars(db.select(Sector).limit(3)).all()
    for number in range(count):
        project = factories.project(
            owner if number % 2 else other, sectors=list(sectors), is_confidential=number % 3 == 0
        )
        stage = next(STAGES)
        if stage is not Stage.LEAD:
            services.advance_stage(project, stage, by=owner)
    db.session.commit()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER])
@pytest.mark.parametrize("path", ["/projects/?per_page=200", "/projects/board"])
def test_project_pages_query_the_same_with_10_and_200_projects(app, client, login_as, make_user, role, path):
    viewer = login_as(role)
    other = make_user(Role.OFFICER)
    _fill(10, viewer, other)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    _fill(190, viewer, other)
    with count_queries() as many:
        page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    shown = len(set(re.findall(r'href="/projects/(\d+)"', html)))
    if "board" in path:  # the board is bounded: the top cards of each column, "N more" for the rest
        assert shown == len(Stage) * BOARD_COLUMN_LIMIT and "more in the list" in html
    else:
        assert shown == 200  # every project, each with its link
    assert_no_more_queries_with_more_rows(few, many)
