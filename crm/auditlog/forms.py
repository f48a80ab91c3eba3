"""The audit log's filter form, shared by its page and its export."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.validators import NumberRange, Optional, ValidationError

from crm.auditlog import queries
from crm.auditlog.presentation import entity_label
from crm.core.audit import AuditAction
from crm.core.forms import MAX_ID, IntegerField, SelectField, date_field, optional_int, select_choices

# Dates a filter may name: the log holds nothing older, and the query turns a date into local midnight
# (and the day after), which overflows at the ends of the calendar (0001-01-01, 9999-12-31).
FILTER_DATES = (date(1970, 1, 1), date(9998, 12, 31))


def _within_the_log(field) -> None:
    first, last = FILTER_DATES
    if field.data and not first <= field.data <= last:
        raise ValidationError(
            _l("Enter a date between %(first)s and %(last)s.", first=first.isoformat(), last=last.isoformat())
        )


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    user = SelectField(_l("Who"), coerce=optional_int, validate_choice=False)
    action = SelectField(_l("Action"), validate_choice=False)
    entity_type = SelectField(_l("Record type"), validate_choice=False)
    entity_id = IntegerField(_l("Record number"), validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    since = date_field(_l("From"))
    until = date_field(_l("Until"))

    def validate_since(self, field) -> None:
        _within_the_log(field)

    def validate_until(self, field) -> None:
        _within_the_log(field)
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))

    def validate_action(self, field) -> None:
        if field.data and field.data not in {action.value for action in AuditAction}:
            raise ValidationError(_l("Not a valid choice."))

    @classmethod
    def for_args(cls, args: MultiDict) -> AuditFilterForm:
        form = cls(args)
        form.user.choices = select_choices([("", _l("Everyone")), *queries.users_for_filter()])
        # Only actions the log holds: no filter for what cannot have happened yet.
        form.action.choices = select_choices(
            [("", _l("Any action"))] + [(action.value, action.label) for action in queries.actions_in_log()]
        )
        form.entity_type.choices = select_choices(
            [("", _l("Any record"))] + [(name, entity_label(name)) for name in queries.entity_types()]
        )
        return form

    def filters(self, *, submitted: bool) -> queries.AuditFilter | None:
        """The filters to apply, or None when one of them is wrong (shown beside its field)."""
        if submitted and not self.validate():
            return None
        return queries.AuditFilter(
            user_id=self.user.data or None,
            action=AuditAction(self.action.data) if self.action.data else None,
            entity_type=self.entity_type.data or None,
            entity_id=self.entity_id.data,
            since=self.since.data,
            until=self.until.data,
        )
