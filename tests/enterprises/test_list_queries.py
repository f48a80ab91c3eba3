"""List pages make the same number of queries with 10 rows as with 200 (nothing is loaded per row)."""

from __future__ import annotations

import pytest

from crm.core.roles import Role
from crm.extensions import db
from crm.sectors.models import Sector
from tests import factories
from tests.querycount import assert_no_more_queries_with_more_rows, count_queries


def _fill(count: int, owner) -> None:
    sectors = db.session.scalars(db.select(Sector).limit(3)).all()
    for _ in range(count):
        enterprise = factories.enterprise(owner, sectors=list(sectors))
        factories.contact(enterprise, owner)
    db.session.commit()


@pytest.mark.parametrize("path", ["/enterprises/?per_page=200", "/contacts/?per_page=200"])
def test_list_pages_query_the_same_with_10_and_200_rows(app, client, login_as, path):
    owner = login_as(Role.MANAGER)
    _fill(10, owner)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    _fill(190, owner)
    with count_queries() as many:
        page = client.get(path)
    assert page.status_code == 200 and page.get_data(as_text=True).count("Test Enterprise") >= 200
    assert_no_more_queries_with_more_rows(few, many)
