"""The audit log's filter form, shared by its page and its export."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from crm.auditlog import queries
from crm.core.audit import AuditAction
from crm.core.forms import MAX_ID, enum_choices, optional_int, select_choices

# How each kind of record is named on the page.
ENTITY_LABELS = {
    "users": _l("User"),
    "enterprises": _l("Enterprise"),
    "contacts": _l("Contact"),
    "trips": _l("Trip"),
    "delegation_members": _l("Delegation member"),
    "visits": _l("Visit"),
    "investment_projects": _l("Investment project"),
    "stage_changes": _l("Stage change"),
    "follow_ups": _l("Follow-up"),
    "attachments": _l("Attachment"),
    "sectors": _l("Sector"),
}


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    user = SelectField(_l("Who"), coerce=optional_int, validate_choice=False)
    action = SelectField(_l("Action"), validate_choice=False)
    entity_type = SelectField(_l("Record type"), validate_choice=False)
    entity_id = IntegerField(_l("Record number"), validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))

    def validate_action(self, field) -> None:
        if field.data and field.data not in {action.value for action in AuditAction}:
            raise ValidationError(_l("Not a valid choice."))

    @classmethod
    def for_args(cls, args: MultiDict) -> AuditFilterForm:
        form = cls(args)
        form.user.choices = select_choices(
            [("", _l("Everyone"))] + [(u.id, u.name) for u in queries.users_for_filter()]
        )
        form.action.choices = enum_choices(AuditAction, blank=_l("Any action"))()
        form.entity_type.choices = select_choices(
            [("", _l("Any record"))] + [(name, ENTITY_LABELS.get(name, name)) for name in queries.entity_types()]
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
