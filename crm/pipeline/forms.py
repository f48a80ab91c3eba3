"""Forms for investment projects: the project itself, a stage change, a status change, the filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from crm.core.forms import (
    IntegerField,
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
from crm.enterprises.forms import EnterpriseField
from crm.pipeline.models import ProjectSource, ProjectStatus, Stage
from crm.pipeline.services import STATUSES_NEEDING_A_REASON

# Numeric(16, 2) holds up to 14 digits before the point.
MAX_JOBS = 10_000_000

# How the project's fields are named in its history.
FIELD_LABELS = {
    "name": _l("Project name"),
    "code_name": _l("Code name"),
    "is_confidential": _l("Confidential"),
    "enterprise_id": _l("Enterprise"),
    "description": _l("Description"),
    "stage": _l("Stage"),
    "stage_entered_at": _l("In stage since"),
    "status": _l("Status"),
    "status_reason": _l("Reason"),
    "planned_investment": _l("Planned investment"),
    "actual_investment": _l("Actual investment"),
    "planned_fixed_assets": _l("Planned fixed assets"),
    "actual_fixed_assets": _l("Actual fixed assets"),
    "planned_paid_in_capital": _l("Planned paid-in capital"),
    "actual_paid_in_capital": _l("Actual paid-in capital"),
    "planned_jobs": _l("Planned jobs"),
    "actual_jobs": _l("Actual jobs"),
    "expected_decision_on": _l("Expected decision date"),
    "probability": _l("Probability (%)"),
    "owner_id": _l("Owner"),
    "referrer": _l("Referrer"),
    "source": _l("Source"),
    "deleted_at": _l("Deleted"),
    "sectors": _l("Sectors"),
    "origin_visits": _l("Origin visits"),
}


def _text(label, length: int, required: bool = False):
    # InputRequired refuses a field that was not sent at all; DataRequired looks after the strip filter, so
    # that "   " counts as empty too.
    validators = [InputRequired(), DataRequired()] if required else [Optional()]
    validators.append(Length(max=length))
    return StringField(label, validators=validators, filters=[strip if required else empty_to_none])


def _jobs(label):
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(min=0, max=MAX_JOBS, message=_l("Enter a whole number of 0 or more."))],
    )


def _probability(label=None):
    return IntegerField(
        label or _l("Probability (%)"),
        validators=[Optional(), NumberRange(min=0, max=100, message=_l("Enter a percentage from 0 to 100."))],
    )


class ProjectForm(VersionedForm):
    name = _text(_l("Project name"), 200, required=True)
    local_title = _text(_l("Name in Chinese"), 200)
    # Asked for only when the project is confidential (static/js/app.js hides it otherwise); stored as "".
    code_name = StringField(_l("Code name"), validators=[Length(max=100)], filters=[strip])
    is_confidential = BooleanField(_l("Confidential: others see only the code name"))
    enterprise = EnterpriseField(_l("Enterprise"), validators=[InputRequired(), DataRequired()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)], filters=[empty_to_none])
    sector_ids = MultiCheckboxField(_l("Sectors"), choices=sector_choices, coerce=int, validate_choice=True)
    planned_investment = amount_field(_l("Planned investment"))
    actual_investment = amount_field(_l("Actual investment"))
    planned_fixed_assets = amount_field(_l("Planned fixed assets"))
    actual_fixed_assets = amount_field(_l("Actual fixed assets"))
    planned_paid_in_capital = amount_field(_l("Planned paid-in capital"))
    actual_paid_in_capital = amount_field(_l("Actual paid-in capital"))
    planned_jobs = _jobs(_l("Planned jobs"))
    actual_jobs = _jobs(_l("Actual jobs"))
    expected_decision_on = date_field(_l("Expected decision date"))
    probability = _probability()
    referrer = _text(_l("Referrer"), 200)
    source = SelectField(
        _l("Source"), choices=enum_choices(ProjectSource, blank="—"), coerce=enum_coercer(ProjectSource)
    )
    owner_id = SelectField(_l("Owner"), choices=lambda: user_choices(), coerce=optional_int)

    def validate_code_name(self, field) -> None:
        if self.is_confidential.data and not field.data:
            raise ValidationError(_l("A confidential project needs a code name: it is all that others see."))

    def values(self) -> dict:
        data = {name: field.data for name, field in self._fields.items() if name not in ("csrf_token", "version")}
        data["code_name"] = data.get("code_name") or ""
        data["enterprise"] = self.enterprise.enterprise
        data["sector_ids"] = ids(data.get("sector_ids") or [])
        return data


class StageForm(VersionedForm):
    """Move a project to another stage, with a note; blank probability means the new stage's default."""

    to_stage = SelectField(
        _l("New stage"), choices=enum_choices(Stage), coerce=enum_coercer(Stage), validators=[InputRequired()]
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)], filters=[strip])
    probability = _probability(_l("Probability (%), blank for the stage's usual"))

    # The project's stage when the form is checked; set by the view.
    current_stage: Stage | None = None

    def validate_to_stage(self, field) -> None:
        if self.current_stage is not None and field.data == self.current_stage:
            raise ValidationError(_l("The project is already at this stage. Pick another one."))

    def conflict(self, record) -> list[tuple[str, str, str]]:
        """The stage someone else moved the project to, beside the one chosen here."""
        self.version.data = str(record.version)
        chosen = self.to_stage.data
        return [(str(_l("Stage")), record.stage.label, chosen.label if isinstance(chosen, Stage) else "—")]


class StatusForm(VersionedForm):
    status = SelectField(
        _l("Status"),
        choices=enum_choices(ProjectStatus),
        coerce=enum_coercer(ProjectStatus),
        validators=[InputRequired()],
    )
    # No Optional() here: it would stop the chain before the check that on hold and lost need a reason.
    status_reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)], filters=[empty_to_none])

    def validate_status_reason(self, field) -> None:
        if self.status.data in STATUSES_NEEDING_A_REASON and not field.data:
            raise ValidationError(_l("Say why the project is on hold or lost."))


class ProjectFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    stage = SelectField(_l("Stage"), choices=enum_choices(Stage, blank=_l("Any")), validate_choice=False)
    status = SelectField(_l("Status"), choices=enum_choices(ProjectStatus, blank=_l("Any")), validate_choice=False)
    sector = SelectField(_l("Sector"), coerce=optional_int, validate_choice=False)
    owner = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False)
    decision_from = date_field(_l("Decision from"))
    decision_to = date_field(_l("Decision until"))

    def validate_decision_to(self, field) -> None:
        if field.data and self.decision_from.data and field.data < self.decision_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def filters(self):
        """The filters as the list applies them: a bad date is shown beside its field and filters nothing."""
        from crm.pipeline.queries import ProjectFilters

        self.validate()
        return ProjectFilters(
            stage=enum_or_none(Stage, self.stage.data),
            status=enum_or_none(ProjectStatus, self.status.data),
            sector_id=self.sector.data,
            owner_id=self.owner.data,
            decision_from=self.decision_from.data,
            decision_to=self.decision_to.data if not self.decision_to.errors else None,
        )


class BoardFilterForm(FlaskForm):
    class Meta:
        csrf = False

    owner = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False)
    sector = SelectField(_l("Sector"), coerce=optional_int, validate_choice=False)
