from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from crm.core.forms import IntegerField, SelectField, VersionedForm, empty_to_none, select_choices, strip
from crm.core.i18n import LANGUAGE_NAMES

# Room for a long report, short of what would make a page unprintable.
TEXT_LIMIT = 20_000
MAX_ITEMS = 500
ROWS = {"rows": 6}


class ChoiceForm(Form):
    """One meeting or photo: its place in the report and whether it is in."""

    item_id = IntegerField(validators=[Optional()])
    position = IntegerField(
        _l("Order"),
        validators=[Optional(), NumberRange(min=1, max=999, message=_l("Enter a number from 1 to 999."))],
        invalid_value_message=_l("Enter a number from 1 to 999."),
    )
    include = BooleanField(_l("In the report"))


class ReportForm(VersionedForm):
    summary = TextAreaField(
        _l("Summary"), validators=[Optional(), Length(max=TEXT_LIMIT)], filters=[empty_to_none], render_kw=ROWS
    )
    assessment = TextAreaField(
        _l("Assessment of the trip"),
        validators=[Optional(), Length(max=TEXT_LIMIT)],
        filters=[empty_to_none],
        render_kw=ROWS,
    )
    recommendations = TextAreaField(
        _l("Recommendations"), validators=[Optional(), Length(max=TEXT_LIMIT)], filters=[empty_to_none], render_kw=ROWS
    )
    meetings = FieldList(FormField(ChoiceForm), max_entries=MAX_ITEMS)
    photos = FieldList(FormField(ChoiceForm), max_entries=MAX_ITEMS)

    def values(self) -> dict:
        return {
            "summary": self.summary.data,
            "assessment": self.assessment.data,
            "recommendations": self.recommendations.data,
            "meeting_choice": _choice(self.meetings),
            "photo_choice": _choice(self.photos),
        }


def _choice(entries: FieldList) -> list[list]:
    """[[id, included], ...] by the order typed; rows without an order keep their place after numbered ones."""
    rows = [
        (
            entry.position.data if entry.position.data is not None else 1000,
            index,
            entry.item_id.data,
            entry.include.data,
        )
        for index, entry in enumerate(entries)
        if entry.item_id.data is not None
    ]
    return [[item_id, bool(included)] for _, _, item_id, included in sorted(rows)]


def choice_rows(ordered: list[tuple[object, bool]]) -> list[dict]:
    """Form data for the meetings or photos list, from queries.ordered_choice."""
    return [
        {"item_id": record.id, "position": number, "include": included}
        for number, (record, included) in enumerate(ordered, start=1)
    ]


class ReturnForm(FlaskForm):
    comment = TextAreaField(_l("What to change"), validators=[DataRequired(), Length(max=5000)], filters=[strip])


class ExportForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that reads, like a list's filters

    format = SelectField(
        _l("Format"), choices=select_choices([("pdf", "PDF"), ("docx", "Word"), ("html", "HTML")]), default="pdf"
    )
    language = SelectField(_l("Language"), choices=select_choices(LANGUAGE_NAMES.items()), default="zh")
