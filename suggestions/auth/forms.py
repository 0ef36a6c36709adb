from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..core.inputs import SingleLine
from .models import Role

ROLE_LABELS = {
    Role.EMPLOYEE: _l("Employee"),
    Role.HEAD: _l("Department head"),
    Role.LEADER: _l("Leadership"),
    Role.ADMIN: _l("Administrator"),
}
LANGUAGE_CHOICES = [("", _l("Like my browser")), ("en", "English"), ("de", "Deutsch")]


def _required():
    return DataRequired(message=_l("Please fill in this field."))


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[_required(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[_required(), Length(max=1024)])
    remember = BooleanField(_l("Stay signed in on this device"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[_required(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    new = PasswordField(_l("New password"), validators=[_required(), Length(max=1024)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[_required(), EqualTo("new", message=_l("The two passwords differ."))],
    )


class AccountForm(FlaskForm):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    save = SubmitField(_l("Save settings"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[_required()])
    new = PasswordField(_l("New password"), validators=[_required(), Length(max=1024)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[_required(), EqualTo("new", message=_l("The two passwords differ."))],
    )
    change = SubmitField(_l("Change password"))


class UserForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[
            _required(),
            Email(message=_l("Please enter a valid email address.")),
            Length(max=254),
            SingleLine(),
        ],
    )
    display_name = StringField(_l("Name"), validators=[_required(), Length(max=120), SingleLine()])
    department = SelectField(_l("Department"), coerce=int)
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()))
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    password = PasswordField(
        _l("Initial password"),
        validators=[Optional(), Length(max=1024)],
        description=_l("Leave empty to generate one. It is shown once; pass it on safely."),
    )
