from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError

from crm.core.forms import (
    MultiCheckboxField,
    SelectField,
    VersionedForm,
    date_field,
    empty_to_none,
    enum_choices,
    enum_coercer,
    enum_or_none,
    ids,
    optional_int,
    sector_choices,
    strip,
    user_choices,
)
from crm.enterprises.forms import EnterpriseField
from crm.enterprises.models import EnterpriseKind
from crm.enterprises.names import has_chinese
from crm.visits.models import DaySlot, InterestLevel, VisitDirection


def _long_text(label):
    return TextAreaField(label, validators=[Optional(), Length(max=10000)], filters=[empty_to_none])


class VisitForm(VersionedForm):
    """One meeting with one enterprise. Choices that depend on the trip or enterprise are set by the view."""

    trip_id = SelectField(_l("Trip"), coerce=optional_int)
    enterprise = EnterpriseField(_l("Enterprise"))
    # A new enterprise, when the one met is not on file yet: created with the visit, nothing retyped.
    new_enterprise_name = StringField(
        _l("English name"), validators=[Optional(), Length(max=200)], filters=[empty_to_none]
    )
    new_enterprise_local_name = StringField(
        _l("Chinese name"), validators=[Optional(), Length(max=200)], filters=[empty_to_none]
    )
    new_enterprise_kind = SelectField(
        _l("Kind"),
        choices=enum_choices(EnterpriseKind),
        coerce=enum_coercer(EnterpriseKind),
        default=EnterpriseKind.COMPANY.value,
    )
    new_enterprise_city = StringField(_l("City"), validators=[Optional(), Length(max=100)], filters=[empty_to_none])
    confirm_new_enterprise = BooleanField(_l("It is a different organisation: create it anyway"))
    direction = SelectField(
        _l("Direction"),
        choices=enum_choices(VisitDirection),
        coerce=enum_coercer(VisitDirection),
        default=VisitDirection.OUTBOUND.value,
    )
    visited_on = date_field(_l("Date"), required=True)
    slot = SelectField(_l("Time of day"), choices=enum_choices(DaySlot), coerce=enum_coercer(DaySlot))
    confirm_date = BooleanField(_l("Yes, this visit was outside the trip's dates"))
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)], filters=[empty_to_none])
    contact_ids = MultiCheckboxField(_l("Contacts met"), coerce=int)
    member_ids = MultiCheckboxField(_l("Delegation members present"), coerce=int)
    other_attendees = _long_text(_l("Other attendees"))
    purpose = _long_text(_l("Purpose"))
    presented = _long_text(_l("What we presented"))
    discussed = _long_text(_l("What was discussed"))
    commitments = _long_text(_l("Commitments received"))
    interest_level = SelectField(
        _l("Interest level"), choices=enum_choices(InterestLevel, blank="—"), coerce=enum_coercer(InterestLevel)
    )
    sector_ids = MultiCheckboxField(_l("Sectors discussed"), choices=sector_choices, coerce=int)
    owner_id = SelectField(_l("Owner"), choices=lambda: user_choices(), coerce=optional_int)

    def adds_new_enterprise(self) -> bool:
        """The new-enterprise fields are filled in: the user means a new enterprise."""
        return bool(self.new_enterprise_name.data or self.new_enterprise_local_name.data)

    def offer_typed_name_as_new(self) -> None:
        """After a refused submit, a typed name that matched nothing becomes the new enterprise's name."""
        typed = self.enterprise.data
        if not typed or self.enterprise.enterprise is not None or self.adds_new_enterprise() or "#" in typed:
            return
        target = self.new_enterprise_local_name if has_chinese(typed) else self.new_enterprise_name
        target.data = typed

    def validate_enterprise(self, field) -> None:
        # Text in the picker that names no enterprise is what the user typed while looking: with the
        # new-enterprise fields filled, the new enterprise is what they mean (EnterpriseField lets it pass).
        if not field.data and not self.adds_new_enterprise():
            raise ValidationError(_l("Pick the enterprise, or add it below as a new one."))
        if field.enterprise is not None and self.adds_new_enterprise():
            raise ValidationError(_l("Either pick an enterprise or add a new one, not both."))

    def values(self) -> dict:
        skip = {"csrf_token", "version", "enterprise", "confirm_date", "confirm_new_enterprise"}
        data = {name: field.data for name, field in self._fields.items() if name not in skip}
        for name in ("contact_ids", "member_ids", "sector_ids"):
            data[name] = ids(data.get(name) or [])
        return data


class VisitFilterForm(FlaskForm):
    class Meta:
        csrf = False

    direction = SelectField(
        _l("Direction"), choices=enum_choices(VisitDirection, blank=_l("Any")), validate_choice=False
    )
    interest = SelectField(_l("Interest"), choices=enum_choices(InterestLevel, blank=_l("Any")), validate_choice=False)
    since = date_field(_l("From"))
    until = date_field(_l("Until"))
    sector = SelectField(_l("Sector"), coerce=optional_int, validate_choice=False)
    city = StringField(_l("City"), filters=[strip])
    owner = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False)

    def filters(self, *, trip_id: int | None = None, enterprise_id: int | None = None):
        """The filters as the list applies them: a mistyped date is shown beside its field, then ignored."""
        from crm.visits.queries import VisitFilters

        self.validate()
        return VisitFilters(
            direction=enum_or_none(VisitDirection, self.direction.data),
            interest=enum_or_none(InterestLevel, self.interest.data),
            since=None if self.since.errors else self.since.data,
            until=None if self.until.errors else self.until.data,
            sector_id=self.sector.data,
            city=self.city.data or "",
            owner_id=self.owner.data,
            trip_id=trip_id,
            enterprise_id=enterprise_id,
        )


class LinkProjectForm(FlaskForm):
    project_id = SelectField(_l("Project"), coerce=optional_int)
