"""Shared fixtures: an app on a fresh database per test, users of each role, a logged-in client.

The suite runs on in-memory SQLite by default, and on PostgreSQL when CRM_TEST_DATABASE_URL names one
(`make test` does both when it is set). PostgreSQL's schema is built once by the migrations, then
emptied between tests.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html import unescape

import pytest
import sqlalchemy as sa
from flask import Flask
from flask import globals as flask_globals
from flask.testing import FlaskClient

from crm import create_app
from crm.accounts import services as accounts
from crm.accounts.models import User
from crm.core import words
from crm.core.roles import Role
from crm.extensions import db
from crm.sectors.taxonomy import insert_default_sectors

POSTGRES_URL = os.environ.get("CRM_TEST_DATABASE_URL") or None
PASSWORD = "correct horse battery staple"

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-only-secret",
    "WTF_CSRF_ENABLED": False,
    # One round of PBKDF2: tests need a hash, not a slow one.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
}


def pytest_report_header(config) -> str:
    return f"crm database: {'PostgreSQL ' + POSTGRES_URL if POSTGRES_URL else 'in-memory SQLite'}"


class RequestIsolatingClient(FlaskClient):
    """Each request runs in an app context of its own, as in production.

    Tests hold an app context open for the database; without this, Flask would reuse it for the
    client's requests, and `g` (the signed-in user, the chosen language) would leak between requests.
    """

    def open(self, *args, **kwargs):
        # The test's own session ends its transaction first, as a separate process would have to; with
        # in-memory SQLite both sessions share one connection.
        if flask_globals._cv_app.get(None) is not None:
            db.session.commit()
        token = flask_globals._cv_app.set(None)
        # A streamed response (an export) is read to its end here, while its contexts are the request's.
        kwargs.setdefault("buffered", True)
        try:
            return super().open(*args, **kwargs)
        finally:
            flask_globals._cv_app.reset(token)


def build_app(tmp_path, **overrides) -> Flask:
    settings = {**TEST_CONFIG, "DATABASE_URL": POSTGRES_URL or "sqlite://", **overrides}
    app = create_app(settings, instance_path=str(tmp_path / "instance"))
    app.test_client_class = RequestIsolatingClient
    return app


@pytest.fixture(scope="session")
def postgres_schema(tmp_path_factory) -> Iterator[None]:
    """Build the PostgreSQL schema once, through the migrations."""
    if not POSTGRES_URL:
        yield
        return
    from flask_migrate import upgrade

    app = build_app(tmp_path_factory.mktemp("pg"))
    with app.app_context():
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        upgrade()
        db.engine.dispose()
    yield


def reset_database() -> None:
    """Empty every table and put the default sector taxonomy back."""
    if db.engine.dialect.name == "sqlite":
        db.create_all()
    else:
        tables = ", ".join([*(table.name for table in db.metadata.sorted_tables), *words.table_names()])
        with db.engine.begin() as connection:
            connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    with db.engine.begin() as connection:
        insert_default_sectors(connection)


@pytest.fixture
def app(tmp_path, postgres_schema) -> Iterator[Flask]:
    app = build_app(tmp_path)
    with app.app_context():
        reset_database()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create a user of a role; each call gets a distinct email."""
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.OFFICER, **fields) -> User:
        number = next(counter)
        user = accounts.create_user(
            email=fields.pop("email", f"{role.value}{number}@zone.test"),
            name=fields.pop("name", f"{role.value.title()} {number}"),
            password=fields.pop("password", PASSWORD),
            role=role,
            **fields,
        )
        db.session.commit()
        return user

    return make


def login(client: FlaskClient, email: str, password: str = PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


@pytest.fixture
def login_as(client, make_user):
    """Log the test client in as a new user of `role`; returns the user."""

    def as_role(role: Role = Role.OFFICER, **fields) -> User:
        user = make_user(role, **fields)
        response = login(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return as_role


def text_of(response) -> str:
    """The visible text of an HTML response, tags removed and white space folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def count_rows() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
