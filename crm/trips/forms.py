from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from crm.core.forms import (
    MultiCheckboxField,
    SelectField,
    VersionedForm,
    amount_field,
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
from crm.trips.models import TripStatus
from crm.trips.queries import TripFilters


class TripForm(VersionedForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    local_title = StringField(_l("Title in Chinese"), validators=[Optional(), Length(max=200)], filters=[empty_to_none])
    objectives = TextAreaField(_l("Objectives"), validators=[Optional(), Length(max=5000)], filters=[empty_to_none])
    start_on = date_field(_l("First day"), required=True)
    end_on = date_field(_l("Last day"), required=True)
    destination_cities = StringField(
        _l("Destination cities"), validators=[DataRequired(), Length(max=300)], filters=[strip]
    )
    status = SelectField(_l("Status"), choices=enum_choices(TripStatus), coerce=enum_coercer(TripStatus))
    sector_ids = MultiCheckboxField(_l("Target sectors"), choices=sector_choices, coerce=int)
    planned_budget = amount_field(_l("Planned budget"))
    actual_cost = amount_field(_l("Actual cost"))
    report_submitted_on = date_field(_l("Trip report submitted on"))
    organiser_id = SelectField(_l("Organiser"), choices=lambda: user_choices(), coerce=optional_int)

    def validate_end_on(self, field) -> None:
        if field.data and self.start_on.data and field.data < self.start_on.data:
            raise ValidationError(_l("The last day is before the first day."))
        longest = current_app.config["TRIP_MAX_DAYS"]
        if field.data and self.start_on.data and (field.data - self.start_on.data).days + 1 > longest:
            raise ValidationError(_l("A trip lasts at most %(days)s days.", days=longest))

    def validate_report_submitted_on(self, field) -> None:
        if field.data and self.start_on.data and field.data < self.start_on.data:
            raise ValidationError(_l("The report cannot be submitted before the trip starts."))

    def values(self) -> dict:
        data = {name: field.data for name, field in self._fields.items() if name not in ("csrf_token", "version")}
        data["sector_ids"] = ids(data.get("sector_ids") or [])
        return data


class TripFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=enum_choices(TripStatus, blank=_l("Any")), validate_choice=False)
    since = date_field(_l("From"))
    until = date_field(_l("Until"))
    sector = SelectField(_l("Sector"), coerce=optional_int, validate_choice=False)
    city = StringField(_l("City"), filters=[strip])
    organiser = SelectField(_l("Organiser"), coerce=optional_int, validate_choice=False)

    def filters(self) -> TripFilters:
        """The filters as the list applies them: a mistyped date is shown beside its field, then ignored."""
        self.validate()
        return TripFilters(
            status=enum_or_none(TripStatus, self.status.data),
            since=self.since.data if not self.since.errors else None,
            until=self.until.data if not self.until.errors else None,
            sector_id=self.sector.data,
            city=self.city.data or "",
            organiser_id=self.organiser.data,
        )


class MemberForm(VersionedForm):
    # Left blank with an account picked, the name, title and unit come from the account (services.save_member).
    user_id = SelectField(_l("Account"), coerce=optional_int)
    name = StringField(
        _l("Name (English or pinyin)"), validators=[Optional(), Length(max=100)], filters=[empty_to_none]
    )
    local_name = StringField(
        _l("Name in Chinese characters"), validators=[Optional(), Length(max=100)], filters=[empty_to_none]
    )
    title = StringField(_l("Job title"), validators=[Optional(), Length(max=150)], filters=[empty_to_none])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=200)], filters=[empty_to_none])
    is_leader = BooleanField(_l("Leads the delegation"))

    # The accounts already on the delegation, other than the member being edited (set by the view).
    taken_accounts: frozenset[int] = frozenset()

    def validate_user_id(self, field) -> None:
        if field.data and field.data in self.taken_accounts:
            raise ValidationError(_l("This person is already on the delegation."))

    def validate(self, extra_validators=None) -> bool:
        # A name in either script, or an account to take it from (checked here: an empty optional field
        # skips its inline validators).
        valid = super().validate(extra_validators)
        if not self.name.data and not self.local_name.data and not self.user_id.data:
            self.name.errors = [*self.name.errors, _l("Type the name, or pick the person's account.")]
            return False
        return valid

    def values(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name not in ("csrf_token", "version")}
