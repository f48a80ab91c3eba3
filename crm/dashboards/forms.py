from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from crm.core.forms import IntegerField, SelectField, amount_field, date_field, enum_choices, optional_int
from crm.pipeline.models import ProjectStatus

MAX_COUNT = 1_000_000_000  # well within an INTEGER column


class DashboardFilterForm(FlaskForm):
    """The dashboards' filters, as GET arguments, so that a view can be bookmarked and sent."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    # "from" is a Python keyword: the field is named start, and read from ?from= (see views).
    # Within the bureau's years like every date field: 0001-01-01 or 9999-12-31 is refused beside the field.
    start = date_field(_l("From"))
    end = date_field(_l("Until"))
    sector = SelectField(_l("Sector"), coerce=optional_int, validate_choice=False)
    trip = SelectField(_l("Trip"), coerce=optional_int, validate_choice=False)
    owner = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False)
    status = SelectField(_l("Status"), choices=enum_choices(ProjectStatus, blank=_l("Any")), validate_choice=False)

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date is before the start date."))


class MonthForm(FlaskForm):
    class Meta:
        csrf = False

    month = StringField(_l("Month"))


def _count_field(label):
    return IntegerField(
        label,
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("Enter a number of 0 or more.")),
            NumberRange(max=MAX_COUNT, message=_l("This number is too large.")),
        ],
    )


class TargetForm(FlaskForm):
    """A year's targets for the bureau (no officer) or one officer; a blank box means no target."""

    year = IntegerField(
        _l("Year"),
        validators=[InputRequired(), NumberRange(min=2000, max=2100, message=_l("Enter a year from 2000 to 2100."))],
    )
    officer = SelectField(_l("For"), coerce=optional_int)
    projects_signed = _count_field(_l("Projects signed"))
    investment_signed = amount_field(_l("Investment signed"))
    capital_in_place = amount_field(_l("Capital in place (到资)"))
    jobs = _count_field(_l("Jobs"))
    # Which targets the form was opened with, and when they were last saved (views.target_stamp): a save over a
    # newer one of the same year and person is refused, so that two managers do not overwrite each other.
    opened = HiddenField()
