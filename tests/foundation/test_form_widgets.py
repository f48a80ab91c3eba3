"""crm's drop-downs and checkbox lists write their options directly (a list page's filters hold every sector
and account): the HTML must be what WTForms itself writes, escaped the same way."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectChoice
from wtforms import SelectField as WTFormsSelectField

from crm.core.forms import MultiCheckboxField, SelectField, optional_int

HOSTILE = [
    SelectChoice("", "—"),
    SelectChoice(1, 'Bosch <script>alert("x")</script> & Co'),
    SelectChoice('2" onmouseover="x', "苏州 › 机器人"),
    SelectChoice(True, "yes"),
]


def _form(field_class, data=None, choices=HOSTILE, **options):
    class Probe(Form):
        pick = field_class("Pick", choices=choices, validate_choice=False, **options)

    return Probe(MultiDict(data or {}))


@pytest.mark.parametrize("chosen", [None, "1", '2" onmouseover="x'])
def test_a_drop_down_writes_what_wtforms_writes(chosen):
    data = {"pick": chosen} if chosen else {}
    ours = _form(SelectField, data).pick(class_="form-select")
    theirs = _form(WTFormsSelectField, data).pick(class_="form-select")
    assert str(ours) == str(theirs)
    assert "<script>" not in ours and 'value="2&#34; onmouseover=&#34;x"' in ours


def test_the_chosen_option_is_marked_and_options_with_attributes_still_work():
    form = _form(
        SelectField,
        {"pick": "2"},
        choices=[SelectChoice(1, "one"), SelectChoice(2, "two"), SelectChoice(3, "3", render_kw={"disabled": True})],
        coerce=optional_int,
    )
    html = str(form.pick())
    assert '<option selected value="2">two</option>' in html
    assert '<option disabled value="3">3</option>' in html


def test_a_checkbox_list_escapes_and_ticks_what_was_chosen():
    form = _form(MultiCheckboxField, MultiDict([("pick", "1")]), coerce=str)
    html = str(form.pick())
    assert '<input checked class="form-check-input" id="pick-1" name="pick" type="checkbox" value="1">' in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert 'value="2&#34; onmouseover=&#34;x"' in html
