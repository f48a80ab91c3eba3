"""Form helpers every area shares."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField as WTFormsDateField
from wtforms import Field, HiddenField, SelectChoice, SelectMultipleField
from wtforms import IntegerField as WTFormsIntegerField
from wtforms import SelectField as WTFormsSelectField
from wtforms.utils import unset_value
from wtforms.widgets import Select, html_params

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
    # Multi-selects of links and the record's relationship they stand for, so a conflict shows them too.
    LINKS = {"sector_ids": "sectors", "contact_ids": "contacts", "member_ids": "members_present"}

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
            attribute = self.LINKS.get(field.name, field.name)
            if field.name in ("csrf_token", "version") or not hasattr(record, attribute):
                continue
            if field.name in self.LINKS:  # compare the ids linked with the ids chosen
                saved_value = [item.id for item in getattr(record, attribute)]
                typed_value = ids(field.data or [])
            else:
                saved_value = getattr(record, attribute)
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
    if isinstance(field, AmountField) and isinstance(value, Decimal):
        from crm.core.i18n import money

        return money(value)
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
    from crm.core.i18n import language
    from crm.sectors.queries import active_sectors

    reader = language()  # asked once, not per sector: every form and filter lists them all
    choices = []
    for sector in active_sectors():
        name = sector.name_in(reader)
        choices.append(SelectChoice(sector.id, name))
        nodes = (node for node in sector.children if node.active)
        choices.extend(SelectChoice(node.id, f"{name} › {node.name_in(reader)}") for node in nodes)
    return choices


def user_choices(blank: str | None = None) -> list[SelectChoice]:
    """Active accounts, for owner and assignee fields."""
    from crm.accounts.models import User
    from crm.extensions import db

    # Four columns, not whole accounts: every list filter and record form asks for them.
    query = sa.select(User.id, User.name, User.local_name, User.email).where(User.active).order_by(User.name)
    users = [
        (user_id, User.shown_name(name, local), email) for user_id, name, local, email in db.session.execute(query)
    ]
    # Two colleagues may share a name (王伟, 李娜): theirs are told apart by their email.
    shared = {shown for shown, count in Counter(shown for _id, shown, _email in users).items() if count > 1}
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [
        SelectChoice(user_id, f"{shown} ({email})" if shown in shared else shown) for user_id, shown, email in users
    ]


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


class ReadOrStop:
    """A number that could not be read ("abc", "1.5" for jobs) gets that one message: the range checks after it
    would only add "0 or more" and "too large" about a number nobody typed."""

    def pre_validate(self, form) -> None:
        from wtforms.validators import StopValidation

        # A blank box is left to Optional (which clears the "not a number" of an empty text); typed text stops here.
        typed = bool(self.raw_data) and bool(str(self.raw_data[0]).strip())
        if self.process_errors and typed:
            raise StopValidation()


class IntegerField(ReadOrStop, WTFormsIntegerField):
    """A whole number that stays within what a 64-bit column holds.

    WTForms reads "1" followed by 309 zeros as a Python int, which NumberRange then cannot compare
    (OverflowError converting it to float): such input is refused here, beside the field.
    """

    LIMIT = 2**63 - 1

    def process_formdata(self, valuelist) -> None:
        from flask_babel import lazy_gettext as _l

        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > self.LIMIT:
            self.data = None
            raise ValueError(_l("This number is too large."))


class DateField(WTFormsDateField):
    """A date input that writes every stored date as the browser expects it (YYYY-MM-DD).

    strftime("%Y") writes the year 1 as "1", which no date input accepts; isoformat pads it to four digits.
    """

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.isoformat() if self.data else ""


def required_after_strip(field) -> bool:
    """Whether a required field was left empty once its filters (strip) ran: "   " is no answer."""
    return bool(field.flags.required) and field.data in (None, "")


# Typed or pasted text keeps letters, marks, spaces, tabs and line breaks. Other control characters (Word pastes a
# vertical tab for a line break) are taken out, and no text may begin or end with white space or an invisible
# character: a name of nothing but zero-width spaces is an empty name.
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_AT_THE_ENDS = re.compile(f"^[\\s{_INVISIBLE}]+|[\\s{_INVISIBLE}]+$")


def strip(value: object) -> object:
    if not isinstance(value, str):
        return value
    return _AT_THE_ENDS.sub("", _CONTROLS.sub("", value.translate(_LINE_BREAKS)))


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

# What an amount may be written with, in either language: the number times the unit of its suffix.
# "3800万", "5亿", "5 亿元", "CNY 500 m", "1.2 bn", "150k", "1,500,000", "￥1,500,000.00".
AMOUNT_SUFFIXES = {
    "亿": Decimal(100_000_000),
    "万": Decimal(10_000),
    "千": Decimal(1_000),
    "billion": Decimal(1_000_000_000),
    "bn": Decimal(1_000_000_000),
    "b": Decimal(1_000_000_000),
    "million": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "m": Decimal(1_000_000),
    "thousand": Decimal(1_000),
    "k": Decimal(1_000),
}
AMOUNT_PATTERN = re.compile(
    r"^(?P<number>-?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<suffix>" + "|".join(AMOUNT_SUFFIXES) + r")?$", re.IGNORECASE
)
# Separators, where typed, group thousands: "1,500,000" but not "1,2,3".
NUMBER_PART = re.compile(r"^-?[\d,]*")
THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+$")
CURRENCY_WORDS = re.compile(r"cny|rmb|yuan|[¥元]", re.IGNORECASE)


def parse_amount(text: str, unit: Decimal = Decimal(1)) -> Decimal:
    """Yuan from what someone typed, exactly; a unit suffix in the text wins over the unit selected beside it.

    ValueError when it is not an amount.
    """
    cleaned = CURRENCY_WORDS.sub("", unicodedata.normalize("NFKC", text)).replace(" ", "")
    match = AMOUNT_PATTERN.match(cleaned.replace(",", ""))
    digits = NUMBER_PART.match(cleaned)[0]
    if not match or ("," in digits and not THOUSANDS.match(digits)):
        raise ValueError(f"not an amount: {text!r}")
    suffix = match["suffix"]
    size = AMOUNT_SUFFIXES[suffix.lower() if suffix.isascii() else suffix] if suffix else unit
    return Decimal(match["number"]) * size


def _cents(value: object) -> object:
    """Round an amount to cents; leave what cannot be rounded (too large, not finite) to the validators."""
    if isinstance(value, Decimal) and value.is_finite() and abs(value) <= MAX_AMOUNT:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    return value


def shown_in_unit(value: Decimal, units: list[tuple[Decimal, str]]) -> tuple[str, Decimal]:
    """A stored amount as an edit form shows it: in the largest unit that keeps it exact to two decimals
    (500000000 → "5" 亿元, 38000000 → "3,800" 万元, 1234567.89 → "1,234,567.89" 元)."""
    from flask_babel import format_decimal

    for size, _label in reversed(units):
        scaled = value / size
        if abs(value) >= size and scaled == scaled.quantize(CENT):
            return format_decimal(scaled, "#,##0.##"), size
    return format_decimal(value, "#,##0.##"), units[0][0]


class AmountInput:
    """A text box for the number (separators added as one types, by static/js/amounts.js) and the unit beside it."""

    def __call__(self, field, **kwargs) -> Markup:
        from wtforms.widgets import TextInput

        from crm.core.i18n import amount_units

        unit = field.shown()[1]
        box = TextInput()(field, inputmode="decimal", autocomplete="off", **kwargs)  # the value is field._value()
        options = Markup("").join(
            Markup('<option value="{}"{}>{}</option>').format(size, Markup(" selected") if size == unit else "", label)
            for size, label in amount_units()
        )
        return Markup(
            '<div class="input-group js-amount">{}'
            '<select class="form-select flex-grow-0 w-auto" id="{}-unit" name="{}-unit" aria-label="{}">'
            "{}</select></div>"
        ).format(box, field.id, field.name, f"{field.label.text}: {field.unit_label}", options)


class AmountField(ReadOrStop, Field):
    """An amount in the reporting currency, typed in yuan, 万元 or 亿元 (CNY, m or bn) or with a suffix
    ("3800万", "CNY 5 m"); stored exactly, in yuan, as Decimal."""

    widget = AmountInput()

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        from flask_babel import lazy_gettext as _l

        super().__init__(label, validators, **kwargs)
        self.unit_label = _l("Unit")
        self.unit = Decimal(1)

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        if formdata is not None:
            self.unit = _known_unit(formdata.get(f"{self.name}-unit"))
        super().process(formdata, data, extra_filters)

    def process_formdata(self, valuelist) -> None:
        from flask_babel import lazy_gettext as _l

        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = parse_amount(str(valuelist[0]), self.unit)
        except (ValueError, ArithmeticError):
            self.data = None
            raise ValueError(_l("Enter an amount in digits, for example 1,500,000, 3800万 or CNY 5 m.")) from None

    def shown(self) -> tuple[str, Decimal]:
        """The text and unit the box shows: what the user typed, else the stored amount in a readable unit."""
        from crm.core.i18n import amount_units

        if self.raw_data:
            return str(self.raw_data[0]), self.unit
        if self.data is None:
            return "", self.unit
        return shown_in_unit(Decimal(self.data), amount_units())

    def _value(self) -> str:
        return self.shown()[0]


def _known_unit(value: object) -> Decimal:
    """The unit chosen beside an amount; anything but a unit the form offers counts as yuan."""
    try:
        unit = Decimal(str(value))
    except ArithmeticError:
        return Decimal(1)
    return unit if unit in ALL_UNITS else Decimal(1)


ALL_UNITS = frozenset(AMOUNT_SUFFIXES.values()) | {Decimal(1)}


def amount_field(label):
    """An amount in the reporting currency: 0 or more, rounded to cents, within what the column holds."""
    from flask_babel import lazy_gettext as _l
    from wtforms.validators import NumberRange, Optional

    return AmountField(
        label,
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("Enter an amount of 0 or more.")),
            NumberRange(max=MAX_AMOUNT, message=_l("This amount is too large.")),
        ],
        filters=[_cents],
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


def day_in_range(text: str | None) -> date | None:
    """An ISO date from a link's arguments (a dashboard's drill-down), or None when it is not one or lies outside
    the bureau's years: ignored like any other argument the link should not carry, never an overflow past 9999."""
    from flask import current_app

    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    return day if current_app.config["DATE_MIN_YEAR"] <= day.year <= current_app.config["DATE_MAX_YEAR"] else None


