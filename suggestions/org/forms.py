from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from ..core.inputs import MoneyField, SingleLine


def _required():
    return DataRequired(message=_l("Please fill in this field."))


class DepartmentForm(FlaskForm):
    name = StringField(_l("Name"), validators=[_required(), Length(max=120), SingleLine()])
    decision_budget = MoneyField(
        _l("Decision budget"),
        validators=[Optional()],
        description=_l("Up to this cost the head decides alone. Empty: the organisation default."),
    )
    heads = SelectMultipleField(_l("Heads"), coerce=int, validators=[Optional()])


class CategoryForm(FlaskForm):
    name_en = StringField(
        _l("Name (English)"), validators=[_required(), Length(max=80), SingleLine()]
    )
    name_de = StringField(
        _l("Name (German)"), validators=[_required(), Length(max=80), SingleLine()]
    )
    position = IntegerField(
        _l("Position in lists"), default=0, validators=[Optional(), NumberRange(min=0, max=1000)]
    )
    active = BooleanField(_l("Can be chosen for new ideas"), default=True)


def _amount(label, description):
    return MoneyField(
        label,
        validators=[InputRequired(message=_l("Please enter an amount."))],
        description=description,
    )


class SettingsForm(FlaskForm):
    first_response_days = IntegerField(
        _l("First response due within (days)"),
        validators=[InputRequired(message=_l("Please enter a number.")),
                    NumberRange(min=1, max=365, message=_l("Enter 1 to 365."))],
    )  # fmt: skip
    decision_days = IntegerField(
        _l("Decision due within (days)"),
        validators=[InputRequired(message=_l("Please enter a number.")),
                    NumberRange(min=1, max=730, message=_l("Enter 1 to 730."))],
    )  # fmt: skip
    default_decision_budget = _amount(
        _l("Default decision budget of a department"),
        _l("What a head may accept alone when the department has no budget of its own."),
    )
    empowerment_budget = _amount(
        _l("Personal empowerment budget"),
        _l("What anyone may spend to fix something in their own department, without asking."),
    )
    currency = StringField(
        _l("Currency (ISO code)"),
        validators=[
            _required(),
            Regexp(r"^[A-Za-z]{3}$", message=_l("Three letters, e.g. EUR.")),
        ],
    )
