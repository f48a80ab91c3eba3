"""The follow-up list makes the same number of queries with 10 rows as with 200 (nothing is loaded per row)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from crm.core.roles import Role
from crm.core.time import local_today
from crm.extensions import db
from tests import factories
from tests.querycount import assert_no_more_queries_with_more_rows, count_queries


def _fill(count: int, owner) -> None:
    """Follow-ups linked to every kind of record, so that each link shown is proved eager-loaded."""
    today = local_today()
    for number in range(count):
        enterprise = factories.enterprise(owner)
        trip = factories.trip(owner)
        visit = factories.visit(owner, enterprise, trip)
        project = factories.project(owner, enterprise, is_confidential=number % 2 == 0)
        factories.follow_up(
            owner,
            title=f"Call back {number}",
            due_on=today + timedelta(days=number % 20 - 10),
            trip=trip,
            visit=visit,
            project=project,
            enterprise=enterprise,
        )
    db.session.commit()


@pytest.mark.parametrize("path", ["/follow-ups/?scope=all&per_page=200", "/follow-ups/"])
@pytest.mark.parametrize("role", [Role.MANAGER, Role.OFFICER])
def test_follow_up_lists_query_the_same_with_10_and_200_rows(app, client, login_as, path, role):
    owner = login_as(role)
    _fill(10, owner)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    _fill(190, owner)
    with count_queries() as many:
        page = client.get(path)
    shown = len(re.findall(r">Call back \d+</a>", page.get_data(as_text=True)))  # the titles' links
    # Everyone's list shows the page asked for; "My follow-ups" the first 20 of each due-date group.
    # (Four groups of at most 20: overdue, this week, later, recently done; never all 200.)
    assert page.status_code == 200 and (shown == 200 if "scope=all" in path else 40 <= shown <= 80)
    assert_no_more_queries_with_more_rows(few, many)
