"""Time in one place: timestamps are UTC, dates are local calendar dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import cache

import chinese_calendar
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A UTC timestamp that comes back timezone-aware from SQLite and PostgreSQL alike.

    SQLite keeps no zone, so values are stored as naive UTC and tagged UTC on the way out.
    """

    impl = DateTime
    cache_ok = True

    @property
    def python_type(self) -> type:
        """datetime, as DateTime's (TypeDecorator says object), so that histories format these as moments."""
        return datetime

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; crm stores UTC timestamps only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def add_working_days(start: date, days: int, days_off: Iterable[date] = ()) -> date:
    """The date `days` working days after `start`, by China's calendar.

    Public holidays (Spring Festival, National Day…) are skipped and the weekends worked in their place (调休)
    count, from the chinesecalendar library; `days_off` are the bureau's own extra days off. For a year the
    library does not know yet, Monday to Friday are working days (see `calendar_known`). Never fails: past
    the last date a database can hold, the answer is that last date.
    """
    extra = frozenset(days_off)
    current = start
    remaining = days
    while remaining > 0:
        if current == date.max:
            return current
        current += timedelta(days=1)
        if is_working_day(current) and current not in extra:
            remaining -= 1
    return current


def is_working_day(day: date) -> bool:
    if not calendar_known(day):
        return day.weekday() < 5
    # chinese_calendar.is_workday's own rule, read from its tables directly: the library checks the year
    # against min() and max() of every holiday on each call, which made a list of trips' deadlines slow.
    if day in chinese_calendar.workdays:
        return True
    return day.weekday() < 5 and day not in chinese_calendar.holidays


def calendar_known(day: date) -> bool:
    """Whether China's holidays and adjusted working days of the day's year are known to the calendar library."""
    return day.year in _known_years()


@cache
def _known_years() -> frozenset[int]:
    return frozenset(holiday.year for holiday in chinese_calendar.holidays)


def bureau_days_off() -> frozenset[date]:
    """The extra days off the bureau configures (setting BUREAU_DAYS_OFF: ISO dates)."""
    from flask import current_app

    return frozenset(date.fromisoformat(str(day)) for day in current_app.config.get("BUREAU_DAYS_OFF", ()))


def local_today() -> date:
    """Today in the zone's own time zone (due dates and deadlines are local calendar days)."""
    from zoneinfo import ZoneInfo

    from flask import current_app

    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()
