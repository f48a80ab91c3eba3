"""Form helpers every area shares."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice

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
        if value in ("", None):
            return None
        try:
            return enum_class(value)
        except ValueError:
            return value

    return coerce


class VersionedForm(FlaskForm):
    """An edit form that remembers the version of the record it was loaded from (optimistic locking)."""

    version = HiddenField()
    _editing = False

    def load_version(self, record) -> None:
        """Call on edit forms: a new form gets the record's version, a posted one must carry one."""
        self._editing = True
        if not self.is_submitted():
            self.version.data = str(record.version)

    def validate_version(self, field) -> None:
        from flask_babel import lazy_gettext as _l
        from wtforms.validators import ValidationError

        # raw_data is what the browser sent: a POST without it (Flask-WTF then falls back to the record's own
        # values) is not a save the user made.
        if self._editing and not (field.raw_data and str(field.raw_data[0]).isdigit()):
            raise ValidationError(_l("This form is incomplete. Reload the page and try again."))

    def is_stale(self, record) -> bool:
        """Whether someone saved the record after this form was loaded."""
        return self.is_submitted() and str(record.version) != (self.version.data or "")

    def conflict(self, record) -> list[tuple[str, str, str]]:
        """(label, the value saved meanwhile, the value in this form) for each field that differs.

        The form keeps the user's input; the version moves on, so a second save is a deliberate overwrite.
        """
        differences = []
        for field in self:
            if field.name in ("csrf_token", "version") or not hasattr(record, field.name):
                continue
            saved_value = getattr(record, field.name)
            typed_value = field.comparable() if hasattr(field, "comparable") else field.data
            if _plain_value(saved_value) != _plain_value(typed_value):
                differences.append((str(field.label.text), _shown(saved_value, field), _shown(typed_value, field)))
        self.version.data = str(record.version)
        return differences


def _plain_value(value: object) -> object:
    if hasattr(value, "__tablename__"):  # a record (the enterprise of a visit): compare by id
        return value.id
    if isinstance(value, list):
        return sorted(getattr(item, "id", item) for item in value)
    if isinstance(value, enum.Enum):
        return value.value
    if value == "":
        return None
    return value


def _shown(value: object, field) -> str:
    if value is None or value == []:
        return "—"
    if hasattr(value, "__tablename__"):
        return str(getattr(value, "display_name", value.id))
    choices = getattr(field, "choices", None)
    if choices:
        labels = {
            str(choice.value if isinstance(choice, SelectChoice) else choice[0]): str(
                choice.label if isinstance(choice, SelectChoice) else choice[1]
            )
            for choice in choices
        }
        if isinstance(value, list):
            return ", ".join(labels.get(str(item), str(item)) for item in value)
        return labels.get(str(value), str(value))
    return str(value)


def sector_choices() -> list[SelectChoice]:
    """Active sectors, each industry-chain node under its sector, named in the reader's language."""
    from crm.sectors.queries import active_sectors

    choices = []
    for sector in active_sectors():
        choices.append(SelectChoice(sector.id, sector.name))
        choices.extend(SelectChoice(node.id, f"{sector.name} › {node.name}") for node in sector.children if node.active)
    return choices


def user_choices(blank: str | None = None) -> list[SelectChoice]:
    """Active accounts, for owner and assignee fields."""
    from crm.accounts.models import User
    from crm.extensions import db

    users = db.session.scalars(sa.select(User).where(User.active).order_by(User.name))
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(user.id, user.display_name) for user in users]


def optional_int(value: object) -> int | None:
    """Coerce for a select whose blank choice means "none"; garbage also becomes None."""
    try:
        return record_id(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def ids(values: list) -> list[int]:
    """Coerce a multi-select's values to ids, dropping anything that is not one."""
    return [number for value in values if (number := optional_int(value)) is not None]


# Deliberately loose: intranet mail domains (name@qdhtz, name@zone.local) fail stricter validators.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+$"


def email_address():
    from flask_babel import lazy_gettext as _l
    from wtforms.validators import Regexp

    return Regexp(EMAIL_PATTERN, message=_l("Invalid email address."))


def strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def empty_to_none(value: object) -> object:
    value = strip(value)
    return value if value not in ("", None) else None


def web_address(value: object) -> object:
    """ "www.bosch.com" becomes "https://www.bosch.com"; anything with a scheme is left for the validator."""
    value = empty_to_none(value)
    if isinstance(value, str) and "://" not in value and ":" not in value.split("/")[0]:
        return f"https://{value}"
    return value


class HttpUrl:
    """Only http and https links: a javascript: or data: address would run in the reader's browser."""

    def __call__(self, form, field) -> None:
        from flask_babel import lazy_gettext as _l
        from wtforms.validators import ValidationError

        if field.data and urlsplit(field.data).scheme not in ("http", "https"):
            raise ValidationError(_l("Enter a web address starting with http:// or https://."))


# The largest id an INTEGER column holds on PostgreSQL; a larger number from a URL or a form names nothing.
MAX_ID = 2**31 - 1


def record_id(value: object) -> int:
    """A record id from user input, for request.args.get(..., type=record_id): ValueError unless 1..MAX_ID."""
    number = int(value)  # ValueError for garbage, as `type=` expects
    if not 1 <= number <= MAX_ID:
        raise ValueError(f"not a record id: {value!r}")
    return number


# Money columns are Numeric(16, 2): anything larger would be refused by PostgreSQL.
MAX_AMOUNT = Decimal("99999999999999.99")
CENT = Decimal("0.01")


def _cents(value: object) -> object:
    """Round an amount to cents; leave what cannot be rounded (too large, not finite) to the validators."""
    if isinstance(value, Decimal) and value.is_finite() and abs(value) <= MAX_AMOUNT:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    return value


def amount_field(label):
    """An amount in the reporting currency: 0 or more, rounded to cents, within what the column holds."""
    from flask_babel import lazy_gettext as _l
    from wtforms import DecimalField
    from wtforms.validators import NumberRange, Optional

    return DecimalField(
        label,
        places=2,
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("Enter an amount of 0 or more.")),
            NumberRange(max=MAX_AMOUNT, message=_l("This amount is too large.")),
        ],
        filters=[_cents],
        invalid_value_message=_l("Enter an amount in digits, for example 1500000.00."),
    )


def enum_or_none(enum_class: type[enum.Enum], value: object):
    """A list filter's value as the enumeration member, or None for blank or unknown (a filter ignores it)."""
    try:
        return enum_class(value) if value else None
    except ValueError:
        return None


def sector_filter_choices() -> list[SelectChoice]:
    """The sector filter of list pages: "Any", then every sector and industry-chain node."""
    from flask_babel import lazy_gettext as _l

    return [SelectChoice("", _l("Any")), *sector_choices()]


class EitherNameForm:
    """A form for something named in English, in Chinese, or both: at least one of `name` and `local_name`."""

    def validate(self, extra_validators=None) -> bool:
        # Checked here rather than in validate_name: an empty optional field skips its inline validators.
        from flask_babel import lazy_gettext as _l

        valid = super().validate(extra_validators)
        if not self.name.data and not self.local_name.data:
            self.name.errors = [*self.name.errors, _l("Enter the English name, the Chinese name, or both.")]
            return False
        return valid
