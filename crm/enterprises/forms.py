from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError

from crm.core.emails import email_filter
from crm.core.forms import (
    EitherNameForm,
    HttpUrl,
    MultiCheckboxField,
    SelectField,
    VersionedForm,
    email_address,
    empty_to_none,
    enum_choices,
    enum_coercer,
    enum_or_none,
    ids,
    optional_int,
    required_after_strip,
    sector_choices,
    strip,
    user_choices,
    web_address,
)
from crm.enterprises.models import AliasKind, EnterpriseKind, EnterpriseSize, Ownership


def _text(label, length: int, required: bool = False):
    validators = [DataRequired() if required else Optional(), Length(max=length)]
    return StringField(label, validators=validators, filters=[strip if required else empty_to_none])


class EnterpriseField(StringField):
    """Pick an enterprise by typing its name in either script.

    The browser suggests matches (static/js/app.js asks /enterprises/lookup) as "Name · 中文名 #id"; the
    server accepts such a suggestion, or a name that matches exactly one enterprise.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, filters=[strip], **kwargs)
        self.enterprise = None

    def process_data(self, value) -> None:
        # Loaded from a record (obj=visit), the value is the Enterprise itself: show it as a suggestion would.
        self.data = enterprise_label(value) if hasattr(value, "id") else value

    def comparable(self):
        """For the conflict check: the enterprise picked, not the text naming it."""
        return self.enterprise or resolve_enterprise(self.data) or self.data

    def pre_validate(self, form) -> None:
        self.enterprise = resolve_enterprise(self.data)
        if required_after_strip(self):  # InputRequired lets "   " through; it names no enterprise
            raise StopValidation(_l("This field is required."))
        adds_new = getattr(form, "adds_new_enterprise", lambda: False)()
        if self.data and self.enterprise is None and not adds_new:
            raise ValidationError(_l("No enterprise by this name. Pick one of the suggestions, or create it first."))


def resolve_enterprise(text: str | None):
    """The live enterprise a picker's text names ("… #id", or an exact name in either script), or None."""
    from crm.enterprises.queries import find_exact, live_enterprise

    if not text:
        return None
    suffix = re.search(r"#(\d+)\s*$", text)
    if suffix:
        enterprise_id = optional_int(suffix.group(1))
        return live_enterprise(enterprise_id) if enterprise_id else None
    return find_exact(text)


def enterprise_label(enterprise) -> str:
    """How a picked enterprise is written back into the field."""
    names = " · ".join(name for name in (enterprise.name, enterprise.local_name) if name)
    return f"{names} #{enterprise.id}"


class EnterpriseForm(EitherNameForm, VersionedForm):
    name = _text(_l("English name"), 200)
    local_name = _text(_l("Chinese name"), 200)
    kind = SelectField(_l("Kind"), choices=enum_choices(EnterpriseKind), coerce=enum_coercer(EnterpriseKind))
    ownership = SelectField(
        _l("Ownership"),
        choices=enum_choices(Ownership, blank="—"),
        coerce=enum_coercer(Ownership),
    )
    parent = EnterpriseField(_l("Parent group"))
    country = _text(_l("Country"), 100)
    province = _text(_l("Province"), 100)
    city = _text(_l("City"), 100)
    address = _text(_l("Address"), 300)
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300), HttpUrl()], filters=[web_address])
    size = SelectField(_l("Size"), choices=enum_choices(EnterpriseSize, blank="—"), coerce=enum_coercer(EnterpriseSize))
    sector_ids = MultiCheckboxField(_l("Sectors"), choices=sector_choices, coerce=int, validate_choice=True)
    description = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)], filters=[empty_to_none])
    owner_id = SelectField(_l("Account owner"), choices=lambda: user_choices(), coerce=optional_int)
    confirm_duplicate = BooleanField(_l("This is a different organisation: create it anyway"))

    # The enterprise being edited (None on create), so that it cannot become its own group.
    record_id: int | None = None

    def validate_parent(self, field) -> None:
        group = field.enterprise
        if group is not None and self.record_id is not None and self.record_id in (group.id, group.parent_id):
            raise ValidationError(_l("An enterprise cannot be in its own group or in one of its members."))

    def values(self) -> dict:
        data = {
            name: field.data
            for name, field in self._fields.items()
            if name not in ("csrf_token", "version", "confirm_duplicate", "parent")
        }
        data["sector_ids"] = ids(data.get("sector_ids") or [])
        data["parent_id"] = self.parent.enterprise.id if self.parent.enterprise else None
        return data


class EnterpriseFilterForm(FlaskForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), choices=enum_choices(EnterpriseKind, blank=_l("Any")), validate_choice=False)
    ownership = SelectField(_l("Ownership"), choices=enum_choices(Ownership, blank=_l("Any")), validate_choice=False)
    sector = SelectField(_l("Sector"), coerce=optional_int, validate_choice=False)
    city = StringField(_l("City"), filters=[strip])
    owner = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False)

    def filters(self):
        from crm.enterprises.queries import EnterpriseFilters

        return EnterpriseFilters(
            kind=enum_or_none(EnterpriseKind, self.kind.data),
            ownership=enum_or_none(Ownership, self.ownership.data),
            sector_id=self.sector.data,
            city=self.city.data or "",
            owner_id=self.owner.data,
        )


class ContactForm(EitherNameForm, VersionedForm):
    name = _text(_l("Name (English or pinyin)"), 100)
    local_name = _text(_l("Name in Chinese characters"), 100)
    title = _text(_l("Job title"), 150)
    department = _text(_l("Department"), 150)
    phone = _text(_l("Phone"), 50)
    mobile = _text(_l("Mobile"), 50)
    email = EmailField(
        _l("Email"),
        validators=[Optional(), Length(max=254), email_address()],
        filters=[email_filter, empty_to_none],
    )
    wechat = _text(_l("WeChat"), 100)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)], filters=[empty_to_none])
    owner_id = SelectField(_l("Owner"), choices=lambda: user_choices(), coerce=optional_int)

    def values(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name not in ("csrf_token", "version")}


class ContactCreateForm(ContactForm):
    enterprise = EnterpriseField(_l("Enterprise"), validators=[InputRequired()])


class AliasForm(FlaskForm):
    name = _text(_l("Other name"), 200, required=True)
    kind = SelectField(_l("Kind of name"), choices=enum_choices(AliasKind), coerce=enum_coercer(AliasKind))


def merge_form(fields: tuple[str, ...]) -> type[FlaskForm]:
    """A form with one choice per field: keep the survivor's value, or take the other's."""
    choices = [SelectChoice("survivor", _l("Keep")), SelectChoice("other", _l("Take"))]
    attributes = {field: RadioField(field, choices=choices, default="survivor") for field in fields}
    # Both records' versions as the page showed them: a merge over a change made since is refused (merge_view).
    attributes["versions"] = HiddenField()
    return type("MergeForm", (FlaskForm,), attributes)
