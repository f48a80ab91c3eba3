"""crm: an investment-attraction CRM for an economic development zone."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from crm import config
from crm.config import ROOT, ConfigError


def create_app(overrides: dict | None = None, *, instance_path: str | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, error pages, CLI."""
    instance_path = instance_path or os.environ.get("CRM_INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    _ensure_instance_folder(Path(app.instance_path))
    config.load(app, overrides)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        proxies = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    from crm.core import timing, web

    web.init_app(app)
    timing.init_app(app)
    return app


def _ensure_instance_folder(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"Cannot create the instance folder {path} ({error.strerror}).") from None
    if not os.access(path, os.W_OK):
        raise ConfigError(
            f"The instance folder {path} is not writable: crm keeps its database, secret key and uploads "
            "there. Make it writable for this user, or point CRM_INSTANCE_PATH elsewhere."
        )


def register_extensions(app: Flask) -> None:
    import sqlalchemy as sa

    from crm import models  # noqa: F401 - every model must be mapped before the first query
    from crm.core.database import configure_engine
    from crm.extensions import babel, csrf, db, login_manager, migrate

    try:
        db.init_app(app)
        with app.app_context():
            configure_engine(app)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as error:
        raise ConfigError(f"Cannot use the database {app.config['DATABASE_URL']!r}: {error}") from None
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    from crm.core.i18n import install_template_gettext, select_locale, select_timezone

    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    install_template_gettext(app)


# The areas, in the order of the navigation. Each area's views.py defines one blueprint, `bp`.
AREAS = (
    "main",
    "dashboards",
    "accounts",
    "trips",
    "visits",
    "enterprises",
    "contacts",
    "pipeline",
    "followups",
    "attachments",
    "reports",
    "users",
    "auditlog",
    "exchange",
    "search",
)


def register_blueprints(app: Flask) -> None:
    import importlib
    import importlib.util

    from crm.core.web import RecordIdConverter

    app.url_map.converters["int"] = RecordIdConverter  # /trips/99999999999999 is a 404, not a database error

    for area in AREAS:
        if importlib.util.find_spec(f"crm.{area}.views") is not None:
            app.register_blueprint(importlib.import_module(f"crm.{area}.views").bp)


def register_commands(app: Flask) -> None:
    from crm.cli import register

    register(app)
