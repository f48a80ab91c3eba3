"""Form helpers every area shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from wtforms import SelectChoice

from crm.core.models import LabelledEnum


def select_choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices; labels may be lazy translations."""
    return [SelectChoice(value, label) for value, label in pairs]


def enum_choices(enum_class: type[LabelledEnum], blank: str | None = None) -> Callable[[], list[SelectChoice]]:
    """Choices for an enumeration, labelled in the reader's language when the form is shown."""

    def choices() -> list[SelectChoice]:
        options = [SelectChoice("", blank)] if blank is not None else []
        return options + select_choices(enum_class.choices())

    return choices


def enum_coercer(enum_class: type[LabelledEnum]) -> Callable[[object], object]:
    """Coerce to the enumeration, leaving an unknown value as it is so that WTForms answers
    "Not a valid choice." instead of "Invalid Choice: could not coerce."."""

    def coerce(value: object) -> object:
        try:
            return enum_class(value)
        except ValueError:
            return value

    return coerce
