"""A page after the first lists the rows the whole list holds there, and skips the rows before it by the list's
index alone: the rows an OFFSET passes over are not joined to what the page shows."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from crm.core.roles import Role
from crm.extensions import db
from tests import factories
from tests.conftest import text_of
from tests.querycount import count_queries


def _shown(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        ("/visits/", r"Deep Works (\d+)"),
        ("/follow-ups/?scope=all", r"Deep task (\d+)"),
    ],
)
def test_later_pages_are_the_whole_lists_rows_in_order_and_skip_by_ids_alone(client, login_as, path, pattern):
    officer = login_as(Role.MANAGER)
    for number in range(60):
        company = factories.enterprise(officer, name=f"Deep Works {number:02d}", local_name=None)
        visit = factories.visit(officer, company, visited_on=date(2026, 1, 1) + timedelta(days=number))
        factories.follow_up(
            officer, visit=visit, title=f"Deep task {number:02d}", due_on=date(2026, 1, 1) + timedelta(days=number)
        )
    db.session.commit()
    joiner = "&" if "?" in path else "?"
    whole = _shown(text_of(client.get(f"{path}{joiner}per_page=100")), pattern)
    assert len(whole) == 60
    pages = []
    for page in (1, 2, 3):
        with count_queries() as statements:
            html = text_of(client.get(f"{path}{joiner}page={page}"))
        pages += _shown(html, pattern)
        if page > 1:
            skipping = [statement for statement in statements if "OFFSET" in statement.upper()]
            assert skipping and all(" JOIN " not in statement.upper() for statement in skipping), skipping
    assert pages == whole  # the same rows, in the same order, none twice, none left out
