"""The permission matrix of DESIGN.md, as data, walked over every route and every role.

A route that nobody added here makes test_every_route_is_in_the_matrix fail: decide who may use it.
"""

from __future__ import annotations

import pytest

from crm.core.roles import Role

ANON, OFFICER, MANAGER, ADMIN = None, Role.OFFICER, Role.MANAGER, Role.ADMIN
ROLES = [ANON, OFFICER, MANAGER, ADMIN]


def everyone(status: int) -> dict:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int) -> dict:
    """Anonymous visitors are sent to the sign-in page; every role gets `status`."""
    return {ANON: 302, OFFICER: status, MANAGER: status, ADMIN: status}


def admins_only(status: int) -> dict:
    return {ANON: 302, OFFICER: 403, MANAGER: 403, ADMIN: status}


# (endpoint, method) -> (path, {role: status}). {target} is another officer's user id.
# POSTs send an empty form: 400 means the request got past the permission checks to validation.
MATRIX: dict[tuple[str, str], tuple[str, dict]] = {
    ("static", "GET"): ("/static/css/app.css", everyone(200)),
    ("main.healthz", "GET"): ("/healthz", everyone(200)),
    ("main.home", "GET"): ("/", signed_in(200)),
    ("main.set_language", "POST"): ("/language", everyone(302)),
    ("accounts.login", "GET"): ("/login", {ANON: 200, OFFICER: 302, MANAGER: 302, ADMIN: 302}),
    ("accounts.login", "POST"): ("/login", {ANON: 400, OFFICER: 302, MANAGER: 302, ADMIN: 302}),
    ("accounts.logout", "POST"): ("/logout", everyone(302)),
    ("accounts.setup", "GET"): ("/setup", everyone(404)),  # accounts exist: the page is gone
    ("accounts.setup", "POST"): ("/setup", everyone(404)),
    ("accounts.profile", "GET"): ("/account", signed_in(200)),
    ("accounts.profile", "POST"): ("/account", signed_in(400)),
    ("accounts.change_password", "GET"): ("/account/password", signed_in(200)),
    ("accounts.change_password", "POST"): ("/account/password", signed_in(400)),
    ("users.index", "GET"): ("/admin/users/", admins_only(200)),
    ("users.create", "GET"): ("/admin/users/new", admins_only(200)),
    ("users.create", "POST"): ("/admin/users/new", admins_only(400)),
    ("users.edit", "GET"): ("/admin/users/{target}/edit", admins_only(200)),
    ("users.edit", "POST"): ("/admin/users/{target}/edit", admins_only(400)),
    ("users.reset_password", "GET"): ("/admin/users/{target}/password", admins_only(200)),
    ("users.reset_password", "POST"): ("/admin/users/{target}/password", admins_only(400)),
    ("users.deactivate", "POST"): ("/admin/users/{target}/deactivate", admins_only(302)),
    ("users.reactivate", "POST"): ("/admin/users/{target}/reactivate", admins_only(302)),
    ("auditlog.index", "GET"): ("/audit/", signed_in(200)),
}


def test_every_route_is_in_the_matrix(app):
    routes = {
        (rule.endpoint, method) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - set(MATRIX) == set(), "routes missing from the permission matrix"
    assert set(MATRIX) - routes == set(), "matrix rows for routes that no longer exist"


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value if role else "anonymous")
@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda route: f"{route[1]} {route[0]}")
def test_every_route_answers_as_the_matrix_says(client, make_user, login_as, role, route):
    path, expected = MATRIX[route]
    target = make_user(Role.OFFICER)
    if role is not None:
        login_as(role)
    response = client.open(path.format(target=target.id), method=route[1])
    response.close()  # static files are streamed from disk
    assert response.status_code == expected[role]
    if role is None and expected[role] == 302 and route[0] not in ("main.set_language", "accounts.logout"):
        assert response.headers["Location"].startswith("/login?next=")