class DateInRange:
    """A date between the years the bureau configures (DATE_MIN_YEAR..DATE_MAX_YEAR, 2000 to 2100 by default):
    a mistyped year such as 0026 or 20026 is refused beside the field instead of stored."""

    def __call__(self, form, field) -> None:
        from flask import current_app
        from flask_babel import lazy_gettext as _l
        from wtforms.validators import ValidationError

        first, last = current_app.config["DATE_MIN_YEAR"], current_app.config["DATE_MAX_YEAR"]
        if field.data is not None and not first <= field.data.year <= last:
            raise ValidationError(_l("Enter a date between %(first)s and %(last)s.", first=first, last=last))


class BoundedDateField(DateField):
    """A date typed into any form of crm: in the bureau's range of years (DateInRange), written back in full
    (0001-01-01, not 1-01-01, which no browser accepts)."""


def date_field(label, required: bool = False) -> BoundedDateField:
    """The one date field of every form and list filter: required or optional, always within the range."""
    from wtforms.validators import InputRequired, Optional

    return BoundedDateField(label, validators=[InputRequired() if required else Optional(), DateInRange()])


class LeanSelect(Select):
    """WTForms' drop-down with each plain option written directly. WTForms builds every option through
    html_params (a sort, a format and an escape per attribute): a sixth of a list page's time, as the
    filter forms hold the sector tree and every account. The HTML is the same; options with their own
    attributes still go through WTForms."""

    @classmethod
    def render_option(cls, choice, **kwargs) -> Markup:
        if choice.render_kw or kwargs:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        label = escape(choice.label or choice.value)
        selected = " selected" if choice.selected else ""
        return Markup(f'<option{selected} value="{escape(value)}">{label}</option>')  # noqa: S704  # nosec B704

    @classmethod
    def _dispatch_render_option(cls):
        # WTForms inspects render_option's signature on every drop-down to support older overrides; ours is
        # the current one. (If WTForms drops this hook, it is simply not called.)
        return cls.render_option


