"""Configuration: defaults here, then instance/config.py, then CRM_* environment variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret  # nosec B105


class ConfigError(click.ClickException):
    """A configuration problem explained in one sentence; the CLI prints it without a traceback."""


class Defaults:
    # The database: a file in instance/ unless CRM_DATABASE_URL names another.
    DATABASE_URL = "sqlite:///crm.sqlite"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Seconds a SQLite writer waits for another writer before giving up.
    SQLITE_BUSY_TIMEOUT_MS = 5000

    LANGUAGES = ("en", "zh")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    REPORTING_CURRENCY = "CNY"
    # Days off the bureau adds to China's public holidays (ISO dates), skipped when counting working days.
    BUREAU_DAYS_OFF: tuple[str, ...] = ()
    # Every date typed into a form lies within these years; a trip lasts at most TRIP_MAX_DAYS days.
    DATE_MIN_YEAR = 2000
    DATE_MAX_YEAR = 2100
    TRIP_MAX_DAYS = 120
    # The bureau named on trip report covers; empty: "Investment Promotion Bureau" in the report's language.
    BUREAU_NAME = ""
    # A project with no stage change, visit or follow-up for this many days is "stale" on the dashboard.
    STALE_PROJECT_DAYS = 30

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Set CRM_HTTPS=true when the app is served over HTTPS: cookies become Secure.
    HTTPS = False

    # 16 MiB covers photos and documents; anything larger is refused with 413.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # One attachment (a photo, a PDF, an Office document).
    MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    # The largest CSV or XLSX an import reads.
    IMPORT_MAX_BYTES = 5 * 1024 * 1024
    # The most rows an export from a page writes. A file is written at 6,000-8,000 rows a second on a 2-core
    # server, and a longer request would outlast gunicorn's 60 s (and nginx's) timeout and break off mid-file;
    # an XLSX sheet holds 1,048,576 rows at most. `flask export` on the server has no limit.
    EXPORT_MAX_ROWS = 100_000

    # Sign-in rate limits: failures allowed per account and per client address within the window.
    LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    # How many reverse proxies in front of the app set X-Forwarded-For (0: trust no header).
    TRUSTED_PROXIES = 0
    # "Keep me signed in" lasts this long, not Flask-Login's default of a year.
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    # A form's CSRF token: None means as long as the longest sign-in (REMEMBER_COOKIE_DURATION), never forever.
    # The token's secret lives in the session, so signing out also ends every token issued before.
    WTF_CSRF_TIME_LIMIT = None
    # Largest non-file field of a multipart form (Werkzeug's limit), and the most fields it may have.
    MAX_FORM_MEMORY_SIZE = 512 * 1024
    MAX_FORM_PARTS = 1000

    # Server-Timing headers with each request's SQL time and query count (the benchmark turns it on).
    SERVER_TIMING = False

    # Cost of password hashing; tests lower it, production keeps Werkzeug's scrypt default.
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - an algorithm name, not a password  # nosec B105


def load(app: Flask, overrides: dict | None) -> None:
    """Fill app.config from the three layers, then settle what depends on them."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CRM")
    if overrides:
        app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(app.config["DATABASE_URL"])
    if app.config["HTTPS"]:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    app.config["BUREAU_DAYS_OFF"] = _days_off(app.config["BUREAU_DAYS_OFF"])
    if not app.config.get("WTF_CSRF_TIME_LIMIT"):
        app.config["WTF_CSRF_TIME_LIMIT"] = int(_as_timedelta(app.config["REMEMBER_COOKIE_DURATION"]).total_seconds())
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))


def _days_off(days: object) -> tuple[str, ...]:
    """The bureau's days off as ISO dates; one date alone ("2026-12-31") counts as a list of one."""
    from datetime import date

    try:
        return tuple(
            date.fromisoformat(str(day)).isoformat() for day in (days if isinstance(days, list | tuple) else [days])
        )
    except ValueError:
        raise ConfigError(f'BUREAU_DAYS_OFF must be a list of dates such as ["2026-12-31"], not {days!r}.') from None


def _as_timedelta(value: object) -> timedelta:
    """A duration from the settings: a timedelta, or seconds (as an environment variable gives it)."""
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


def _database_url(url: object) -> str:
    text = str(url).strip()
    try:
        parsed = make_url(text)
    except ArgumentError:
        raise ConfigError(
            f"CRM_DATABASE_URL is not a database URL: {text!r}. "
            "Use sqlite:///crm.sqlite or postgresql+psycopg://user:password@host:5432/dbname."
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(f"CRM_DATABASE_URL names {parsed.get_backend_name()!r}; crm runs on sqlite or postgresql.")
    if parsed.drivername == "postgresql":
        # psycopg 3 is the driver crm installs (the `postgres` extra); plain postgresql:// would mean psycopg2.
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return text


def _instance_secret_key(instance: Path) -> str:
    """Read the key generated on first start, or generate it; never a constant in the code."""
    path = instance / SECRET_KEY_FILE
    try:
        if path.exists():
            return path.read_text().strip()
        instance.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key
    except OSError as error:
        raise ConfigError(
            f"Cannot read or write the secret key in {instance} ({error.strerror}). "
            "Make the instance folder writable, or set CRM_SECRET_KEY."
        ) from None
