"""Language and time zone: the user's choice, else the session's, else the browser's.

Amounts and dates are written the way the bureau writes them, by one function each:
money() ("5.00亿元", "3,800万元"; "CNY 500 m", "CNY 1.2 bn", "CNY 150,000") and date()/datetime()
("28 Nov 2026", "2026年11月28日"), always in the zone's time zone.
"""

from __future__ import annotations

from datetime import date as date_type
from datetime import datetime as datetime_type
from datetime import time as time_type
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import (
    force_locale,
    format_date,
    format_decimal,
    format_time,
    get_locale,
    get_translations,
    to_user_timezone,
)
from flask_login import current_user
from markupsafe import Markup

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}

# English dates are written day-month-year as in Britain and China ("28 Nov 2026"), not "Nov 28, 2026":
# Babel formats with this locale, translations still come from the language's own catalog (there is none for
# English). Flask-Babel's own format_date and the dateformat filter follow it too.
FORMAT_LOCALES = {"en": "en_GB"}


def in_language(language: str):
    """force_locale for a reader of `language` ("en" or "zh"): a report rendered in English has the pages' dates."""
    return force_locale(FORMAT_LOCALES.get(language, language))


def select_locale() -> str:
    return FORMAT_LOCALES.get(_language(), _language())


def _language() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a CLI command speaks the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def in_reader_language(english: str | None, chinese: str | None) -> str:
    """A text kept in both languages (a trip's or project's title), in the reader's where it exists."""
    if language() == "zh":
        return chinese or english or ""
    return english or chinese or ""


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def language() -> str:
    """The reader's language: "en" or "zh"."""
    locale = get_locale()
    return locale.language if locale else "en"


# ---------------------------------------------------------------------------------------- template texts
# A page calls _() a few hundred times (labels, buttons, aria-labels on every row). Flask-Babel finds the
# request's catalog again on each call and Jinja wraps the result twice: ~12 µs a call, 2 to 3 ms of a list page.
# These do what Jinja's "newstyle" gettext does (the text as Markup, its variables escaped into it), finding
# the catalog by the request's locale in a dict and remembering each translated text.

_CATALOGS: dict[Locale | None, NullTranslations] = {}


def _catalog() -> NullTranslations:
    # Flask-Babel's own cache is per locale for the life of the process too; force_locale changes get_locale().
    locale = get_locale()
    catalog = _CATALOGS.get(locale)
    if catalog is None:
        catalog = _CATALOGS[locale] = get_translations()
    return catalog


@lru_cache(maxsize=4096)
def _markup(catalog: NullTranslations, message: str, formatted: bool) -> Markup:
    # Jinja always applies "%", so a message's "%%" is written "%" even without variables.
    markup = Markup(catalog.ugettext(message))  # noqa: S704 - the catalog's text, as Jinja's gettext  # nosec B704
    return markup % {} if formatted else markup


def template_gettext(message: str, **variables: object) -> Markup:
    if not variables:
        return _markup(_catalog(), message, True)
    return _markup(_catalog(), message, False) % variables


def template_ngettext(singular: str, plural: str, num: int, **variables: object) -> Markup:
    variables.setdefault("num", num)
    return Markup(_catalog().ungettext(singular, plural, num)) % variables  # noqa: S704  # nosec B704


def install_template_gettext(app: Flask) -> None:
    """Replace the gettext Flask-Babel gives Jinja by the quicker one above; call after babel.init_app."""
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)


# ---------------------------------------------------------------------------------------------- amounts

YUAN = Decimal(1)
WAN = Decimal(10_000)  # 万
YI = Decimal(100_000_000)  # 亿
MILLION = Decimal(1_000_000)
BILLION = Decimal(1_000_000_000)

# The units a reader thinks in, largest first, with how money() writes them: (size, template).
CHINESE_UNITS = ((YI, "{}亿元"), (WAN, "{}万元"), (YUAN, "{}元"))
ENGLISH_UNITS = ((BILLION, "{code} {} bn"), (MILLION, "{code} {} m"), (YUAN, "{code} {}"))


def _chinese(currency: str) -> bool:
    # 元, 万元 and 亿元 name yuan: another reporting currency is written the English way in both languages.
    return language() == "zh" and currency == "CNY"


def _units() -> tuple[tuple[Decimal, str], ...]:
    currency = current_app.config["REPORTING_CURRENCY"]
    units = CHINESE_UNITS if _chinese(currency) else ENGLISH_UNITS
    return tuple((size, template.replace("{code}", currency)) for size, template in units)


def _unit_for(value: Decimal) -> tuple[Decimal, str]:
    units = _units()
    return next(((size, template) for size, template in units if abs(value) >= size), units[-1])


