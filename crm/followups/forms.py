"""Follow-up forms: create (with the record it belongs to), edit, reassign, and the list filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from crm.core.forms import (
    SelectField,
    VersionedForm,
    date_field,
    empty_to_none,
    optional_int,
    select_choices,
    strip,
    user_choices,
)
from crm.enterprises.forms import EnterpriseField
from crm.enterprises.models import Enterprise
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.pipeline.models import InvestmentProject
from crm.trips.models import Trip
from crm.visits.models import Visit

NO_LINK_MESSAGE = _l("Link it to a trip, visit, project or enterprise.")

if TYPE_CHECKING:
    from crm.followups.queries import FollowUpFilters


class FollowUpForm(VersionedForm):
    # DataRequired, not InputRequired: it looks after the filter, so a title of blanks is refused too.
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)], filters=[empty_to_none])
    due_on = date_field(_l("Due date"), required=True)
    owner_id = SelectField(_l("Owner"), coerce=optional_int)

    def owner_choices(self, follow_up: FollowUp | None = None) -> None:
        """Active users; the current owner stays choosable even after their account was deactivated."""
        choices = user_choices()
        if follow_up is not None and not follow_up.owner.active:
            label = _l("%(name)s (deactivated)", name=follow_up.owner.display_name)
            choices += select_choices([(follow_up.owner_id, label)])
        self.owner_id.choices = choices

    def values(self) -> dict:
        return {name: self[name].data for name in ("title", "notes", "due_on", "owner_id") if name in self}


class LinkField(HiddenField):
    """The id of the record a new follow-up belongs to; refused when unknown or deleted."""

    def __init__(self, label=None, validators=None, *, model, missing_message, **kwargs):
        super().__init__(label, validators, filters=[strip], **kwargs)
        self.model = model
        self.missing_message = missing_message
        self.record = None

    def resolve(self) -> None:
        """Look the id up; raise ValidationError (and keep no record) when it names no live record."""
        self.record = None
        if not self.data:
            return
        record_id = optional_int(self.data)
        # Beyond a 32-bit id the database itself would refuse the lookup.
        record = db.session.get(self.model, record_id) if record_id and 0 < record_id < 2**31 else None
        if record is None or record.deleted_at is not None:
            raise ValidationError(self.missing_message)
        self.record = record

    def pre_validate(self, form) -> None:
        self.resolve()


class FollowUpCreateForm(FollowUpForm):
    trip_id = LinkField(model=Trip, missing_message=_l("There is no such trip, or it was deleted."))
    visit_id = LinkField(model=Visit, missing_message=_l("There is no such visit, or it was deleted."))
    project_id = LinkField(
        model=InvestmentProject, missing_message=_l("There is no such investment project, or it was deleted.")
    )
    enterprise_id = LinkField(model=Enterprise, missing_message=_l("There is no such enterprise, or it was deleted."))
    # Offered when the form was not opened from a record (the list page).
    enterprise = EnterpriseField(_l("Enterprise"))

    LINK_FIELDS = ("trip_id", "visit_id", "project_id", "enterprise_id")

    def link_fields(self) -> list[LinkField]:
        return [self[name] for name in self.LINK_FIELDS]

    def preset(self, args) -> None:
        """Fill the links from the query string (?trip_id=…); an unknown or deleted id gets its message."""
        for field in self.link_fields():
            field.data = (args.get(field.name) or "").strip()[:20]
            try:
                field.resolve()
            except ValidationError as error:
                field.data = ""
                field.errors = [str(error)]

    def has_preset_link(self) -> bool:
        return any(field.data for field in self.link_fields())

    def links(self) -> dict:
        """The records picked: {"trip": …, "visit": …, "project": …, "enterprise": …} (None where not linked)."""
        return {
            "trip": self.trip_id.record,
            "visit": self.visit_id.record,
            "project": self.project_id.record,
            "enterprise": self.enterprise_id.record or self.enterprise.enterprise,
        }

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not any(self.links().values()):
            self.enterprise.errors.append(NO_LINK_MESSAGE)
            return False
        return valid


class ReassignForm(FlaskForm):
    owner_id = SelectField(
        _l("New owner"),
        choices=lambda: user_choices(),
        coerce=optional_int,
        validators=[InputRequired(message=_l("Choose the new owner."))],
    )


class FollowUpFilterForm(FlaskForm):
    class Meta:
        csrf = False

    owner = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False)
    state = SelectField(
        _l("Status"),
        choices=lambda: select_choices([("", _l("Any")), ("open", _l("Open")), ("done", _l("Done"))]),
        validate_choice=False,
    )
    overdue = BooleanField(_l("Overdue only"))
    due_from = date_field(_l("Due from"))
    due_to = date_field(_l("Due until"))

    def filters(self, args) -> FollowUpFilters:
        """The filters as the list (and its export) applies them: a mistyped date is shown beside its field,
        then ignored. From the URL besides the form: ?trip= and ?enterprise= (everything around one record,
        the links of its page) and the dashboards' drill-downs (?done_from=&done_to=)."""
        from flask import current_app

        from crm.followups.queries import FollowUpFilters, drill_conditions

        self.validate()
        drill, _kept = drill_conditions(args, zone=current_app.config["BABEL_DEFAULT_TIMEZONE"])
        return FollowUpFilters(
            owner_id=self.owner.data,
            state=self.state.data if self.state.data in ("open", "done") else "",
            overdue_only=bool(self.overdue.data),
            due_from=None if self.due_from.errors else self.due_from.data,
            due_to=None if self.due_to.errors else self.due_to.data,
            trip_id=optional_int(args.get("trip")),
            enterprise_id=optional_int(args.get("enterprise")),
            drill=drill,
        )
