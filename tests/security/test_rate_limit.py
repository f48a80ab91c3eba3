"""Sign-in is rate-limited per account and per client address, in a counter every worker shares."""

from __future__ import annotations

import pytest

from crm.extensions import db
from crm.sectors.taxonomy import insert_default_sectors
from tests.conftest import PASSWORD, POSTGRES_URL, build_app, login

WRONG = "definitely the wrong password"


def test_an_account_is_locked_for_a_while_after_five_failures(client, make_user):
    user = make_user()
    for _ in range(5):
        assert login(client, user.email, WRONG).status_code == 200
    blocked = login(client, user.email, PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert "Too many failed sign-ins. Try again in 15 minutes." in blocked.get_data(as_text=True)
    assert 800 < int(blocked.headers["Retry-After"]) <= 900
    assert client.get("/").status_code == 302


def test_an_unknown_email_is_limited_exactly_like_a_known_one(client, make_user):
    make_user()
    for _ in range(5):
        login(client, "nobody@zone.test", WRONG)
    assert login(client, "nobody@zone.test", WRONG).status_code == 429


def test_one_address_trying_many_accounts_is_limited(app, client, make_user):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 8
    users = [make_user() for _ in range(3)]
    for attempt in range(8):
        login(client, users[attempt % 3].email, WRONG)
    assert login(client, users[0].email, PASSWORD).status_code == 429
    # Another address is not affected.
    other = app.test_client()
    response = other.post(
        "/login", data={"email": users[1].email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.1.2.3"}
    )
    assert response.status_code == 302


def test_a_successful_sign_in_forgets_the_accounts_failures(client, make_user):
    user = make_user()
    for _ in range(4):
        login(client, user.email, WRONG)
    assert login(client, user.email, PASSWORD).status_code == 302
    client.post("/logout")
    for _ in range(4):
        assert login(client, user.email, WRONG).status_code == 200


@pytest.fixture
def shared_database_url(tmp_path, app):
    """A database two app instances can both open: PostgreSQL when configured, else one SQLite file."""
    if POSTGRES_URL:
        return POSTGRES_URL
    first = build_app(tmp_path, DATABASE_URL="sqlite:///shared.sqlite")
    with first.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            insert_default_sectors(connection)
        db.engine.dispose()
    return "sqlite:///shared.sqlite"


def test_the_counter_is_shared_between_two_app_instances(tmp_path, shared_database_url):
    from crm.accounts import services

    worker_a = build_app(tmp_path, DATABASE_URL=shared_database_url)
    worker_b = build_app(tmp_path, DATABASE_URL=shared_database_url)
    with worker_a.app_context():
        services.create_user(email="shared@zone.test", name="Shared", password=PASSWORD)
        db.session.commit()
    for _ in range(3):
        with worker_a.app_context():
            login(worker_a.test_client(), "shared@zone.test", WRONG)
    for _ in range(2):
        with worker_b.app_context():
            login(worker_b.test_client(), "shared@zone.test", WRONG)
    with worker_a.app_context():
        assert login(worker_a.test_client(), "shared@zone.test", PASSWORD).status_code == 429
        db.engine.dispose()
    with worker_b.app_context():
        assert login(worker_b.test_client(), "shared@zone.test", PASSWORD).status_code == 429
        db.engine.dispose()
