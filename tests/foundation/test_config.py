"""Configuration layers and the clear messages for a broken setup."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from crm import create_app
from crm.config import ConfigError
from tests.conftest import build_app


def test_environment_overrides_instance_config_which_overrides_defaults(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text('REPORTING_CURRENCY = "USD"\nBABEL_DEFAULT_TIMEZONE = "UTC"\n')
    monkeypatch.setenv("CRM_BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
    monkeypatch.setenv("CRM_SECRET_KEY", "from-the-environment")
    app = create_app({"DATABASE_URL": "sqlite://"}, instance_path=str(instance))
    assert app.config["REPORTING_CURRENCY"] == "USD"  # instance/config.py over the default CNY
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Asia/Shanghai"  # environment over instance/config.py
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (instance / "secret_key").exists()


def test_database_url_from_the_environment_selects_postgresql(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_DATABASE_URL", "postgresql://crm:secret@db.internal:5432/crm")
    app = create_app({"SECRET_KEY": "x"}, instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://crm:secret@db.internal:5432/crm"


def test_sqlite_is_the_default_in_the_instance_folder(tmp_path):
    app = create_app({"SECRET_KEY": "x"}, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        from crm.extensions import db

        assert db.engine.url.database == str(tmp_path / "instance" / "crm.sqlite")


@pytest.mark.parametrize(
    "url, message",
    [
        ("postgres//nonsense", "is not a database URL"),
        ("mysql://user@host/db", "crm runs on sqlite or postgresql"),
        ("", "is not a database URL"),
    ],
)
def test_a_malformed_database_url_is_explained(tmp_path, url, message):
    with pytest.raises(ConfigError, match=message):
        build_app(tmp_path, DATABASE_URL=url)


def test_an_instance_folder_that_cannot_be_created_is_explained(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="Cannot create the instance folder"):
        create_app({"DATABASE_URL": "sqlite://"}, instance_path=str(blocker / "instance"))


def test_a_secret_key_that_cannot_be_written_is_explained(tmp_path):
    (tmp_path / "instance" / "secret_key").mkdir(parents=True)  # in the way of the key file
    with pytest.raises(ConfigError, match="CRM_SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite://"}, instance_path=str(tmp_path / "instance"))


def test_the_command_line_prints_one_clear_line_and_no_traceback(tmp_path):
    env = {**os.environ, "CRM_DATABASE_URL": "not a url", "CRM_INSTANCE_PATH": str(tmp_path)}
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    command = [flask, "--app", "crm", "db", "upgrade"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
    assert result.returncode != 0
    assert "Error: CRM_DATABASE_URL is not a database URL" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
