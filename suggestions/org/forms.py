from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


def _required():
    return DataRequired(message=_l("Please fill in this field."))


class DepartmentForm(FlaskForm):
    name = StringField(_l("Name"), validators=[_required(), Length(max=120)])
    decision_budget = DecimalField(
        _l("Decision budget"),
        places=2,
        validators=[Optional(), NumberRange(min=0, message=_l("A budget cannot be negative."))],
        description=_l("Up to this cost the head decides alone. Empty: the organisation default."),
    )
    heads = SelectMultipleField(_l("Heads"), coerce=int, validators=[Optional()])


class CategoryForm(FlaskForm):
    name_en = StringField(_l("Name (English)"), validators=[_required(), Length(max=80)])
    name_de = StringField(_l("Name (German)"), validators=[_required(), Length(max=80)])
    position = IntegerField(
        _l("Position in lists"), default=0, validators=[Optional(), NumberRange(min=0, max=1000)]
    )
    active = BooleanField(_l("Can be chosen for new ideas"), default=True)
