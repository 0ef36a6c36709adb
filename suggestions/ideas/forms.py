"""Forms for ideas and comments: validation only, every message localised."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.inputs import BoundedIntegerField, IdListField, SingleLine
from ..core.onetime import OneTimeKeyField
from ..web.forms import LONG_TEXT, ActionForm  # noqa: F401  (the idea page's buttons use it)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _required():
    return DataRequired(message=_l("Please fill in this field."))


class IdeaForm(FlaskForm):
    form_key = OneTimeKeyField()  # sent twice, it files one idea
    title = StringField(
        _l("Title"),
        validators=[
            _required(),
            Length(min=5, max=150, message=_l("Use between 5 and 150 characters.")),
            SingleLine(),
        ],
        description=_l("One sentence a colleague understands at a glance."),
    )
    problem = TextAreaField(
        _l("What is in the way today?"),
        validators=[_required(), Length(max=LONG_TEXT, message=_l("This text is too long."))],
        description=_l("The rule, form or approval that slows you down, and what it costs."),
    )
    proposal = TextAreaField(
        _l("What should change?"),
        validators=[_required(), Length(max=LONG_TEXT, message=_l("This text is too long."))],
    )
    benefit = TextAreaField(
        _l("Expected benefit"),
        validators=[_required(), Length(max=LONG_TEXT, message=_l("This text is too long."))],
        description=_l("For customers, for colleagues."),
    )
    category = SelectField(
        _l("Category"),
        coerce=int,
        validators=[InputRequired(message=_l("Please choose a category."))],
    )
    owning_department = SelectField(
        _l("Which department should decide?"),
        coerce=int,
        validators=[InputRequired(message=_l("Please choose a department."))],
        description=_l("The department this affects most. A head may hand it on."),
    )
    affected_departments = MultiCheckboxField(
        _l("Also affects"), coerce=int, validators=[Optional()]
    )
    hours_lost_per_month = BoundedIntegerField(
        _l("Hours lost per month (estimate)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=100000, message=_l("Enter a number between 0 and 100,000.")),
        ],
        description=_l("Across everyone affected. Leave empty if you cannot say."),
    )
    customer_facing = BooleanField(_l("Customers notice this"))
    # Rules, forms and approvals of the bureaucracy ledger this idea touches (ledger package).
    ledger_items = IdListField(_l("Rules, forms or approvals this touches"), limit=20)
    anonymous = BooleanField(
        _l("Submit anonymously"),
        description=_l(
            "Nobody sees your name, not even admins. You can still edit, withdraw and get news."
        ),
    )


class CommentForm(FlaskForm):
    form_key = OneTimeKeyField()
    body = TextAreaField(
        _l("Your comment"),
        validators=[_required(), Length(max=LONG_TEXT, message=_l("This text is too long."))],
        description=_l("Markdown works: **bold**, *italic*, lists and links."),
    )
    official = BooleanField(_l("Post as the official answer"))
