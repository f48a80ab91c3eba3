"""The load and crash tests of bench/ at a small size: officers saving at once lose nothing, and neither
does a server killed with -9 in the middle of their writes. `make load` and `make crash` run them at full
size. On PostgreSQL (CRM_TEST_DATABASE_URL) they use a database of their own beside the test database."""

from __future__ import annotations

import os
import re

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench import crash, load

POSTGRES_URL = os.environ.get("CRM_TEST_DATABASE_URL") or None

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def database(tmp_path, monkeypatch) -> list[str]:
    """Arguments naming a fresh database: a SQLite file in a new folder, or `<test database>_load`."""
    for name in ("CRM_DATABASE_URL", "CRM_INSTANCE_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(os, "environ", os.environ.copy())  # the bench modules set variables: keep them here
    arguments = ["--instance", str(tmp_path / "instance")]
    if POSTGRES_URL:
        url = make_url(POSTGRES_URL)
        load_url = url.set(database=f"{url.database}_load")
        engine = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            exists = connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": load_url.database}
            )
            if not exists:
                connection.exec_driver_sql(f'CREATE DATABASE "{load_url.database}"')
        engine.dispose()
        arguments += ["--database-url", load_url.render_as_string(hide_password=False), "--reset-database"]
    return arguments


def test_officers_saving_at_once_lose_nothing_and_see_no_lock_errors(database, capsys):
    status = load.main([*database, "--officers", "4", "--workers", "2", "--seconds", "3", "--scale", "0.01"])
    output = capsys.readouterr().out
    assert status == 0, output
    assert "no write lost" in output
    assert not re.search(r"\b0 visits logged", output)  # the test did write something


def test_a_server_killed_mid_write_keeps_every_acknowledged_write_and_starts_again(database, capsys):
    status = crash.main([*database, "--officers", "3", "--workers", "2", "--seconds", "2", "--scale", "0.01"])
    output = capsys.readouterr().out
    assert status == 0, output
    assert "started again: True" in output
    assert not re.search(r"\b0 acknowledged visits", output)
