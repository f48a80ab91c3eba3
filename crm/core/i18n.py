"""Language and time zone: the user's choice, else the session's, else the browser's."""

from __future__ import annotations

from decimal import Decimal

from flask import current_app, has_request_context, request, session
from flask_babel import format_currency, format_decimal
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a CLI command speaks the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def money(value: Decimal | None) -> str:
    """An amount in the reporting currency, as the reader's language writes it; a dash when unknown."""
    if value is None:
        return "—"
    return format_currency(value, current_app.config["REPORTING_CURRENCY"])


def number(value: int | Decimal | None) -> str:
    return "—" if value is None else format_decimal(value)