def _scaled(value: Decimal, size: Decimal) -> str:
    if size == YI:  # the bureau writes 亿元 with two decimals: 5.00亿元
        return format_decimal(value / size, "#,##0.00")
    if size == YUAN and value != value.to_integral_value():
        return format_decimal(value, "#,##0.00")
    return format_decimal(value / size, "#,##0.##")


def money(value: Decimal | int | None) -> str:
    """An amount in the reporting currency as the bureau writes it; a dash when unknown.

    Chinese: 5.00亿元, 3,800万元, 5,000元. English: CNY 1.2 bn, CNY 500 m, CNY 150,000, CNY 1,234.50.
    """
    if value is None:
        return "—"
    return _money(Decimal(value), current_app.config["REPORTING_CURRENCY"], str(get_locale()))


# date(), money() and number() remember what they wrote (lru_cache, bounded). These are memos of pure
# functions of their key (value, language, currency), not state: every worker computes the same text, so
# DESIGN.md's "no state in process memory" still holds.
@lru_cache(maxsize=8192)
def _money(value: Decimal, _currency: str, _locale: str) -> str:
    """money(), once per amount, currency and language (both part of the key; _units reads them): a board or
    a dashboard writes dozens of amounts, ~40 µs each through Babel."""
    size, template = _unit_for(value)
    return template.format(_scaled(value, size))


def money_compact(value: Decimal | int | None) -> str:
    """A short amount for chart labels and axes, without the currency: 5亿, 3,800万; 1.2 bn, 500 m, 150,000."""
    if value is None:
        return "—"
    value = Decimal(value)
    size, template = _unit_for(value)
    number = format_decimal(value / size, "#,##0.#")
    short = template.replace(current_app.config["REPORTING_CURRENCY"], "").replace("元", "").strip()
    return short.format(number).strip()


def amount_header(label: str) -> str:
    """A spreadsheet column heading for an amount: exports keep exact yuan, so the unit is the plain currency.

    "Planned investment (CNY)"; in Chinese the heading ends in 元 in full-width brackets.
    """
    currency = current_app.config["REPORTING_CURRENCY"]
    if _chinese(currency):
        return f"{label}（元）"
    return f"{label} ({currency})"


def amount_units() -> list[tuple[Decimal, str]]:
    """The units an amount is typed in, smallest first, labelled in the reader's language:
    元 / 万元 / 亿元, or CNY / CNY m / CNY bn."""
    return [(size, " ".join(template.format("").split())) for size, template in reversed(_units())]


def number(value: int | Decimal | None) -> str:
    return "—" if value is None else _number(value, str(get_locale()))


@lru_cache(maxsize=8192)
def _number(value: int | Decimal, _locale: str) -> str:
    """number(), once per value and language (the key holds the locale format_decimal reads): a dashboard
    writes hundreds of counts, mostly the same small ones."""
    return format_decimal(value)


# ---------------------------------------------------------------------------------------------- dates


def date(value: date_type | datetime_type | None, form: str = "medium") -> str:
    """A calendar date: "28 Nov 2026" / "2026年11月28日" (form: short, medium, long or full); a dash when unknown.

    A timestamp is first moved to the zone's time zone, so it falls on the zone's calendar day.
    """
    if value is None:
        return "—"
    if isinstance(value, datetime_type):
        value = _local(value).date()
    return _formatted_date(value, form, str(get_locale()))


@lru_cache(maxsize=8192)
def _formatted_date(value: date_type, form: str, _locale: str) -> str:
    """Babel takes ~40 µs per date and a list shows the same few hundred days again and again: each is
    formatted once per language (the locale is part of the key; format_date reads it from the request)."""
    return format_date(value, form)


def datetime(value: datetime_type | None, form: str = "medium") -> str:
    """A moment in the zone's time zone: "28 Nov 2026, 17:06" / "2026年11月28日 17:06"; a dash when unknown."""
    if value is None:
        return "—"
    local = _local(value)
    locale = str(get_locale() or "en_GB")
    return (
        _datetime_pattern(form, locale)
        .replace("{1}", _formatted_date(local.date(), form, locale))
        .replace("{0}", _formatted_time(local.time().replace(second=0, microsecond=0), locale))
    )


@lru_cache(maxsize=64)
def _datetime_pattern(form: str, locale: str) -> str:
    formats = Locale.parse(locale).datetime_formats
    return str(formats.get(form, formats["medium"]))


@lru_cache(maxsize=4096)
def _formatted_time(value: time_type, _locale: str) -> str:
    """The hour and minute of a moment ("short"), once per minute of the day and language: the audit log writes
    fifty moments a page, and Babel takes ~40 µs for each."""
    return format_time(value, "short", rebase=False)


def _local(moment: datetime_type) -> datetime_type:
    """The moment in the zone's time zone; at the very ends of the calendar (a stored 9999-12-31 23:00 UTC has
    no local equivalent) it is shown as stored rather than failing the page."""
    try:
        return to_user_timezone(moment)
    except OverflowError:
        return moment
