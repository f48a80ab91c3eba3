from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from crm.core.forms import (
    EitherNameForm,
    VersionedForm,
    amount_field,
    empty_to_none,
    enum_choices,
    enum_coercer,
    ids,
    optional_int,
    sector_choices,
    strip,
    user_choices,
)
from crm.trips.models import TripStatus


class TripForm(VersionedForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    objectives = TextAreaField(_l("Objectives"), validators=[Optional(), Length(max=5000)], filters=[empty_to_none])
    start_on = DateField(_l("First day"), validators=[InputRequired()])
    end_on = DateField(_l("Last day"), validators=[InputRequired()])
    destination_cities = StringField(
        _l("Destination cities"), validators=[DataRequired(), Length(max=300)], filters=[strip]
    )
    status = SelectField(_l("Status"), choices=enum_choices(TripStatus), coerce=enum_coercer(TripStatus))
    sector_ids = SelectMultipleField(_l("Target sectors"), choices=sector_choices, coerce=int)
    planned_budget = amount_field(_l("Planned budget"))
    actual_cost = amount_field(_l("Actual cost"))
    report_submitted_on = DateField(_l("Trip report submitted on"), validators=[Optional()])
    organiser_id = SelectField(_l("Organiser"), choices=lambda: user_choices(), coerce=optional_int)

    def validate_end_on(self, field) -> None:
        if field.data and self.start_on.data and field.data < self.start_on.data:
            raise ValidationError(_l("The last day is before the first day."))

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
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
    sector = SelectField(_l("Sector"), coerce=optional_int, validate_choice=False)
    city = StringField(_l("City"), filters=[strip])
    organiser = SelectField(_l("Organiser"), coerce=optional_int, validate_choice=False)


class MemberForm(EitherNameForm, FlaskForm):
    name = StringField(
        _l("Name (English or pinyin)"), validators=[Optional(), Length(max=100)], filters=[empty_to_none]
    )
    local_name = StringField(
        _l("Name in Chinese characters"), validators=[Optional(), Length(max=100)], filters=[empty_to_none]
    )
    title = StringField(_l("Job title"), validators=[Optional(), Length(max=150)], filters=[empty_to_none])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=200)], filters=[empty_to_none])
    is_leader = BooleanField(_l("Leads the delegation"))
    user_id = SelectField(_l("Account"), coerce=optional_int)

    def values(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
