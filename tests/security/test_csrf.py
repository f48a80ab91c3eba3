"""With CSRF protection on (as in production), every POST without a valid token is refused with 400."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from crm.accounts.models import User
from crm.core.roles import Role
from crm.extensions import db
from tests.conftest import PASSWORD, build_app, reset_database
from tests.security import matrix


@pytest.fixture
def csrf_app(tmp_path, postgres_schema):
    app = build_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        reset_database()
        yield app
        db.session.remove()
        db.engine.dispose()


def csrf_token(client, path: str = "/login") -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True))
    return match.group(1)


def sign_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert response.status_code == 302


def post_routes(app) -> list[str]:
    return sorted(rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods)


def test_the_first_run_page_needs_a_token(csrf_app):
    client = csrf_app.test_client()
    response = client.post(
        "/setup", data={"name": "A", "email": "a@zone.test", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 400 and "Form expired" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_every_post_route_refuses_a_missing_or_wrong_token(csrf_app):
    from crm.accounts import services

    admin = services.create_user(email="admin@zone.test", name="Admin", password=PASSWORD, role=Role.ADMIN)
    target = services.create_user(email="target@zone.test", name="Target", password=PASSWORD)
    placeholders = matrix.make_records(target)
    db.session.commit()
    posts = {
        endpoint: path.format(**placeholders)
        for (endpoint, method), (path, _) in matrix.rows().items()
        if method == "POST"
    }
    assert set(posts) == set(post_routes(csrf_app)), "a POST route is missing from the permission matrix"
    client = csrf_app.test_client()
    sign_in(client, admin.email)
    for endpoint, path in posts.items():
        for token in (None, "forged-token"):
            data = {"name": "Changed", "email": "changed@zone.test", "language": "zh"}
            if token:
                data["csrf_token"] = token
            response = client.post(path, data=data)
            assert response.status_code == 400, f"{endpoint} accepted a POST with token {token!r}"
    db.session.expire_all()
    assert db.session.get(User, target.id).active and db.session.get(User, target.id).name == "Target"
    assert client.get("/").status_code == 200  # the refused logout did not sign anyone out


def test_a_valid_token_is_accepted(csrf_app):
    from crm.accounts import services

    services.create_user(email="o@zone.test", name="Officer", password=PASSWORD)
    db.session.commit()
    client = csrf_app.test_client()
    sign_in(client, "o@zone.test")
    response = client.post("/language", data={"language": "zh", "csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
