"""Every route and every role answers as the permission matrix (tests/security/matrix/) says.

A route that nobody added to the matrix makes test_every_route_is_in_the_matrix fail: decide who may use it.
"""

from __future__ import annotations

import pytest

from crm.core.roles import Role
from crm.extensions import db
from tests.security import matrix

MATRIX = matrix.rows()
LOGIN_REDIRECT_EXEMPT = {"main.set_language", "accounts.logout"}


def test_every_route_is_in_the_matrix(app):
    routes = {
        (rule.endpoint, method) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - set(MATRIX) == set(), "routes missing from the permission matrix"
    assert set(MATRIX) - routes == set(), "matrix rows for routes that no longer exist"


@pytest.mark.parametrize("role", matrix.ROLES, ids=lambda role: role.value if role else "anonymous")
@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda route: f"{route[1]} {route[0]}")
def test_every_route_answers_as_the_matrix_says(client, make_user, login_as, role, route):
    path, expected = MATRIX[route]
    placeholders = matrix.make_records(make_user(Role.OFFICER))
    db.session.commit()
    if role is not None:
        login_as(role)
    response = client.open(path.format(**placeholders), method=route[1])
    response.close()  # static files are streamed from disk
    assert response.status_code == expected[role]
    if role is None and expected[role] == 302 and route[0] not in LOGIN_REDIRECT_EXEMPT:
        assert response.headers["Location"].startswith("/login?next=")
