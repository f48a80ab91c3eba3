from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, ValidationError

from crm.accounts.passwords import password_problem
from crm.core.emails import email_filter
from crm.core.forms import SelectField, email_address, empty_to_none, enum_choices, enum_coercer, select_choices, strip
from crm.core.roles import Role

LANGUAGE_CHOICES = select_choices([("en", "English"), ("zh", "中文")])


class PasswordRules:
    """A WTForms validator: long enough and not one of the most common passwords."""

    def __call__(self, form: FlaskForm, field) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


def new_password_fields():
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(max=1024), PasswordRules()])
    confirm = PasswordField(
        _l("New password again"), validators=[InputRequired(), EqualTo("password", _l("The passwords differ."))]
    )
    return password, confirm


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)], filters=[email_filter])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class SetupForm(FlaskForm):
    """The first administrator, created on first start."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=100)], filters=[strip])
    email = EmailField(
        _l("Email"), validators=[InputRequired(), Length(max=254), email_address()], filters=[email_filter]
    )
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1024), PasswordRules()])
    confirm = PasswordField(
        _l("Password again"), validators=[InputRequired(), EqualTo("password", _l("The passwords differ."))]
    )


class ProfileForm(FlaskForm):
    """What every user may change about themselves."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)], filters=[strip])
    local_name = StringField(
        _l("Name in Chinese characters"), validators=[Optional(), Length(max=100)], filters=[empty_to_none]
    )
    title = StringField(_l("Job title"), validators=[Optional(), Length(max=100)], filters=[empty_to_none])
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class UserForm(ProfileForm):
    """An administrator's view of an account."""

    email = EmailField(
        _l("Email"), validators=[InputRequired(), Length(max=254), email_address()], filters=[email_filter]
    )
    role = SelectField(_l("Role"), choices=enum_choices(Role), coerce=enum_coercer(Role))


class NewUserForm(UserForm):
    password, confirm = new_password_fields()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=1024)])
    password, confirm = new_password_fields()


class PasswordResetForm(FlaskForm):
    password, confirm = new_password_fields()


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token."""