class SelectField(WTFormsSelectField):
    """The drop-down of every crm form: WTForms' SelectField, written out by LeanSelect."""

    widget = LeanSelect()


class CheckboxListWidget:
    """Several choices as a list of checkboxes: works by touch and keyboard (no Ctrl-click), and a filter box
    (shown by static/js/app.js when the list is long) narrows it as one types. Label, help and errors come
    from the `field` macro in templates/_macros/forms.html."""

    def __call__(self, field, **kwargs) -> Markup:
        invalid = "is-invalid" in kwargs.pop("class_", "")
        described = kwargs.pop("aria-describedby", None)
        options = []
        name = escape(field.name)
        for number, (value, label, checked, _render_kw) in enumerate(field.iter_choices()):
            # Written directly rather than through html_params: a filter lists every account and sector.
            box_id = escape(f"{field.id}-{number}")
            options.append(
                f'<div class="form-check"><input {"checked " if checked else ""}class="form-check-input" '
                f'id="{box_id}" name="{name}" type="checkbox" value="{escape(value)}">'
                f'<label class="form-check-label" for="{box_id}">{escape(label)}</label></div>'
            )
        filter_box = Markup(
            '<input type="search" class="form-control form-control-sm mb-1 js-checkbox-filter" hidden '
            'autocomplete="off" placeholder="{0}" aria-label="{0}">'
        ).format(_l("Type to narrow the list"))
        group = html_params(
            id=field.id,
            class_="checkbox-list js-checkbox-list" + (" is-invalid" if invalid else ""),
            **({"aria-describedby": described} if described else {}),
        )
        return Markup('<div {}>{}<div class="checkbox-list-options">{}</div></div>').format(
            Markup(group),  # noqa: S704  # nosec B704 - html_params escapes
            filter_box,
            Markup("".join(options)),  # noqa: S704  # nosec B704 - every part escaped above
        )


class MultiCheckboxField(SelectMultipleField):
    """A SelectMultipleField shown as checkboxes (CheckboxListWidget)."""

    widget = CheckboxListWidget()


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
