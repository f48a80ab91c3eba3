from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Regexp, ValidationError

from crm.accounts.passwords import password_problem

# Deliberately loose: intranet mail domains (name@qdhtz, name@zone.local) fail stricter validators.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+$"


def email_address():
    return Regexp(EMAIL_PATTERN, message=_l("Invalid email address."))


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)], filters=[_strip])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class PasswordRules:
    """A WTForms validator: long enough and not one of the most common passwords."""

    def __call__(self, form: FlaskForm, field) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class SetupForm(FlaskForm):
    """The first administrator, created on first start."""

    name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=100)], filters=[_strip])
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254), email_address()], filters=[_strip])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1024), PasswordRules()])
    confirm = PasswordField(
        _l("Password again"), validators=[InputRequired(), EqualTo("password", _l("The passwords differ."))]
    )
